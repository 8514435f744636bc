"""The overview's health figures from the day's snapshots: customers by band now and a week
ago, and the lowest-scored customers.

Once a board has scored the day (``healthhistory``: one snapshot per customer and day), the
bands are counted in SQL over today's snapshots, each customer's band a week ago read beside
it (its latest snapshot from ``TREND_DAYS + TREND_SLACK`` to ``TREND_DAYS`` days ago: what
``portfolio.bands_then`` reads), grouped by the pair: a row per (band now, band then), not
per customer. The lowest are the snapshots at or below the ``LOWEST``-th smallest score.
Customers without a snapshot today (added since, no score, or the day not scored yet) are
scored now, as ``healthhistory.scores_today`` does, so the figures are those of
``health_of`` whenever the day's snapshots are current.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Any

from peewee import JOIN, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.health import Health, health_of
from relboard.services.scope import active_customers, of_active

_BANDS = set(m.HEALTH_BANDS)


def _then(ctx: Context, days: int, slack: int) -> Any:
    """The band of a customer's latest snapshot ``days`` days ago, or up to ``slack`` days
    before (a subquery on the customer of the outer query)."""
    c, t = m.Customer, m.HealthSnapshot.alias("then_snap")
    day = ctx.today() - _dt.timedelta(days=days)
    return (t.select(t.band).where((t.customer == c.id)
                                   & t.day.between(day - _dt.timedelta(days=slack), day))
            .order_by(t.day.desc()).limit(1))


def _customers(ctx: Context, who: str | None, *columns: Any) -> Any:
    """Active customers (``who``'s share) with today's snapshot beside them (if any)."""
    c, s = m.Customer, m.HealthSnapshot
    return (c.select(*columns)
            .join(s, JOIN.LEFT_OUTER, on=(s.customer == c.id) & (s.day == ctx.today()))
            .where(c.id.in_(active_customers(who))))


def _valid(band: Any) -> str | None:
    return band if band in _BANDS else None


def figures(ctx: Context, who: str | None, count: int, days: int, slack: int
            ) -> tuple[dict[tuple[str | None, str | None], int], list[tuple[Health, str | None]]]:
    """Active customers (``who``'s share) counted by (band today, band ``days`` ago; band
    today None: no score), and the ``count`` with the lowest scores today, worst first (by
    score, name, id), each with its band ``days`` ago and its signals worked out now (what
    the overview shows beside each). Customers without a snapshot today are scored now."""
    s, c = m.HealthSnapshot, m.Customer
    then = _then(ctx, days, slack)
    pairs = _customers(ctx, who, s.band.alias("now"), then.alias("then")).alias("pairs")
    out: dict[tuple[str | None, str | None], int] = {}
    missing = False
    for now, was, n in (c.select(pairs.c.now, pairs.c.then, fn.COUNT(pairs.c.now))
                        .from_(pairs).group_by(pairs.c.now, pairs.c.then).tuples()):
        if now is None:  # no snapshot today: scored below
            missing = True
            continue
        key = (now, _valid(was))
        out[key] = out.get(key, 0) + int(n)
    live: list[tuple[Health, str | None]] = []
    if missing:
        was_of = dict(_customers(ctx, who, c.id, then.alias("then")).where(s.id.is_null())
                      .tuples())
        live = [(h, _valid(was_of[cid])) for cid, h in health_of(ctx, list(was_of)).items()]
        for health, was in live:
            out[(health.band, was)] = out.get((health.band, was), 0) + 1
    return out, _lowest(ctx, who, count, then, [p for p in live if p[0].score is not None])


def _lowest(ctx: Context, who: str | None, count: int, then: Any,
            live: list[tuple[Health, str | None]]) -> list[tuple[Health, str | None]]:
    """The ``count`` lowest of today's snapshots and the customers scored now (``live``):
    the day's snapshots walked from the lowest score (``health_snapshot(day, score,
    customer_id)``, schema 19) to the ``count``-th, then those up to its score."""
    s, c = m.HealthSnapshot, m.Customer
    todays = (s.day == ctx.today()) & of_active(s.customer, who)
    scored = (s.select(c.id, c.name, c.version, s.score, s.band, then.alias("then"))
              .join(c, on=(s.customer == c.id)).where(todays))
    cutoff = s.select(s.score).where(todays).order_by(s.score).limit(1).offset(count - 1) \
        .scalar()
    if cutoff is not None:  # every snapshot tied with the last one shown: names decide
        scored = scored.where(s.score <= cutoff)
    found = [(Health(cid, name, score, band, (), None, version), _valid(was))
             for cid, name, version, score, band, was in scored.tuples()] + live
    found.sort(key=lambda p: (p[0].score, p[0].name.lower(), p[0].customer_id))
    return with_signals(ctx, found[:count])


def members(ctx: Context, who: str | None, band: str | None, days: int, slack: int
            ) -> list[tuple[Health, str | None]]:
    """The active customers (``who``'s share) in ``band`` today (None: no score), worst first
    (score, name, id), each with its band ``days`` ago: today's snapshots where taken (what
    the overview counted), the others scored now; no signals (``with_signals`` adds them)."""
    s, c = m.HealthSnapshot, m.Customer
    then = _then(ctx, days, slack)
    found: list[tuple[Health, str | None]] = []
    if band is not None:
        query = _customers(ctx, who, c.id, c.name, c.version, s.score, s.band,
                           then.alias("then")).where(s.band == band)
        found = [(Health(cid, name, score, now, (), None, version), _valid(was))
                 for cid, name, version, score, now, was in query.tuples()]
    was_of = dict(_customers(ctx, who, c.id, then.alias("then")).where(s.id.is_null()).tuples())
    if was_of:
        found += [(h, _valid(was_of[cid])) for cid, h in health_of(ctx, list(was_of)).items()
                  if h.band == band]
    found.sort(key=lambda p: (p[0].score if p[0].score is not None else 101,
                              p[0].name.lower(), p[0].customer_id))
    return found


def with_signals(ctx: Context, found: list[tuple[Health, str | None]]
                 ) -> list[tuple[Health, str | None]]:
    """``found`` with each customer's signals and rating worked out now (score and band kept)."""
    live = health_of(ctx, [h.customer_id for h, _ in found])
    return [(replace(h, signals=live[h.customer_id].signals, rating=live[h.customer_id].rating)
             if h.customer_id in live else h, was) for h, was in found]
