"""One way to run work (``ServiceCaller.call_service``): a read that fails is said in one
line and never leaves "Loading…" for good; a worker that fails unexpectedly is said in one line
and the board goes on; the live poll reads off the UI thread and leaves out the board's own
saves (one reload per save)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from peewee import OperationalError
from textual.widgets import Static

from relboard import models as m
from relboard.widgets import live
from tests import factories as f
from tests.pilot import SIZE, make_app, open_queue, settle, watch_notices

pytestmark = pytest.mark.both_databases


def _one_line(notices: list[tuple[str, dict]]) -> list[str]:
    texts = [text for text, _ in notices]
    assert all("\n" not in t and "Traceback" not in t for t in texts), texts
    return texts


async def test_a_touchpoint_that_cannot_be_shown_says_so_and_never_stays_loading(
        db, ctx, monkeypatch):
    from relboard.screens.touchpoint import TouchpointScreen

    cid = f.customer(ctx, "Shown Co")
    tid = f.touchpoint(ctx, cid, summary="A call")

    def broken(self, row, people):
        raise KeyError("channel")

    monkeypatch.setattr(TouchpointScreen, "_show", broken)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        screen = TouchpointScreen(tid)
        app.push_screen(screen)
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert any("channel" in t for t in texts), texts
        shown = str(screen.query_one("#touchpoint-text", Static).content)
        assert "Loading" not in shown and "channel" in shown


async def test_a_decision_that_cannot_be_read_is_said_in_one_line(db, ctx, monkeypatch):
    from relboard.screens.decisions import DecisionLogScreen
    from relboard.services import decisions

    cid = f.customer(ctx, "Decided Co")
    decisions.create(ctx, {"customer": cid, "title": "Phase the rollout",
                           "decided_on": ctx.today()})

    def unreadable(decision_id):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(decisions, "decision", unreadable)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        screen = DecisionLogScreen()
        app.push_screen(screen)
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert any("disk I/O error" in t or "damaged" in t or "read" in t for t in texts), texts
        assert str(screen.query_one("#list-detail", Static).content) in texts


async def test_a_worker_that_fails_is_said_in_one_line_and_the_board_goes_on(db, ctx):
    f.customer(ctx, "Busy Co")
    app = make_app(ctx)

    def boom() -> None:
        raise ValueError("nobody expected this\nsecond line")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        app.screen.run_worker(boom, thread=True, exit_on_error=False)  # a screen's worker
        await settle(pilot)
        app.run_worker(boom, thread=True, exit_on_error=False)  # the app's own
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert [t for t in texts if "nobody expected this" in t] and len(texts) == 2, texts
        await pilot.press("i")  # the board still answers keys
        await settle(pilot)
        assert type(app.screen).__name__ == "IssuesScreen"


def _queries_by_thread(monkeypatch) -> list[tuple[str, str]]:
    """Every SQL statement the database runs from now on: (thread name, statement)."""
    seen: list[tuple[str, str]] = []
    database = m.database_proxy.obj
    run = database.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        seen.append((threading.current_thread().name, sql))
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", execute_sql)
    return seen


async def test_the_live_poll_never_reads_on_the_ui_thread(db, ctx, monkeypatch):
    monkeypatch.setattr(live, "POLL_SECONDS", 0.05)
    cid = f.customer(ctx, "Polled Co")
    f.issue(ctx, cid, "Printer on fire")
    async with open_queue(ctx) as (_, pilot, _):
        queries = _queries_by_thread(monkeypatch)
        await asyncio.sleep(0.6)  # a dozen polls, nobody saving
        await settle(pilot)
        polls = [sql for name, sql in queries if name == "relboard-poll"]
        on_ui = [sql for name, sql in queries if name == threading.main_thread().name]
        assert len(polls) >= 5, queries
        assert on_ui == []


async def test_one_reload_per_save_of_ones_own(db, ctx, monkeypatch):
    """The board's own save is shown once (by the queue that saved), never again by the live
    refresh as if another PM had saved it; another PM's save still is."""
    monkeypatch.setattr(live, "POLL_SECONDS", 0.05)
    cid = f.customer(ctx, "Saving Co")
    first = f.issue(ctx, cid, "Printer on fire")
    f.issue(ctx, cid, "Scanner on fire")
    async with open_queue(ctx) as (app, pilot, table):
        loads: list[int] = []
        load = table.load
        monkeypatch.setattr(table, "load", lambda *a, **k: (loads.append(1), load(*a, **k)))
        await asyncio.sleep(0.3)
        await settle(pilot)
        assert loads == []  # nobody saved: no reload
        await pilot.press("a")  # acknowledge the highlighted issue
        await settle(pilot)
        for _ in range(10):  # twenty polls after the save
            await asyncio.sleep(0.1)
            await settle(pilot)
        assert m.Issue.get_by_id(table.current_row()["id"]).status == "acknowledged"
        assert len(loads) == 1, loads
        from relboard.services import issues
        from tests.conftest import at

        other = at(ctx, ctx.now(), user="bob")
        row = m.Issue.get_by_id(first)
        issues.set_severity(other, first, row.version, "critical")  # another PM
        for _ in range(10):
            await asyncio.sleep(0.1)
            await settle(pilot)
        assert len(loads) == 2, loads


def _reads_of_row(queries: list[tuple[str, str]], table: str) -> list[str]:
    """The SELECTs of one row of ``table`` by its id."""
    return [sql for _, sql in queries
            if sql.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in sql
            and '"id" = ' in sql]


async def test_a_triage_key_on_today_reads_the_issue_row_once(db, ctx, monkeypatch):
    """``a`` on Today passes the version it holds; the save reads the row once (no read again
    before the key, none again for the save's own check or its SLA clock)."""
    from textual.widgets import OptionList

    monkeypatch.setattr(live, "POLL_SECONDS", 3600)
    cid = f.customer(ctx, "Triaged Co")
    f.touchpoint(ctx, cid, summary="Kick-off")
    issue_id = f.issue(ctx, cid, "Printer on fire")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        listing.highlighted = listing.get_option_index(f"issue:{issue_id}")
        await settle(pilot)
        queries = _queries_by_thread(monkeypatch)
        await pilot.press("a")
        await settle(pilot)
        reads = _reads_of_row(queries, "issue")
        assert len(reads) == 1, [(n, s[-80:]) for n, s in queries if s in reads]
        assert m.Issue.get_by_id(issue_id).status == "acknowledged"


async def test_health_figures_that_cannot_be_read_are_said_in_their_tab(db, ctx, monkeypatch):
    """The profile's health figures read through ``call_service`` too: a failure is said in
    the tab, and the profile itself still shows."""
    from relboard.services import profile_insight

    cid = f.customer(ctx, "Unmeasured Co")

    def unreadable(context, customer_id):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(profile_insight, "customer_insight", unreadable)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(cid)
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "CustomerScreen"
        head = str(app.screen.query_one("#health-head", Static).content)
        assert head.startswith("Could not read the health figures:") and "\n" not in head
