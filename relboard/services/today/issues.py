"""Today's issue groups: "SLA breaches and near-breaches" and "New issues not acknowledged".

Per severity, the running first-response and resolution clocks are walked by start, the
waiting ones by time run (``issue.clock``, ``clock_at``, ``clock_frozen``: ``clocks``), so a
board reads only the issues it shows. An issue shows once, in its most urgent group: near or
past a target, it is an SLA item even when new. Ordered by the hours left on the deciding
clock (SLA), or by age (new).

With working hours (``sla.hours``) the stored ``clock_at`` is a clock's deadline less its
target (``clocks``), so the same walks hold; what changes is the bound: a clock is near when
its deadline is within the working time left before the near fraction, counted from now in
its calendar. Tiers with hours of their own are walked apart (``sla_calendars``), each with
its bound, so every walk stays one index range in deadline order.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import cache
from typing import Any

from peewee import SQL, Cast, ModelSelect, fn

from relboard import models as m
from relboard.domain import SEVERITIES, severity_name, severity_rank
from relboard.services import clocks
from relboard.services.clocks import Tiers, near_bound, sla_calendars
from relboard.services.context import Context
from relboard.services.prepared import in_query, not_in_query, slot
from relboard.services.sla import BREACHED, NEAR
from relboard.services.sla_now import due_text, sla_of
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import (
    Candidate,
    Stream,
    by_ids,
    fetch_together,
    scoped,
    shares,
    top,
    values,
)
from relboard.services.wording import days_text

ISSUE_FIELDS = ("id", "title", "severity", "status", "raised_at", "first_response_at",
                "resolved_at", "paused_seconds", "waiting_since", "version", "customer",
                "owner", "clock_at", "clock_frozen")


@cache
def _issues(mine: bool, where: Callable[[], Any], keys: str = "",
            share: str | None = None) -> Callable[[], ModelSelect]:
    """The issues ``where()`` picks (snoozed ones left out; ``mine``: the user's view, or
    its ``share``: ``streams.SHARES``): every field of ``ISSUE_FIELDS``, or with ``keys``
    only what orders them: ``id``, ``clock_at`` and ``clock_frozen`` ("waiting"), or NULL for
    it ("running": a running clock has none, and the walk reads its index alone, not the
    issue's row)."""
    def build() -> ModelSelect:
        i = m.Issue
        if not keys:
            columns = [getattr(i, f) for f in ISSUE_FIELDS]
        else:
            columns = [i.id, i.clock_at, i.clock_frozen if keys == "waiting" else
                       Cast(SQL("NULL"), "INTEGER").alias("clock_frozen")]
        query = i.select(*columns).where(
            where() & (i.snoozed_until.is_null() | (i.snoozed_until <= slot("today",
                                                                            i.snoozed_until))))
        return scoped(query, i, "issue", mine, owner=i.owner, share=share)

    return build


def _every_field():
    i = m.Issue
    return i.select(*(getattr(i, f) for f in ISSUE_FIELDS))


@cache
def _sla_spans(sla: Any) -> tuple[tuple[_dt.timedelta, _dt.timedelta, int, float, float], ...]:
    """Per severity (critical first) of the settings ``sla``: how long a first-response and a
    resolution clock run before they are near their target, the seconds a waiting one may
    have run, and the two targets in hours."""
    out = []
    for name in SEVERITIES:
        target, near = sla.target(name), sla.near_breach
        out.append((_dt.timedelta(hours=target.first_response_hours * near),
                    _dt.timedelta(hours=target.resolution_hours * near),
                    int(target.resolution_hours * 3600), target.first_response_hours,
                    target.resolution_hours))
    return tuple(out)


@cache
def _tiered(where: Callable[[], Any], tiers: Tiers) -> Callable[[], Any]:
    """``where`` for the issues of customers of ``tiers`` only (None: ``where`` itself)."""
    if tiers is None:
        return where

    def build():
        c, inside = m.Customer, tiers[0]
        ids = c.select(c.id).where(c.tier.in_(list(tiers[1])))
        return where() & (in_query if inside else not_in_query)(m.Issue.customer, ids)

    return build


def _clock_range(op: str) -> Callable[[], Any]:
    """Issues of the clock and severity in slots ``clock`` and ``severity`` whose clock
    started at or before (``op`` "<=") or after the moment in slot ``bound``: one SQL text
    for every clock and severity."""
    def where():
        i = m.Issue
        bound = slot("bound", i.clock_at)
        return ((i.clock == slot("clock")) & (i.severity == slot("severity"))
                & (i.clock_at <= bound if op == "<=" else i.clock_at > bound))

    return where


_STARTED = _clock_range("<=")
_FRESH = _clock_range(">")


def _fresh_new():
    # "new" written in the SQL, not bound: the walks' indexes hold new issues alone (schema
    # 21: ``issue_new_clock``, and ``issue_new_owner_clock`` for a share by owner), and
    # SQLite would prepare the statement again on each run to check a bound value against
    # the indexes' condition.
    return _FRESH() & (m.Issue.status == SQL("'new'"))


def _fresh_new_of_customer():
    # Others' new issues of a PM's few customers ("theirs": each customer's sought on
    # ``issue(customer_id, clock, ...)``): the status read on each of them, in a form no
    # index condition matches, or SQLite takes the new issues' index (covering, but not led
    # by the customer) and walks every new issue of the range for each customer (a PM of 5
    # customers at 1M records: 3 -> 10 ms a board).
    return _FRESH() & (fn.COALESCE(m.Issue.status, "") == "new")


def _waiting():
    i = m.Issue
    return ((i.clock == clocks.WAITING) & (i.severity == slot("severity"))
            & (i.clock_frozen > slot("frozen")))


def _issue_order():
    i = m.Issue
    return (i.clock, i.severity, i.clock_at, i.id)


def _waiting_order():
    i = m.Issue
    return (i.clock, i.severity, i.clock_frozen.desc(), i.id.desc())


def _odd_new():
    return m.Issue.clock == clocks.ODD_NEW


def sla_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Issues near or past an SLA target: per severity (and calendar), the running
    first-response and resolution clocks by start, and the waiting ones by time run; in
    ``who``'s view, each walk once per share (``streams.shares``)."""
    out, mine, now, near = [], who is not None, ctx.now(), ctx.sla.near_breach
    calendars = sla_calendars(ctx.sla)
    for name, spans in zip(SEVERITIES, _sla_spans(ctx.sla), strict=True):
        severity = severity_rank(name)  # what the walks' SQL compares
        respond, resolve, frozen, respond_hours, resolve_hours = spans
        for share in shares(who):
            for cal, tiers in calendars:
                running = _issues(mine, _tiered(_STARTED, tiers), "running", share)
                key = ("sla", "running", mine, share) + ((tiers,) if tiers else ())
                for clock, span, hours in ((clocks.RESPONSE, respond, respond_hours),
                                           (clocks.RESOLUTION, resolve, resolve_hours)):
                    bound = now - span if cal is None else near_bound(now, cal, hours, near)
                    out.append(Stream("sla", key, running, _issue_order,
                                      values(ctx, who, bound=bound, clock=clock,
                                             severity=severity), hours))
            # Waiting: the (working) seconds run are frozen, whatever the calendar.
            out.append(Stream("sla", ("sla", "waiting", mine, share),
                              _issues(mine, _waiting, "waiting", share), _waiting_order,
                              values(ctx, who, frozen=frozen, severity=severity),
                              resolve_hours))
    return out


def unacknowledged_streams(ctx: Context, who: str | None) -> list[Stream]:
    """New issues whose first-response clock is not near its target yet, oldest first."""
    out, mine, now, near = [], who is not None, ctx.now(), ctx.sla.near_breach
    for share in shares(who):
        for cal, tiers in sla_calendars(ctx.sla):
            fresh = _fresh_new_of_customer if share == "theirs" else _fresh_new
            build = _issues(mine, _tiered(fresh, tiers), "running", share)
            key = ("new", mine, share) + ((tiers,) if tiers else ())
            for name, spans in zip(SEVERITIES, _sla_spans(ctx.sla), strict=True):
                bound = now - spans[0] if cal is None else near_bound(now, cal, spans[3],
                                                                      near)
                out.append(Stream("unacknowledged", key, build, _issue_order,
                                  values(ctx, who, bound=bound, clock=clocks.RESPONSE,
                                         severity=severity_rank(name))))
    return out


def odd_new_issues(ctx: Context, who: str | None) -> list[dict[str, Any]]:
    """Issues marked new although answered (only an import makes them): worked out in Python."""
    stream = Stream("odd", ("odd", who is not None), _issues(who is not None, _odd_new),
                    _issue_order, values(ctx, who))  # the index's order: not a scan by id
    return stream.rows(None)


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` SLA items, then the first ``limit`` new ones (of ``want``)."""
    sla: list[Candidate] = []
    new: list[Candidate] = []
    streams = sla_streams(ctx, who) + unacknowledged_streams(ctx, who)
    for stream, (rows, total) in zip(streams, fetch_together(streams, limit), strict=True):
        group, severity = stream.name, stream.values["severity"]
        totals[group] += total
        (sla if group == "sla" else new).extend(
            _candidate(ctx, row, group, stream.info, severity) for row in rows)
    for row in odd_new_issues(ctx, who):  # status new though answered: worked out here
        group = "sla" if sla_of(ctx, row).state in (BREACHED, NEAR) else "unacknowledged"
        totals[group] += 1
        (sla if group == "sla" else new).append(_candidate(ctx, row, group, None,
                                                           row["severity"]))
    chosen = [c for c in top(sla, limit) + top(new, limit) if c[1] in want]
    full = by_ids(("issue",), _every_field, [c[2]["id"] for c in chosen])
    return [(key, group, full[row["id"]], extra) for key, group, row, extra in chosen
            if row["id"] in full]  # one deleted since its walk is not shown


def _candidate(ctx: Context, row: dict[str, Any], group: str, target: float | None,
               severity: int) -> Candidate:
    """Ordered by hours left on the deciding clock: from the stored clock when the stream
    knows its target (``target`` hours), else (odd rows) from the SLA state itself. New
    issues: oldest first (round the clock a first-response clock starts at the raise);
    with working hours, soonest deadline first (the order of their walks: a Saturday's and a
    Sunday's issue are due at the same moment). ``row``: the walks' keys (``id``,
    ``clock_at``, ``clock_frozen``), or an odd row whole."""
    if group == "sla":
        now = ctx.now()
        if target is None:
            left = sla_of(ctx, row).urgent_clock.remaining_hours
        elif row["clock_frozen"] is not None:
            left = target - row["clock_frozen"] / 3600
        elif ctx.sla.round_the_clock:
            left = target - max(0.0, (now - row["clock_at"]).total_seconds() / 3600)
        else:  # the hours to the stored deadline (it may start after now: see ``clocks``)
            left = target - (now - row["clock_at"]).total_seconds() / 3600
        return (left, row["clock_at"] or now, row["id"]), group, row, None
    if not ctx.sla.round_the_clock:
        hours = ctx.sla.target(severity_name(severity)).first_response_hours
        left = (row["clock_at"] - ctx.now()).total_seconds() + hours * 3600
        return (left, row["clock_at"], row["id"]), group, row, None
    return (-(ctx.now() - row["clock_at"]).total_seconds(), row["clock_at"], row["id"]), \
        group, row, None


def age_text(age: _dt.timedelta) -> str:
    """An issue's age: "40m", "5h", "3 days"."""
    hours = age.total_seconds() / 3600
    if hours < 1:
        return f"{max(0, int(hours * 60))}m"
    return f"{int(hours)}h" if hours < 48 else days_text(int(hours // 24))


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """The item of an issue: its severity, its SLA state or age, its owner."""
    key, group, row, _ = candidate
    severity = severity_name(row["severity"])
    owner = f"; owner {row['owner']}" if row["owner"] else "; no owner"
    sla = sla_of(ctx, row)
    raised = f"raised {age_text(ctx.now() - row['raised_at'])} ago"
    if group == "sla":
        reason = f"{severity}: {sla.describe()}{due_text(ctx, sla.urgent_clock)}{owner}"
    else:
        reason = f"{severity}, {raised}, not acknowledged"
    return AttentionItem(group, "issue", row["id"], row["customer"],
                         names.get(row["customer"], ""), row["title"], reason, key[0],
                         row["version"], row["status"], owner=row["owner"] or "",
                         severity=severity, note=raised,
                         when=sla.urgent_clock.short() + due_text(ctx, sla.urgent_clock, True),
                         deadlines=(sla.response.due, sla.resolution.due))
