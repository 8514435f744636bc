"""The health score: each signal's formula and words, the weighted mean over the signals that
have data, band edges, configured weights, and the PM's own rating."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.config import HealthBands, HealthConfig, HealthWeights
from relboard.services import expectations, health, records
from relboard.services import healthsignals as hs
from relboard.services.context import Context
from relboard.services.errors import ConflictError, ValidationError
from tests import factories as f
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _signals(h: health.Health) -> dict[str, health.Signal]:
    return {s.key: s for s in h.signals}


def test_issues_signal_in_words(db, ctx):
    cid = f.customer(ctx, "Northwind")
    f.issue(ctx, cid, "Fresh", severity="critical", raised_at=NOW - dt.timedelta(minutes=30))
    f.issue(ctx, cid, "Old", severity="critical", raised_at=NOW - 2 * DAY)  # past its SLA
    h = health.customer_health(ctx, cid)
    issues = _signals(h)["issues"]
    assert (issues.value, issues.explanation) == (70, "2 critical issues open, 1 past SLA: -30")
    # the only signal with data: every other one is left out, not counted as 0
    assert h.score == 70 and h.band == "amber"
    assert issues.contribution == 70.0
    left_out = {k: (s.value, s.contribution) for k, s in _signals(h).items() if k != "issues"}
    assert left_out == {k: (None, None) for k in
                        ("contact", "expectations", "satisfaction", "sentiment", "risks")}
    assert _signals(h)["contact"].explanation == "no touchpoint logged yet"
    assert _signals(h)["satisfaction"].explanation == "no CSAT or NPS answers in the last 90 days"


def test_a_customer_without_data_has_no_score(db, ctx):
    h = health.customer_health(ctx, f.customer(ctx))
    assert (h.score, h.band) == (None, None)
    assert all(s.value is None for s in h.signals)


@pytest.mark.parametrize("days_ago, score, band", [
    (151, 49, "red"), (150, 50, "amber"), (126, 74, "amber"), (125, 75, "green"),
    (100, 100, "green"), (200, 0, "red"), (250, 0, "red"),
])
def test_contact_recency_and_band_edges(db, ctx, days_ago, score, band):
    # cadence 100: full marks within it, then 100 x (200 - days) / 100, 0 from 200 days
    cid = f.customer(ctx, cadence_days=100)
    f.touchpoint(ctx, cid, occurred_at=NOW - days_ago * DAY)
    f.touchpoint(ctx, cid, occurred_at=NOW - DAY, internal=True)  # a note is no contact
    h = health.customer_health(ctx, cid)
    assert (h.score, h.band) == (score, band)
    lost = f"-{100 - score}" if score < 100 else "no deduction"
    assert _signals(h)["contact"].explanation == \
        f"last contact {days_ago} days ago; cadence 100: {lost}"


def test_weighted_mean_of_every_signal(db, ctx):
    cid = f.customer(ctx, cadence_days=10)
    k = f.contact(ctx, cid)
    # contact: 15 days ago, cadence 10 -> 100 x 5 / 10 = 50
    f.touchpoint(ctx, cid, [k], occurred_at=NOW - 15 * DAY)
    # sentiment (30 days): -2 and +1 -> mean -0.5 -> (1.5) x 25 = 37.5 -> 38
    f.touchpoint(ctx, cid, [k], occurred_at=NOW - 20 * DAY, sentiment=-2)
    f.touchpoint(ctx, cid, occurred_at=NOW - 25 * DAY, sentiment=1)
    f.touchpoint(ctx, cid, occurred_at=NOW - 40 * DAY, sentiment=2)  # too old to count
    f.touchpoint(ctx, cid, occurred_at=NOW - 2 * DAY, sentiment=2, internal=True)  # a note
    # issues: one high, in time -> 94
    f.issue(ctx, cid, severity="high", raised_at=NOW - dt.timedelta(minutes=10))
    # expectations: one missed lately (25), one overdue (15), one at risk (10), one met -> 50
    earlier = at(ctx, NOW - 30 * DAY)
    missed = f.expectation(earlier, cid, TODAY - 10 * DAY, status="agreed")
    expectations.set_status(ctx, missed, 1, "missed")
    f.expectation(earlier, cid, TODAY - 2 * DAY, status="agreed")
    risky = f.expectation(ctx, cid, TODAY + 5 * DAY, status="agreed")
    expectations.set_status(ctx, risky, 1, "at_risk")
    done = f.expectation(ctx, cid, TODAY + 9 * DAY, status="agreed")
    expectations.set_status(ctx, done, 1, "met")
    withdrawn = f.expectation(earlier, cid, TODAY - 3 * DAY, status="agreed")
    expectations.set_status(ctx, withdrawn, 1, "withdrawn")
    # satisfaction: CSAT 3 of 4 = 75; NPS (1 promoter - 0) / 5 = +20 -> 60; mean 67.5 -> 68
    for kind, score in [("csat", 5), ("csat", 4), ("csat", 4), ("csat", 2), ("nps", 9),
                        ("nps", 8), ("nps", 8), ("nps", 7), ("nps", 7)]:
        records.create(ctx, "feedback", {"customer": cid, "kind": kind, "score": score,
                                         "received_on": TODAY - 5 * DAY})
    # risks: one open red (5 x 3 = 15) -> 75; closed red and open amber cost nothing
    records.create(ctx, "risk", {"customer": cid, "title": "A", "likelihood": 5, "impact": 3,
                                 "owner": "bob", "review_on": TODAY + 9 * DAY})
    records.create(ctx, "risk", {"customer": cid, "title": "B", "likelihood": 5, "impact": 5,
                                 "status": "closed"})
    records.create(ctx, "risk", {"customer": cid, "title": "C", "likelihood": 2, "impact": 5})
    h = health.customer_health(ctx, cid)
    got = {k: (s.value, s.weight, s.explanation) for k, s in _signals(h).items()}
    assert got == {
        "contact": (50, 20, "last contact 15 days ago; cadence 10: -50"),
        "issues": (94, 25, "1 high issue open: -6"),
        "expectations": (50, 20, "1 missed in the last 90 days, 1 overdue, 1 at risk: -50"),
        "satisfaction": (68, 15, "CSAT 75% (4 answers), NPS +20 (5 answers): -32"),
        "sentiment": (38, 10, "average sentiment -0.5 over 2 touchpoints in the last 30 days: "
                              "-62"),
        "risks": (75, 10, "1 open red risk: -25"),
    }
    # (50x20 + 94x25 + 50x20 + 68x15 + 38x10 + 75x10) / 100 = 65.0
    assert (h.score, h.band) == (65, "amber")
    assert [s.contribution for s in h.signals] == [10.0, 23.5, 10.0, 10.2, 3.8, 7.5]
    # weights from the config: contact and risks off -> (94x25 + 50x20 + 68x15 + 38x10) / 70
    weights = HealthWeights(contact=0, risks=0)
    tuned = Context(user="alice", now_override=NOW,
                    health=HealthConfig(weights=weights, bands=HealthBands(60, 65)))
    h = health.customer_health(tuned, cid)
    assert (h.score, h.band) == (68, "green")  # 67.86
    assert _signals(h)["contact"].contribution is None and _signals(h)["contact"].value == 50


def test_combine_leaves_out_missing_signals():
    readings = {"contact": hs.Reading(40, ""), "issues": hs.Reading(None, ""),
                "expectations": hs.Reading(100, ""), "satisfaction": hs.Reading(None, ""),
                "sentiment": hs.Reading(None, ""), "risks": hs.Reading(None, "")}
    score, signals = health.combine(readings, HealthWeights())
    assert score == 70  # (40 x 20 + 100 x 20) / 40
    assert [s.contribution for s in signals] == [20.0, None, 50.0, None, None, None]
    assert HealthBands().band(49) == "red" and HealthBands().band(50) == "amber"
    assert HealthBands().band(74) == "amber" and HealthBands().band(75) == "green"


def test_signal_formulas_round_halves_up_and_floor_at_zero():
    assert hs.sentiment(-0.5, 2, 30).value == 38
    assert hs.contact(13, 10).value == 70 and hs.contact(30, 10).value == 0
    assert hs.issues([("critical", True)] * 6, True).value == 0
    assert hs.issues([], True) == hs.Reading(100, "no open issues: no deduction")
    assert hs.issues([], False).value is None
    assert hs.risks(0, False).value is None and hs.risks(0, True).value == 100
    assert hs.expectations(0, 0, 0, 0, 90).value is None


def test_own_rating_beside_the_computed_score(db, ctx):
    cid = f.customer(ctx)
    v = health.set_rating(ctx, cid, 1, score=48, note="CFO unhappy with invoicing")
    h = health.customer_health(ctx, cid)
    assert h.rating == health.Rating(48, "red", "CFO unhappy with invoicing")
    assert h.version == v == 2
    assert records.history("customer", cid)[0]["action"] == "rate"
    v = health.set_rating(ctx, cid, v, band="green")
    assert health.customer_health(ctx, cid).rating == health.Rating(None, "green", "")
    with pytest.raises(ValidationError, match="a score of 80 is green"):
        health.set_rating(ctx, cid, v, score=80, band="amber")
    with pytest.raises(ValidationError) as err:
        health.set_rating(ctx, cid, v, score=101)
    assert err.value.errors == {"score": "must be between 0 and 100"}
    with pytest.raises(ConflictError):  # read at version 2, someone rated since
        health.set_rating(ctx, cid, 2, score=10)
    with pytest.raises(ValidationError, match="cannot be changed here"):
        records.update(ctx, "customer", cid, v, {"health_rating": 10})
    health.set_rating(ctx, cid, v)
    assert health.customer_health(ctx, cid).rating is None
