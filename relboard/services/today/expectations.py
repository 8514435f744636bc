"""Today's "Expectations due soon or at risk": open expectations due by the horizon
(``attention.expectations_due_days``) and every one at risk, by due date."""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

from peewee import ModelSelect

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import slot
from relboard.services.today.items import AttentionItem, first_line
from relboard.services.today.streams import (
    Candidate,
    Stream,
    by_day,
    by_ids,
    scoped,
    shares,
    values,
)
from relboard.services.wording import due_text

DUE_STATUSES = ("proposed", "agreed", "renegotiated")
"""The open statuses whose expectations show when due (at risk ones show whatever the date)."""


def _expectations(shape: str, mine: bool, share: str | None = None) -> ModelSelect:
    e = m.Expectation
    if shape == "undated":
        where = (e.status == "at_risk") & e.current_due.is_null()
    elif shape == "at_risk":
        where = (e.status == "at_risk") & e.current_due.is_null(False)
    else:
        where = ((e.status == slot("status"))
                 & (e.current_due <= slot("horizon", e.current_due)))
    query = e.select(e.id, e.status, e.current_due, e.customer, e.owner).where(where)
    return scoped(query, e, "expectation", mine, owner=e.owner, share=share)


def _words() -> Any:
    """What the walks' index does not hold, read for the expectations shown."""
    e = m.Expectation
    return e.select(e.id, e.statement, e.version)


def _expectation_order(shape: str) -> tuple:
    e = m.Expectation
    return (e.status, e.id) if shape == "undated" else (e.status, e.current_due, e.id)


@cache
def _expectation_shape(shape: str, mine: bool, share: str | None) -> tuple:
    """The key, build and order of one shape of expectation stream (``share``: of one PM's
    view, ``streams.shares``)."""
    return (("expectation", shape, mine, share), lambda: _expectations(shape, mine, share),
            lambda: _expectation_order(shape))


def expectation_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Expectations due by the horizon, and every one at risk; by due date."""
    mine = who is not None
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.expectations_due_days)
    out = []
    for share in shares(who):
        for status in DUE_STATUSES + ("at_risk", "undated"):
            shape = status if status in ("at_risk", "undated") else "due"  # one text: due
            key, build, order = _expectation_shape(shape, mine, share)
            out.append(Stream("expectation", key, build, order,
                              values(ctx, who, horizon=horizon, status=status)))
    return out


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` expectations, the earliest due first (undated at risk last): the
    walks read their index alone (``expectation(status, current_due, id, customer, owner)``),
    the statements and versions of the ones shown afterwards, by id."""
    found = by_day(ctx, expectation_streams(ctx, who), limit, totals, "current_due")
    words = by_ids(("expectation words",), _words, [row["id"] for _, _, row, _ in found])
    return [(key, group, {**row, **words[row["id"]]}, extra)
            for key, group, row, extra in found if row["id"] in words]  # not deleted since


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """An expectation: at risk or its status, and when it is due."""
    key, group, row, _ = candidate
    due = due_text(row["current_due"], ctx.today()) if row["current_due"] else "no due date"
    reason = f"at risk; {due}" if row["status"] == "at_risk" else f"{row['status']}; {due}"
    return AttentionItem(group, "expectation", row["id"], row["customer"],
                         names.get(row["customer"], ""), first_line(row["statement"]), reason,
                         key[0], row["version"], row["status"], owner=row["owner"] or "",
                         due=row["current_due"], when=_when(row["current_due"], ctx), note="")


def _when(due: _dt.date | None, ctx: Context) -> str:
    """"due Fri 28 Nov (in 3 days)", "overdue by 2 days (Fri 21 Nov)", "no due date"."""
    if due is None:
        return "no due date"
    return f"{due_text(due, ctx.today())} ({due:%a %d %b})"


def snoozed_names(kind: str, ids: list[int]) -> list[tuple[int, str, int]]:
    """(id, statement, customer id) of the snoozed expectations ``ids``."""
    e = m.Expectation
    return list(e.select(e.id, e.statement, e.customer).where(e.id.in_(ids)).tuples())
