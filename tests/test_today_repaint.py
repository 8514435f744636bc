"""Today after a triage key: the finished item leaves with the refresh that follows, and the
list stays where it was scrolled (issue 21 point 10; ``benchmarks/bench_repaint.py`` times it)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from tests import factories as f
from tests.pilot import SIZE, make_app, settle

pytestmark = pytest.mark.both_databases

FOLLOW_UPS = 14
"""Follow-ups on the board: more than a window shows, all of them on one page (below)."""


@pytest.fixture(autouse=True)
def one_page(monkeypatch):
    """Today reads 20 a group here: these tests are about one refresh of a scrolled list,
    not the pages (``test_today_pages.py``)."""
    from relboard.screens import today_feed

    monkeypatch.setattr(today_feed, "FIRST_PAGE", 20)


def board_of_follow_ups(ctx) -> list[int]:
    """One customer with ``FOLLOW_UPS`` follow-ups overdue (most overdue first on Today)."""
    return f.follow_ups_due(ctx, FOLLOW_UPS)


def _window(listing) -> list[str]:
    """The list's visible rows as the user reads them."""
    return [str(strip.text).strip() for strip in
            listing.render_lines(listing.scrollable_content_region.reset_offset)]


def view(app) -> tuple[str, list[str], str | None]:
    """The summary line, the items' first lines in the list's visible window, the item under
    the cursor."""
    listing = app.screen.query_one("#today-list", OptionList)
    lines = _window(listing)
    summary = str(app.screen.query_one("#today-summary", Static).render())
    option = listing.highlighted_option
    return summary, [line for line in lines if line.startswith("Acme")], \
        option.id if option else None


async def test_done_on_a_follow_up_low_in_the_list_keeps_the_view_where_it_was(db, ctx):
    calls = board_of_follow_ups(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        listing.highlighted = listing.get_option_index(f"interaction:{calls[12]}")
        await settle(pilot)
        for _ in range(3):  # back up: the cursor mid-window, the list still scrolled down
            await pilot.press("k")
        await settle(pilot)
        summary, before, current = view(app)
        assert current == f"interaction:{calls[9]}"
        assert f"{FOLLOW_UPS} follow-ups" in summary
        assert listing.scroll_y > 0 and before[0] != "Acme · Call 0"

        await pilot.press("d")
        await settle(pilot)

        summary, after, current = view(app)
        assert f"{FOLLOW_UPS - 1} follow-ups" in summary
        assert "Acme · Call 9" not in after
        assert current == f"interaction:{calls[10]}"  # the cursor on the next one
        assert after[0] == before[0]  # the same first row: the view did not jump
        assert any("Follow-up done: Call 9" in str(n.message)
                   for n in app._notifications)


async def test_a_layout_pass_does_not_repaint_the_lists_scrollbar(sample):
    """Issue 21 point 10: every layout pass of the screen (a toast, a line growing) repainted
    Today's scrollbar a frame after the rest — the last 8-10 ms of a triage key's repaint. A
    layout pass hands a list the size of its window as its virtual size (what
    ``Screen._refresh_layout`` passes); Textual's OptionList takes that for a change."""
    from textual.geometry import Size
    from textual.widgets import OptionList

    from tests.pilot import make_app, settle

    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today-list")
        plain_list = OptionList(*[f"row {n}" for n in range(60)])
        await app.screen.mount(plain_list)
        await settle(pilot)
        repainted = {}
        for name, listing in (("today", today), ("plain", plain_list)):
            bar = listing.vertical_scrollbar
            calls: list[int] = []
            real = bar.refresh
            bar.refresh = lambda *a, real=real, calls=calls, **k: calls.append(1) or real(*a, **k)
            listing._size_updated(listing._size, Size(listing._size.width - 4,
                                                      listing._size.height),
                                  listing._container_size)
            repainted[name] = len(calls)
        assert repainted == {"today": 0, "plain": 1}  # Textual's own list: the quirk is real
        lines = today.virtual_size.height
        await pilot.press("j")
        await settle(pilot)
        assert today.virtual_size.height == lines  # the list keeps its own size


async def test_a_refresh_draws_and_measures_only_the_options_it_made_new(db, ctx):
    """After a triage key the refresh hands the list the same options but the finished one;
    Textual's OptionList drew every visible option and measured all of them again (about
    11 ms of a full board's 40-60 ms repaint at 100k). The list keeps both by option."""
    board_of_follow_ups(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        _window(listing)  # everything visible drawn once
        worked_out: list[str] = []  # the options the list drew or measured (their first line)
        real = listing._get_visual

        def visual(option):
            worked_out.append(str(option.prompt).split("\n")[0])
            return real(option)

        listing._get_visual = visual
        await pilot.press("d")
        await settle(pilot)
        after = _window(listing)
        await pilot.press("j")  # the cursor moves: drawn highlighted, and the one it left
        await settle(pilot)
        _window(listing)
        summary = str(app.screen.query_one("#today-summary", Static).render())
        assert f"{FOLLOW_UPS - 1} follow-ups" in summary  # the refresh came
        assert "Acme · Call 0" not in after
        # the group's heading with its new count is the one new option: measured and drawn;
        # Call 1 and 2 drawn in the style the cursor gives them, Call 10 as it comes into
        # view (the window has one row of items more); Textual's own list drew every visible
        # option again and measured all fourteen
        assert sorted(worked_out) == ["Acme · Call 1", "Acme · Call 10", "Acme · Call 2",
                                      "Follow-ups due (13)", "Follow-ups due (13)"]


async def test_a_click_after_a_refresh_picks_the_item_under_the_mouse(db, ctx):
    """What the list keeps of an option's drawing is without its place in the list (a
    mouse click reads the place from the row): after an item above has gone, a click on a
    row still picks the item it shows (not the one after it)."""
    board_of_follow_ups(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        await pilot.press("d")  # the first follow-up done: every item after it moves up
        await settle(pilot)
        rows = _window(listing)
        row = next(n for n, words in enumerate(rows) if words.startswith("Acme · Call 5"))
        today = app.screen
        await pilot.click(listing, offset=(6, row))
        await settle(pilot)
        item = today.current()  # the click highlights the item, then opens its record
        assert item is not None and item.title == "Call 5"
        assert app.screen is not today
