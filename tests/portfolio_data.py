"""A small portfolio with something behind every figure of the overview (hand-countable).

Three customers: Redwood (alice's, in trouble), Amberly (bob's), Greenfield (alice's, happy),
and Archived Co (archived: never counted). ``seed(ctx)`` returns the ids by name.

Open issues: Redwood critical new 3h ago (first response 1h: breached), Redwood high new 1h ago
(ok); Amberly medium new 7h ago (8h target: near), Amberly low waiting on the customer
(paused); Greenfield high resolved (not open).
NPS in the last 90 days: 3 (Redwood), 9 (Amberly), 10 and 7 (Greenfield): +25.0 of 4; one
older answer does not count; no CSAT answers. Risks (open): Redwood 20 and 15 (red, the 15 due
for review), Amberly 9 (amber, bob's), Greenfield 2 (green); one closed red one.
Stakeholders: Dana (Redwood, 5/5, resistant -> supportive, +2: manage closely), Eli (Redwood,
5/2, +1: keep satisfied), Fay (Amberly, 2/5, 0: keep informed), Gus (Amberly, 1/1,
leading -> neutral, -2: monitor). Projects: Redwood 2 (one repeat). Referrals: Greenfield 2.
Decisions: Redwood "Phase the rollout" (renegotiated "Go live" by a week), Amberly "Weekly
demos". Snapshots a week ago: Redwood green, Amberly amber, Greenfield amber.
"""

from __future__ import annotations

import datetime as dt

from relboard import models as m
from relboard.services import decisions, expectations, issues, records
from tests import factories as f
from tests.conftest import NOW, TODAY, at

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def _risk(ctx, cid, title, likelihood, impact, **values) -> int:
    return records.create(ctx, "risk", {"customer": cid, "title": title,
                                        "likelihood": likelihood, "impact": impact, **values})


def seed(ctx) -> dict[str, int]:
    """The portfolio described in the module docstring."""
    ids: dict[str, int] = {}
    red = ids["Redwood"] = f.customer(ctx, "Redwood", owner="alice", cadence_days=7)
    amber = ids["Amberly"] = f.customer(ctx, "Amberly", owner="bob", cadence_days=14)
    green = ids["Greenfield"] = f.customer(ctx, "Greenfield", owner="alice", cadence_days=30)
    gone = ids["Archived Co"] = f.customer(ctx, "Archived Co", owner="alice")

    for cid, days, mood in [(red, 40, -2), (amber, 20, 0), (green, 2, 2)]:
        f.touchpoint(ctx, cid, occurred_at=NOW - days * DAY, sentiment=mood)
    ids["breached"] = f.issue(ctx, red, "Outage in EU", severity="critical",
                              raised_at=NOW - 3 * HOUR, owner="alice")
    ids["ok"] = f.issue(ctx, red, "Slow report", severity="high", raised_at=NOW - HOUR,
                        owner="alice")
    ids["near"] = f.issue(ctx, amber, "Login loop", severity="medium", raised_at=NOW - 7 * HOUR,
                          owner="bob")
    ids["paused"] = f.issue(at(ctx, NOW - 5 * HOUR), amber, "Need logs", severity="low",
                            raised_at=NOW - 6 * HOUR, owner="bob")
    issues.set_status(at(ctx, NOW - 5 * HOUR), ids["paused"], 1, "waiting_on_customer")
    done = f.issue(ctx, green, "Typo", severity="high", raised_at=NOW - 9 * HOUR)
    issues.resolve(ctx, done, 1, "Fixed")
    f.issue(ctx, gone, "Archived outage", severity="critical", raised_at=NOW - 9 * HOUR)

    for cid, score, day in [(red, 3, TODAY - 2 * DAY), (amber, 9, TODAY - 10 * DAY),
                            (green, 10, TODAY - DAY), (green, 7, TODAY - 30 * DAY),
                            (green, 0, TODAY - 200 * DAY), (gone, 0, TODAY)]:
        records.create(ctx, "feedback", {"customer": cid, "kind": "nps", "score": score,
                                         "received_on": day, "comment": f"said {score}"})

    ids["vendor"] = _risk(ctx, red, "Vendor late", 4, 5, trigger="No build by Friday",
                          mitigation="Weekly vendor call", owner="alice",
                          review_on=TODAY + 30 * DAY)  # red: an owner and a review date
    ids["key_person"] = _risk(ctx, red, "Key person leaves", 3, 5, owner="alice",
                              review_on=TODAY - DAY, contingency="Pair a second engineer")
    ids["scope"] = _risk(ctx, amber, "Scope creep", 3, 3, owner="bob")
    ids["minor"] = _risk(ctx, green, "Minor delay", 1, 2)
    _risk(ctx, red, "Old red", 5, 5, status="closed")
    _risk(ctx, green, "Unowned amber", 2, 3)
    _risk(ctx, gone, "Archived red", 5, 5, owner="carol", review_on=TODAY + 30 * DAY)

    ids["Dana"] = f.contact(ctx, red, "Dana", role="CIO", influence=5, interest=5,
                            engagement_current="resistant", engagement_desired="supportive")
    ids["Eli"] = f.contact(ctx, red, "Eli", role="CFO", influence=5, interest=2,
                           engagement_current="neutral", engagement_desired="supportive")
    ids["Fay"] = f.contact(ctx, amber, "Fay", role="PMO", influence=2, interest=5,
                           engagement_current="supportive", engagement_desired="supportive")
    ids["Gus"] = f.contact(ctx, amber, "Gus", role="Dev", influence=1, interest=1,
                           engagement_current="leading", engagement_desired="neutral")

    for cid, name in [(red, "Pilot"), (red, "Rollout"), (green, "Portal")]:
        records.create(ctx, "project", {"customer": cid, "name": name})
    for name, status in [("Acme", "won"), ("Globex", "new")]:
        records.create(ctx, "referral", {"customer": green, "referred_name": name,
                                         "referred_on": TODAY - 5 * DAY, "status": status})

    ids["go_live"] = promise = expectations.create(
        ctx, {"customer": red, "statement": "Go live", "current_due": TODAY + 2 * DAY,
              "status": "agreed", "owner": "alice"})
    ids["phase"], _ = decisions.decide_and_renegotiate(
        ctx, {"customer": red, "title": "Phase the rollout", "decided_on": TODAY,
              "options": "Big bang; phased", "rationale": "Less risk for the EU sites",
              "participants": "vendor PM"}, [ids["Dana"]], promise, 1,
        reason="Phased rollout agreed", new_due=TODAY + 9 * DAY)
    ids["demos"] = records.create(ctx, "decision", {
        "customer": amber, "title": "Weekly demos", "decided_on": TODAY - 3 * DAY,
        "rationale": "Earlier feedback"})

    past = at(ctx, NOW - 30 * DAY)
    kept = expectations.create(past, {"customer": amber, "statement": "Report",
                                      "current_due": TODAY - 20 * DAY, "status": "agreed"})
    expectations.set_status(at(ctx, NOW - 21 * DAY), kept, 2, "met")
    expectations.create(past, {"customer": red, "statement": "Training",
                               "current_due": TODAY - 5 * DAY, "status": "agreed"})

    records.set_archived(ctx, "customer", gone, records.get("customer", gone)["version"])
    week_ago = TODAY - 7 * DAY
    m.HealthSnapshot.insert_many([
        {"customer": cid, "day": week_ago, "score": score, "band": band, "taken_at": NOW}
        for cid, score, band in [(red, 80, "green"), (amber, 60, "amber"),
                                 (green, 70, "amber")]]).execute()
    return ids
