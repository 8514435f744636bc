"""The portfolio overview's health bands, lowest customers and issue grid as they were computed
before SQL did it (every customer's health worked out, every open issue read into Python): the
reference the SQL paths are tested against (as ``attention_reference`` is for Today)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.domain import severity_name
from relboard.services import credibility, portfolio, risks, satisfaction, trends
from relboard.services.context import Context
from relboard.services.issues import OPEN_STATUSES, sla_of
from relboard.services.loyalty import Loyalty, by_customer
from relboard.services.portfolio_lists import weakest_signal
from relboard.services.scope import active_customers, owned
from relboard.services.stakeholders import stakeholders


def bands_and_lowest(ctx: Context, who: str | None = None) -> tuple[list[Any], list[Any]]:
    """The overview's ``bands`` and ``lowest`` from every customer's live health."""
    found = portfolio.health_trends(ctx, who)
    return (portfolio.band_counts(found),
            [t for t in found if t.health.score is not None][:portfolio.LOWEST])


def issue_grid(ctx: Context, who: str | None = None) -> dict[tuple[str, str], int]:
    """Open issues of active customers by (severity, SLA state), row by row."""
    i, c = m.Issue, m.Customer
    query = (i.select(i.severity, i.raised_at, i.first_response_at, i.resolved_at,
                      i.paused_seconds, i.waiting_since)
             .join(c, on=(i.customer == c.id))
             .where(i.status.in_(OPEN_STATUSES) & (c.archived == False)))  # noqa: E712
    if who is not None:
        query = query.where(owned(who, i.owner))
    out = {(sev, state): 0 for sev in m.SEVERITIES for state in portfolio.SLA_STATES}
    for row in query.dicts():
        key = (severity_name(row["severity"]), sla_of(ctx, row).state)
        out[key] = out.get(key, 0) + 1
    return out


def gap_summary(who: str | None = None) -> dict[str, Any]:
    """The stakeholder gap summary from every stakeholder loaded."""
    rows = stakeholders(None, who)
    below = [s for s in rows if s.gap > 0]
    return {"stakeholders": len(rows), "with_gap": sum(1 for s in rows if s.gap),
            "below": len(below), "above": sum(1 for s in rows if s.gap < 0),
            "largest": max((s.gap for s in below), default=0)}


def portfolio_loyalty(who: str | None = None) -> Any:
    """The loyalty totals summed over every customer's figures."""
    each = by_customer(who=who).values()
    referrals = {s: sum(x.referrals.get(s, 0) for x in each) for s in m.REFERRAL_STATUSES}
    return Loyalty(sum(x.projects for x in each), sum(x.repeat_projects for x in each),
                   sum(x.repeat_customers for x in each), referrals)


def _facts(ctx: Context, judged: Any) -> list[dict[str, Any]]:
    """Each judged expectation with ``on_baseline`` and ``slip`` (None: not renegotiated)."""
    return credibility._facts_of(ctx, list(judged.dicts()), judged.select(m.Expectation.id))


def _summarise(key: Any, name: str, rows: list[dict[str, Any]]) -> Any:
    judged = [r for r in rows if r["judged"]]
    slips = [r["slip"] for r in rows if r["slip"] is not None]
    return credibility.Credibility(key, name, len(judged), sum(r["on_baseline"] for r in judged),
                                   len(slips), round(sum(slips) / len(slips), 1) if slips else None)


def portfolio_credibility(ctx: Context, who: str | None = None) -> Any:
    """Credibility over every judged expectation, each worked out in Python."""
    return _summarise(None, "portfolio", _facts(ctx, credibility._judged(ctx, None, who)))


def credibility_by_customer(ctx: Context, who: str | None = None) -> list[Any]:
    """Credibility per customer, each judged expectation worked out in Python."""
    groups: dict[int, list[dict[str, Any]]] = {}
    names: dict[int, str] = {}
    for row in _facts(ctx, credibility._judged(ctx, None, who)):
        groups.setdefault(row["customer"], []).append(row)
        names[row["customer"]] = row["customer_name"]
    return sorted((_summarise(cid, names[cid], rows) for cid, rows in groups.items()),
                  key=credibility._order)


