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

from peewee import ModelSelect

from relboard import models as m
from relboard.services import clocks
from relboard.services.context import Context


@dataclass(frozen=True)
class Stream:
    """One index range: ``query`` (filtered, unordered), its order, and what it holds."""

    name: str
    query: ModelSelect
    order: tuple
    info: Any = None

    def rows(self, limit: int | None) -> list[dict[str, Any]]:
        """The first ``limit`` rows (None: all) in index order."""
        query = self.query.order_by(*self.order)
        return list((query if limit is None else query.limit(limit)).dicts())

    def count(self) -> int:
        """Every row of the range."""
        return self.query.count()


def archived_customers():
    """Ids of archived customers (few: a subquery the database evaluates once)."""
    c = m.Customer
    return c.select(c.id).where(c.archived == True)  # noqa: E712


def customers_of(who: str):
    """Ids of the customers ``who`` owns."""
    c = m.Customer
    return c.select(c.id).where(c.owner == who)


def customers_on_duty(who: str):
    """Ids of the customers ``who`` owns or nobody owns."""
    c = m.Customer
    return c.select(c.id).where((c.owner == who) | (c.owner == "") | c.owner.is_null())


def snoozed(kind: str, today: _dt.date):
    """Ids of ``kind`` records snoozed on Today past ``today``."""
    s = m.Snooze
    return s.select(s.entity_id).where((s.entity == kind) & (s.until > today))


def scoped(query, model, kind: str, today: _dt.date, who: str | None, *, owner=None):
    """``query`` without archived customers' and snoozed records, and for ``who`` only their
    items (owned by them, by nobody, or for a customer they own)."""
    customer = model.customer
    query = query.where(customer.not_in(archived_customers())
                        & model.id.not_in(snoozed(kind, today)))
    if who is None:
        return query
    if owner is None:
        return query.where(customer.in_(customers_on_duty(who)))
    return query.where((owner == who) | (owner == "") | owner.is_null()
                       | customer.in_(customers_of(who)))


ISSUE_FIELDS = ("id", "title", "severity", "status", "raised_at", "first_response_at",
                "resolved_at", "paused_seconds", "waiting_since", "version", "customer",
                "owner", "clock_at", "clock_frozen")


def _issues(ctx: Context, who: str | None, where) -> ModelSelect:
    i, today = m.Issue, ctx.today()
    query = i.select(*(getattr(i, f) for f in ISSUE_FIELDS)).where(
        where & (i.snoozed_until.is_null() | (i.snoozed_until <= today)))
    return scoped(query, i, "issue", today, who, owner=i.owner)


def sla_bounds(ctx: Context, severity: int) -> tuple[_dt.datetime, _dt.datetime, int]:
    """For one severity: a running first-response clock that started at or before the first
    moment is near or past its target; a resolution clock, the second; a waiting one that has
    run more seconds than the third is past it."""
    target = ctx.sla.target(m.SEVERITIES[severity - 1])
    now, near = ctx.now(), ctx.sla.near_breach
    return (now - _dt.timedelta(hours=target.first_response_hours * near),
            now - _dt.timedelta(hours=target.resolution_hours * near),
            int(target.resolution_hours * 3600))


