"""The portfolio overview: every figure of the relationships a PM (or the team) looks after.

Customers by health band with their trend (the band now against the band of a week ago, from
the daily snapshots), satisfaction (NPS, CSAT with the answers behind them), open issues by
severity and SLA state, credibility, risks by band, stakeholder engagement gaps, loyalty and
renewals by quarter and band (``portfolio_renewals``). Over time (the overview's charts,
``over_time`` from ``trends``, worked out only for the tab that shows them): customers per
band per week, NPS and CSAT per month. Each figure covers the
active customers, or ``who``'s share (Today's "my view" rule); the records behind each one
come from ``portfolio_lists``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.services import (
    credibility,
    loyalty,
    portfolio_health,
    portfolio_renewals,
    risks,
    satisfaction,
    sla_grid,
    stakeholders,
    trends,
)
from relboard.services.context import Context
from relboard.services.health import Health, health_of
from relboard.services.scope import active_customers
from relboard.services.sla import BREACHED, NEAR, OK, PAUSED

TREND_DAYS = 7
"""The trend compares today's band with the band this many days ago."""
TREND_SLACK = 7
"""With no snapshot exactly then, the latest of this many days before it stands in."""
SLA_STATES = (BREACHED, NEAR, PAUSED, OK)
"""The SLA states an open issue can be in, most urgent first (its running clocks)."""
LOWEST = 12
"""How many of the lowest-scored customers the overview lists (on a wide terminal)."""
BAND_ORDER: tuple[str | None, ...] = ("red", "amber", "green", None)
_RANK = {band: n for n, band in enumerate(m.HEALTH_BANDS)}


@dataclass(frozen=True)
class Trended:
    """A customer's health now with its band a week ago (None: no snapshot then) and the
    direction: "up" (a better band), "down", "same", or None (nothing to compare)."""

    health: Health
    then: str | None

    @property
    def direction(self) -> str | None:
        """up / down / same, or None without a band now or then."""
        now = self.health.band
        if now not in _RANK or self.then not in _RANK:
            return None
        diff = _RANK[now] - _RANK[self.then]
        return "up" if diff > 0 else "down" if diff < 0 else "same"


@dataclass(frozen=True)
class BandCount:
    """One health band: customers in it now, a week ago, and how many of today's came down
    into it (from a better band) or up into it (from a worse one)."""

    band: str | None
    customers: int
    week_ago: int
    came_down: int
    came_up: int


@dataclass(frozen=True)
class Overview:
    """Every figure of the overview (see the module docstring)."""

    bands: list[BandCount]
    satisfaction: satisfaction.Satisfaction
    issues: dict[tuple[str, str], int]
    credibility: credibility.Credibility
    risks: dict[str, int]
    risks_review_due: int
    stakeholders: dict[str, Any]
    loyalty: loyalty.Loyalty
    lowest: list[Trended]
    """The customers with the lowest scores (up to LOWEST), worst first."""
    renewals: list[portfolio_renewals.QuarterRenewals] = field(default_factory=list)
    """Customers renewing per quarter by band, the passed ones first (``portfolio_renewals``)."""

    def issues_where(self, severity: str | None = None, state: str | None = None) -> int:
        """Open issues of a severity and/or an SLA state (None: any)."""
        return sum(n for (sev, st), n in self.issues.items()
                   if severity in (None, sev) and state in (None, st))


@dataclass(frozen=True)
class OverTime:
    """The overview's charts (its second tab), worked out apart from its figures: they are a
    third of the figures' cost (at 1M records 0.6 of 2 s) and only that tab shows them."""

    weeks: list[trends.WeekBands]
    """Customers per band per week, oldest first (``trends.weekly_bands``)."""
    months: list[trends.MonthSatisfaction]
    """NPS and CSAT per month with their answers, oldest first."""


