"""Keys that did nothing or the wrong thing (issue 21, point 6), each pressed as a PM would,
with what the screen shows asserted (each test failed on the code before its fix)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from relboard import models as m
from relboard.screens import REGISTRY
from relboard.services import records
from relboard.widgets.paged_table import PagedTable
from tests import factories as f
from tests.pilot import SIZE, highlight, make_app, open_list, settle, watch_notices

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def status_line(app, selector: str) -> str:
    """The text of a screen's status line."""
    return str(app.screen.query_one(selector, Static).render())


def shown_column(table: PagedTable, column: str) -> list[str]:
    """The cells of ``column`` as the table shows them, top to bottom."""
    return [str(table.get_cell_at((row, table.get_column_index(column))))
            for row in range(table.row_count)]


async def test_queue_keys_reach_every_saved_queue(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "i")
        assert "queue Open" in status_line(app, "#issues-status")
        seen = []
        for _ in range(4):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            seen.append(status_line(app, "#issues-status"))
            rows = [table.rows_by_key[k.value] for k in table.rows]
            queue = seen[-1].split(" · ")[1]
            if queue == "queue Mine":
                assert {r["owner"] for r in rows} <= {"alice"}
            if queue == "queue Critical":
                assert rows and {r["severity"] for r in rows} <= {"critical", "high"}
            if queue == "queue Resolved":
                assert rows and {r["status"] for r in rows} <= {"resolved", "closed"}
        assert [s.split(" · ")[1] for s in seen] == [
            "queue Mine", "queue Critical", "queue Resolved", "queue Open"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "queue Resolved" in status_line(app, "#issues-status")
        assert {table.rows_by_key[k.value]["status"] for k in table.rows} <= {
            "resolved", "closed"}


async def test_ctrl_r_reads_the_issue_queue_again(sample):
    customer = m.Customer.select().first().id
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "i")
        before = table.row_count
        new = f.issue(sample, customer, "Printer on fire, said twice", severity=1)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert str(new) in table.rows_by_key
        assert "Printer on fire, said twice" in shown_column(table, "title")
        assert table.row_count == before + 1


def _screen_of(entry, ctx):
    """An instance of the registry's screen ``entry`` on the sample portfolio."""
    cls = entry.load()
    customer = m.Customer.select().order_by(m.Customer.id).first().id
    by_name = {
        "customer": lambda: cls(customer),
        "expectation": lambda: cls(m.Expectation.select().first().id),
        "issue": lambda: cls(m.Issue.select().first().id),
        "touchpoint": lambda: cls(m.Interaction.select().first().id),
        "brief": lambda: cls(customer),
        "status_update": lambda: cls(customer),
    }
    make = by_name.get(entry.name, cls)
    return make() if make else None


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.name)
async def test_ctrl_r_reads_every_screen_again(sample, entry, monkeypatch):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if entry.mode:
            await app.switch_mode(entry.name)
        elif entry.name == "breakdown":  # the records behind a figure of the portfolio
            await app.switch_mode("portfolio")
            await settle(pilot)
            await pilot.press("enter")
        elif entry.name == "help":  # the keys of the screen below
            await pilot.press("question_mark")
        else:
            await app.push_screen(_screen_of(entry, sample))
        await settle(pilot)
        assert type(app.screen) is entry.load()
        reads: list[str] = []
        screen = app.screen
        again = screen.read_again
        monkeypatch.setattr(screen, "read_again", lambda: (reads.append("read"), again()))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert reads == ["read"], f"ctrl+r did not read {entry.name} again"


def _today_item_of_kind(ctx, kind: str):
    from relboard.services import attention

    return next(it for it in attention.attention(ctx) if it.kind == kind)


