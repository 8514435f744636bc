"""The snoozed list (Z): what is off Today and until when, and z brings an item back."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Static

from relboard import models as m
from relboard.screens.snoozed import SnoozedScreen
from relboard.services import issues, records, snoozed, today
from relboard.services.attention import AttentionItem
from relboard.widgets.paged_table import PagedTable
from tests import factories as f
from tests.conftest import TODAY
from tests.pilot import SIZE, make_app, settle

pytestmark = pytest.mark.both_databases
LATER = TODAY + dt.timedelta(days=3)


def snooze_customer(ctx, customer_id: int, until: dt.date) -> None:
    item = AttentionItem("contact", "customer", customer_id, customer_id, "", "", "", 0.0, 1)
    today.snooze(ctx, item, until)


@pytest.fixture
def board(db, ctx):
    """A customer overdue for contact and a new issue of another, both snoozed; a follow-up
    put off (rescheduled: not listed) and an issue snoozed in the past (awake: not listed)."""
    quiet = f.customer(ctx, "Quiet Ltd", cadence_days=7)
    acme = f.customer(ctx, "Acme")
    f.touchpoint(ctx, acme)  # Acme is in touch; its issue is what needs attention
    iid = f.issue(ctx, acme, "Login fails")
    issues.snooze(ctx, iid, 1, LATER)
    awake = f.issue(ctx, acme, "Old one")
    m.Issue.update(snoozed_until=TODAY).where(m.Issue.id == awake).execute()
    snooze_customer(ctx, quiet, TODAY + dt.timedelta(days=5))
    return {"quiet": quiet, "acme": acme, "issue": iid, "awake": awake}


def test_the_service_lists_what_is_snoozed_now(board, ctx):
    items = snoozed.snoozed_now(ctx)
    assert [(it["kind"], it["record_id"], it["until"], it["customer"]) for it in items] == [
        ("issue", board["issue"], LATER, "Acme"),
        ("customer", board["quiet"], TODAY + dt.timedelta(days=5), "Quiet Ltd")]
    assert items[0]["title"] == f"#{board['issue']} Login fails" and items[0]["version"] == 2
    assert items[1]["what"] == "customer" and items[1]["title"] == "Quiet Ltd"


def test_unsnooze_a_customer_removes_its_snooze_and_logs_it(board, ctx):
    snoozed.unsnooze(ctx, "customer", board["quiet"])
    assert m.Snooze.select().count() == 0
    last = records.history("customer", board["quiet"])[0]
    assert (last["action"], last["field"], last["old"], last["new"]) == (
        "unsnooze", "until", (TODAY + dt.timedelta(days=5)).isoformat(), None)
    with pytest.raises(Exception, match="not snoozed"):
        snoozed.unsnooze(ctx, "customer", board["quiet"])


async def test_snoozed_list_unsnoozes_and_the_items_come_back_to_today(board, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        issue_key, customer_key = f"issue:{board['issue']}", f"customer:{board['quiet']}"
        assert issue_key not in app.screen.items and customer_key not in app.screen.items
        await pilot.press("Z")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SnoozedScreen)
        table = screen.query_one(PagedTable)
        assert list(table.rows_by_key) == [issue_key, customer_key]
        assert "2 items" in str(screen.query_one("#snoozed-title", Static).render())
        cells = [str(c) for c in table.get_row(issue_key)]
        assert cells[:3] == [f"{LATER:%Y-%m-%d}", "issue", "Acme"]
        await pilot.press("z")  # the cursor starts on the issue
        await settle(pilot)
        assert records.get("issue", board["issue"])["snoozed_until"] is None
        assert f"#{board['issue']} Login fails: no longer snoozed" in [
            n.message for n in app._notifications]
        assert list(table.rows_by_key) == [customer_key]
        await pilot.press("z")
        await settle(pilot)
        assert m.Snooze.select().count() == 0
        assert "Customer Quiet Ltd: no longer snoozed" in [n.message for n in app._notifications]
        assert "Nothing is snoozed" in str(screen.query_one("#snoozed-title", Static).render())
        await pilot.press("t")
        await settle(pilot)
        assert issue_key in app.screen.items and customer_key in app.screen.items


async def test_enter_opens_the_snoozed_record_and_a_snoozed_issue_does_not_look_late(board,
                                                                                      ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("Z")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        fields = str(app.screen.query_one("#issue-fields", Static).render())
        assert f"Snoozed:     until {LATER} (off Today" in fields
        await pilot.press("escape", "i")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        row = [str(c) for c in table.get_row(str(board["issue"]))]
        assert f"zz {LATER:%m-%d}" in row