def bands_then(ctx: Context, customers: Any, days: int = TREND_DAYS) -> dict[int, str]:
    """Each customer's band ``days`` days ago: its latest snapshot on or before that day and
    at most TREND_SLACK days older (customers without one are left out)."""
    s = m.HealthSnapshot
    day = ctx.today() - _dt.timedelta(days=days)
    latest = (s.select(s.customer.alias("cid"), fn.MAX(s.day).alias("day"))
              .where(s.customer.in_(customers)
                     & s.day.between(day - _dt.timedelta(days=TREND_SLACK), day))
              .group_by(s.customer).alias("latest"))
    query = (s.select(s.customer, s.band)
             .join(latest, on=((s.customer == latest.c.cid) & (s.day == latest.c.day))))
    return {cid: band for cid, band in query.tuples() if band in _RANK}


def health_trends(ctx: Context, who: str | None = None) -> list[Trended]:
    """Every active customer's (``who``'s share) health with its band a week ago, worst
    first (lowest score, no score last)."""
    customers = active_customers(who)
    then = bands_then(ctx, customers)
    found = [Trended(h, then.get(cid)) for cid, h in health_of(ctx, who=who).items()]
    return sorted(found, key=lambda t: (t.health.score if t.health.score is not None else 101,
                                        t.health.name.lower(), t.health.customer_id))


def band_counts(trends: list[Trended]) -> list[BandCount]:
    """Customers per band (red, amber, green, no score) now and a week ago, with moves
    (a week ago "no score" is not counted: no snapshot then is no history, not a band)."""
    out = []
    for band in BAND_ORDER:
        now = [t for t in trends if t.health.band == band]
        then = sum(1 for t in trends if band is not None and t.then == band)
        out.append(BandCount(band, len(now), then,
                             sum(1 for t in now if t.direction == "down"),
                             sum(1 for t in now if t.direction == "up")))
    return out


def issue_grid(ctx: Context, who: str | None = None) -> dict[tuple[str, str], int]:
    """Open issues of active customers (``who``'s share) by (severity, SLA state); every
    pair is present, 0 when empty (counted in SQL from the stored clocks: ``sla_grid``)."""
    return sla_grid.count(ctx, who)


def bands_of(pairs: dict[tuple[str | None, str | None], int]) -> list[BandCount]:
    """``band_counts`` from customers counted by (band now, band a week ago)."""
    out = []
    for band in BAND_ORDER:
        now = {then: n for (b, then), n in pairs.items() if b == band}
        moved = [Trended(Health(0, "", None, band, (), None, 0), then) for then in now]
        out.append(BandCount(
            band, sum(now.values()),
            sum(n for (_, then), n in pairs.items() if band is not None and then == band),
            sum(now[t.then] for t in moved if t.direction == "down"),
            sum(now[t.then] for t in moved if t.direction == "up")))
    return out


def overview(ctx: Context, who: str | None = None) -> Overview:
    """Every figure of the portfolio overview, for the active customers (``who``'s share);
    its charts are ``over_time``'s."""
    ctx = ctx.pinned()  # one today for every figure
    pairs, lowest = portfolio_health.figures(ctx, who, LOWEST, TREND_DAYS, TREND_SLACK)
    return Overview(
        bands=bands_of(pairs),
        satisfaction=satisfaction.portfolio_satisfaction(ctx, who),
        issues=issue_grid(ctx, who),
        credibility=credibility.portfolio_credibility(ctx, who),
        risks=risks.counts_by_band(ctx, who),
        risks_review_due=risks.count_due_for_review(ctx, who),
        stakeholders=stakeholders.gap_summary(who),
        loyalty=loyalty.portfolio_loyalty(who),
        lowest=[Trended(health, then) for health, then in lowest],
        renewals=portfolio_renewals.by_quarter(ctx, who),
    )


def over_time(ctx: Context, who: str | None = None) -> OverTime:
    """The overview's charts for the active customers (``who``'s share)."""
    ctx = ctx.pinned()
    return OverTime(trends.weekly_bands(ctx, who), trends.monthly_satisfaction(ctx, who))
