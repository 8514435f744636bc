"""Another PM's process saves; the board sees it within about a second and loses nothing.

A Pilot-driven board and a separate Python process share one database (SQLite file, or the
PostgreSQL server for the second run). The other process commits through the services; the
board shows the new item, keeps its cursor on the record it was on, and an open form keeps
what was typed and says who saved.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest
from textual.widgets import Static

from relboard.screens.customer_form import CustomerForm
from relboard.widgets import live
from tests import factories as f
from tests.conftest import NOW
from tests.pilot import SIZE, make_app, settle, until

pytestmark = pytest.mark.both_databases


def other_pm(spec: str, code: str) -> None:
    """Run ``code`` as Bob in a process of its own, on the database ``spec``."""
    script = textwrap.dedent(f"""
        import datetime as dt
        from relboard.db import open_database, close_database
        from relboard.services import issues, records
        from relboard.services.context import Context
        open_database({spec!r})
        bob = Context(user="bob", now_override=dt.datetime(2026, 11, 23, 10, 30))
        {textwrap.indent(textwrap.dedent(code), " " * 8).strip()}
        close_database()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


async def test_a_change_from_another_process_shows_the_cursor_stays_a_form_is_untouched(
        db, db_spec, ctx):
    assert live.POLL_SECONDS <= 1.0
    acme = f.customer(ctx, "Acme", cadence_days=30)
    kept = f.issue(ctx, acme, "Printer on fire", severity="critical",
                   raised_at=NOW - __import__("datetime").timedelta(hours=3))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list")
        listing.highlighted = listing.get_option_index(f"issue:{kept}")
        await asyncio.to_thread(other_pm, db_spec, f"""
            issues.raise_issue(bob, {{"customer": {acme}, "title": "Raised by Bob",
                                      "severity": "critical",
                                      "raised_at": dt.datetime(2026, 11, 23, 6, 0)}})
        """)
        seen = await until(pilot, 2.0, lambda: any(
            it.title == "Raised by Bob" for it in app.screen.items.values()))
        assert seen is not None, "the other process's issue did not show within 2 s"
        listing = app.screen.query_one("#today-list")
        assert listing.highlighted_option.id == f"issue:{kept}"  # the cursor stayed on it

        app.push_screen(CustomerForm(acme))
        await settle(pilot)
        form = app.screen
        form.field("industry").value = "Fire safety"
        await asyncio.to_thread(other_pm, db_spec, f"""
            row = records.get("customer", {acme})
            records.update(bob, "customer", {acme}, row["version"], {{"notes": "from Bob"}})
        """)
        said = await until(pilot, 2.0, lambda: str(
            form.query_one("#form-stale", Static).render()).startswith("Changed by bob"))
        assert said is not None, "the open form did not say who saved within 2 s"
        assert form.field("industry").value == "Fire safety"  # the typing is untouched
        assert form.field("notes").text == ""  # and nothing was reloaded into it


async def test_another_pms_save_reworks_only_the_groups_it_can_change(db, db_spec, ctx,
                                                                     monkeypatch):
    import datetime as dt

    from relboard.screens import today_feed as today  # where Today fetches its list

    calls: list = []
    real = today.board
    monkeypatch.setattr(today, "board", lambda *a, **k: (
        a[3] == {"health", "renewal"}  # the day scored: the groups its bands move
        or calls.append(a[3] if len(a) > 3 else None)) or real(*a, **k))
    acme = f.customer(ctx, "Acme", cadence_days=30)
    old = f.issue(ctx, acme, "Printer on fire", severity="critical",
                  raised_at=NOW - dt.timedelta(hours=3))
    f.touchpoint(ctx, acme, occurred_at=NOW - dt.timedelta(days=1), summary="Call",
                 follow_up_on=NOW.date())
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert calls == [None]  # the whole list, once
        before = [it for it in app.screen.items.values() if it.group == "follow_up"]
        await asyncio.to_thread(other_pm, db_spec, f"""
            records.create(bob, "project", {{"customer": {acme}, "name": "Phase 2"}})
        """)
        await asyncio.sleep(1.5)
        await settle(pilot)
        assert calls == [None, frozenset({"renewal"})]  # a project: its end, the renewals
        await asyncio.to_thread(other_pm, db_spec, f"""
            issues.acknowledge(bob, {old}, 1)
        """)
        seen = await until(pilot, 2.5, lambda: f"issue:{old}" not in app.screen.items)
        assert seen is not None  # answered: its resolution clock is far from its target
        await settle(pilot)
        assert calls[2:] == [frozenset({"sla", "unacknowledged"})]  # the issue groups only
        after = [it for it in app.screen.items.values() if it.group == "follow_up"]
        assert after == before  # kept from before, not read again
