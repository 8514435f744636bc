"""The portfolio over time, for the overview's charts: customers per health band per week,
and NPS and CSAT per month with the answers behind each.

Weeks run Monday to Sunday; the last one is this week, up to today. A customer counts in a
week by the band of its *latest* snapshot that week (``healthhistory`` writes at most one a
day, when a board opens or the digest runs). A customer with no snapshot in a week is not
counted in it (no guess from the weeks around), so a week nobody opened the board shows no
bar: ``WeekBands.total`` is 0. Only active customers (``who``'s share) count, as everywhere
on the overview.

Months are calendar months; the last one is this month, up to today. Each month's CSAT and
NPS count the answers received in it (``satisfaction``'s rules, over that month instead of
the last 90 days); a month without answers has score None and 0 answers.

Both bucket days in SQL with one CASE over the periods, so a query returns a row per period
(and band or kind), not a row per snapshot or answer; it runs the same on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from peewee import Case, Cast, fn

from relboard import models as m
from relboard.db import dialect
from relboard.services.context import Context
from relboard.services.satisfaction import Figure, csat_score, high_low, nps_score
from relboard.services.scope import as_int, of_active

WEEKS = 26
"""Weeks the overview reads (its chart shows the last ones that fit the width)."""
MONTHS = 12
"""Months the overview reads."""
_DAY = _dt.timedelta(days=1)


@dataclass(frozen=True)
class WeekBands:
    """One week (``start`` a Monday, ``end`` its Sunday or today): customers by the band of
    their latest snapshot that week."""

    start: _dt.date
    end: _dt.date
    red: int = 0
    amber: int = 0
    green: int = 0

    @property
    def total(self) -> int:
        """Customers with a snapshot this week (0: no snapshot at all)."""
        return self.red + self.amber + self.green


@dataclass(frozen=True)
class MonthSatisfaction:
    """One calendar month (``month`` its first day): CSAT and NPS of the answers received in
    it, each with its count (``period_days``: the days of the month counted so far)."""

    month: _dt.date
    csat: Figure
    nps: Figure


def _bucket(column: Any, periods: list[tuple[_dt.date, _dt.date]]) -> Any:
    """A CASE giving the index of the period a day falls in (None outside them)."""
    return Case(None, [(column.between(a, b), n) for n, (a, b) in enumerate(periods)])


def week_periods(today: _dt.date, weeks: int) -> list[tuple[_dt.date, _dt.date]]:
    """The last ``weeks`` Monday-Sunday weeks up to today, oldest first (the last ends today)."""
    monday = today - _dt.timedelta(days=today.weekday())
    starts = [monday - _dt.timedelta(weeks=k) for k in reversed(range(weeks))]
    return [(s, min(s + 6 * _DAY, today)) for s in starts]


def month_periods(today: _dt.date, months: int) -> list[tuple[_dt.date, _dt.date]]:
    """The last ``months`` calendar months up to today, oldest first (the last ends today)."""
    out: list[tuple[_dt.date, _dt.date]] = []
    first = today.replace(day=1)
    end = today
    for _ in range(months):
        out.append((first, end))
        end = first - _DAY
        first = end.replace(day=1)
    return out[::-1]


def _split(column: Any, starts: list[_dt.date], lo: int, hi: int) -> Any:
    """A CASE giving the index (``lo``..``hi`` - 1) of the period a day falls in, periods
    starting at ``starts``: a binary search, log2(periods) comparisons a row."""
    if hi - lo == 1:
        return lo
    mid = (lo + hi) // 2
    return Case(None, [(column < starts[mid], _split(column, starts, lo, mid))],
                _split(column, starts, mid, hi))


def _day_text(column: Any) -> Any:
    """A date column as text, YYYY-MM-DD (so text order is day order) on either database."""
    if dialect() == "postgresql":
        return fn.TO_CHAR(column, "YYYY-MM-DD")
    return Cast(column, "text")  # SQLite keeps dates as that text


def weekly_bands(ctx: Context, who: str | None = None,
                 weeks: int = WEEKS) -> list[WeekBands]:
    """Customers per band in each of the last ``weeks`` weeks, oldest first (see the module
    docstring: the latest snapshot of each customer that week; none, not counted).

    One pass over the snapshots, no join back: per customer and week the largest of
    day-and-band (``2026-11-23red``) is the latest snapshot's, its band the text after the
    day; the database then counts by week and band.
    """
    periods = week_periods(ctx.today(), weeks)
    s = m.HealthSnapshot
    week = _split(s.day, [a for a, _ in periods], 0, len(periods))
    days = (s.select(s.customer.alias("cid"), week.alias("wk"),
                     _day_text(s.day).concat(s.band).alias("mark"))
            .where(of_active(s.customer + 0, who)  # walk the days, not each id
                   & s.day.between(periods[0][0], ctx.today()))
            .alias("days"))
    latest = (s.select(days.c.wk, fn.MAX(days.c.mark).alias("last")).from_(days)
              .group_by(days.c.cid, days.c.wk).alias("latest"))
    band = fn.SUBSTR(latest.c.last, 11)
    query = (s.select(latest.c.wk, band, fn.COUNT(latest.c.wk)).from_(latest)
             .group_by(latest.c.wk, band).tuples())
    counts: dict[int, dict[str, int]] = {}
    for wk, name, n in query:
        if wk is not None and name in m.HEALTH_BANDS:
            counts.setdefault(int(wk), {})[name] = int(n)
    return [WeekBands(a, b, **counts.get(n, {})) for n, (a, b) in enumerate(periods)]


def monthly_satisfaction(ctx: Context, who: str | None = None,
                         months: int = MONTHS) -> list[MonthSatisfaction]:
    """CSAT and NPS of each of the last ``months`` months with its answers, oldest first."""
    periods = month_periods(ctx.today(), months)
    f = m.Feedback
    high, low = high_low()
    answers = (f.select(_bucket(f.received_on, periods).alias("mo"), f.kind.alias("kind"),
                        high.alias("high"), low.alias("low"))
               .where(of_active(f.customer + 0, who)
                      & f.received_on.between(periods[0][0], ctx.today()))
               .alias("answers"))
    query = (f.select(answers.c.mo, answers.c.kind, fn.COUNT(answers.c.kind),
                      fn.SUM(answers.c.high), fn.SUM(answers.c.low))
             .from_(answers).group_by(answers.c.mo, answers.c.kind).tuples())
    got: dict[tuple[int, str], tuple[int, int, int]] = {}
    for mo, kind, n, hi, lo in query:
        if mo is not None:
            got[(int(mo), kind)] = (int(n), as_int(hi), as_int(lo))
    out = []
    for n, (a, b) in enumerate(periods):
        days = (b - a).days + 1
        csat_n, satisfied, _ = got.get((n, "csat"), (0, 0, 0))
        nps_n, promoters, detractors = got.get((n, "nps"), (0, 0, 0))
        out.append(MonthSatisfaction(a, Figure(csat_score(csat_n, satisfied), csat_n, days),
                                     Figure(nps_score(nps_n, promoters, detractors), nps_n,
                                            days)))
    return out
