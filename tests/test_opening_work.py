"""Opening a screen does its work once: one window of rows read, the footer built once, and
the footer still follows the keys that apply."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from relboard.screens.issues import IssuesScreen
from relboard.services import lists
from relboard.widgets import footer as footer_module
from relboard.widgets import paged_table
from relboard.widgets.footer import BoardFooter
from tests import factories as f
from tests.pilot import SIZE, footer_text, make_app, open_list, settle, visit_screens


def _issue_pages_read(monkeypatch, what: str) -> list:
    """The ``what`` argument (after, limit) of each issue-queue page read from now on."""
    reads = []
    real = lists.issues_page
    monkeypatch.setattr(lists, "issues_page",
                        lambda *a, **k: reads.append(k.get(what)) or real(*a, **k))
    return reads


@pytest.mark.both_databases
async def test_issue_queue_opens_on_one_window_and_reads_more_only_near_its_end(
        db, ctx, monkeypatch):
    monkeypatch.setattr(paged_table, "WINDOW", 3)
    monkeypatch.setattr(paged_table, "PREFETCH", 1)
    customer = f.customer(ctx)
    for n in range(7):
        f.issue(ctx, customer, title=f"Concern {n}")
    reads = _issue_pages_read(monkeypatch, "after")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "i")
        assert isinstance(app.screen, IssuesScreen)
        # Before: the queue was loaded three times (mount and the tab activated twice),
        # and every load read the second window at once (the new rows moved the cursor).
        assert reads == [None]
        assert table.row_count == 3
        await pilot.press("down")  # row 2 of 3: not yet near the end
        await settle(pilot)
        assert len(reads) == 1
        await pilot.press("down")  # row 3 of 3: PREFETCH (1) from the end
        await settle(pilot)
        assert len(reads) == 2 and reads[1] is not None
        assert table.row_count == 6
        for _ in range(4):
            await pilot.press("down")
            await settle(pilot)
        assert table.row_count == 7
        assert len(reads) == 3  # the last window, then no more (nothing after it)


@pytest.fixture
def footer_builds(monkeypatch) -> list[str]:
    """The screen (class name) of each footer rebuild, in order."""
    builds = []
    real = BoardFooter._build

    def counted(self, signature):
        builds.append(type(self.screen).__name__)
        real(self, signature)

    monkeypatch.setattr(footer_module.BoardFooter, "_build", counted)
    return builds


class _Pane(Static, can_focus=True):
    """A focusable pane with keys of its own."""

    def __init__(self, key: str, label: str, **kwargs) -> None:
        super().__init__(label, **kwargs)
        self._bindings.bind(key, "app.bell", label)


class _TwoPanes(App):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield _Pane("x", "Export", id="left")
        yield _Pane("y", "Yank", id="right")
        yield BoardFooter()


async def test_board_footer_follows_focus_and_rebuilds_only_on_change(footer_builds):
    builds = footer_builds
    app = _TwoPanes()
    async with app.run_test(size=(60, 6)) as pilot:
        app.query_one("#left").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Export" in footer_text(app) and "Yank" not in footer_text(app)
        before = len(builds)
        app.screen.refresh_bindings()  # the same keys: nothing to rebuild
        await pilot.pause()
        await pilot.pause()
        assert len(builds) == before
        app.query_one("#right").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Yank" in footer_text(app) and "Export" not in footer_text(app)
        assert len(builds) == before + 1
        assert "Quit" in footer_text(app)


@pytest.mark.both_databases
async def test_opening_a_list_screen_builds_its_footer_once(db, ctx, footer_builds):
    f.issue(ctx, f.customer(ctx))
    builds = footer_builds
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("i", "c", "e"):
            await pilot.press(key)
            await settle(pilot)
        assert builds.count("TodayScreen") == 1
        assert builds.count("IssuesScreen") == 1  # Textual's Footer: 4 to 5 times
        assert builds.count("CustomersScreen") == 1
        assert builds.count("ExpectationsScreen") == 1
        assert "Quit" in footer_text(app)


async def test_every_screen_builds_its_footer_once(sample, footer_builds):
    builds = footer_builds
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        async for where in visit_screens(app, pilot):
            assert "Quit" in footer_text(app) or "Close" in footer_text(app), where
    # Once per screen, with the screen (coming back to one rebuilds nothing), except where
    # the keys shown really change: the snoozed list shows "Open" once its table has rows.
    # The keys are worked out when the footer is first drawn, with the focus where the
    # screen puts it. Textual's own Footer was built empty, then rebuilt on every focus
    # change and binding refresh: 4 to 10 times.
    again = {name: builds.count(name) for name in builds if builds.count(name) > 1}
    assert again == {"SnoozedScreen": 2}
    assert len(set(builds)) == 13


async def test_today_is_read_once_and_first_painted_with_its_list(sample, monkeypatch):
    """Start-up: Today's list is read on the UI thread as the screen mounts, so the first
    frame the terminal gets already has the title and the items (before: an empty screen
    was laid out and painted, then again when a thread brought the list)."""
    from relboard.screens import today_feed

    reads = []
    real = today_feed.board
    monkeypatch.setattr(today_feed, "board",
                        lambda *a, **k: reads.append(a[2:]) or real(*a, **k))
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.screen.query_one("#today-list")
        assert reads == [(10, None)]  # once, the whole board (10 a group), before any pause
        assert "Today —" in str(app.screen.query_one("#today-title").render())
        assert listing.option_count > 20
        await settle(pilot)
        # never read whole again (the day's health scores may re-read the health group)
        assert [r for r in reads if r[1] is None] == [(10, None)]


async def test_start_and_first_visits_of_modes_parse_the_css_once(sample, monkeypatch):
    """Textual re-parses all the CSS and restyles every screen when the theme is set and when
    a mode's screen is made; before anything is styled that is wasted. The board starts in
    its theme with the CSS parsed once; opening a mode parses again only for a screen that
    brings CSS files of its own (the register, the overview, the risk register)."""
    from textual.css.stylesheet import Stylesheet

    parsed = []
    real = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: parsed.append(1) or real(self))
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "relboard-dark" and app.has_class("-theme-relboard-dark")
        summary = app.screen.query_one("#today-summary")
        assert summary.rich_style.bgcolor == app.screen.rich_style.bgcolor  # styled in theme
        assert parsed == []
        for key in ("c", "i", "e", "p", "K", "t"):
            await pilot.press(key)
            await settle(pilot)
        assert len(parsed) == 3  # expectations.tcss, overview.tcss, lists.tcss
        app.theme = "relboard-light"  # a real change still restyles
        await settle(pilot)
        assert parsed


async def test_a_list_opens_on_a_short_window_and_a_reload_keeps_a_full_one(sample,
                                                                             monkeypatch):
    """Opening reads a screenful and some (FIRST_WINDOW); a reload that keeps the cursor on
    its record reads a full window, as before."""
    monkeypatch.setattr(paged_table, "FIRST_WINDOW", 4)
    limits = _issue_pages_read(monkeypatch, "limit")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "i")
        assert limits == [4] and table.row_count == 4
        await pilot.press("down")
        await settle(pilot)
        kept = table.current_key()
        table.reload()
        await settle(pilot)
        assert limits[-1] == paged_table.WINDOW and table.current_key() == kept
