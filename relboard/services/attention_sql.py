"""Today's groups as index walks: each stream is one range of one index, in urgency order.

A stream is a query whose rows come out of an index already ordered by urgency (an SLA clock's
start, a last contact, a due date), with a ``limit`` and a count. ``attention`` merges the
streams of a group in Python, over at most ``limit`` rows each, and sums their counts: what
Today costs grows with what it shows, not with the board. The filters every stream shares
(archived customers, snoozes, "my view") are subqueries over small sets.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from typing import Callable

from peewee import SQL, ModelSelect, fn

from relboard import models as m
from relboard.services import clocks
from relboard.services.context import Context
from relboard.services.prepared import in_query, not_in_query, rows, scalar, slot


@dataclass(frozen=True)
class Stream:
    """One index range: ``build()`` (filtered, unordered), its ``order``, the ``values`` of its
    slots and what it holds (``info``: an SLA stream's target hours, a cadence in days...).
    ``key`` names its shape: the SQL is written once."""

    name: str
    key: tuple
    build: Callable[[], ModelSelect]
    order: Callable[[], tuple]
    values: dict[str, Any]
    info: Any = None

    def rows(self, limit: int | None) -> list[dict[str, Any]]:
        """The first ``limit`` rows (None: all) in index order."""
        def build():
            query = self.build().order_by(*self.order())
            return query if limit is None else query.limit(slot("limit"))

        return rows(self.key + ("rows", limit is None), build, {**self.values, "limit": limit})

    def count(self) -> int:
        """Every row of the range."""
        return scalar(self.key + ("count",), lambda: self.build().select(fn.COUNT(SQL("*"))),
                      self.values)

    def fetch(self, limit: int | None) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` rows and the count of all (counted only when there are more)."""
        found = self.rows(limit)
        return found, (self.count() if limit is not None and len(found) >= limit
                       else len(found))


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


def _issues(mine: bool, where: Callable[[], Any]) -> Callable[[], ModelSelect]:
    def build() -> ModelSelect:
        i = m.Issue
        query = i.select(*(getattr(i, f) for f in ISSUE_FIELDS)).where(
            where() & (i.snoozed_until.is_null() | (i.snoozed_until <= slot("today",
                                                                            i.snoozed_until))))
        return scoped(query, i, "issue", mine, owner=i.owner)

    return build


def sla_bounds(ctx: Context, severity: int) -> tuple[_dt.datetime, _dt.datetime, int]:
    """For one severity: a running first-response clock that started at or before the first
    moment is near or past its target; a resolution clock, the second; a waiting one that has
    run more seconds than the third is past it."""
    target = ctx.sla.target(m.SEVERITIES[severity - 1])
    now, near = ctx.now(), ctx.sla.near_breach
    return (now - _dt.timedelta(hours=target.first_response_hours * near),
            now - _dt.timedelta(hours=target.resolution_hours * near),
            int(target.resolution_hours * 3600))


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


def _issue_order():
    i = m.Issue
    return (i.clock, i.severity, i.clock_at, i.id)


def sla_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Issues near or past an SLA target: per severity, the running first-response and
    resolution clocks by start, and the waiting ones by time run."""
    out, mine = [], who is not None
    for severity in range(1, len(m.SEVERITIES) + 1):
        respond_by, resolve_by, frozen = sla_bounds(ctx, severity)
        target = ctx.sla.target(m.SEVERITIES[severity - 1])
        for clock, bound, hours in (
                (clocks.RESPONSE, respond_by, target.first_response_hours),
                (clocks.RESOLUTION, resolve_by, target.resolution_hours)):
            out.append(Stream("sla", ("sla", "running", mine), _issues(mine, _clock_range("<=")),
                              _issue_order, _values(ctx, who, bound=bound, clock=clock,
                                                    severity=severity), hours))

        def waiting():
            i = m.Issue
            return ((i.clock == clocks.WAITING) & (i.severity == slot("severity"))
                    & (i.clock_frozen > slot("frozen")))

        def waiting_order():
            i = m.Issue
            return (i.clock, i.severity, i.clock_frozen.desc(), i.id.desc())

        out.append(Stream("sla", ("sla", "waiting", mine),
                          _issues(mine, waiting), waiting_order,
                          _values(ctx, who, frozen=frozen, severity=severity),
                          target.resolution_hours))
    return out


def unacknowledged_streams(ctx: Context, who: str | None) -> list[Stream]:
    """New issues whose first-response clock is not near its target yet, oldest first."""
    out, mine = [], who is not None
    fresh = _clock_range(">")
    for severity in range(1, len(m.SEVERITIES) + 1):
        out.append(Stream("unacknowledged", ("new", mine),
                          _issues(mine, lambda: fresh() & (m.Issue.status == "new")),
                          _issue_order, _values(ctx, who, bound=sla_bounds(ctx, severity)[0],
                                                clock=clocks.RESPONSE, severity=severity)))
    return out


def odd_new_issues(ctx: Context, who: str | None) -> list[dict[str, Any]]:
    """Issues marked new although answered (only an import makes them): worked out in Python."""
    stream = Stream("odd", ("odd", who is not None),
                    _issues(who is not None, lambda: m.Issue.clock == clocks.ODD_NEW),
                    _issue_order, _values(ctx, who))  # the index's order: not a scan by id
    return stream.rows(None)


def follow_up_stream(ctx: Context, who: str | None) -> Stream:
    """Open follow-ups due by the horizon, earliest first."""
    def build():
        i = m.Interaction
        query = i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version,
                         i.customer).where(i.follow_up_done_at.is_null()
                                           & (i.follow_up_on <= slot("horizon", i.follow_up_on)))
        return scoped(query, i, "interaction", who is not None)

    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    i = m.Interaction
    return Stream("follow_up", ("follow_up", who is not None), build,
                  lambda: (i.follow_up_done_at, i.follow_up_on, i.id),
                  _values(ctx, who, horizon=horizon))


def _local_midnight_utc(ctx: Context, day: _dt.date) -> _dt.datetime:
    return ctx.utc(_dt.datetime.combine(day, _dt.time()))


def _cadences(model, where) -> list[int | None]:
    """The distinct cadences in use (NULL included), read from the index (``where`` is fixed
    for ``model``: the SQL is written once)."""
    return [row["cadence_days"] for row in rows(
        ("cadences", model.__name__), lambda: model.select(model.cadence_days).where(where)
        .distinct(), {})]


def _contact_pair(name: str, model, cadence: int | None, days: int, ctx: Context,
                  who: str | None, base: Callable[[bool], ModelSelect]) -> list[Stream]:
    """Never contacted (by id) and past the cadence (by last contact), for one cadence."""
    mine = who is not None
    bound = _local_midnight_utc(ctx, ctx.today() - _dt.timedelta(days=days))
    values = _values(ctx, who, bound=bound, cadence=cadence)
    never = Stream("contact", (name, "never", cadence is None, mine),
                   lambda: base(mine).where(model.last_contact_at.is_null()),
                   lambda: (model.archived, model.cadence_days, model.id), values, days)
    late = Stream("contact", (name, "late", cadence is None, mine),
                  lambda: base(mine).where(model.last_contact_at
                                           < slot("bound", model.last_contact_at)),
                  lambda: (model.archived, model.cadence_days, model.last_contact_at, model.id),
                  values, days)
    return [never, late]


def customer_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Customers past their contact cadence: per cadence in use, by last contact; and those
    never contacted, by id."""
    c = m.Customer
    out = []
    for cadence in _cadences(c, c.archived == False):  # noqa: E712
        def base(mine: bool, cadence=cadence) -> ModelSelect:
            same = c.cadence_days.is_null() if cadence is None \
                else (c.cadence_days == slot("cadence"))
            query = c.select(c.id, c.name, c.version, c.last_contact_at).where(
                (c.archived == False) & same  # noqa: E712
                & not_in_query(c.id, snoozed("customer")))
            if mine:
                query = query.where((c.owner == slot("who")) | (c.owner == "")
                                    | c.owner.is_null())
            return query

        out += _contact_pair("customer", c, cadence, cadence or ctx.cadence_days, ctx, who,
                             base)
    return out


def stakeholder_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Stakeholders with a cadence of their own who are past it (as for customers)."""
    k = m.Contact
    out = []
    for cadence in _cadences(k, (k.archived == False) & k.cadence_days.is_null(False)):  # noqa: E712,E501
        def base(mine: bool) -> ModelSelect:
            query = k.select(k.id, k.name, k.role, k.version, k.customer,
                             k.last_contact_at).where(
                (k.archived == False) & (k.cadence_days == slot("cadence")))  # noqa: E712
            return scoped(query, k, "contact", mine)

        out += _contact_pair("contact", k, cadence, cadence, ctx, who, base)
    return out


DUE_STATUSES = ("proposed", "agreed", "renegotiated")


def expectation_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Expectations due by the horizon, and every one at risk; by due date."""
    mine = who is not None
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.expectations_due_days)
    out = []
    for status in DUE_STATUSES + ("at_risk", "undated"):
        shape = status if status in ("at_risk", "undated") else "due"  # one text for the due
        values = _values(ctx, who, horizon=horizon, status=status)

        def build(shape=shape) -> ModelSelect:
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

        def order(shape=shape):
            e = m.Expectation
            return (e.status, e.id) if shape == "undated" else (e.status, e.current_due, e.id)

        out.append(Stream("expectation", ("expectation", shape, mine), build, order, values))
    return out
