"""The Today attention query with an injected today returns exactly the expected items."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.services import attention, digest, expectations, issues, records, touchpoints
from tests import factories as f
from tests.conftest import NOW, at

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL

D = dt.timedelta(days=1)
H = dt.timedelta(hours=1)


def _portfolio(ctx):
    """One of each kind of attention item, plus look-alikes that must NOT show."""
    acme = f.customer(ctx, "Acme", cadence_days=7)
    calm = f.customer(ctx, "Calm Co", cadence_days=30)
    gone = f.customer(ctx, "Gone Ltd", cadence_days=7)
    records.set_archived(ctx, "customer", gone, 1)
    dana = f.contact(ctx, acme, "Dana", role="CTO", cadence_days=5)
    quiet = f.contact(ctx, calm, "Quiet", cadence_days=60)
    # Acme: last real contact 16 days ago, a more recent internal note does not count.
    f.touchpoint(ctx, acme, [dana], occurred_at=NOW - 16 * D, summary="Steering call",
                 follow_up_on=NOW.date() - 2 * D)
    f.touchpoint(ctx, acme, occurred_at=NOW - D, summary="Internal prep", internal=True)
    f.touchpoint(ctx, calm, [quiet], occurred_at=NOW - 3 * D, summary="Demo",
                 follow_up_on=NOW.date() + 3 * D)
    done = f.touchpoint(ctx, calm, occurred_at=NOW - 4 * D, summary="Old",
                        follow_up_on=NOW.date() - D)
    touchpoints.complete_follow_up(ctx, done, 1)
    f.touchpoint(ctx, gone, occurred_at=NOW - 40 * D, follow_up_on=NOW.date() - D)
    # Issues: breached critical, near-breach high, fresh new low, snoozed, resolved.
    f.issue(ctx, acme, "Export down", severity="critical", raised_at=NOW - 3 * H, owner="bob")
    f.issue(ctx, calm, "Slow report", severity="high", raised_at=NOW - 3.5 * H)
    f.issue(ctx, calm, "Typo on invoice", severity="low", raised_at=NOW - 2 * H)
    snoozed = f.issue(ctx, calm, "Later", severity="low", raised_at=NOW - 2 * H)
    issues.snooze(ctx, snoozed, 1, NOW.date() + 2 * D)
    closed = f.issue(ctx, acme, "Fixed", severity="critical", raised_at=NOW - 30 * H)
    issues.resolve(ctx, closed, 1, "Done")
    # Expectations: due in 3 days, at risk later, due in 20 days (not shown), met (not shown).
    f.expectation(ctx, acme, NOW.date() + 3 * D, "Pilot live", status="agreed")
    risky = f.expectation(ctx, calm, NOW.date() + 20 * D, "Data migrated", status="agreed")
    expectations.set_status(ctx, risky, 1, "at_risk")
    f.expectation(ctx, calm, NOW.date() + 20 * D, "Training", status="agreed")
    met = f.expectation(ctx, acme, NOW.date() + D, "Kick-off", status="agreed")
    expectations.set_status(ctx, met, 1, "met")
    return {"acme": acme, "dana": dana}


def test_attention_items_exactly(db, ctx):
    _portfolio(ctx)
    got = [(it.group, it.kind, it.customer, it.title, it.reason)
           for it in attention.attention(ctx)]
    assert got == [
        ("sla", "issue", "Acme", "Export down",
         "critical: first response breached by 2h (target 1h); owner bob"),
        ("sla", "issue", "Calm Co", "Slow report",
         "high: first response due in 30m (target 4h); no owner"),
        ("unacknowledged", "issue", "Calm Co", "Typo on invoice",
         "low, raised 2h ago, not acknowledged"),
        ("follow_up", "interaction", "Acme", "Steering call",
         "follow-up overdue by 2 days (from the touchpoint of 2026-11-07)"),
        ("contact", "contact", "Acme", "Dana (CTO)",
         "stakeholder: last contact 16 days ago; own cadence 5"),
        ("contact", "customer", "Acme", "Acme", "last contact 16 days ago; cadence 7"),
        ("expectation", "expectation", "Acme", "Pilot live", "agreed; due in 3 days"),
        ("expectation", "expectation", "Calm Co", "Data migrated", "at risk; due in 20 days"),
    ]
    none = {name: 0 for name, _ in attention.GROUPS}  # every other group: nothing
    assert attention.counts(attention.attention(ctx)) == {
        **none, "sla": 2, "unacknowledged": 1, "follow_up": 1, "contact": 2, "expectation": 2}


def test_logging_a_touchpoint_clears_overdue_contact(db, ctx):
    ids = _portfolio(ctx)
    f.touchpoint(ctx, ids["acme"], [ids["dana"]], summary="Check-in call")
    kinds = {(it.kind, it.title) for it in attention.attention(ctx) if it.group == "contact"}
    assert kinds == set()


def test_never_contacted_customer_and_stakeholder_are_due(db, ctx):
    cid = f.customer(ctx, "Brand New")
    f.contact(ctx, cid, "Pat", cadence_days=30)
    assert [it.reason for it in attention.attention(ctx)] == [
        "no touchpoint logged yet; cadence 14",
        "stakeholder: no touchpoint logged yet; own cadence 30",
    ]


def test_nothing_due(db, ctx):
    assert attention.attention(ctx) == []
    assert "Nothing needs you today." in digest.render(ctx, "text")


def test_digest_formats_and_untrusted_text(db, ctx):
    cid = f.customer(ctx, "[@click=app.quit]x[/] *bold*")
    f.touchpoint(ctx, cid, occurred_at=NOW - 20 * D, summary="ok")
    text = digest.render(ctx, "text")
    assert "  • [@click=app.quit]x[/] *bold*\n      last contact 20 days ago" in text
    assert "1 item: 1 overdue contact" in text
    md = digest.render(ctx, "markdown")
    assert r"\[@click=app.quit\]x\[/\] \*bold\*" in md
    import json

    data = json.loads(digest.render(ctx, "json"))
    assert data["today"] == "2026-11-23" and data["counts"]["contact"] == 1
    assert data["items"][0]["reason"] == "last contact 20 days ago; cadence 14"


def test_today_actions_snooze_and_done(db, ctx):
    from relboard.services import today

    ids = _portfolio(ctx)
    items = attention.attention(ctx)
    by_title = {it.title: it for it in items}
    today.snooze(ctx, by_title["Acme"], NOW.date() + 3 * D)
    today.snooze(ctx, by_title["Dana (CTO)"], "2026-11-30")
    today.mark_done(ctx, by_title["Steering call"])
    today.mark_done(ctx, by_title["Pilot live"])
    today.acknowledge(ctx, by_title["Typo on invoice"])
    today.snooze(ctx, by_title["Export down"], "2026-11-24")
    left = {it.title for it in attention.attention(ctx)}
    assert left == {"Slow report", "Data migrated"}
    later = at(ctx, NOW + 8 * D)
    back = {it.title for it in attention.attention(later) if it.group == "contact"}
    assert back == {"Acme", "Dana (CTO)"}
    import pytest

    from relboard.services.errors import ValidationError
    with pytest.raises(ValidationError, match="after today"):
        today.snooze(ctx, by_title["Data migrated"], NOW.date())
    assert by_title["Acme"].customer_id == ids["acme"]  # the snoozed item was Acme's own


def test_my_view_keeps_my_customers_my_items_and_unowned_ones(db, ctx):
    ana, bob, nobody = (f.customer(ctx, name, owner=owner, cadence_days=1) for name, owner in
                        (("Ana Co", "alice"), ("Bob Co", "bob"), ("Orphan Co", "")))
    for cid in (ana, bob, nobody):
        f.touchpoint(ctx, cid, occurred_at=NOW - 5 * D)  # all overdue for contact
    f.issue(ctx, bob, "Bob's own", severity="low", owner="bob", raised_at=NOW - H)
    f.issue(ctx, bob, "Mine at Bob's", severity="low", owner="alice", raised_at=NOW - H)
    f.issue(ctx, bob, "Nobody's at Bob's", severity="low", raised_at=NOW - H)
    f.issue(ctx, ana, "Bob's at mine", severity="low", owner="bob", raised_at=NOW - H)
    f.expectation(ctx, bob, NOW.date() + D, "Bob's promise", owner="bob")
    f.expectation(ctx, bob, NOW.date() + D, "My promise", owner="alice")
    everyone = {(it.kind, it.title) for it in attention.attention(ctx)}
    mine = {(it.kind, it.title) for it in attention.attention(ctx, "alice")}
    assert mine == everyone - {("customer", "Bob Co"), ("issue", "Bob's own"),
                               ("expectation", "Bob's promise")}
    assert ("issue", "Bob's at mine") in mine  # my customer: I see its issues
    text = digest.render(ctx, "json", who="alice")
    assert '"scope": "alice"' in text and "Bob's own" not in text
