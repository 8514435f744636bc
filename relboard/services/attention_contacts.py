"""Today's "overdue for contact" group as index walks: customers and stakeholders past their
contact cadence, one pair of walks per cadence in use (never contacted, by id; contacted
before the cadence's bound, by last contact), as ``attention_sql`` walks the other groups.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Callable

from peewee import ModelSelect

from relboard import models as m
from relboard.services.attention_sql import Stream, _values, scoped, snoozed
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, rows, slot


def _local_midnight_utc(ctx: Context, day: _dt.date) -> _dt.datetime:
    return ctx.utc(_dt.datetime.combine(day, _dt.time()))


@cache
def _distinct_cadences(model) -> Callable[[], ModelSelect]:
    """The cadences in use by ``model``'s live records (stakeholders: only their own)."""
    def build() -> ModelSelect:
        where = model.archived == False  # noqa: E712
        if model is m.Contact:
            where &= model.cadence_days.is_null(False)
        return model.select(model.cadence_days).where(where).distinct()

    return build


def _cadences(model) -> list[int | None]:
    """The distinct cadences in use (NULL included), read from the index."""
    return [row["cadence_days"] for row in rows(
        ("cadences", model.__name__), _distinct_cadences(model), {})]


def _customers(mine: bool, none: bool) -> ModelSelect:
    """Live, unsnoozed customers of the cadence in slot ``cadence`` (``none``: no cadence of
    their own); ``mine``: the user's or nobody's."""
    c = m.Customer
    same = c.cadence_days.is_null() if none else (c.cadence_days == slot("cadence"))
    query = c.select(c.id, c.name, c.version, c.last_contact_at).where(
        (c.archived == False) & same  # noqa: E712
        & not_in_query(c.id, snoozed("customer")))
    if mine:
        query = query.where((c.owner == slot("who")) | (c.owner == "") | c.owner.is_null())
    return query


def _stakeholders(mine: bool, none: bool) -> ModelSelect:
    """Live stakeholders of the cadence in slot ``cadence`` (they always have one here)."""
    k = m.Contact
    query = k.select(k.id, k.name, k.role, k.version, k.customer, k.last_contact_at).where(
        (k.archived == False) & (k.cadence_days == slot("cadence")))  # noqa: E712
    return scoped(query, k, "contact", mine)


@cache
def _contact_shapes(name: str, none: bool, mine: bool) -> tuple:
    """The builds and orders of the never-contacted and the late streams of one kind."""
    model, base = (m.Customer, _customers) if name == "customer" else (m.Contact, _stakeholders)

    def never() -> ModelSelect:
        return base(mine, none).where(model.last_contact_at.is_null())

    def late() -> ModelSelect:
        return base(mine, none).where(model.last_contact_at
                                      < slot("bound", model.last_contact_at))

    def never_order() -> tuple:
        return (model.archived, model.cadence_days, model.id)

    def late_order() -> tuple:
        return (model.archived, model.cadence_days, model.last_contact_at, model.id)

    return ((name, "never", none, mine), never, never_order), \
        ((name, "late", none, mine), late, late_order)


def _contact_pair(name: str, cadence: int | None, days: int, ctx: Context,
                  who: str | None) -> list[Stream]:
    """Never contacted (by id) and past the cadence (by last contact), for one cadence."""
    bound = _local_midnight_utc(ctx, ctx.today() - _dt.timedelta(days=days))
    values = _values(ctx, who, bound=bound, cadence=cadence)
    return [Stream("contact", key, build, order, values, days)
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
