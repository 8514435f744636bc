"""Today's "Overdue for contact": customers and stakeholders past their contact cadence.

The overdue rule lives here: a record is overdue when it was never contacted, or when its last
contact (as a local date) is more than its cadence in days ago. The walks: one pair per
cadence in use (never contacted, by id; contacted before the cadence's bound, by last contact).
A customer without a cadence of its own has the board's (``cadence_days``); stakeholders show
only with one of their own, and only when ``attention.stakeholder_cadence`` is on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import cache
from typing import Any

from peewee import SQL, ModelSelect, Select, fn

from relboard import models as m
from relboard.clock import to_local
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, rows, slot
from relboard.services.spec import parse_stored  # SQLite aggregates come back as text
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import (
    Candidate,
    Stream,
    duties,
    fetch_together,
    scoped,
    snoozed,
    top,
    values,
)
from relboard.services.wording import ago_text

NEVER = 10_000
"""Days overdue of a record never contacted (before every one contacted)."""


def overdue_by(last: _dt.datetime | None, cadence: int, today: _dt.date) -> int:
    """How many days a last contact (local time) is past ``cadence`` days (never: NEVER)."""
    return NEVER if last is None else (today - last.date()).days - cadence


def overdue(last: _dt.datetime | None, cadence: int, today: _dt.date) -> tuple[bool, str, int]:
    """Whether a last contact (local time) is past ``cadence`` days, the reason, and by how much."""
    by = overdue_by(last, cadence, today)
    return last is None or by > 0, overdue_reason(last, cadence, today), by


def overdue_reason(last: _dt.datetime | None, cadence: int, today: _dt.date) -> str:
    """Why a contact is overdue, in words (for the items shown only)."""
    if last is None:
        return f"no touchpoint logged yet; cadence {cadence}"
    return f"last contact {ago_text((today - last.date()).days)}; cadence {cadence}"


def local(ctx: Context, stored: object) -> _dt.datetime | None:
    """A stored moment (or an aggregate's text) as the user's local time."""
    moment = parse_stored(stored)
    return None if moment is None else ctx.local(moment)


def _local_midnight_utc(ctx: Context, day: _dt.date) -> _dt.datetime:
    return ctx.utc(_dt.datetime.combine(day, _dt.time()))


@cache
def _distinct_cadences(model) -> Callable[[], Any]:
    """The cadences in use by ``model``'s live records (stakeholders: only their own; for
    customers a NULL, the configured default, when one has none): an index skip-scan, one
    seek per distinct value (a recursive CTE on both databases), not a pass over every
    record's index entry as DISTINCT would be (200,000 stakeholders on a 1M-record board)."""
    def build() -> Any:
        live = model.archived == False  # noqa: E712
        cadence = model.cadence_days
        first = model.select(fn.MIN(cadence).alias("v")).where(live & cadence.is_null(False))
        seen = first.cte("cadences", recursive=True, columns=("v",))
        later = model.alias()
        step = Select([seen], [later.select(fn.MIN(later.cadence_days)).where(
            (later.archived == False) & (later.cadence_days > seen.c.v))])  # noqa: E712
        walk = seen.union_all(step.where(seen.c.v.is_null(False)))
        query = walk.select_from(walk.c.v.alias("cadence_days")).where(walk.c.v.is_null(False))
        if model is m.Customer:  # customers without a cadence of their own: the default
            none = Select(columns=[SQL("NULL").alias("cadence_days")]).where(fn.EXISTS(
                model.select(SQL("1")).where(live & cadence.is_null())))
            query = query + none  # UNION ALL
        return query.bind(m.database_proxy)

    return build


def _cadences(model) -> list[int | None]:
    """The distinct cadences in use (NULL included for customers), read from the index."""
    return [row["cadence_days"] for row in rows(
        ("cadences", model.__name__), _distinct_cadences(model), {})]


def _customers(mine: bool, none: bool) -> ModelSelect:
    """Live, unsnoozed customers of the cadence in slot ``cadence`` (``none``: no cadence of
    their own); ``mine``: only those of the owner in slot ``duty`` (a PM, or "" for nobody:
    the column is never NULL)."""
    c = m.Customer
    same = c.cadence_days.is_null() if none else (c.cadence_days == slot("cadence"))
    query = c.select(c.id, c.name, c.version, c.last_contact_at).where(
        (c.archived == False) & same  # noqa: E712
        & not_in_query(c.id, snoozed("customer")))
    return query.where(c.owner == slot("duty")) if mine else query


def _stakeholders(mine: bool, none: bool) -> ModelSelect:
    """Live stakeholders of the cadence in slot ``cadence`` (they always have one here);
    ``mine``: only those whose customer's owner is in slot ``duty``."""
    k = m.Contact
    query = k.select(k.id, k.name, k.role, k.version, k.customer, k.last_contact_at).where(
        (k.archived == False) & (k.cadence_days == slot("cadence")))  # noqa: E712
    if mine:
        query = query.where(k.account_owner == slot("duty"))
    return scoped(query, k, "contact", False)


