"""Today's groups as index walks: each stream is one range of one index, in urgency order.

A stream is a query whose rows come out of an index already ordered by urgency (an SLA clock's
start, a last contact, a due date), with a ``limit`` and a count. ``attention`` merges the
streams of a group in Python, over at most ``limit`` rows each, and sums their counts: what
Today costs grows with what it shows, not with the board. The filters every stream shares
(archived customers, snoozes, "my view") are subqueries over small sets. Streams of the same
columns can be read in one statement (``fetch_together``). Here: the shared parts and the
issue groups; the follow-ups' and expectations' walks are in ``attention_dates``, the contact
group's in ``attention_contacts``, the insight groups' in ``attention_health``.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache, lru_cache
from typing import Any, Callable

from peewee import SQL, ModelSelect, fn

from relboard import models as m
from relboard.services import clocks
from relboard.services.context import Context
from relboard.services.prepared import in_query, not_in_query, rows, scalar, slot
from relboard.services.prepared_union import union_rows


class Stream:
    """One index range: ``build()`` (filtered, unordered), its ``order``, the ``values`` of its
    slots and what it holds (``info``: an SLA stream's target hours, a cadence in days...).
    ``key`` names its shape: the SQL is written once. ``build`` and ``order`` are made once
    per shape too (``functools.cache``): a board only computes the values."""

    __slots__ = ("name", "key", "build", "order", "values", "info")

    def __init__(self, name: str, key: tuple, build: Callable[[], ModelSelect],
                 order: Callable[[], tuple], values: dict[str, Any], info: Any = None):
        self.name, self.key, self.build, self.order = name, key, build, order
        self.values, self.info = values, info

    def rows(self, limit: int | None) -> list[dict[str, Any]]:
        """The first ``limit`` rows (None: all) in index order."""
        return rows(self.key + ("rows", limit is None), _ordered(self.build, self.order,
                                                                 limit is not None),
                    {**self.values, "limit": limit})

    def count(self) -> int:
        """Every row of the range."""
        return scalar(self.key + ("count",), lambda: self.build().select(fn.COUNT(SQL("*"))),
                      self.values)

    def fetch(self, limit: int | None) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` rows and the count of all (counted only when there are more)."""
        found = self.rows(limit)
        return found, (self.count() if limit is not None and len(found) >= limit
                       else len(found))


def fetch_together(streams: list[Stream], limit: int | None
                   ) -> list[tuple[list[dict[str, Any]], int]]:
    """``Stream.fetch`` of each of ``streams`` (of the same columns), their rows read in one
    statement: each stream a subquery with its own index walk and limit, in a UNION ALL."""
    if limit is None or len(streams) < 2:
        return [stream.fetch(limit) for stream in streams]
    got = union_rows(tuple(s.key for s in streams),
                     [_ordered(s.build, s.order, True) for s in streams],
                     [{**s.values, "limit": limit} for s in streams])
    found: list[list[dict[str, Any]]] = [[] for _ in streams]
    for row in got:
        found[row.pop("arm")].append(row)
    return [(rows, stream.count() if len(rows) >= limit else len(rows))
            for stream, rows in zip(streams, found)]


@lru_cache(maxsize=512)
def _ordered(build: Callable[[], ModelSelect], order: Callable[[], tuple],
             limited: bool) -> Callable[[], ModelSelect]:
    """``build()`` in ``order``, the first rows up to slot ``limit`` when ``limited`` (one
    function per shape: every stream's ``build`` and ``order`` are made once; bounded all
    the same, should a caller make them per call)."""
    def ordered() -> ModelSelect:
        query = build().order_by(*order())
        return query.limit(slot("limit")) if limited else query

    return ordered


def archived_customers():
    """Ids of archived customers (few: a subquery the database evaluates once)."""
    c = m.Customer
    return c.select(c.id).where(c.archived == True)  # noqa: E712


def customers_of_who():
    """Ids of the customers the user in slot ``who`` owns."""
    c = m.Customer
    return c.select(c.id).where((c.archived == False) & (c.owner == slot("who")))  # noqa: E712


def on_duty(customer) -> Any:
    """``customer`` is one the user in slot ``who`` owns or nobody owns: three short index
    ranges (customer by owner), not a pass over every customer."""
    c = m.Customer
    live = c.archived == False  # noqa: E712 - archived ones are left out anyway
    return (in_query(customer, customers_of_who())
            | in_query(customer, c.select(c.id).where(live & (c.owner == "")))
            | in_query(customer, c.select(c.id).where(live & c.owner.is_null())))


def snoozed(kind: str):
    """Ids of ``kind`` records snoozed on Today past the day in slot ``today``."""
    s = m.Snooze
    return s.select(s.entity_id).where((s.entity == kind) & (s.until > slot("today", s.until)))


def scoped(query, model, kind: str, mine: bool, *, owner=None):
    """``query`` without archived customers' and snoozed records; when ``mine``, only the
    items of the user in slot ``who`` (owned by them, by nobody, or for their customer)."""
    customer = model.customer
    query = query.where(not_in_query(customer, archived_customers())
                        & not_in_query(model.id, snoozed(kind)))
    if not mine:
        return query
    if owner is None:
        return query.where(on_duty(customer))
    return query.where((owner == slot("who")) | (owner == "") | owner.is_null()
                       | in_query(customer, customers_of_who()))


def _values(ctx: Context, who: str | None, **more: Any) -> dict[str, Any]:
    return {"today": ctx.today(), "who": who, **more}


ISSUE_FIELDS = ("id", "title", "severity", "status", "raised_at", "first_response_at",
                "resolved_at", "paused_seconds", "waiting_since", "version", "customer",
                "owner", "clock_at", "clock_frozen")


@cache
def _issues(mine: bool, where: Callable[[], Any]) -> Callable[[], ModelSelect]:
    """The issues ``where()`` picks (snoozed ones left out; ``mine``: the user's view)."""
    def build() -> ModelSelect:
        i = m.Issue
        query = i.select(*(getattr(i, f) for f in ISSUE_FIELDS)).where(
            where() & (i.snoozed_until.is_null() | (i.snoozed_until <= slot("today",
                                                                            i.snoozed_until))))
        return scoped(query, i, "issue", mine, owner=i.owner)

    return build


@cache
def _sla_spans(sla: Any) -> tuple[tuple[_dt.timedelta, _dt.timedelta, int, float, float], ...]:
    """Per severity (1 first) of the settings ``sla``: how long a first-response and a
    resolution clock run before they are near their target, the seconds a waiting one may
    have run, and the two targets in hours."""
    out = []
    for name in m.SEVERITIES:
        target, near = sla.target(name), sla.near_breach
        out.append((_dt.timedelta(hours=target.first_response_hours * near),
                    _dt.timedelta(hours=target.resolution_hours * near),
                    int(target.resolution_hours * 3600), target.first_response_hours,
                    target.resolution_hours))
    return tuple(out)


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
    return _FRESH() & (m.Issue.status == "new")


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
    """Issues near or past an SLA target: per severity, the running first-response and
    resolution clocks by start, and the waiting ones by time run."""
    out, mine, now = [], who is not None, ctx.now()
    running, waiting = _issues(mine, _STARTED), _issues(mine, _waiting)
    keys = (("sla", "running", mine), ("sla", "waiting", mine))
    for severity, spans in enumerate(_sla_spans(ctx.sla), 1):
        respond, resolve, frozen, respond_hours, resolve_hours = spans
        for clock, bound, hours in ((clocks.RESPONSE, now - respond, respond_hours),
                                    (clocks.RESOLUTION, now - resolve, resolve_hours)):
            out.append(Stream("sla", keys[0], running, _issue_order,
                              _values(ctx, who, bound=bound, clock=clock, severity=severity),
                              hours))
        out.append(Stream("sla", keys[1], waiting, _waiting_order,
                          _values(ctx, who, frozen=frozen, severity=severity), resolve_hours))
    return out


def unacknowledged_streams(ctx: Context, who: str | None) -> list[Stream]:
    """New issues whose first-response clock is not near its target yet, oldest first."""
    out, mine, now = [], who is not None, ctx.now()
    build, key = _issues(mine, _fresh_new), ("new", mine)
    for severity, spans in enumerate(_sla_spans(ctx.sla), 1):
        out.append(Stream("unacknowledged", key, build, _issue_order,
                          _values(ctx, who, bound=now - spans[0], clock=clocks.RESPONSE,
                                  severity=severity)))
    return out


def odd_new_issues(ctx: Context, who: str | None) -> list[dict[str, Any]]:
    """Issues marked new although answered (only an import makes them): worked out in Python."""
    stream = Stream("odd", ("odd", who is not None), _issues(who is not None, _odd_new),
                    _issue_order, _values(ctx, who))  # the index's order: not a scan by id
    return stream.rows(None)
