"""Health over time: one snapshot per customer per day, the trend, and band drops.

``record_snapshots`` computes today's scores and writes them (at most one row per customer
and day: a second run the same day replaces the first), in short write transactions; the app
calls it at start and the digest before it reports. A customer with no score gets no snapshot.

"Health dropped": a customer's band today (computed now) is below the *best* band among its
snapshots of the ``health.drop_days`` days before today (default 7: from today-7 to
today-1). Using the best band of the window catches a slide in steps (green, then amber, now
red: dropped from green) and forgets a drop that has since recovered (today back at the best).
Customers with no snapshot in the window, or no score today, have not dropped.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from peewee import JOIN

from relboard import models as m
from relboard.db import write
from relboard.services import account_owners
from relboard.services.context import Context
from relboard.services.health import Health, health_of
from relboard.services.health_day import taken_today
from relboard.services.scope import active_customers

CHUNK = 500
"""Snapshots written per transaction."""
_RANK = {band: n for n, band in enumerate(m.HEALTH_BANDS)}


def _best_before(ctx: Context, customer_ids: Iterable[int] | None) -> dict[int, int]:
    """Each customer's best band rank among its snapshots of the window before today."""
    s, today = m.HealthSnapshot, ctx.today()
    start = today - _dt.timedelta(days=ctx.health.drop_days)
    best: dict[int, int] = {}
    for cid, band in (s.select(s.customer, s.band)
                      .where(s.customer.in_(active_customers(None, customer_ids))
                             & (s.day >= start) & (s.day < today)).tuples()):
        if band in _RANK:
            best[cid] = max(best.get(cid, -1), _RANK[band])
    return best


def record_snapshots(ctx: Context, customer_ids: Iterable[int] | None = None) -> int:
    """Write today's score of each customer (``customer_ids``, or every active one) that has
    one, replacing an earlier snapshot of today, with the band it fell from if it fell (see
    the module docstring: what Today's "Health dropped" group reads); returns the snapshots
    written."""
    today, now = ctx.today(), ctx.now()
    best = _best_before(ctx, customer_ids)
    rows = []
    for h in health_of(ctx, customer_ids).values():
        if h.score is None:
            continue
        rank = best.get(h.customer_id, -1)
        fell = m.HEALTH_BANDS[rank] if rank > _RANK[h.band] else None
        rows.append({"customer": h.customer_id, "day": today, "score": h.score,
                     "band": h.band, "taken_at": now, "dropped_from": fell})
    for start in range(0, len(rows), CHUNK):
        write(lambda batch=rows[start:start + CHUNK]: _write(batch))
    return len(rows)


def _write(batch: list[dict]) -> None:
    """Write ``batch`` (the day's snapshots of at most ``CHUNK`` customers) with their
    customers' owners (schema 23: one PM's drops), read in the same transaction: on
    PostgreSQL after share-locking those customers, so a new owner being saved is waited
    for and then read. Only the rows written are touched (a customer's earlier days, one a
    day for years, are kept by the owner changes)."""
    s, c = m.HealthSnapshot, m.Customer
    customers = sorted({row["customer"] for row in batch})
    account_owners.share_lock(customers)
    owners = dict(c.select(c.id, c.owner).where(c.id.in_(customers)).tuples())
    s.insert_many([{**row, "account_owner": owners.get(row["customer"]) or ""}
                   for row in batch]).on_conflict(
        conflict_target=[s.customer, s.day],
        preserve=[s.score, s.band, s.taken_at, s.dropped_from, s.account_owner]).execute()


def scores_today(ctx: Context, who: str | None = None) -> dict[int, Health]:
    """Every active customer's health (``who``'s share), by name: today's snapshot where one
    was taken (a board scored the day: one indexed read instead of every signal of every
    customer, 1.2 ms each), computed now for the rest (a customer added since, or none
    taken yet). Signals and rating are left out (``health_of`` has them)."""
    c, s = m.Customer, m.HealthSnapshot
    rows = (c.select(c.id, c.name, c.version, s.score, s.band)
            .join(s, join_type=JOIN.LEFT_OUTER,
                  on=(s.customer == c.id) & (s.day == ctx.today()))
            .where(c.id.in_(active_customers(who))).order_by(c.name, c.id).tuples())
    out: dict[int, Health] = {}
    missing: list[int] = []
    for cid, name, version, score, band in rows:
        out[cid] = Health(cid, name, score, band, (), None, version)
        if score is None:
            missing.append(cid)
    if missing:
        for cid, live in health_of(ctx, missing).items():
            out[cid] = replace(live, signals=(), rating=None)
    return out


def ensure_today(ctx: Context) -> int:
    """Write today's snapshots unless someone did today; returns the snapshots written."""
    return 0 if taken_today(ctx) else record_snapshots(ctx)


FEW_CUSTOMERS = 60
"""A portfolio this small is scored before Today is first shown (about 1 ms a customer), so
the first paint is the whole board; a bigger one after it, on a thread of its own."""


def scored_if_few(ctx: Context) -> bool:
    """Today's snapshots exist, or are written now when the portfolio has at most
    ``FEW_CUSTOMERS`` active customers (counted up to one more: a short index walk); whether
    the day is scored after it."""
    if taken_today(ctx):
        return True
    c = m.Customer
    few = c.select(c.id).where(c.archived == False).limit(FEW_CUSTOMERS + 1)  # noqa: E712
    if few.count() > FEW_CUSTOMERS:
        return False
    record_snapshots(ctx)
    return True


def trend(ctx: Context, customer_id: int, days: int = 90) -> list[tuple[_dt.date, int]]:
    """(day, score) of a customer's snapshots of the last ``days`` days, oldest first (for a
    sparkline)."""
    s = m.HealthSnapshot
    since = ctx.today() - _dt.timedelta(days=days - 1)
    return list(s.select(s.day, s.score)
                .where((s.customer == customer_id) & (s.day >= since) & (s.day <= ctx.today()))
                .order_by(s.day).tuples())


@dataclass(frozen=True)
class HealthDrop:
    """A customer whose band is below the best band of the window: from what (the latest
    snapshot with that band), to what now."""

    customer_id: int
    customer: str
    from_band: str
    from_score: int
    from_day: _dt.date
    band: str
    score: int


def drops(ctx: Context, who: str | None = None,
          customer_ids: Iterable[int] | None = None) -> list[HealthDrop]:
    """Customers whose band dropped (see the module docstring), the biggest fall first."""
    s, today = m.HealthSnapshot, ctx.today()
    start = today - _dt.timedelta(days=ctx.health.drop_days)
    best: dict[int, tuple[int, _dt.date, int]] = {}  # customer -> (rank, day, score)
    for cid, day, score, band in (s.select(s.customer, s.day, s.score, s.band)
                                  .where(s.customer.in_(active_customers(who, customer_ids))
                                         & (s.day >= start) & (s.day < today))
                                  .order_by(s.customer, s.day).tuples()):
        if band not in _RANK:
            continue
        if cid not in best or _RANK[band] >= best[cid][0]:
            best[cid] = (_RANK[band], day, score)
    if not best:
        return []
    out = []
    for cid, health in health_of(ctx, list(best)).items():
        rank, day, score = best[cid]
        if health.band is not None and _RANK[health.band] < rank:
            out.append(HealthDrop(cid, health.name, m.HEALTH_BANDS[rank], score, day,
                                  health.band, health.score))
    return sorted(out, key=lambda d: (_RANK[d.band] - _RANK[d.from_band], d.score,
                                      d.customer.lower()))
