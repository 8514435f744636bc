"""Today's "Renewals ahead": customers whose renewal date (``customer.renews_on``) is within
``attention.renewal_days``, and live projects ending within it (``project.end_date``).

Red customers first (a red customer renewing in 30 days is the first thing a PM must see),
then the rest; each part by date, the earliest first. A customer's renewal date that has
passed with no new one recorded stays listed (overdue, first of its part) until ``d`` records
the next date; a project that has ended is a delivery matter and leaves the group.

The band beside each item is the customer's stored health: its latest health snapshot on or
before today (``healthhistory``: the band the health group and the portfolio read), so Today
never scores a customer; a customer never scored shows "health not scored".

The walks: per kind (customer, project) two index ranges by date (``customer(archived,
renews_on, id)``, ``project(archived, end_date, id)``), one for red customers and one for
the rest, each band read from the snapshot index (``health_snapshot(customer, day)``).
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

from peewee import ModelSelect, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, slot
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import (
    Candidate,
    Stream,
    duties,
    rows_together,
    scoped,
    snoozed,
    top,
    values,
)
from relboard.services.wording import due_text

CLOSED_PHASE = "closed"
"""A project in this phase is over: its end date is no renewal."""


def band_of(customer) -> Any:
    """The customer's latest stored band on or before the day in slot ``today`` (a subquery
    over the snapshot index ``(customer, day)``: one short seek a row)."""
    s = m.HealthSnapshot.alias("band_snapshot")
    return (s.select(s.band).where((s.customer == customer) & (s.day <= slot("today", s.day)))
            .order_by(s.day.desc()).limit(1))


def _red(band: Any, red: bool) -> Any:
    return (band == "red") if red else (fn.COALESCE(band, "") != "red")


def _customers(red: bool | None, mine: bool) -> ModelSelect[Any]:
    """Customers renewing by the horizon: red ones (``red``), the rest, or all (None: what
    the group counts, no band read)."""
    c = m.Customer
    band = band_of(c.id)
    query = c.select(c.id, c.name, c.version, c.renews_on, band.alias("band")).where(
        (c.archived == False)  # noqa: E712
        & (c.renews_on <= slot("horizon", c.renews_on))
        & not_in_query(c.id, snoozed("renewal")))
    if red is not None:
        query = query.where(_red(band_of(c.id), red))
    if mine:  # one owner's: the PM's, or nobody's ("": the column is never NULL)
        query = query.where(c.owner == slot("duty"))
    return query


def _projects(red: bool | None, mine: bool) -> ModelSelect[Any]:
    """Live projects ending by the horizon (``red`` as for ``_customers``)."""
    p = m.Project
    band = band_of(p.customer)
    query = p.select(p.id, p.name, p.version, p.end_date, p.customer, band.alias("band")).where(
        (p.archived == False)  # noqa: E712
        & (p.end_date >= slot("today", p.end_date))
        & (p.end_date <= slot("horizon", p.end_date))
        & (p.phase != CLOSED_PHASE))
    if red is not None:
        query = query.where(_red(band_of(p.customer), red))
    return scoped(query, p, "project", mine)


@cache
def _shape(kind: str, red: bool | None, mine: bool) -> tuple:
    """The key, build and order of one stream (made once: see ``Stream``)."""
    if kind == "renewal":
        c = m.Customer
        by_owner = (c.owner,) if mine else ()  # one owner's range of its index (schema 17)
        return (("renewal", red, mine), lambda: _customers(red, mine),
                lambda: (c.archived, *by_owner, c.renews_on, c.id))
    p = m.Project
    return (("renewal project", red, mine), lambda: _projects(red, mine),
            lambda: (p.archived, p.end_date, p.id))


def renewal_streams(ctx: Context, who: str | None, red: bool | None = None
                    ) -> list[Stream]:
    """Customers renewing by the horizon and projects ending by it: red ones (``red``),
    the rest (False), or all (None). In ``who``'s view the customers are two walks, theirs
    and nobody's (disjoint: the counts add), each a range of ``customer(archived, owner,
    renews_on, id)``: a PM with few renewals no longer walks everyone else's."""
    mine = who is not None
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.renewal_days)
    out = []
    for kind, duty in [*(("renewal", d) for d in duties(who)), ("project", None)]:
        key, build, order = _shape(kind, red, mine)
        found = values(ctx, who, horizon=horizon, duty=duty)
        out.append(Stream("renewal", key, build, order, found, (kind, red)))
    return out


