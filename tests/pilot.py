"""The Pilot harness every board test shares: the app on the test database, waiting for it to
settle, opening a list (the issue queue), reading and moving Today's list,
reading a table and the footer, visiting every screen (fixtures live in ``conftest.py``; the
one-screen app of the form tests in ``form_harness.py``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NamedTuple

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from relboard.app import RelboardApp
from relboard.config import Config
from relboard.widgets.paged_table import PagedTable

SIZE = (80, 24)


def make_app(ctx, **config) -> RelboardApp:
    """The board on the already-open test database, with a fixed clock."""
    settings = {"database": "unused.db", "user": ctx.user, "animations": False, **config}
    return RelboardApp(Config(**settings), ctx=ctx)


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_list(pilot, key: str) -> PagedTable:
    """Press ``key`` (a list screen: ``i``, ``e``, ``c``...), let it load, return its table."""
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen.query_one(PagedTable)


def today_options(app) -> list[str]:
    """Today's list as text, headings and items in order."""
    listing = app.screen.query_one("#today-list", OptionList)
    return [str(listing.get_option_at_index(n).prompt) for n in range(listing.option_count)]


def highlight(app, key: str) -> None:
    """Put Today's cursor on the item ``key``."""
    listing = app.screen.query_one("#today-list", OptionList)
    listing.highlighted = listing.get_option_index(key)


def watch_notices(app) -> list[tuple[str, dict]]:
    """Every notification the board shows from now on: (message, its options)."""
    seen: list[tuple[str, dict]] = []
    show = app.notify

    def notify(message, **options):
        seen.append((str(message), options))
        show(message, **options)

    app.notify = notify
    return seen


async def until(pilot, seconds: float, condition) -> float | None:
    """Seconds until ``condition()`` holds (None if it did not within ``seconds``)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        await settle(pilot)
        if condition():
            return time.monotonic() - start
        await asyncio.sleep(0.05)
    return None


def rows(table: DataTable) -> list[list[str]]:
    """Every row of a table as the words shown."""
    return [[str(c).strip() for c in table.get_row_at(n)] for n in range(table.row_count)]


def screen_text(app) -> str:
    """The whole screen as shown, a line per row."""
    return "\n".join("".join(s.text for s in strip)
                     for strip in app.screen._compositor.render_strips())


def footer_text(app) -> str:
    """The screen's bottom line (its footer) as the characters shown."""
    return "".join(s.text for s in app.screen._compositor.render_strips()[-1])


async def visit_screens(app, pilot):
    """Every screen a PM reaches from the keys, at 80x24: go to each, yield its name."""
    steps = [("today", ()), ("issue", ("i", "enter")), ("queue", ("escape",)),
             ("register", ("e",)), ("expectation", ("enter",)),
             ("customers", ("escape", "c")), ("profile", ("enter",)),
             ("brief", ("b",)),
             ("overview", ("escape", "p")), ("risks", ("K",)), ("decisions", ("D",)),
             ("stakeholder map", ("escape", "G")), ("snoozed", ("Z",)),
             ("search", ("escape", "ctrl+f"))]
    for where, keys in steps:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        yield where


class Queue(NamedTuple):
    """The board open on the issue queue (what ``open_queue`` yields, in this order)."""

    app: RelboardApp
    pilot: Pilot
    table: PagedTable


@asynccontextmanager
async def open_queue(ctx) -> AsyncIterator[Queue]:
    """The board at 80x24, settled, on the issue queue (its cursor on the first issue)."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield Queue(app, pilot, await open_list(pilot, "i"))
