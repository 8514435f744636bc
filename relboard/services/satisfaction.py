"""Satisfaction: CSAT and NPS over a period, per customer and for the portfolio.

CSAT answers are 1-5; CSAT = the share of 4s and 5s x 100. NPS answers are 0-10; promoters
answer 9-10, detractors 0-6; NPS = % promoters - % detractors (-100..100). Both count the
answers received in the last ``insight.satisfaction_days`` days, today included (with 90: from
today-89 to today); answers dated later than today do not count yet. Scores are rounded to one
decimal; with no answers the score is None ("no answers"), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import Case, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.scope import active_customers, as_int, first_day, of_active


@dataclass(frozen=True)
class Figure:
    """One satisfaction figure: the score (None with no answers), the answers behind it, and
    the days of the period they were counted over."""

    score: float | None
    answers: int
    period_days: int

    def as_json(self) -> dict[str, Any]:
        """``{"score": number or null, "answers": int, "period_days": int}``."""
        return {"score": self.score, "answers": self.answers, "period_days": self.period_days}


@dataclass(frozen=True)
class Satisfaction:
    """CSAT and NPS of one customer or of the portfolio."""

    csat: Figure
    nps: Figure


def csat_score(answers: int, satisfied: int) -> float | None:
    """CSAT from the number of answers and of 4s and 5s among them (None with no answers)."""
    return round(100 * satisfied / answers, 1) if answers else None


def nps_score(answers: int, promoters: int, detractors: int) -> float | None:
    """NPS from the number of answers, promoters (9-10) and detractors (0-6); None with none."""
    return round(100 * (promoters - detractors) / answers, 1) if answers else None


def high_low() -> tuple[Any, Any]:
    """SQL cases counting an answer as high (CSAT 4-5, NPS 9-10) and low (NPS 0-6): 1 or 0."""
    f = m.Feedback
    high = Case(None, [((f.kind == "csat") & (f.score >= 4), 1),
                       ((f.kind == "nps") & (f.score >= 9), 1)], 0)
    return high, Case(None, [((f.kind == "nps") & (f.score <= 6), 1)], 0)


def _counts(ctx: Context, days: int, customers: Any, per_customer: bool) -> list[tuple]:
    """(customer id or None, kind, answers, high, low) per customer (or overall) and kind.

    high: CSAT 4-5 or NPS 9-10; low: NPS 0-6.
    """
    f = m.Feedback
    high, low = high_low()
    group = [f.customer, f.kind] if per_customer else [f.kind]
    query = (f.select(*group, fn.COUNT(f.id), fn.SUM(high), fn.SUM(low))
             .where((of_active(f.customer + 0) if customers is None
                     else f.customer.in_(customers))
                    & f.received_on.between(first_day(ctx, days), ctx.today()))
             .group_by(*group).tuples())
    return [row if per_customer else (None, *row) for row in query]


def _figures(rows: Iterable[tuple], days: int) -> Satisfaction:
    got = {kind: (answers, as_int(high), as_int(low)) for _, kind, answers, high, low in rows}
    csat_n, csat_high, _ = got.get("csat", (0, 0, 0))
    nps_n, promoters, detractors = got.get("nps", (0, 0, 0))
    return Satisfaction(Figure(csat_score(csat_n, csat_high), csat_n, days),
                        Figure(nps_score(nps_n, promoters, detractors), nps_n, days))


def by_customer(ctx: Context, customer_ids: Iterable[int] | None = None,
                who: str | None = None, days: int | None = None) -> dict[int, Satisfaction]:
    """CSAT and NPS of each customer: ``customer_ids``, or every active one (``who``'s share);
    customers without answers get figures with score None and 0 answers."""
    days = days or ctx.insight.satisfaction_days
    customers = active_customers(who, customer_ids)
    ids = [cid for (cid,) in customers.tuples()]
    rows: dict[int, list[tuple]] = {cid: [] for cid in ids}
    for row in _counts(ctx, days, customers, per_customer=True):
        rows.setdefault(row[0], []).append(row)
    return {cid: _figures(found, days) for cid, found in rows.items()}


def customer_satisfaction(ctx: Context, customer_id: int,
                          days: int | None = None) -> Satisfaction:
    """CSAT and NPS of one customer over the period."""
    days = days or ctx.insight.satisfaction_days
    return by_customer(ctx, [customer_id], days=days).get(customer_id) or _figures([], days)


def portfolio_satisfaction(ctx: Context, who: str | None = None,
                           days: int | None = None) -> Satisfaction:
    """CSAT and NPS over every answer of the active customers (``who``'s share if given):
    each answer counts once, so a customer with many answers weighs more."""
    days = days or ctx.insight.satisfaction_days
    return _figures(_counts(ctx, days, None if who is None else active_customers(who),
                            per_customer=False), days)
