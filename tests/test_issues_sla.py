"""Issue triage moves and SLA clocks (targets per severity, pauses, near-breach warnings)."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.config import SlaConfig, SlaTarget
from relboard.services import issues, records
from relboard.services.context import Context
from relboard.services.errors import ConflictError, ValidationError
from relboard.services.sla import BREACHED, MET, MISSED, NEAR, OK, PAUSED, hours_text
from tests import factories as f
from tests.conftest import NOW, at

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL

H = dt.timedelta(hours=1)


def _issue(ctx, severity="high", raised=NOW):
    cid = f.customer(ctx)
    return f.issue(ctx, cid, severity=severity, raised_at=raised)


def test_new_issue_defaults(db, ctx):
    iid = _issue(ctx)
    row = records.get("issue", iid)
    assert (row["status"], row["severity"], row["raised_at"]) == ("new", "high", NOW)


def test_response_clock_near_then_breached_then_met(db, ctx):
    iid = _issue(ctx, "high")  # 4h to respond, 24h to resolve; warn at 80%
    assert issues.issue_sla(at(ctx, NOW + 3 * H), iid).response.state == OK
    near = issues.issue_sla(at(ctx, NOW + 3.5 * H), iid)
    assert near.response.state == NEAR and near.state == NEAR
    late = issues.issue_sla(at(ctx, NOW + 5 * H), iid)
    assert late.state == BREACHED
    assert late.describe() == "first response breached by 1h (target 4h)"
    issues.acknowledge(at(ctx, NOW + 2 * H), iid, 1)
    done = issues.issue_sla(at(ctx, NOW + 5 * H), iid)
    assert (done.response.state, done.resolution.state) == (MET, OK)


def test_waiting_on_customer_pauses_the_resolution_clock(db, ctx):
    iid = _issue(ctx, "critical")  # 1h / 8h
    v = issues.acknowledge(at(ctx, NOW + 0.5 * H), iid, 1)
    v = issues.set_status(at(ctx, NOW + 2 * H), iid, v, "waiting_on_customer")
    paused = issues.issue_sla(at(ctx, NOW + 20 * H), iid)
    assert paused.resolution.state == PAUSED and paused.resolution.elapsed_hours == 2
    assert "paused (waiting on customer), 6h left" in paused.describe()
    v = issues.set_status(at(ctx, NOW + 22 * H), iid, v, "in_progress")
    assert records.get("issue", iid)["paused_seconds"] == 20 * 3600
    assert issues.issue_sla(at(ctx, NOW + 27 * H), iid).resolution.elapsed_hours == 7
    assert issues.issue_sla(at(ctx, NOW + 29 * H), iid).state == BREACHED
    issues.resolve(at(ctx, NOW + 29 * H), iid, v, "Patched the export job")
    assert issues.issue_sla(at(ctx, NOW + 40 * H), iid).resolution.state == MISSED


def test_targets_follow_configured_sla_and_severity(db, ctx):
    strict = Context(user="alice", now_override=NOW + 2 * H,
                     sla=SlaConfig(low=SlaTarget(1, 2), near_breach=0.5))
    iid = _issue(ctx, "low")
    assert issues.issue_sla(strict, iid).response.state == BREACHED
    v = issues.set_severity(ctx, iid, 1, "4")
    assert records.get("issue", iid)["severity"] == "low" and v == 1  # unchanged


def test_transitions_allowed_and_refused(db, ctx):
    iid = _issue(ctx)
    with pytest.raises(ValidationError, match="resolution"):
        issues.resolve(ctx, iid, 1, "  ")
    v = issues.resolve(ctx, iid, 1, "Explained the config")
    with pytest.raises(ValidationError, match="cannot go from resolved to waiting on customer"):
        issues.set_status(ctx, iid, v, "waiting_on_customer")
    v = issues.reopen(ctx, iid, v)
    row = records.get("issue", iid)
    assert (row["status"], row["resolved_at"], row["first_response_at"]) == \
        ("in_progress", None, NOW)
    history = [(h["field"], h["old"], h["new"]) for h in records.history("issue", iid)]
    assert ("status", "new", "resolved") in history and ("status", "resolved", "in_progress") \
        in history


def test_assign_severity_and_snooze(db, ctx):
    iid = _issue(ctx, "medium")
    v = issues.assign(ctx, iid, 1)
    v = issues.assign(ctx, iid, v, "bob")
    v = issues.set_severity(ctx, iid, v, "critical")
    with pytest.raises(ValidationError, match="after today"):
        issues.snooze(ctx, iid, v, NOW.date())
    v = issues.snooze(ctx, iid, v, "2026-11-30")
    row = records.get("issue", iid)
    assert (row["owner"], row["severity"], row["snoozed_until"]) == \
        ("bob", "critical", dt.date(2026, 11, 30))
    with pytest.raises(ConflictError) as clash:  # the owner changed since version 1
        issues.assign(ctx, iid, 1, "carol")
    assert clash.value.fields == {"owner": ("bob", "carol")}
    assert "owner: theirs 'bob', yours 'carol'" in str(clash.value)
    v = issues.acknowledge(ctx, iid, 1)  # status was untouched since version 1: merged
    row = records.get("issue", iid)
    assert (row["status"], row["owner"], row["version"]) == ("acknowledged", "bob", v)


def test_hours_text():
    assert [hours_text(x) for x in (0.5, 3, 47, 48, 50)] == ["30m", "3h", "47h", "2d", "2d 2h"]
