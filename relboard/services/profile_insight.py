"""Everything the profile's Health tab shows about one customer, read in one call: the health
score with its signals and the PM's rating, the trend, CSAT/NPS, credibility and loyalty."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from relboard.config import HealthBands
from relboard.services import credibility, health, healthhistory, loyalty, satisfaction
from relboard.services.context import Context


@dataclass(frozen=True)
class Insight:
    """One customer's relationship figures, each with the counts behind it."""

    health: health.Health
    trend: list[tuple[_dt.date, int]]
    satisfaction: satisfaction.Satisfaction
    credibility: credibility.Credibility
    loyalty: loyalty.Loyalty
    trend_days: tuple[_dt.date, _dt.date]
    """The first and last day the trend covers (its chart's x axis)."""
    bands: HealthBands
    """The band thresholds the score was banded by (its chart's band lines)."""


def customer_insight(ctx: Context, customer_id: int, days: int = 90) -> Insight:
    """The figures of one customer (NotFoundError if there is no such customer); the trend
    covers the last ``days`` days."""
    return Insight(health.customer_health(ctx, customer_id),
                   healthhistory.trend(ctx, customer_id, days),
                   satisfaction.customer_satisfaction(ctx, customer_id),
                   credibility.customer_credibility(ctx, customer_id),
                   loyalty.customer_loyalty(customer_id),
                   (ctx.today() - _dt.timedelta(days=days - 1), ctx.today()),
                   ctx.health.bands)
