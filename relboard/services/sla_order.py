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
from relboard.domain import SEVERITIES, severity_rank
from relboard.services import prepared
from relboard.services.clocks import NONE, ODD_NEW, RESOLUTION, RESPONSE, WAITING
from relboard.services.context import Context

DEADLINE, LAST = 0, 1
"""Cursor phases: issues with a deadline, then those without one."""


def sla_window(ctx: Context, query: prepared.Shaped, after: tuple | None,
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
                               for severity in SEVERITIES))
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
    def rest(q: Any) -> Any:
        q = q.where((i.clock + 0).in_((NONE, ODD_NEW)))
        if after:
            q = q.where(i.id > prepared.slot("from_id"))
        return q.order_by(i.id).limit(prepared.slot("limit"))

    more = query.also(("rest", bool(after)), rest, from_id=after[0] if after else None,
                      limit=limit - len(rows) + 1).rows()
    take = more[:limit - len(rows)]
    rows += take
    return rows, ((LAST, now, take[-1]["id"]) if len(more) > len(take) and take else None)


def _walk(ctx: Context, query: prepared.Shaped, clock: int, severity: str,
          now: _dt.datetime, cursor: tuple | None, limit: int):
    """The issues of one clock and severity, as ((deadline, id), row) in deadline order."""
    i, slot = m.Issue, prepared.slot
    target = ctx.sla.target(severity)
    hours = target.first_response_hours if clock == RESPONSE else target.resolution_hours
    span = _dt.timedelta(hours=hours)
    waiting = clock == WAITING
    values: dict[str, Any] = {"clock": clock, "severity": severity_rank(severity),
                              "limit": limit}

    def walk(q: Any) -> Any:
        q = q.where((i.clock == slot("clock")) & (i.severity == slot("severity")))
        if waiting:  # deadline = now + span - frozen: most run first
            if cursor is not None:
                frozen = slot("frozen", i.clock_frozen)
                q = q.where((i.clock_frozen <= frozen)  # a range the index walks from
                            & ((i.clock_frozen < frozen) | (i.id > slot("from_id"))))
            q = q.order_by(i.clock_frozen.desc(), i.id)
        else:
            if cursor is not None:
                q = q.where(Tuple(i.clock_at, i.id) > Tuple(slot("from_at"), slot("from_id")))
            q = q.order_by(i.clock_at, i.id)
        return q.limit(slot("limit"))

    if cursor is not None and waiting:
        values.update(frozen=span.total_seconds() - (cursor[0] - now).total_seconds(),
                      from_id=cursor[1])
    elif cursor is not None:
        values.update(from_at=cursor[0] - span, from_id=cursor[1])
    if waiting:
        deadline = lambda row: now + span - _dt.timedelta(seconds=row["clock_frozen"])  # noqa: E731
    else:
        deadline = lambda row: row["clock_at"] + span  # noqa: E731
    for row in query.also(("walk", waiting, cursor is not None), walk, **values).rows():
        yield (deadline(row), row["id"]), row
