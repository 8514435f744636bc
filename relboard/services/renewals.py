"""Renewals: a customer's renewal date (``customer.renews_on``) and a project's end date, and
what ``d`` does on Today's "Renewals ahead" (the renewal is done: the next date is recorded).

Today's group lives in ``services.today.renewals``; the portfolio's renewals by quarter in
``services.portfolio_renewals``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard.services import records
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.spec import parse_date

FIELD = {"renewal": ("customer", "renews_on"), "project": ("project", "end_date")}
"""The record and the date field behind each kind of Today's renewal items."""


def next_date(ctx: Context, kind: str, value: Any) -> _dt.date:
    """The new date of a renewal (or of a project's end) as typed: a date after today
    (ValidationError on the field otherwise)."""
    field = FIELD[kind][1]
    try:
        day = parse_date(value, ctx.today())
    except ValueError:
        raise ValidationError(field, "must be a date like 2027-11-30") from None
    if day is None:
        raise ValidationError(field, "is required: the date of the next renewal")
    if day <= ctx.today():
        raise ValidationError(field, f"must be after today ({ctx.today().isoformat()})")
    return day


def renew(ctx: Context, kind: str, record_id: int, version: int, value: Any) -> str:
    """Record the next renewal date of a customer (``kind`` "renewal") or the new end date
    of a project ("project", extended), read at ``version`` (a save by someone else since
    is a conflict); returns what was done, in words."""
    if kind not in FIELD:
        raise ValidationError("item", "only a renewal or a project's end can be renewed")
    name, field = FIELD[kind]
    day = next_date(ctx, kind, value)
    records.update(ctx, name, record_id, version, {field: day})
    return (f"renewed: next renewal {day.isoformat()}" if kind == "renewal"
            else f"extended: the project now ends {day.isoformat()}")