@cache
def _contact_shapes(name: str, none: bool, mine: bool) -> tuple:
    """The builds and orders of the never-contacted and the late streams of one kind (in one
    PM's view, of one owner: the owner is then in the order, so both databases walk that
    owner's range of the index in its order)."""
    model, base = (m.Customer, _customers) if name == "customer" else (m.Contact, _stakeholders)
    owner = m.Customer.owner if name == "customer" else m.Contact.account_owner
    by_owner = (owner,) if mine else ()

    def never() -> ModelSelect:
        return base(mine, none).where(model.last_contact_at.is_null())

    def late() -> ModelSelect:
        return base(mine, none).where(model.last_contact_at
                                      < slot("bound", model.last_contact_at))

    def order() -> tuple:  # last contact: NULL in every row of "never", yet in the order, so
        # PostgreSQL reads the index in its order too (IS NULL is no equality to its planner:
        # it sorted the 6,666 never-contacted stakeholders of a cadence for 50 of them)
        return (model.archived, model.cadence_days, *by_owner, model.last_contact_at, model.id)

    return ((name, "never", none, mine), never, order), \
        ((name, "late", none, mine), late, order)


def _contact_pair(name: str, cadence: int | None, days: int, ctx: Context,
                  who: str | None) -> list[Stream]:
    """Never contacted (by id) and past the cadence (by last contact), for one cadence. In
    ``who``'s view a pair for each owner of their share: theirs and nobody's ("") — one
    index range each, disjoint, so their counts add (the walks of a PM with few of a
    cadence's records no longer pass everyone else's)."""
    bound = _local_midnight_utc(ctx, ctx.today() - _dt.timedelta(days=days))
    return [Stream("contact", key, build, order,
                   values(ctx, who, bound=bound, cadence=cadence, duty=duty), days)
            for duty in duties(who)
            for key, build, order in _contact_shapes(name, cadence is None, who is not None)]


def customer_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Customers past their contact cadence: per cadence in use, by last contact; and those
    never contacted, by id."""
    out = []
    for cadence in _cadences(m.Customer):
        out += _contact_pair("customer", cadence, cadence or ctx.cadence_days, ctx, who)
    return out


def stakeholder_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Stakeholders with a cadence of their own who are past it (as for customers)."""
    out = []
    for cadence in _cadences(m.Contact):
        out += _contact_pair("contact", cadence, cadence, ctx, who)
    return out


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` overdue customers and stakeholders, the longest overdue first."""
    today, found = ctx.today(), []
    kinds = [customer_streams(ctx, who)]  # each kind's walks in one statement
    if ctx.attention.stakeholder_cadence:
        kinds.append(stakeholder_streams(ctx, who))
    zone = ctx.zone
    for stream, (got, total) in ((stream, fetched) for streams in kinds for stream, fetched
                                 in zip(streams, fetch_together(streams, limit), strict=True)):
        totals["contact"] += total
        cadence = stream.info
        for row in got:  # days overdue from the local date only (the words: items shown)
            stored = row["last_contact_at"]
            if stored is None:
                by = NEVER
            elif isinstance(stored, _dt.datetime):
                by = (today - to_local(stored, zone).date()).days - cadence
            else:
                by = overdue_by(local(ctx, stored), cadence, today)
            found.append(((-by, stored or _dt.datetime.min, row["id"]), "contact", row, cadence))
    return top(found, limit)


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A customer or a stakeholder: when they were last contacted, and their cadence."""
    key, group, row, cadence = candidate
    reason = overdue_reason(local(ctx, row["last_contact_at"]), cadence, ctx.today())
    if "customer" not in row:  # a customer
        name = names.get(row["id"], row["name"])
        return AttentionItem(group, "customer", row["id"], row["id"], name, name, reason,
                             key[0], row["version"])
    title = f"{row['name']} ({row['role']})" if row["role"] else row["name"]
    return AttentionItem(group, "contact", row["id"], row["customer"],
                         names.get(row["customer"], ""), title,
                         "stakeholder: " + reason.replace("cadence", "own cadence"), key[0],
                         row["version"])


def snoozed_names(kind: str, ids: list[int]) -> list[tuple[int, str, int]]:
    """(id, name, customer id) of the snoozed customers or stakeholders ``ids``."""
    if kind == "customer":
        c = m.Customer
        return list(c.select(c.id, c.name, c.id).where(c.id.in_(ids)).tuples())
    k = m.Contact
    return list(k.select(k.id, k.name, k.customer).where(k.id.in_(ids)).tuples())
