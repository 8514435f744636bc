"""Today's "Health dropped this week": customers whose health band fell, the bigger fall and
then the lower score first.

It reads today's health snapshots (``healthhistory.record_snapshots`` marks the band each
customer fell from), so Today never scores the whole portfolio. The digest, run before any
board has scored the day, works the drops out itself and makes its items with ``drop_item``.
"""

from __future__ import annotations

from typing import Any

from peewee import ModelSelect

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, slot
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import (
    Candidate,
    Stream,
    archived_customers,
    duties,
    fetch_all,
    snoozed,
    values,
)


def _health_drops(mine: bool) -> ModelSelect:
    s = m.HealthSnapshot
    query = s.select(s.customer, s.score, s.band, s.dropped_from).where(
        (s.day == slot("today", s.day)) & (s.dropped_from == slot("fell"))
        & not_in_query(s.customer, archived_customers())
        & not_in_query(s.customer, snoozed("health")))
    # one PM's: the range of the owner in slot "duty" (schema 23: the customer's, stored)
    return query.where(s.account_owner == slot("duty")) if mine else query


def _health_order() -> tuple:
    s = m.HealthSnapshot
    return (s.day, s.dropped_from, s.score, s.customer)


_BUILDS = {mine: (lambda mine=mine: _health_drops(mine)) for mine in (False, True)}
"""The query of each view, made once: see ``Stream``."""


def health_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Customers whose band fell this week, per band they fell from, lowest score first (in
    one PM's view, per owner of theirs: ``streams.duties``)."""
    mine = who is not None
    return [Stream("health", ("health", mine), _BUILDS[mine], _health_order,
                   values(ctx, who, fell=fell, duty=duty))
            for duty in duties(who)
            for fell in ("green", "amber")]  # one SQL text for all: band and owner in slots


def health_key(row: dict[str, Any]) -> tuple:
    """Bigger falls first (green to red), then the lowest score."""
    rank = {band: n for n, band in enumerate(m.HEALTH_BANDS)}
    return (rank[row["band"]] - rank[row["dropped_from"]], row["score"], row["customer"])


def health_reason(row: dict[str, Any]) -> str:
    """"health fell from green to red this week (score 38)"."""
    return (f"health fell from {row['dropped_from']} to {row['band']} this week "
            f"(score {row['score']})")


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` drops, the biggest first."""
    return fetch_all(health_streams(ctx, who), limit, totals,
                     lambda row, stream: (health_key(row), "health", row, None))


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A customer whose health fell: from which band to which, and the score."""
    key, group, row, _ = candidate
    name = names.get(row["customer"], "")
    return AttentionItem(group, "health", row["customer"], row["customer"], name, name,
                         health_reason(row), key[1], 0)


def drop_item(customer_id: int, customer: str, from_band: str, band: str,
              score: int) -> AttentionItem:
    """The item of a drop worked out without the snapshots (the digest's, before the day is
    scored)."""
    return AttentionItem("health", "health", customer_id, customer_id, customer, customer,
                         health_reason({"dropped_from": from_band, "band": band,
                                        "score": score}), score, 0)


def snoozed_names(kind: str, ids: list[int]) -> list[tuple[int, str, int]]:
    """(customer id, name, customer id) of the customers ``ids`` whose drop is snoozed."""
    c = m.Customer
    return list(c.select(c.id, c.name, c.id).where(c.id.in_(ids)).tuples())
