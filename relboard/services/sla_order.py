"""The issue queue sorted by SLA time left: soonest deadline (or longest late) first.

Time left is not a column: it is the deadline of the clock that decides (``services.clocks``)
minus now. Within one clock and severity the deadline is ``clock_at`` plus a fixed target, so
each (clock, severity) is a walk of ``issue(clock, severity, clock_at, id)`` in deadline order;
a waiting issue's time left is frozen (target minus ``clock_frozen``), a walk of
``issue(clock, severity, clock_frozen, id)`` backwards. The walks are merged, each read only as
far as the window needs, and issues with no running clock (resolved, closed) come last by id.

The cursor carries the moment the first window was read, so every window of one listing
orders waiting issues the same way.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from typing import Any

from peewee import Tuple

from relboard import models as m
from relboard.services.clocks import NONE, ODD_NEW, RESOLUTION, RESPONSE, WAITING
from relboard.services import prepared
from relboard.services.context import Context

DEADLINE, LAST = 0, 1
"""Cursor phases: issues with a deadline, then those without one."""


def sla_window(ctx: Context, query: Any, after: tuple | None,
               limit: int) -> tuple[list[dict[str, Any]], tuple | None]:
    """One window of ``query`` (issues, filtered) by SLA time left; returns the rows and the
    cursor of the next window (None at the end)."""
    i = m.Issue
    phase, now = (after[0], after[1]) if after else (DEADLINE, ctx.now())
    rows: list[dict[str, Any]] = []
    if phase == DEADLINE:
        cursor = after[2:] if after else None
        merged = heapq.merge(*(_walk(ctx, query, clock, severity, now, cursor, limit + 1)
                               for clock in (RESPONSE, RESOLUTION, WAITING)
                               for severity in range(1, len(m.SEVERITIES) + 1)))
        for key, row in merged:
            if len(rows) == limit:
                last = rows[-1]
                return rows, (DEADLINE, now, last["_deadline"], last["id"])
            row["_deadline"] = key[0]
            rows.append(row)
        after = None
    else:
        after = after[2:]
    if len(rows) == limit:
        return rows, (LAST, now)
    # In id order: walked by the primary key (the clock index would sort them all first).
    rest = query.where((i.clock + 0).in_((NONE, ODD_NEW)))
    if after:
        rest = rest.where(i.id > after[0])
    more = prepared.dicts(rest.order_by(i.id).limit(limit - len(rows) + 1))
    take = more[:limit - len(rows)]
    rows += take
    return rows, ((LAST, now, take[-1]["id"]) if len(more) > len(take) and take else None)


def _walk(ctx: Context, query: Any, clock: int, severity: int, now: _dt.datetime,
          cursor: tuple | None, limit: int):
    """The issues of one clock and severity, as ((deadline, id), row) in deadline order."""
    i = m.Issue
    target = ctx.sla.target(m.SEVERITIES[severity - 1])
    hours = target.first_response_hours if clock == RESPONSE else target.resolution_hours
    span = _dt.timedelta(hours=hours)
    part = query.where((i.clock == clock) & (i.severity == severity))
    if clock == WAITING:  # deadline = now + span - frozen: most run first
        total = span.total_seconds()
        if cursor is not None:
            frozen = total - (cursor[0] - now).total_seconds()
            part = part.where((i.clock_frozen <= frozen)  # a range the index walks from
                              & ((i.clock_frozen < frozen) | (i.id > cursor[1])))
        part = part.order_by(i.clock_frozen.desc(), i.id)
        deadline = lambda row: now + span - _dt.timedelta(seconds=row["clock_frozen"])  # noqa: E731
    else:
        if cursor is not None:
            part = part.where(Tuple(i.clock_at, i.id) > Tuple(cursor[0] - span, cursor[1]))
        part = part.order_by(i.clock_at, i.id)
        deadline = lambda row: row["clock_at"] + span  # noqa: E731
    for row in prepared.dicts(part.limit(limit)):
        yield (deadline(row), row["id"]), row
