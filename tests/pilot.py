"""The Pilot harness every board test shares: the app on the test database, waiting for it to
settle, opening a list, reading and moving Today's list (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from textual.widgets import OptionList

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
