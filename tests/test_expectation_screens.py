"""The expectation register and detail screens, driven by keys at 80x24 on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

from relboard.screens.expectation import ExpectationScreen
from relboard.screens.expectations import DUE_WINDOWS, STATUS_FILTERS, ExpectationsScreen
from relboard.services import expectations, lists, records
from relboard.widgets.paged_table import PagedTable
from tests import factories as f
from tests.pilot import settle

D1 = dt.date(2026, 12, 1)
D2 = dt.date(2026, 12, 15)
UNSAFE = "[@click=app.quit]x[/] \x1b]0;pwned\x07 done"


class Harness(App):
    """A bare app with ``ctx`` that shows one screen (and the board's undo key, which the
    notices name as bound)."""

    BINDINGS = [Binding("u", "undo", "Undo", id="app.undo")]

    def __init__(self, ctx, make_screen):
        super().__init__()
        self.ctx = ctx
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def table_rows(app) -> dict[int, list[str]]:
    table = app.screen.query_one(PagedTable)
    return {int(k): [c.plain for c in table.get_row(k)] for k in table.rows_by_key}


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def portfolio(db, ctx):
    north = f.customer(ctx, "Northwind Health")
    acme = f.customer(ctx, "Acme Freight")
    return {
        "agreed": f.expectation(ctx, north, D1, "Pilot live", status="agreed"),
        "proposed": f.expectation(ctx, acme, D2, "Weekly report"),
        "met": _met(ctx, f.expectation(ctx, acme, D1, "Kick-off held", status="agreed")),
        "north": north, "acme": acme,
    }


def _met(ctx, eid: int) -> int:
    expectations.set_status(ctx, eid, records.get("expectation", eid)["version"], "met")
    return eid


async def test_register_lists_open_expectations_with_due_dates(portfolio, ctx):
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = table_rows(app)
        assert set(rows) == {portfolio["agreed"], portfolio["proposed"]}  # met is not open
        assert rows[portfolio["agreed"]][:3] == ["2026-12-01", "agreed", "Northwind Health"]
        assert rows[portfolio["proposed"]][0] == "2026-12-15"
        assert "Expectations 2 " in text_of(app, "#exps-filters")


async def test_status_filter_cycles(portfolio, ctx):
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # proposed
        await settle(pilot)
        assert set(table_rows(app)) == {portfolio["proposed"]}
        assert "status: proposed" in text_of(app, "#exps-filters")
        await pilot.press("f", "f", "f")  # agreed, at risk, met
        await settle(pilot)
        assert set(table_rows(app)) == {portfolio["met"]}
        await pilot.press("f", "f", "f", "f")  # missed, renegotiated, withdrawn, all
        await settle(pilot)
        assert len(table_rows(app)) == 3
        assert "status: all" in text_of(app, "#exps-filters")
        await pilot.press("f")  # back to open
        await settle(pilot)
        assert len(table_rows(app)) == 2


async def test_customer_filter_and_due_window(portfolio, ctx):
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"acme")
        await settle(pilot)
        assert set(table_rows(app)) == {portfolio["proposed"]}
        assert "customer: Acme Freight" in text_of(app, "#exps-filters")
        await pilot.press("enter")
        await pilot.press("v")  # due within 7 days: nothing of Acme's open list
        await settle(pilot)
        assert table_rows(app) == {}
        await pilot.press("v", "v")  # 30 days
        await settle(pilot)
        assert set(table_rows(app)) == {portfolio["proposed"]}
        f.customer(ctx, "Acme Labs")
        await pilot.press("slash", "end", *["backspace"] * 8)  # "Acme Freight" -> "Acme"
        await settle(pilot)
        assert "2 customers match" in text_of(app, "#exps-message")
        assert "customer: ~ Acme" in text_of(app, "#exps-filters")  # the words, everywhere
        await pilot.press(*["backspace"] * 4, *"pilot")  # a word of a statement
        await settle(pilot)
        assert "customer: ~ pilot" in text_of(app, "#exps-filters")
        screen = app.screen
        expected = {e["id"] for e in lists.expectations_page(
            ctx, status=STATUS_FILTERS[screen.status_index][1], search="pilot",
            due_within=DUE_WINDOWS[screen.due_index]).rows}
        assert portfolio["agreed"] in expected and set(table_rows(app)) == expected


async def test_r_marks_at_risk_in_the_database(portfolio, ctx):
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.current_row()["id"] == portfolio["agreed"]
        await pilot.press("r")
        await settle(pilot)
        assert records.get("expectation", portfolio["agreed"])["status"] == "at_risk"
        last = expectations.trail(portfolio["agreed"])[-1]
        assert (last["old_status"], last["new_status"], last["changed_by"]) == \
            ("agreed", "at_risk", "alice")
        assert table.current_row()["id"] == portfolio["agreed"]
        assert table_rows(app)[portfolio["agreed"]][1] == "at risk"
        assert "agreed → at risk: Pilot live (u: undo)" in text_of(app, "#exps-message")


async def test_refused_move_shows_the_reason_and_changes_nothing(portfolio, ctx):
    before = records.get("expectation", portfolio["met"])
    trail_before = expectations.trail(portfolio["met"])
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press(*"ffff")  # proposed, agreed, at risk, met
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "cannot go from met to at risk" in text_of(app, "#exps-message")
        assert any("cannot go from met to at risk" in n.message
                   for n in app._notifications)
        assert app.is_running
    after = records.get("expectation", portfolio["met"])
    assert (after["status"], after["version"]) == ("met", before["version"])
    assert expectations.trail(portfolio["met"]) == trail_before


async def test_detail_shows_baseline_vs_current_and_the_trail(portfolio, ctx):
    eid = portfolio["agreed"]
    expectations.renegotiate(ctx, eid, records.get("expectation", eid)["version"],
                             reason="Customer asked for a later date", new_due=D2)
    app = Harness(ctx, lambda: ExpectationScreen(eid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        facts = text_of(app, "#exp-facts")
        assert "Baseline due 2026-12-01" in facts
        assert "Current due  2026-12-15  (+14 days)" in facts
        assert "Northwind Health" in facts
        trail = text_of(app, "#exp-trail")
        assert trail.index("recorded as agreed") < trail.index("agreed → renegotiated")
        assert "due 2026-12-01 → 2026-12-15" in trail
        assert "why: Customer asked for a later date" in trail
        assert "renegotiate" in text_of(app, "#exp-history")
        await pilot.press("r")  # renegotiated -> at risk, then the screen refreshes
        await settle(pilot)
        assert records.get("expectation", eid)["status"] == "at_risk"
        assert "renegotiated → at risk" in text_of(app, "#exp-trail")
        assert "at risk" in text_of(app, "#exp-title")


async def test_register_opens_the_detail_and_escape_returns(portfolio, ctx):
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpectationScreen)
        assert app.screen.expectation_id == portfolio["agreed"]
        await pilot.press("d")  # met
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExpectationsScreen)
        assert set(table_rows(app)) == {portfolio["proposed"]}  # met left the open list


async def test_hostile_statement_shows_literally(db, ctx):
    from relboard import models as m

    cust = f.customer(ctx, "[b]Evil[/b] Corp")
    eid = f.expectation(ctx, cust, D1, "placeholder", status="agreed")
    # The service refuses control characters; older data or direct SQL may still hold them.
    m.Expectation.update(statement=UNSAFE).where(m.Expectation.id == eid).execute()
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due, _, customer, statement, _ = table_rows(app)[eid]
        assert "[@click=app.quit]x[/]" in statement
        assert "\x1b" not in statement and "\x07" not in statement
        assert customer == "[b]Evil[/b] Corp"
        await pilot.press("enter")
        await settle(pilot)
        assert "[@click=app.quit]x[/]" in text_of(app, "#exp-facts")
        assert "\x1b" not in text_of(app, "#exp-facts")
        assert app.is_running


async def test_withdraw_asks_first(portfolio, ctx):
    from relboard.screens.confirm import ConfirmDialog

    eid = portfolio["agreed"]
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert records.get("expectation", eid)["status"] == "agreed"
        await pilot.press("W", "y")
        await settle(pilot)
        assert records.get("expectation", eid)["status"] == "withdrawn"
        assert "→ withdrawn: Pilot live" in text_of(app, "#exps-message")
        assert eid not in table_rows(app)


async def test_renegotiate_through_the_form(portfolio, ctx):
    from relboard.screens import renegotiate_form as module
    eid = portfolio["agreed"]
    app = Harness(ctx, ExpectationsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, module.RenegotiateForm)
        form.field("new_due").value = "2026-12-15"
        form.field("reason").text = "Their data team is away"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExpectationsScreen)
        rec = records.get("expectation", eid)
        assert (rec["status"], rec["current_due"]) == ("renegotiated", D2)
        assert expectations.trail(eid)[-1]["reason"] == "Their data team is away"
        assert "renegotiated: Pilot live (u: undo)" in text_of(app, "#exps-message")
        assert table_rows(app)[eid][:2] == ["2026-12-15↻", "renegotiated"]
