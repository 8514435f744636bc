"""The portfolio overview's figures and the records behind them, on a hand-counted portfolio
(``tests/portfolio_data.py``); the risk register's sorts; the issue queue's SLA filter."""

from __future__ import annotations

import pytest

from relboard.services import lists, portfolio, risks
from relboard.services import portfolio_lists as pl
from tests import portfolio_data
from tests.conftest import TODAY, every_id

pytestmark = pytest.mark.both_databases


@pytest.fixture
def seeded(db, ctx):
    return portfolio_data.seed(ctx)


def test_overview_figures(seeded, ctx):
    o = portfolio.overview(ctx)
    assert [(b.band, b.customers, b.week_ago, b.came_down, b.came_up) for b in o.bands] == [
        ("red", 1, 0, 1, 0), ("amber", 0, 2, 0, 0), ("green", 2, 1, 0, 2), (None, 0, 0, 0, 0)]
    assert (o.satisfaction.nps.score, o.satisfaction.nps.answers) == (25.0, 4)
    assert (o.satisfaction.csat.score, o.satisfaction.csat.answers) == (None, 0)
    assert {k: v for k, v in o.issues.items() if v} == {
        ("critical", "breached"): 1, ("high", "ok"): 1, ("medium", "near"): 1,
        ("low", "paused"): 1}
    assert o.issues_where(state="breached") == 1 and o.issues_where("high") == 1
    assert (o.credibility.judged, o.credibility.met_on_baseline) == (2, 1)
    assert o.risks == {"red": 2, "amber": 2, "green": 1} and o.risks_review_due == 1
    assert o.stakeholders == {"stakeholders": 4, "with_gap": 3, "below": 2, "above": 1,
                              "largest": 2}
    assert (o.loyalty.repeat_projects, o.loyalty.referrals_total) == (1, 2)


def test_my_view_counts_only_my_share(seeded, ctx):
    o = portfolio.overview(ctx, who="bob")
    assert [b.customers for b in o.bands] == [0, 0, 1, 0]
    assert (o.satisfaction.nps.score, o.satisfaction.nps.answers) == (100.0, 1)
    assert {k: v for k, v in o.issues.items() if v} == {("medium", "near"): 1,
                                                         ("low", "paused"): 1}
    assert o.risks == {"red": 0, "amber": 2, "green": 1}  # bob's and nobody's


def test_records_behind_the_figures(seeded, ctx):
    red, = pl.band_page(ctx, "red").rows
    assert (red["name"], red["then"], red["direction"]) == ("Redwood", "green", "down")
    assert "last contact 40 days ago" in red["reason"]
    assert [r["name"] for r in pl.band_page(ctx, "green").rows] == ["Amberly", "Greenfield"]
    answers = pl.feedback_page(ctx, "nps").rows
    assert [(r["customer_name"], r["score"]) for r in answers] == [
        ("Greenfield", 10), ("Redwood", 3), ("Amberly", 9), ("Greenfield", 7)]
    assert pl.feedback_page(ctx, "csat").rows == []
    assert [(r["name"], r["share"]) for r in pl.credibility_page(ctx).rows] == [
        ("Redwood", 0.0), ("Amberly", 100.0)]
    assert [r["name"] for r in pl.loyalty_page().rows] == ["Greenfield", "Redwood"]
    assert [(r["name"], r["gap"]) for r in pl.matrix_page().rows] == [
        ("Dana", 2), ("Gus", -2), ("Eli", 1), ("Fay", 0)]
    assert [r["name"] for r in pl.matrix_page(gaps_only=True, who="bob").rows] == ["Gus"]
    assert every_id(lambda after: pl.matrix_page(after=after, limit=3)) == [
        seeded[n] for n in ("Dana", "Gus", "Eli", "Fay")]


def test_a_worked_out_list_is_worked_out_once_for_its_windows_until_a_save(seeded, ctx,
                                                                            monkeypatch):
    """Scrolling a computed list (credibility per customer: 2.3 s on a 1M-record board) reads
    its next windows from the list worked out for the first; a list opened again, or a
    window after anyone saved, works it out afresh."""
    from relboard.services import credibility, records

    made = []
    real = credibility.by_customer
    monkeypatch.setattr(credibility, "by_customer",
                        lambda *a, **k: made.append(1) or real(*a, **k))
    first = pl.credibility_page(ctx, limit=1)
    second = pl.credibility_page(ctx, after=first.after, limit=1)
    assert [r["name"] for r in first.rows + second.rows] == ["Redwood", "Amberly"]
    assert len(made) == 1
    pl.credibility_page(ctx, limit=1)  # opened again: afresh
    assert len(made) == 2
    records.update(ctx, "customer", seeded["Amberly"], 1, {"name": "Amberly Ltd"})
    again = pl.credibility_page(ctx, after=first.after, limit=1)
    assert len(made) == 3 and [r["name"] for r in again.rows] == ["Amberly Ltd"]


def test_issue_queue_filtered_by_sla_state_pages_through_every_match(seeded, ctx):
    page = lists.issues_page(ctx, status=("new", "waiting_on_customer"), sla=["breached"],
                             active_only=True)
    assert [r["id"] for r in page.rows] == [seeded["breached"]]
    found = every_id(lambda after: lists.issues_page(ctx, sla=["near", "paused"], after=after,
                                                     limit=1))
    assert sorted(found) == sorted([seeded["near"], seeded["paused"]])
    assert [r["id"] for r in lists.issues_page(ctx, who="bob", severity=["medium"]).rows] == \
        [seeded["near"]]


def test_risk_register_sorts_page_through_every_risk(seeded, ctx):
    def titles(**kw):
        return [r["title"] for r in risks.register_page(ctx, **kw).rows]

    assert titles(review_due=True) == ["Key person leaves"]
    assert titles(sort="review")[0] == "Key person leaves"
    every = sorted(every_id(lambda after: risks.register_page(ctx, after=after, limit=2)))
    for sort in risks.SORTS:
        for limit in (1, 2, 5):
            seen = every_id(lambda after, sort=sort, limit=limit: risks.register_page(
                ctx, sort=sort, after=after, limit=limit))
            assert sorted(seen) == every and len(seen) == len(every), (sort, limit)
    assert TODAY  # the seeded review date is yesterday: due