def sla_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Issues near or past an SLA target: per severity, the running first-response and
    resolution clocks by start, and the waiting ones by time run."""
    i, out = m.Issue, []
    for severity in range(1, len(m.SEVERITIES) + 1):
        respond_by, resolve_by, frozen = sla_bounds(ctx, severity)
        for clock, bound in ((clocks.RESPONSE, respond_by), (clocks.RESOLUTION, resolve_by)):
            out.append(Stream("sla", _issues(ctx, who, (i.clock == clock)
                                             & (i.severity == severity)
                                             & (i.clock_at <= bound)),
                              (i.clock, i.severity, i.clock_at, i.id)))
        out.append(Stream("sla", _issues(ctx, who, (i.clock == clocks.WAITING)
                                         & (i.severity == severity)
                                         & (i.clock_frozen > frozen)),
                          (i.clock, i.severity, i.clock_frozen.desc(), i.id.desc())))
    return out


def unacknowledged_streams(ctx: Context, who: str | None) -> list[Stream]:
    """New issues whose first-response clock is not near its target yet, oldest first."""
    i, out = m.Issue, []
    for severity in range(1, len(m.SEVERITIES) + 1):
        respond_by = sla_bounds(ctx, severity)[0]
        out.append(Stream("unacknowledged", _issues(
            ctx, who, (i.clock == clocks.RESPONSE) & (i.severity == severity)
            & (i.clock_at > respond_by) & (i.status == "new")),
            (i.clock, i.severity, i.clock_at, i.id)))
    return out


def odd_new_issues(ctx: Context, who: str | None) -> list[dict[str, Any]]:
    """Issues marked new although answered (only an import makes them): worked out in Python."""
    i = m.Issue
    return list(_issues(ctx, who, i.clock == clocks.ODD_NEW).order_by(i.id).dicts())


def follow_up_stream(ctx: Context, who: str | None) -> Stream:
    """Open follow-ups due by the horizon, earliest first."""
    i, today = m.Interaction, ctx.today()
    horizon = today + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    query = i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version, i.customer).where(
        i.follow_up_done_at.is_null() & (i.follow_up_on <= horizon))
    return Stream("follow_up", scoped(query, i, "interaction", today, who),
                  (i.follow_up_done_at, i.follow_up_on, i.id))


def _local_midnight_utc(ctx: Context, day: _dt.date) -> _dt.datetime:
    return ctx.utc(_dt.datetime.combine(day, _dt.time()))


def _cadences(model, where) -> list[int | None]:
    """The distinct cadences in use (NULL included), read from the index."""
    return [c for (c,) in model.select(model.cadence_days).where(where).distinct().tuples()]


def customer_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Customers past their contact cadence: per cadence in use, by last contact; and those
    never contacted, by id."""
    c, today = m.Customer, ctx.today()
    live = c.archived == False  # noqa: E712
    out = []
    for cadence in _cadences(c, live):
        days = cadence or ctx.cadence_days
        same = c.cadence_days.is_null() if cadence is None else (c.cadence_days == cadence)
        bound = _local_midnight_utc(ctx, today - _dt.timedelta(days=days))
        base = c.select(c.id, c.name, c.version, c.last_contact_at).where(
            live & same & c.id.not_in(snoozed("customer", today)))
        if who is not None:
            base = base.where((c.owner == who) | (c.owner == "") | c.owner.is_null())
        out.append(Stream("contact", base.where(c.last_contact_at.is_null()),
                          (c.archived, c.cadence_days, c.id), days))
        out.append(Stream("contact", base.where(c.last_contact_at < bound),
                          (c.archived, c.cadence_days, c.last_contact_at, c.id), days))
    return out


def stakeholder_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Stakeholders with a cadence of their own who are past it (as for customers)."""
    k, today = m.Contact, ctx.today()
    live = (k.archived == False) & k.cadence_days.is_null(False)  # noqa: E712
    out = []
    for cadence in _cadences(k, live):
        bound = _local_midnight_utc(ctx, today - _dt.timedelta(days=cadence))
        base = scoped(k.select(k.id, k.name, k.role, k.version, k.customer, k.last_contact_at)
                      .where(live & (k.cadence_days == cadence)), k, "contact", today, who)
        out.append(Stream("contact", base.where(k.last_contact_at.is_null()),
                          (k.archived, k.cadence_days, k.id), cadence))
        out.append(Stream("contact", base.where(k.last_contact_at < bound),
                          (k.archived, k.cadence_days, k.last_contact_at, k.id), cadence))
    return out


DUE_STATUSES = ("proposed", "agreed", "renegotiated")


def expectation_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Expectations due by the horizon, and every one at risk; by due date."""
    e, today = m.Expectation, ctx.today()
    horizon = today + _dt.timedelta(days=ctx.attention.expectations_due_days)
    fields = (e.id, e.statement, e.status, e.current_due, e.version, e.customer)
    out = []
    for status in DUE_STATUSES + ("at_risk",):
        where = e.status == status
        if status != "at_risk":
            where &= e.current_due <= horizon
        else:
            where &= e.current_due.is_null(False)
        query = scoped(e.select(*fields).where(where), e, "expectation", today, who,
                       owner=e.owner)
        out.append(Stream("expectation", query, (e.status, e.current_due, e.id)))
    undated = scoped(e.select(*fields).where((e.status == "at_risk") & e.current_due.is_null()),
                     e, "expectation", today, who, owner=e.owner)
    out.append(Stream("expectation", undated, (e.status, e.id)))
    return out
