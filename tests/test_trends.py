"""The overview's charts' data: customers per health band per week (the latest snapshot of
each customer that week; none, not counted) and NPS/CSAT per month with the answers behind
them, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import records, trends
from tests import factories as f
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _snap(cid, day, score, band):
    m.HealthSnapshot.create(customer=cid, day=day, score=score, band=band, taken_at=NOW)


def test_weeks_count_each_customer_by_its_latest_snapshot_of_the_week(db, ctx):
    # TODAY is Monday 2026-11-23: this week is today alone, the one before Nov 16-22
    a = f.customer(ctx, "Alpha", owner="alice")
    b = f.customer(ctx, "Beta", owner="bob")
    gone = f.customer(ctx, "Gone")
    m.Customer.update(archived=True).where(m.Customer.id == gone).execute()
    _snap(a, TODAY - 7 * DAY, 40, "red")       # Mon Nov 16: red ...
    _snap(a, TODAY - 2 * DAY, 70, "amber")     # ... Sat Nov 21: amber, the latest: amber
    _snap(b, TODAY - 3 * DAY, 90, "green")
    _snap(gone, TODAY - 3 * DAY, 10, "red")    # archived: never counted
    _snap(a, TODAY, 80, "green")               # this week
    _snap(b, TODAY - 22 * DAY, 30, "red")      # Sat Oct 31: three weeks back
    weeks = trends.weekly_bands(ctx, weeks=4)
    assert [(w.start, w.end, w.red, w.amber, w.green) for w in weeks] == [
        (dt.date(2026, 11, 2), dt.date(2026, 11, 8), 0, 0, 0),   # no snapshot: total 0
        (dt.date(2026, 11, 9), dt.date(2026, 11, 15), 0, 0, 0),
        (dt.date(2026, 11, 16), dt.date(2026, 11, 22), 0, 1, 1),
        (TODAY, TODAY, 0, 0, 1)]
    assert weeks[0].total == 0
    five = trends.weekly_bands(ctx, weeks=5)
    assert (five[0].start, five[0].red, five[0].total) == (dt.date(2026, 10, 26), 1, 1)
    mine = trends.weekly_bands(ctx, who="bob", weeks=4)
    assert [(w.red, w.amber, w.green) for w in mine] == [(0, 0, 0), (0, 0, 0), (0, 0, 1),
                                                         (0, 0, 0)]


def _answer(ctx, cid, kind, score, day):
    records.create(ctx, "feedback", {"customer": cid, "kind": kind, "score": score,
                                     "received_on": day})


def test_months_give_nps_and_csat_with_their_answers(db, ctx):
    a = f.customer(ctx, "Alpha", owner="alice")
    b = f.customer(ctx, "Beta", owner="bob")
    for score in (10, 9, 3):                   # November: NPS (2 - 1) / 3 = +33.3 of 3
        _answer(ctx, a, "nps", score, TODAY - DAY)
    _answer(ctx, b, "csat", 5, dt.date(2026, 11, 1))
    _answer(ctx, b, "csat", 2, dt.date(2026, 11, 20))   # CSAT 50% of 2
    _answer(ctx, a, "nps", 6, dt.date(2026, 9, 30))     # September: -100 of 1
    _answer(ctx, a, "nps", 10, TODAY + DAY)             # tomorrow: not yet
    _answer(ctx, a, "csat", 5, dt.date(2026, 8, 31))    # before the three months
    gone = f.customer(ctx, "Gone")
    _answer(ctx, gone, "nps", 0, TODAY - DAY)            # an archived customer's: not counted
    records.set_archived(ctx, "customer", gone, records.get("customer", gone)["version"])
    months = trends.monthly_satisfaction(ctx, months=3)
    assert [(mo.month, mo.nps.score, mo.nps.answers, mo.csat.score, mo.csat.answers,
             mo.csat.period_days) for mo in months] == [
        (dt.date(2026, 9, 1), -100.0, 1, None, 0, 30),
        (dt.date(2026, 10, 1), None, 0, None, 0, 31),
        (dt.date(2026, 11, 1), 33.3, 3, 50.0, 2, 23)]
    bobs = trends.monthly_satisfaction(ctx, who="bob", months=3)
    assert [(mo.nps.answers, mo.csat.answers) for mo in bobs] == [(0, 0), (0, 0), (0, 2)]


def test_periods_cross_the_year(db, ctx):
    assert trends.month_periods(dt.date(2027, 1, 15), 2) == [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)), (dt.date(2027, 1, 1),
                                                        dt.date(2027, 1, 15))]
    assert trends.week_periods(dt.date(2027, 1, 3), 1) == [(dt.date(2026, 12, 28),
                                                            dt.date(2027, 1, 3))]