@pytest.mark.parametrize(("keymap", "snooze"), [({}, "z"), ({"today.snooze": "y"}, "y")])
async def test_today_hint_names_the_snooze_key_bound_now(sample, keymap, snooze):
    item = _today_item_of_kind(sample, "customer")
    app = make_app(sample, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("d")  # d cannot finish an overdue contact: the hint says what does
        await settle(pilot)
        assert [n for n, _ in notices] == [
            f"Log a touchpoint (l) to clear this, or snooze it ({snooze})"]
        await pilot.press(snooze)  # the key the hint names does snooze it
        await settle(pilot)
        assert "Snooze:" in str(app.screen.query_one("#dialog-title").render())


async def test_list_hints_name_the_keys_bound_now(sample):
    app = make_app(sample, keymap={"table.mark": "x", "issues.next_queue": "N"})
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, "i")
        assert status_line(app, "#issues-status").endswith("x marks, N next queue")
        await pilot.press("N")
        await settle(pilot)
        assert "queue Mine" in status_line(app, "#issues-status")


async def _profile_on(app, pilot, customer_id: int, tab_key: str | None = "3"):
    from relboard.screens.customer import CustomerScreen

    await app.push_screen(CustomerScreen(customer_id))
    await settle(pilot)
    if tab_key:
        await pilot.press(tab_key)
        await settle(pilot)


async def test_profile_expectations_tab_agrees_and_renegotiates(sample):
    from relboard.screens.renegotiate_form import RenegotiateForm

    e = m.Expectation
    proposed = e.select().where(e.status == "proposed").order_by(e.id).first()
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await _profile_on(app, pilot, proposed.customer_id)
        table = app.screen.query_one("#expectations-table", PagedTable)
        table.move_cursor(row=table.get_row_index(str(proposed.id)))
        notices = watch_notices(app)
        await pilot.press("a")
        await settle(pilot)
        assert records.get("expectation", proposed.id)["status"] == "agreed"
        row = table.get_row_index(str(proposed.id))
        assert str(table.get_row_at(row)[1]) == "agreed"
        said, = [n for n, _ in notices]
        assert said.startswith(f"#{proposed.id} proposed → agreed: {proposed.statement[:20]}")
        assert said.endswith("(u: undo)")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RenegotiateForm)


async def test_profile_expectation_keys_say_where_they_act(sample):
    bare = f.customer(sample, "Quiet Co")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await _profile_on(app, pilot, bare, tab_key=None)  # the Overview tab
        notices = watch_notices(app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert [n for n, _ in notices] == [
            "This key acts on an expectation: open the Expectations tab (3)",
            "No expectation to act on: add one with X"]


def _many_issues(ctx, count: int) -> list[int]:
    """``count`` issues of one customer, raised an hour apart (the newest last)."""
    import datetime as dt

    from tests.conftest import at

    customer = f.customer(ctx, "Many Issues Co")
    return [f.issue(at(ctx, ctx.now() - dt.timedelta(hours=count - n)), customer,
                    f"Issue {n:03}", severity="low") for n in range(count)]


def _highlighted_title(table: PagedTable) -> str:
    return table.current_row()["title"]


async def test_home_and_end_go_to_the_first_and_last_row_of_a_paged_list(db, ctx):
    made = _many_issues(ctx, 260)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "i")
        for _ in range(3):  # severity -> sla -> oldest -> newest
            await pilot.press("s")
            await settle(pilot)
        assert "sort newest" in status_line(app, "#issues-status")
        assert _highlighted_title(table) == "Issue 259"
        assert table.row_count < len(made)  # a first window only
        await pilot.press("end")
        await settle(pilot)
        assert _highlighted_title(table) == "Issue 000"  # the real last row, the oldest
        assert table.cursor_row == table.row_count - 1
        assert table.row_count < len(made)  # its last window, not every row
        shown = table.row_count
        for _ in range(12):  # up towards the top of what is read: the window before comes
            await pilot.press("pageup")
            await settle(pilot)
        assert table.row_count == len(made) > shown
        titles = [table.rows_by_key[k.value]["title"] for k in table.rows]
        assert titles == [f"Issue {n:03}" for n in reversed(range(260))]
        await pilot.press("end")
        await settle(pilot)
        assert _highlighted_title(table) == "Issue 000"
        await pilot.press("home")
        await settle(pilot)
        assert _highlighted_title(table) == "Issue 259"
        assert table.cursor_row == 0


async def test_home_and_end_on_a_short_list(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "c")
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1 > 0
        last = str(table.get_row_at(table.row_count - 1)[0])
        assert table.current_row()["name"] == last
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_row == 0
