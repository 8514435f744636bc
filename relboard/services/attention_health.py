"""Today's insight groups as index walks: health that dropped this week, risks to review.

"Health dropped" reads today's health snapshots (``healthhistory.record_snapshots`` marks the
band each customer fell from), so Today never scores the whole portfolio; "Risks to review"
are open risks whose review date has come, and red risks recorded in the last week.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from peewee import ModelSelect

from relboard import models as m
from relboard.services.attention_sql import (Stream, _values, archived_customers, on_duty,
                                             scoped, snoozed)
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, slot
from relboard.services.wording import due_text
from relboard.services.risks import OPEN_STATUSES as OPEN_RISKS

RED = 15
"""The lowest red risk score (likelihood x impact)."""
CLOSED_RISKS = tuple(s for s in m.RISK_STATUSES if s not in OPEN_RISKS)
NEW_DAYS = 7
"""A red risk recorded this many days ago or less is new."""


def _health_drops(mine: bool) -> ModelSelect:
    s = m.HealthSnapshot
    query = s.select(s.customer, s.score, s.band, s.dropped_from).where(
        (s.day == slot("today", s.day)) & (s.dropped_from == slot("fell"))
        & not_in_query(s.customer, archived_customers())
        & not_in_query(s.customer, snoozed("health")))
    return query.where(on_duty(s.customer)) if mine else query


def _health_order() -> tuple:
    s = m.HealthSnapshot
    return (s.day, s.dropped_from, s.score, s.customer)


def _risk_fields(r) -> tuple:
    return (r.id, r.title, r.likelihood, r.impact, r.score, r.review_on, r.created_at,
            r.status, r.version, r.customer)


def _risks_due(mine: bool) -> ModelSelect:  # one SQL text for every status: slot "status"
    r = m.Risk
    query = r.select(*_risk_fields(r)).where(
        (r.status == slot("status")) & (r.review_on <= slot("today", r.review_on)))
    return scoped(query, r, "risk", mine, owner=r.owner)


def _red_risks(mine: bool) -> ModelSelect:
    r = m.Risk
    query = r.select(*_risk_fields(r)).where(
        (r.score >= RED) & r.status.not_in(CLOSED_RISKS)  # (not IN: walk the score)
        & (r.created_at >= slot("since", r.created_at))
        & (r.review_on.is_null() | (r.review_on > slot("today", r.review_on))))
    return scoped(query, r, "risk", mine, owner=r.owner)


def _due_order() -> tuple:
    return (m.Risk.status, m.Risk.review_on, m.Risk.id)


def _red_order() -> tuple:
    return (m.Risk.score.desc(), m.Risk.id.desc())


_BUILDS = {(name, mine): (lambda make=make, mine=mine: make(mine))
           for name, make in (("health", _health_drops), ("due", _risks_due),
                              ("red", _red_risks)) for mine in (False, True)}
"""Each stream's query, one function per shape and view (made once: see ``Stream``)."""


def health_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Customers whose band fell this week, per band they fell from, lowest score first."""
    mine = who is not None
    return [Stream("health", ("health", mine), _BUILDS["health", mine], _health_order,
                   _values(ctx, who, fell=fell))
            for fell in ("green", "amber")]  # one SQL text for both: the band in slot "fell"


def risk_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Open risks due for review (per status, by review date), then new red ones by score."""
    mine, today = who is not None, ctx.today()
    since = ctx.utc(_dt.datetime.combine(today - _dt.timedelta(days=NEW_DAYS - 1), _dt.time()))
    values = _values(ctx, who, since=since)
    out = [Stream("risk", ("risk due", mine), _BUILDS["due", mine], _due_order,
                  {**values, "status": status}, "due") for status in OPEN_RISKS]
    out.append(Stream("risk", ("risk red", mine), _BUILDS["red", mine], _red_order, values,
                      "red"))
    return out


def health_key(row: dict[str, Any]) -> tuple:
    """Bigger falls first (green to red), then the lowest score."""
    rank = {band: n for n, band in enumerate(m.HEALTH_BANDS)}
    return (rank[row["band"]] - rank[row["dropped_from"]], row["score"], row["customer"])


def health_reason(row: dict[str, Any]) -> str:
    """"health fell from green to red this week (score 38)"."""
    return (f"health fell from {row['dropped_from']} to {row['band']} this week "
            f"(score {row['score']})")


def risk_key(row: dict[str, Any], info: str, today: _dt.date) -> tuple:
    """Reviews due first, the most overdue first; then new red risks, highest score first."""
    if info == "due":
        return (0, (row["review_on"] - today).days, row["id"])
    return (1, -row["score"], -row["id"])


def risk_reason(ctx: Context, row: dict[str, Any], info: str) -> str:
    """The band and score, and why it is on Today."""
    band = "red" if row["score"] >= RED else "amber" if row["score"] >= 5 else "green"
    what = (f"{band} {row['score']} (likelihood {row['likelihood']} x impact "
            f"{row['impact']})")
    if info == "due":
        return f"{what}; review {due_text(row['review_on'], ctx.today())}"
    days = (ctx.today() - ctx.local(row["created_at"]).date()).days
    when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
    return f"new red risk, recorded {when}; {what}"
