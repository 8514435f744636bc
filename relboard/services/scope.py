"""Shared rules of the insight services: whose customers a portfolio figure covers, and the
days a look-back period spans."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from peewee import Node

from relboard import models as m
from relboard.services.context import Context


def owned(who: str | Node, item_owner: Any = None) -> Any:
    """What ``who`` is on duty for (the rule of Today's "my view"): customers ``who`` owns or
    nobody owns; with ``item_owner`` (an expectation's or a risk's owner) also items ``who``
    owns or nobody owns, whoever owns the customer. The query must join Customer."""
    c = m.Customer
    mine = (c.owner == who) | (c.owner == "") | c.owner.is_null()
    if item_owner is None:
        return mine
    return (item_owner == who) | (c.owner == who) | (item_owner == "") | item_owner.is_null()


def scoped(query: Any, who: str | None, item_owner: Any = None) -> Any:
    """``query`` narrowed to ``who``'s share (see ``owned``); unchanged when ``who`` is None."""
    return query if who is None else query.where(owned(who, item_owner))


def active_customers(who: str | None = None, customer_ids: Any = None) -> Any:
    """A query of the ids of customers a portfolio figure covers: not archived, ``who``'s
    share, or exactly ``customer_ids`` when given (archived or not)."""
    c = m.Customer
    if customer_ids is not None:
        return c.select(c.id).where(c.id.in_(list(customer_ids)))
    return scoped(c.select(c.id).where(c.archived == False), who)  # noqa: E712


def of_active(customer: Any, who: str | None = None) -> Any:
    """``customer`` (a column of customer ids, made no index key by the caller if it must
    not be walked) is an active customer's, ``who``'s share when given. For everyone it is
    written as "not an archived customer's": the few archived ids are the list each row is
    looked up in, not every active customer's (at 1M records 17 ms against 73 ms a count of
    200,000 issues); a customer id is never NULL, so the two say the same."""
    c = m.Customer
    if who is None:
        return customer.not_in(c.select(c.id).where(c.archived == True))  # noqa: E712
    return customer.in_(active_customers(who))


def first_day(ctx: Context, days: int) -> _dt.date:
    """The first day of the ``days`` days that end today (today included)."""
    return ctx.today() - _dt.timedelta(days=days - 1)


def start_of(ctx: Context, day: _dt.date) -> _dt.datetime:
    """The stored moment (UTC) at which ``day`` begins where the user is."""
    return ctx.utc(_dt.datetime.combine(day, _dt.time(0, 0)))


def as_int(value: Any) -> int:
    """An aggregate's value as an int (PostgreSQL sums are Decimal; nothing is 0)."""
    return int(value or 0)
