"""Expectation status moves and renegotiation trail; touchpoints and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import expectations, records, touchpoints
from relboard.services.errors import ValidationError
from tests import factories as f
from tests.conftest import NOW

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def test_new_expectation_has_baseline_and_first_trail_row(db, ctx):
    cid = f.customer(ctx)
    eid = f.expectation(ctx, cid, "2026-12-01", status="agreed")
    row = records.get("expectation", eid)
    assert (row["status"], row["baseline_due"], row["current_due"]) == \
        ("agreed", dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    (first,) = expectations.trail(eid)
    assert (first["new_status"], first["new_due"], first["reason"]) == \
        ("agreed", dt.date(2026, 12, 1), "recorded")


def test_renegotiate_keeps_baseline_and_records_the_trail(db, ctx):
    cid = f.customer(ctx)
    eid = f.expectation(ctx, cid, "2026-12-01", status="agreed", statement="Pilot in 2 wards")
    v = expectations.renegotiate(ctx, eid, 1, reason="Ward IT freeze until January",
                                 new_due="2026-12-15", new_statement="Pilot in 1 ward")
    row = records.get("expectation", eid)
    assert (row["status"], row["baseline_due"], row["current_due"], row["statement"]) == \
        ("renegotiated", dt.date(2026, 12, 1), dt.date(2026, 12, 15), "Pilot in 1 ward")
    last = expectations.trail(eid)[-1]
    assert (last["old_due"], last["new_due"], last["old_statement"], last["new_statement"],
            last["reason"], last["changed_by"]) == (
        dt.date(2026, 12, 1), dt.date(2026, 12, 15), "Pilot in 2 wards", "Pilot in 1 ward",
        "Ward IT freeze until January", "alice")
    expectations.set_status(ctx, eid, v, "met", reason="Signed off")
    assert [t["new_status"] for t in expectations.trail(eid)] == \
        ["agreed", "renegotiated", "met"]


@pytest.mark.parametrize("kwargs, field", [
    ({"reason": "", "new_due": "2026-12-20"}, "reason"),
    ({"reason": "why"}, "current_due"),
    ({"reason": "why", "new_due": "next week"}, "current_due"),
])
def test_renegotiate_needs_a_reason_and_a_change(db, ctx, kwargs, field):
    cid = f.customer(ctx)
    eid = f.expectation(ctx, cid, "2026-12-01", status="agreed")
    with pytest.raises(ValidationError) as err:
        expectations.renegotiate(ctx, eid, 1, **kwargs)
    assert field in err.value.errors
    assert records.get("expectation", eid)["version"] == 1
    assert len(expectations.trail(eid)) == 1


def test_status_moves(db, ctx):
    cid = f.customer(ctx)
    eid = f.expectation(ctx, cid, "2026-12-01")
    with pytest.raises(ValidationError, match="cannot go from proposed to met"):
        expectations.set_status(ctx, eid, 1, "met")
    v = expectations.set_status(ctx, eid, 1, "agreed")
    v = expectations.set_status(ctx, eid, v, "at_risk", reason="Vendor late")
    v = expectations.set_status(ctx, eid, v, "missed")
    with pytest.raises(ValidationError, match="reopen it first"):
        expectations.renegotiate(ctx, eid, v, reason="x", new_due="2027-01-10")
    assert records.get("expectation", eid)["status"] == "missed"


def test_log_touchpoint_with_stakeholders_and_follow_up(db, ctx):
    cid = f.customer(ctx)
    dana, lee = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Lee")
    tid = f.touchpoint(ctx, cid, [lee, dana], follow_up_on="2026-11-25", sentiment="-1")
    row = records.get("interaction", tid)
    assert (row["occurred_at"], row["sentiment"], row["follow_up_on"]) == \
        (NOW, -1, dt.date(2026, 11, 25))
    assert [p["name"] for p in touchpoints.participants(tid)] == ["Dana", "Lee"]
    v = touchpoints.reschedule_follow_up(ctx, tid, 1, "2026-11-28")
    touchpoints.complete_follow_up(ctx, tid, v)
    assert records.get("interaction", tid)["follow_up_done_at"] == NOW


def test_touchpoint_refuses_another_customers_stakeholder_and_saves_nothing(db, ctx):
    a, b = f.customer(ctx, "A"), f.customer(ctx, "B")
    stranger = f.contact(ctx, b)
    with pytest.raises(ValidationError, match="another customer's"):
        f.touchpoint(ctx, a, [stranger])
    assert m.Interaction.select().count() == 0


def test_touchpoint_sentiment_range(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError) as err:
        f.touchpoint(ctx, cid, sentiment=3)
    assert err.value.errors == {"sentiment": "must be between -2 and 2"}


def test_touchpoint_dates_make_sense(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError) as err:
        f.touchpoint(ctx, cid, follow_up_on="2020-01-01")
    assert err.value.errors == {"follow_up_on": "is before the touchpoint (2026-11-23)"}
    with pytest.raises(ValidationError) as err:
        f.touchpoint(ctx, cid, occurred_at="2026-11-24 09:00")
    assert "in the future" in err.value.errors["occurred_at"]
    assert f.touchpoint(ctx, cid, occurred_at="2026-11-22 16:00", follow_up_on="2026-11-22")


def test_promises_are_due_from_today_on(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError, match="in the past"):
        f.expectation(ctx, cid, "2026-11-01")
    eid = f.expectation(ctx, cid, "2026-12-01", status="agreed")
    with pytest.raises(ValidationError, match="in the past"):
        expectations.renegotiate(ctx, eid, 1, reason="x", new_due="2026-11-20")


def test_stakeholder_email_is_checked(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError) as err:
        f.contact(ctx, cid, email="not-an-email")
    assert "email address" in err.value.errors["email"]
    assert f.contact(ctx, cid, email="dana@northwind.example")
