"""An issue's SLA state now, from its row, and how its deadline reads: what Today needs of
the issues' clocks, apart from ``issues`` (whose writing loads the record kinds)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard.domain import severity_name
from relboard.services import clocks
from relboard.services.business_time import Calendar
from relboard.services.context import Context
from relboard.services.sla import SlaState, sla_state


def sla_of(ctx: Context, row: Any) -> SlaState:
    """The SLA state of an issue row as read from the database (a model, or a dict of the
    issue's columns: the severity still its stored rank)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return sla_state(ctx.sla, severity_name(get("severity")), get("raised_at"),
                     get("first_response_at"), get("resolved_at"), get("paused_seconds") or 0,
                     get("waiting_since"), ctx.now(), calendar_of_row(ctx, row))


def local_deadline(ctx: Context, clock: Any) -> _dt.datetime | None:
    """A running clock's deadline in the PM's local time when working hours count (None
    round the clock, or when it does not run)."""
    if ctx.sla.round_the_clock or clock.due is None:
        return None
    return ctx.local(clock.due)


def due_text(ctx: Context, clock: Any, short: bool = False) -> str:
    """", deadline Tue 01 Dec 12:00" (local time; ``short``: " (by Tue 12:00)") for a running
    clock when working hours count (its hours left are working hours); "" round the clock,
    where "due in 3h" says it all."""
    if ctx.sla.round_the_clock or clock.due is None:
        return ""
    if short:
        return f" (by {ctx.local(clock.due):%a %H:%M})"
    return f", deadline {ctx.local(clock.due):%a %d %b %H:%M}"


def calendar_of_row(ctx: Context, row: Any) -> Calendar | None:
    """The working hours an issue row's clocks count (None: round the clock): its
    customer's tier's when tiers have hours of their own (the row's ``tier`` if it has one,
    else read)."""
    sla = ctx.sla
    if sla.round_the_clock:
        return None
    tier = None
    if sla.tiers:
        if isinstance(row, dict):
            tier = row["tier"] if "tier" in row else clocks.tier_of(row.get("customer"))
        else:
            tier = clocks.tier_of(row.__data__.get("customer"))
    return clocks.calendar_of(sla, tier)