def credibility_by_owner(ctx: Context, who: str | None = None) -> list[Any]:
    """Credibility per owner, each judged expectation worked out in Python."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _facts(ctx, credibility._judged(ctx, None, who)):
        groups.setdefault(row["owner"] or "", []).append(row)
    return sorted((_summarise(owner, owner or "(nobody)", rows)
                   for owner, rows in groups.items()), key=credibility._order)


def risks_by_band(ctx: Context, who: str | None = None) -> dict[str, int]:
    """Open risks per band, every open risk of an active customer read and banded."""
    r, c = m.Risk, m.Customer
    query = (r.select(r.score).join(c, on=(r.customer == c.id))
             .where(r.status.in_(risks.OPEN_STATUSES) & (c.archived == False)))  # noqa: E712
    if who is not None:
        query = query.where(owned(who, r.owner))
    out = {band: 0 for band in risks.BANDS}
    for (score,) in query.tuples():
        out[risks.band_of(score)] += 1
    return out


def portfolio_satisfaction(ctx: Context, who: str | None = None) -> Any:
    """CSAT and NPS from every answer in the period of an active customer, counted here."""
    f, c = m.Feedback, m.Customer
    days = ctx.insight.satisfaction_days
    first = ctx.today() - dt.timedelta(days=days - 1)
    query = (f.select(f.kind, f.score).join(c, on=(f.customer == c.id))
             .where((c.archived == False)  # noqa: E712
                    & f.received_on.between(first, ctx.today())))
    if who is not None:
        query = query.where(owned(who))
    answers = list(query.tuples())
    csat = [s for k, s in answers if k == "csat"]
    nps = [s for k, s in answers if k == "nps"]
    return satisfaction.Satisfaction(
        satisfaction.Figure(satisfaction.csat_score(len(csat), sum(s >= 4 for s in csat)),
                            len(csat), days),
        satisfaction.Figure(satisfaction.nps_score(len(nps), sum(s >= 9 for s in nps),
                                                   sum(s <= 6 for s in nps)), len(nps), days))


def weekly_bands(ctx: Context, who: str | None = None,
                 weeks: int = trends.WEEKS) -> list[trends.WeekBands]:
    """``trends.weekly_bands`` as it was: a CASE per period, the latest day per customer and
    week joined back to its snapshot."""
    periods = trends.week_periods(ctx.today(), weeks)
    s = m.HealthSnapshot
    week = trends._bucket(s.day, periods)
    days = (s.select(s.customer.alias("cid"), week.alias("wk"), s.day.alias("day"))
            .where(s.customer.in_(active_customers(who))
                   & s.day.between(periods[0][0], ctx.today()))
            .alias("days"))
    latest = (s.select(days.c.cid, days.c.wk, fn.MAX(days.c.day).alias("day"))
              .from_(days).group_by(days.c.cid, days.c.wk).alias("latest"))
    query = (s.select(latest.c.wk, s.band, fn.COUNT(s.id))
             .join(latest, on=(s.customer == latest.c.cid) & (s.day == latest.c.day))
             .group_by(latest.c.wk, s.band).tuples())
    counts: dict[int, dict[str, int]] = {}
    for wk, band, n in query:
        if wk is not None and band in m.HEALTH_BANDS:
            counts.setdefault(int(wk), {})[band] = int(n)
    return [trends.WeekBands(a, b, **counts.get(n, {})) for n, (a, b) in enumerate(periods)]


def band_rows(ctx: Context, band: str | None, who: str | None = None) -> list[dict[str, Any]]:
    """The records behind a health band from every customer's live health."""
    return [{"id": t.health.customer_id, "name": t.health.name, "score": t.health.score,
             "band": t.health.band, "then": t.then, "direction": t.direction,
             "reason": weakest_signal(t.health)}
            for t in portfolio.health_trends(ctx, who) if t.health.band == band]


def renewals_by_quarter(ctx: Context, who: str | None = None) -> list[Any]:
    """Renewals per quarter by band, every active customer and snapshot read into Python."""
    from relboard.services.portfolio_renewals import QuarterRenewals, periods

    today = ctx.today()
    c, s = m.Customer, m.HealthSnapshot
    latest: dict[int, tuple[Any, str]] = {}
    for cid, day, band in s.select(s.customer, s.day, s.band).tuples():
        if day <= today and (cid not in latest or day > latest[cid][0]):
            latest[cid] = (day, band)
    query = c.select(c.id, c.renews_on).where(c.archived == False)  # noqa: E712
    if who is not None:
        query = query.where(owned(who))
    counts: list[dict[str, int]] = [{} for _ in periods(today)]
    for cid, day in query.tuples():
        for n, (_, first, last) in enumerate(periods(today)):
            if day is not None and (first is None or first <= day) and day <= last:
                band = latest.get(cid, (None, None))[1]
                key = band if band in m.HEALTH_BANDS else "unscored"
                counts[n][key] = counts[n].get(key, 0) + 1
    return [QuarterRenewals(label, first, last, **counts[n])
            for n, (label, first, last) in enumerate(periods(today))]
