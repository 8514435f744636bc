"""Today reads ten items a group and the next ten where the PM asks for them: ``enter`` on a
group's "… and N more" line puts them in its place, the cursor on the first, and the group
stays that long on every later refresh."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests import factories as f
from tests.pilot import SIZE, footer_text, make_app, settle, today_options

pytestmark = pytest.mark.both_databases

FOLLOW_UPS = 14
"""Follow-ups on the board: a page of Today's and four more."""


def board_of_follow_ups(ctx) -> list[int]:
    """Acme with ``FOLLOW_UPS`` follow-ups overdue: "Call 0" (most overdue) to "Call 13"."""
    return f.follow_ups_due(ctx, FOLLOW_UPS)


def _follow_ups(app) -> list[str]:
    """The follow-ups Today lists, as their first lines read."""
    return [text.split("\n")[0] for text in today_options(app) if text.startswith("Acme")]


def _under_cursor(app) -> str:
    """The first line of what the cursor is on."""
    option = app.screen.query_one("#today-list", OptionList).highlighted_option
    return str(option.prompt).split("\n")[0] if option is not None else ""


async def test_enter_on_the_more_line_shows_the_next_ten_and_a_refresh_keeps_them(db, ctx):
    board_of_follow_ups(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _follow_ups(app) == [f"Acme · Call {n}" for n in range(10)]
        more = today_options(app)[-1]
        assert more.strip().startswith(f"… and {FOLLOW_UPS - 10} more")
        assert "enter: the next 10" in more
        for _ in range(10):  # down the ten to the line: it can be reached
            await pilot.press("j")
        await settle(pilot)
        assert _under_cursor(app).strip().startswith("… and 4 more")

        await pilot.press("enter")
        await settle(pilot)
        assert _follow_ups(app) == [f"Acme · Call {n}" for n in range(FOLLOW_UPS)]
        assert not any("more" in text for text in today_options(app))
        assert _under_cursor(app) == "Acme · Call 10"  # on the first of the new ones

        await pilot.press("d")  # Call 10 done: the refresh reads the group as long as shown
        await settle(pilot)
        assert _follow_ups(app) == [f"Acme · Call {n}" for n in range(FOLLOW_UPS) if n != 10]
        assert _under_cursor(app) == "Acme · Call 11"


async def test_the_more_line_is_no_item_for_the_verbs(db, ctx):
    """On the "… and N more" line a verb has nothing to act on: the footer offers none of
    them, and pressed anyway nothing is done, nothing opens; only enter reads further."""
    board_of_follow_ups(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        on_item = footer_text(app)
        assert "Log" in on_item and "Done" in on_item and "Snooze" in on_item
        listing = app.screen.query_one("#today-list", OptionList)
        listing.highlighted = listing.option_count - 1
        await settle(pilot)
        on_more = footer_text(app)
        assert not any(verb in on_more for verb in ("Log", "Done", "Snooze")), on_more
        assert "Help" in on_more or "?" in on_more
        today = app.screen
        for key in ("d", "l", "a"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is today
        assert _follow_ups(app) == [f"Acme · Call {n}" for n in range(10)]
