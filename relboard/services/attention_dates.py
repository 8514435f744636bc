"""Today's groups that come due by date, as index walks: follow-ups due by the horizon, and
expectations due soon or at risk (as ``attention_sql`` walks the issues).
"""

from __future__ import annotations

import datetime as _dt
from functools import cache

from peewee import ModelSelect

from relboard import models as m
from relboard.services.attention_sql import Stream, _values, scoped
from relboard.services.context import Context
from relboard.services.prepared import slot


def _follow_ups(mine: bool) -> ModelSelect:
    i = m.Interaction
    query = i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version,
                     i.customer).where(i.follow_up_done_at.is_null()
                                       & (i.follow_up_on <= slot("horizon", i.follow_up_on)))
    return scoped(query, i, "interaction", mine)


def _follow_up_order() -> tuple:
    i = m.Interaction
    return (i.follow_up_done_at, i.follow_up_on, i.id)


_FOLLOW_UPS = {mine: (lambda mine=mine: _follow_ups(mine)) for mine in (False, True)}


def follow_up_stream(ctx: Context, who: str | None) -> Stream:
    """Open follow-ups due by the horizon, earliest first."""
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    return Stream("follow_up", ("follow_up", who is not None), _FOLLOW_UPS[who is not None],
                  _follow_up_order, _values(ctx, who, horizon=horizon))


DUE_STATUSES = ("proposed", "agreed", "renegotiated")


def _expectations(shape: str, mine: bool) -> ModelSelect:
    e = m.Expectation
    if shape == "undated":
        where = (e.status == "at_risk") & e.current_due.is_null()
    elif shape == "at_risk":
        where = (e.status == "at_risk") & e.current_due.is_null(False)
    else:
        where = ((e.status == slot("status"))
                 & (e.current_due <= slot("horizon", e.current_due)))
    query = e.select(e.id, e.statement, e.status, e.current_due, e.version,
                     e.customer).where(where)
    return scoped(query, e, "expectation", mine, owner=e.owner)


def _expectation_order(shape: str) -> tuple:
    e = m.Expectation
    return (e.status, e.id) if shape == "undated" else (e.status, e.current_due, e.id)


@cache
def _expectation_shape(shape: str, mine: bool) -> tuple:
    """The key, build and order of one shape of expectation stream."""
    return (("expectation", shape, mine), lambda: _expectations(shape, mine),
            lambda: _expectation_order(shape))


def expectation_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Expectations due by the horizon, and every one at risk; by due date."""
    mine = who is not None
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.expectations_due_days)
    out = []
    for status in DUE_STATUSES + ("at_risk", "undated"):
        shape = status if status in ("at_risk", "undated") else "due"  # one text for the due
        key, build, order = _expectation_shape(shape, mine)
        out.append(Stream("expectation", key, build, order,
                          _values(ctx, who, horizon=horizon, status=status)))
    return out
