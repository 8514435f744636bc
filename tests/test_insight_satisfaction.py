"""CSAT and NPS over a period, per customer and for the portfolio: formulas on hand-counted
answers, "no answers" as None, answers outside the period left out."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.config import InsightConfig
from relboard.services import records, satisfaction
from relboard.services.context import Context
from tests import factories as f
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _answer(ctx, cid, kind, score, days_ago=0):
    return records.create(ctx, "feedback", {"customer": cid, "kind": kind, "score": score,
                                            "received_on": TODAY - days_ago * DAY})


def test_formulas_on_hand_counted_answers():
    # CSAT: 4s and 5s of all answers; NPS: % 9-10 minus % 0-6 (7-8 are passives)
    assert satisfaction.csat_score(8, 6) == 75.0
    assert satisfaction.csat_score(3, 1) == 33.3
    assert satisfaction.nps_score(10, 5, 2) == 30.0
    assert satisfaction.nps_score(4, 0, 4) == -100.0
    assert satisfaction.nps_score(6, 1, 3) == -33.3
    assert satisfaction.csat_score(0, 0) is None and satisfaction.nps_score(0, 0, 0) is None


def test_customer_figures_count_only_the_period(db, ctx):
    cid = f.customer(ctx, "Northwind")
    for score in (5, 4, 3, 1):  # 2 of 4 satisfied
        _answer(ctx, cid, "csat", score, days_ago=3)
    _answer(ctx, cid, "csat", 5, days_ago=89)   # the first day of 90 (today-89): counts
    _answer(ctx, cid, "csat", 1, days_ago=90)   # a day too old
    _answer(ctx, cid, "csat", 1, days_ago=-1)   # tomorrow: not received yet
    for score in (10, 9, 8, 7, 6, 0):  # 2 promoters, 2 passives, 2 detractors
        _answer(ctx, cid, "nps", score, days_ago=10)
    _answer(ctx, cid, "nps", 10, days_ago=120)
    got = satisfaction.customer_satisfaction(ctx, cid)
    assert got.csat == satisfaction.Figure(60.0, 5, 90)
    assert got.nps == satisfaction.Figure(0.0, 6, 90)
    assert got.csat.as_json() == {"score": 60.0, "answers": 5, "period_days": 90}


def test_no_answers_is_none_not_zero(db, ctx):
    cid = f.customer(ctx, "Quiet")
    _answer(ctx, cid, "nps", 10, days_ago=200)  # only an old answer
    got = satisfaction.customer_satisfaction(ctx, cid)
    assert got.csat == satisfaction.Figure(None, 0, 90)
    assert got.nps == satisfaction.Figure(None, 0, 90)
    assert got.nps.as_json() == {"score": None, "answers": 0, "period_days": 90}


def test_configured_period(db, ctx):
    cid = f.customer(ctx)
    _answer(ctx, cid, "csat", 5, days_ago=29)
    _answer(ctx, cid, "csat", 1, days_ago=30)
    short = Context(user="alice", now_override=NOW, insight=InsightConfig(satisfaction_days=30))
    assert satisfaction.customer_satisfaction(short, cid).csat == satisfaction.Figure(100.0, 1, 30)
    assert satisfaction.customer_satisfaction(ctx, cid).csat == satisfaction.Figure(50.0, 2, 90)
    assert satisfaction.customer_satisfaction(ctx, cid, days=7).csat.answers == 0


def test_portfolio_counts_every_answer_once_and_scopes_by_owner(db, ctx):
    mine = f.customer(ctx, "Mine Ltd", owner="alice")
    theirs = f.customer(ctx, "Theirs Ltd", owner="bob")
    nobody = f.customer(ctx, "Nobody Ltd")
    gone = f.customer(ctx, "Gone Ltd")
    records.set_archived(ctx, "customer", gone, 1)
    _answer(ctx, mine, "nps", 10)
    _answer(ctx, mine, "nps", 9)
    _answer(ctx, theirs, "nps", 3)
    _answer(ctx, nobody, "nps", 8)
    _answer(ctx, gone, "nps", 0)  # archived customers are not in the portfolio
    _answer(ctx, theirs, "csat", 4)
    everyone = satisfaction.portfolio_satisfaction(ctx)
    assert everyone.nps == satisfaction.Figure(25.0, 4, 90)  # (2 - 1) / 4
    assert everyone.csat == satisfaction.Figure(100.0, 1, 90)
    alice = satisfaction.portfolio_satisfaction(ctx, who="alice")  # hers and nobody's
    assert alice.nps == satisfaction.Figure(66.7, 3, 90)
    assert alice.csat == satisfaction.Figure(None, 0, 90)
    each = satisfaction.by_customer(ctx)
    assert set(each) == {mine, theirs, nobody}
    assert each[theirs].nps.score == -100.0 and each[nobody].csat.score is None