RED_FIRST = 100_000
"""An item's urgency is its days to the date, plus this for one not red: red ones first."""


def urgency(red: bool, day: _dt.date, today: _dt.date) -> int:
    """How urgent a renewal is (lower first): red before the rest, then the days to it."""
    return (0 if red else RED_FIRST) + (day - today).days


def renewal_key(row: dict[str, Any], info: tuple[str, bool], today: _dt.date) -> tuple:
    """Red first; then the earliest date (customers before projects on a day), then id."""
    kind, red = info
    day = row["renews_on"] if kind == "renewal" else row["end_date"]
    return (urgency(red, day, today), kind != "renewal", row["id"])


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` renewals: red customers' first, then by date. Counted per kind
    over every renewal by the horizon, whatever its band (one walk of the date index, no
    band read a row), when a part has more than it shows."""
    today = ctx.today()
    found: list[Candidate] = []
    parts = list(zip(renewal_streams(ctx, who, True), renewal_streams(ctx, who, False),
                     renewal_streams(ctx, who), strict=True))
    for kind in ("renewal", "project"):  # a kind's walks (its owners' too) in one statement
        of_kind = [part for part in parts if part[2].info[0] == kind]
        read_all = iter(rows_together([s for red, rest, _ in of_kind for s in (red, rest)],
                                      limit))
        for red, rest, every in of_kind:
            got = [(red, next(read_all)), (rest, next(read_all))]
            read = sum(len(rows) for _, rows in got)
            full = limit is not None and any(len(rows) >= limit for _, rows in got)
            totals["renewal"] += every.count(read) if full else read
            found += [(renewal_key(row, stream.info, today), "renewal", row, stream.info[0])
                      for stream, rows in got for row in rows]
    return top(found, limit)


def band_words(band: str | None) -> str:
    """"health red", or "health not scored"."""
    return f"health {band}" if band in m.HEALTH_BANDS else "health not scored"


def when_text(day: _dt.date, today: _dt.date, what: str = "renews") -> str:
    """"renews in 30 days (Wed 23 Dec)", "renewal passed 3 days ago (Fri 20 Nov)"."""
    delta = (day - today).days
    if delta < 0 and what == "renews":
        words = f"renewal passed {-delta} day{'s' if delta != -1 else ''} ago"
    else:
        words = due_text(day, today).replace("due", what, 1)
    return f"{words} ({day:%a %d %b %Y})"


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A renewal: when, and the customer's health band beside it."""
    key, group, row, kind = candidate
    band = row["band"] if row["band"] in m.HEALTH_BANDS else None
    health = band_words(band)
    if kind == "renewal":
        day, customer = row["renews_on"], row["id"]
        name = names.get(customer, row["name"])
        title, when = f"Renewal ({health})", when_text(day, ctx.today())
    else:
        day, customer = row["end_date"], row["customer"]
        name = names.get(customer, "")
        title, when = f"Project {row['name']} ends ({health})", \
            when_text(day, ctx.today(), "ends")
    return AttentionItem(group, kind, row["id"], customer, name, title, f"{when}; {health}",
                         key[0], row["version"], due=day, when=when, note="", band=band)


def snoozed_names(kind: str, ids: list[int]) -> list[tuple[int, str, int]]:
    """(id, name, customer id) of the customers whose renewal, or projects whose end, is
    snoozed."""
    if kind == "renewal":
        c = m.Customer
        return list(c.select(c.id, c.name, c.id).where(c.id.in_(ids)).tuples())
    p = m.Project
    return list(p.select(p.id, p.name, p.customer).where(p.id.in_(ids)).tuples())
