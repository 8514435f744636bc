"""The customer list's orders that need more than one index walk, each still keyset-paged.

* ``contact``: never contacted (by id), then by last contact, longest ago first.
* ``overdue``: never contacted, then by when contact falls due (last contact plus the
  customer's cadence, or the default): the most overdue first. One walk of
  ``customer(archived, cadence_days, last_contact_at, id)`` per cadence in use, merged.
* ``tier``: strategic, key, standard, each by name (``customer(archived, tier, name, id)``).
* ``renewal``: by renewal date (``customer(archived, renews_on, id)``), then the customers
  without one by name.

A cursor starts with the phase it is in (a walk, or a tier), then the last row's keys.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Callable
from typing import Any

from peewee import Tuple

from relboard import models as m
from relboard.services import prepared
from relboard.services.context import Context
from relboard.services.page import Page
from relboard.services.spec import parse_stored

Window = Callable[..., Any]


def by_contact(query: Any, after: tuple | None, limit: int, window: Window) -> Any:
    """Never contacted (by id), then by last contact, oldest first."""
    c = m.Customer
    return _phases("contact", query,
                   [c.last_contact_at.is_null(), c.last_contact_at.is_null(False)],
                   [([c.id], ["id"]), ([c.last_contact_at, c.id], ["last_contact", "id"])],
                   after, limit, window)


def by_tier(query: Any, after: tuple | None, limit: int, window: Window) -> Any:
    """Strategic, key, standard customers, each tier by name."""
    c = m.Customer
    return _phases("tier", query, [c.tier == t for t in m.TIERS],
                   [([c.name, c.id], ["name", "id"])] * len(m.TIERS), after, limit, window)


def by_renewal(query: Any, after: tuple | None, limit: int, window: Window) -> Any:
    """Customers with a renewal date by that date, the earliest first (a passed one first of
    all); then those without one, by name."""
    c = m.Customer
    undated = c.renews_on.concat("").is_null()  # no index lookup: walk the name index
    return _phases("renewal", query, [c.renews_on.is_null(False), undated],
                   [([c.renews_on, c.id], ["renews_on", "id"]), ([c.name, c.id], ["name", "id"])],
                   after, limit, window)


def _phases(name: str, query: prepared.Shaped, parts: list[Any],
            orders: list[tuple[list, list[str]]], after: tuple | None, limit: int,
            window: Window) -> Any:
    """``query`` split into ``parts`` (fixed for ``name``) listed one after another, each in
    its own order."""
    rows: list[dict[str, Any]] = []
    phase, cursor = (after[0], after[1:] or None) if after else (0, None)
    while phase < len(parts):
        keys, names = orders[phase]
        part = parts[phase]
        page = window(query.also((name, phase), lambda q, part=part: q.where(part)), keys,
                      names, False, cursor, limit - len(rows))
        rows += page.rows
        if page.after is not None:
            return type(page)(rows, (phase, *page.after))
        phase, cursor = phase + 1, None
        if len(rows) >= limit:
            return type(page)(rows, (phase,) if phase < len(parts) else None)
    return type(page)(rows, None)


def by_overdue(ctx: Context, query: Any, after: tuple | None, limit: int,
               window: Window) -> Any:
    """Never contacted first, then by when contact falls due, most overdue first."""
    c = m.Customer
    if after is None or after[0] == 0:
        first = by_contact(query, (0, *after[1:]) if after else None, limit, window)
        if first.after is not None and first.after[0] == 0:
            return first
        rows, cursor = [r for r in first.rows if r["last_contact"] is None], None
        if len(rows) >= limit:
            return type(first)(rows, (1,))
    else:
        rows, cursor = [], after[1:] or None
    cadences = [row["cadence_days"] for row in query.also("cadences", lambda q: q.select(
        c.cadence_days).where(c.last_contact_at.is_null(False)).distinct()).rows()]
    walks = [_due_walk(ctx, query, cadence, cursor, limit - len(rows) + 1)
             for cadence in cadences]
    for key, row in heapq.merge(*walks):
        if len(rows) == limit:
            last = rows[-1]
            return Page(rows, (1, last["_due"], last["id"]))
        row["_due"] = key[0]
        rows.append(row)
    return Page(rows, None)


def _due_walk(ctx: Context, query: prepared.Shaped, cadence: int | None,
              cursor: tuple | None, limit: int):
    """Customers of one cadence by when contact falls due: ((due, id), row)."""
    c, slot = m.Customer, prepared.slot
    span = _dt.timedelta(days=cadence or ctx.cadence_days)

    def walk(q: Any) -> Any:
        same = c.cadence_days.is_null() if cadence is None else c.cadence_days == slot("cadence")
        q = q.where(same & c.last_contact_at.is_null(False))
        if cursor is not None:
            q = q.where(Tuple(c.last_contact_at, c.id) > Tuple(slot("from_at"), slot("from_id")))
        return q.order_by(c.last_contact_at, c.id).limit(slot("limit"))

    values = {"cadence": cadence, "limit": limit, "from_at": None, "from_id": None}
    if cursor is not None:
        values.update(from_at=cursor[0] - span, from_id=cursor[1])
    for row in query.also(("due", cadence is None, cursor is not None), walk, **values).rows():
        yield (parse_stored(row["last_contact"]) + span, row["id"]), row
