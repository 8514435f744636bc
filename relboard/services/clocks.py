"""Stored clocks behind Today's order: which SLA clock of an issue runs, and last contacts.

Today orders issues by SLA time left and customers by how overdue their contact is. Both depend
on "now", so they cannot be stored as such; what is stored is what they are measured from, so
that the database can walk an index in urgency order and stop after the rows shown:

* ``issue.clock`` says which clock decides the issue's SLA state (``NONE`` for a closed issue
  or one whose clocks both stopped), ``issue.clock_at`` when that clock started (the raise,
  or for the resolution clock the raise moved on by the time already paused), and
  ``issue.clock_frozen`` the resolution clock's elapsed seconds while it waits on the customer.
* ``customer.last_contact_at`` / ``contact.last_contact_at``: the latest touchpoint that is not
  an internal note (with the stakeholder taking part, for a contact).
* ``account_owner`` of stakeholders, issues, touchpoints, risks and health snapshots: the
  owner of the record's customer ("" for nobody), so that one PM's view walks only their
  share of a table (schemas 17, 22 and 23; ``services.account_owners``).

``services.records`` and the touchpoint service keep them on every save, an import sets them
for what it adds, and schema 6 computed them for existing data. ``sla.py`` remains the
definition of the clocks; these are only its index keys (tests check they agree).

Working hours (``sla.hours``, ``business_time``): a clock's deadline is then computed here, at
write time, and stored as ``clock_at`` = deadline less the target, the moment a clock running
round the clock would have started to be due then. So every reader (Today, the queue's
order, the counts) keeps reading a deadline as ``clock_at`` plus the target, on the same
indexes, and round the clock nothing changes (``clock_at`` is the start). ``clock_frozen`` of
a waiting issue is the working seconds run. The stored clocks depend on the hours, holidays
and targets in force (a customer's tier, too): ``clock_sync`` recomputes them when those
change.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.config import SlaConfig
from relboard.domain import OPEN_ISSUE_STATUSES as OPEN
from relboard.domain import severity_name
from relboard.services import account_owners
from relboard.services.business_time import Calendar, add_work, calendar, work_seconds
from relboard.services.spec import parse_stored  # SQLite aggregates come back as text

NONE, RESPONSE, RESOLUTION, WAITING, ODD_NEW = 0, 1, 2, 3, 4
"""``issue.clock`` values. ODD_NEW: status new with a first response recorded (only an import
can make one); Today works such issues out row by row."""


def calendar_of(sla: SlaConfig | None, tier: str | None) -> Calendar | None:
    """The working calendar of a customer of ``tier`` (None: round the clock)."""
    if sla is None or sla.round_the_clock:
        return None
    hours = sla.hours_for(tier)
    return None if hours is None else calendar(hours, sla.holidays)


Tiers = tuple[bool, tuple[str, ...]] | None
"""Which customers' issues a walk takes: all (None), or those of (``True``) / not of
(``False``) these tiers."""


def sla_calendars(sla: Any) -> list[tuple[Calendar | None, Tiers]]:
    """The working calendars of the settings ``sla`` and whose issues each one clocks: one
    for all issues unless tiers have hours of their own (then one per distinct hours, the
    default's taking every tier not named)."""
    default = calendar_of(sla, None)
    own: dict[Any, list[str]] = {}
    for tier, hours in sla.tiers:
        if hours != sla.hours:
            own.setdefault(hours, []).append(tier)
    if not own:
        return [(default, None)]
    named = tuple(t for tiers in own.values() for t in tiers)
    return [(default, (False, named))] + [
        (calendar_of(sla, tiers[0]), (True, tuple(tiers))) for tiers in own.values()]


def near_bound(now: _dt.datetime, cal: Calendar | None, hours: float, near: float
               ) -> _dt.datetime:
    """The latest ``clock_at`` of a clock of ``hours`` near its target at ``now``."""
    if cal is None:
        return now - _dt.timedelta(hours=hours * near)
    return add_work(cal, now, hours * (1 - near) * 3600) - _dt.timedelta(hours=hours)


def issue_clock(values: dict[str, Any], sla: SlaConfig | None = None,
                tier: str | None = None) -> dict[str, Any]:
    """The stored clock fields for an issue with these field values (``sla``: the settings
    whose working hours count, for a customer of ``tier``; None: round the clock).

    The first-response clock, while it runs, always decides (it started no later and has the
    shorter target), so an unanswered issue is ``RESPONSE`` from ``raised_at``. Answered and
    unresolved: ``RESOLUTION`` from ``raised_at + paused_seconds``, or ``WAITING`` with the
    elapsed seconds frozen at ``waiting_since``.
    """
    cal = calendar_of(sla, tier)
    if cal is not None and sla is not None:
        return _working_clock(values, sla, cal)
    get = values.get
    status, raised = get("status"), get("raised_at")
    out: dict[str, Any] = {"clock": NONE, "clock_at": None, "clock_frozen": None}
    if status not in OPEN or raised is None:
        return out
    if get("first_response_at") is None:
        out.update(clock=RESPONSE, clock_at=raised)
    elif status == "new":
        out.update(clock=ODD_NEW, clock_at=raised)
    elif get("resolved_at") is not None:
        pass
    elif get("waiting_since") is not None:
        elapsed = (get("waiting_since") - raised).total_seconds() - (get("paused_seconds") or 0)
        out.update(clock=WAITING, clock_frozen=int(max(0.0, elapsed)))
    else:
        out.update(clock=RESOLUTION,
                   clock_at=raised + _dt.timedelta(seconds=get("paused_seconds") or 0))
    return out


def _working_clock(values: dict[str, Any], sla: SlaConfig, cal: Calendar) -> dict[str, Any]:
    """``issue_clock`` counting working time only: ``clock_at`` is the deadline less the
    target, ``clock_frozen`` the working seconds run before the wait."""
    get = values.get
    status, raised = get("status"), get("raised_at")
    out: dict[str, Any] = {"clock": NONE, "clock_at": None, "clock_frozen": None}
    if status not in OPEN or raised is None:
        return out
    target = sla.target(severity_name(get("severity")))
    paused = get("paused_seconds") or 0
    if get("first_response_at") is None:
        span = target.first_response_hours * 3600
        out.update(clock=RESPONSE, clock_at=add_work(cal, raised, span)
                   - _dt.timedelta(seconds=span))
    elif status == "new":
        out.update(clock=ODD_NEW, clock_at=raised)
    elif get("resolved_at") is not None:
        pass
    elif get("waiting_since") is not None:
        elapsed = work_seconds(cal, raised, get("waiting_since")) - paused
        out.update(clock=WAITING, clock_frozen=int(max(0.0, elapsed)))
    else:
        span = target.resolution_hours * 3600
        out.update(clock=RESOLUTION, clock_at=add_work(cal, raised, paused + span)
                   - _dt.timedelta(seconds=span))
    return out


_CLOCK_INPUTS = ("status", "raised_at", "first_response_at", "resolved_at", "waiting_since",
                 "paused_seconds", "severity", "customer")


def tier_of(customer_id: Any) -> str | None:
    """The tier of customer #``customer_id`` (None when there is none)."""
    c = m.Customer
    found = c.select(c.tier).where(c.id == customer_id).tuples().first()
    return found[0] if found else None


def refresh_issue(issue_id: int, fields: dict[str, Any] | None = None,
                  sla: SlaConfig | None = None) -> None:
    """Store the clock of issue #``issue_id`` from its fields (inside the caller's write):
    ``fields`` when the caller holds them all (a change: what it read and wrote), else read;
    ``sla``: the settings whose working hours count (None: round the clock)."""
    i = m.Issue
    if fields is not None and all(f in fields for f in _CLOCK_INPUTS):
        rows: Any = [{f: fields[f] for f in _CLOCK_INPUTS}]
    else:
        rows = i.select(*(getattr(i, f) for f in _CLOCK_INPUTS)).where(i.id == issue_id).dicts()
    for values in rows:
        tier = tier_of(values["customer"]) if sla is not None and sla.tiers else None
        i.update(**issue_clock(values, sla, tier)).where(i.id == issue_id).execute()


def refresh_customer(customer_id: int, sla: SlaConfig | None) -> None:
    """After customer #``customer_id``'s tier changed: its open issues' clocks (their working
    hours may be the tier's)."""
    if sla is None or not sla.tiers:
        return
    i = m.Issue
    for (issue_id,) in i.select(i.id).where((i.customer == customer_id)
                                            & i.status.in_(OPEN)).tuples():
        refresh_issue(issue_id, None, sla)


def _last_customer_contact():
    c, i = m.Customer, m.Interaction
    return (i.select(fn.MAX(i.occurred_at))
            .where((i.customer == c.id) & (i.internal == False)))  # noqa: E712


def _last_contact_contact():
    k, i, ic = m.Contact, m.Interaction, m.InteractionContact
    return (ic.select(fn.MAX(i.occurred_at)).join(i, on=(ic.interaction == i.id))
            .where((ic.contact == k.id) & (i.internal == False)))  # noqa: E712


def refresh_contacts(customer_ids: Iterable[int] | None = None,
                     contact_ids: Iterable[int] | None = None) -> None:
    """Recompute ``last_contact_at`` of these customers and stakeholders (None, or more than
    ``account_owners.FEW`` of a kind: all of that kind, in one pass)."""
    c, k = m.Customer, m.Contact
    for model, last, ids in ((c, _last_customer_contact(), customer_ids),
                             (k, _last_contact_contact(), contact_ids)):
        query = model.update(last_contact_at=last)
        if ids is not None:
            ids = sorted(set(ids))
            if not ids:
                continue
            if len(ids) <= account_owners.FEW:
                query = query.where(model.id.in_(ids))
        query.execute()


def refresh_interaction(interaction_id: int, customer_id: int | None = None) -> None:
    """After touchpoint #``interaction_id`` was added or changed: its customer's and its
    stakeholders' last contact (``customer_id``: also a customer it was moved from)."""
    i, ic = m.Interaction, m.InteractionContact
    owners = [r for (r,) in i.select(i.customer).where(i.id == interaction_id).tuples()]
    if customer_id is not None:
        owners.append(customer_id)
    people = [r for (r,) in ic.select(ic.contact).where(ic.interaction == interaction_id)
              .tuples()]
    refresh_contacts(owners, people)


def rebuild(sla: SlaConfig | None = None, owners: bool = True) -> None:
    """Recompute every stored clock (schema 6; after an import; ``sla``: when working hours
    count) and, with ``owners``, the records' account owners (schemas 17, 22 and 23:
    schema 6's own run has no such column yet). Issues go by id, in batches."""
    i = m.Issue
    if sla is not None and not sla.round_the_clock:
        _rebuild_working(sla)
        refresh_contacts()
        if owners:
            account_owners.refresh()
        return
    i.update(clock=NONE, clock_at=None, clock_frozen=None).where(
        i.status.not_in(OPEN)).execute()
    # Open issues: the common shapes in three statements, the rest one by one.
    i.update(clock=RESPONSE, clock_at=i.raised_at, clock_frozen=None).where(
        i.status.in_(OPEN) & i.first_response_at.is_null()).execute()
    plain = (i.status.in_(OPEN[1:]) & i.first_response_at.is_null(False)
             & i.resolved_at.is_null() & i.waiting_since.is_null()
             & ((i.paused_seconds == 0) | i.paused_seconds.is_null()))
    i.update(clock=RESOLUTION, clock_at=i.raised_at, clock_frozen=None).where(plain).execute()
    rest = i.select(i.id, *(getattr(i, f) for f in _CLOCK_INPUTS)).where(
        i.status.in_(OPEN) & i.first_response_at.is_null(False) & ~plain).dicts()
    for values in list(rest):
        i.update(**issue_clock(values)).where(i.id == values["id"]).execute()
    refresh_contacts()
    if owners:
        account_owners.refresh()


def _rebuild_working(sla: SlaConfig) -> None:
    """``rebuild`` when working hours count: every issue row by row (closed ones at once)."""
    i, c = m.Issue, m.Customer
    i.update(clock=NONE, clock_at=None, clock_frozen=None).where(
        i.status.not_in(OPEN)).execute()
    query = (i.select(i.id, *(getattr(i, f) for f in _CLOCK_INPUTS), c.tier.alias("tier"))
             .join(c, on=(i.customer == c.id)).where(i.status.in_(OPEN)))
    for values in list(query.dicts()):
        i.update(**issue_clock(values, sla, values["tier"])).where(
            i.id == values["id"]).execute()


def stale(sla: SlaConfig | None = None) -> tuple[int, int, int]:
    """How many issues' stored clocks, how many customers' and stakeholders' last contacts,
    and how many records' stored account owners differ from what their rows say
    (``relboard check``; ``rebuild`` mends them; ``sla``: the settings the stored clocks were
    computed with)."""
    i, c = m.Issue, m.Customer
    issues = 0
    last = 0
    query = (i.select(i.id, *(getattr(i, f) for f in _CLOCK_INPUTS), i.clock, i.clock_at,
                      i.clock_frozen, c.tier.alias("tier"))
             .join(c, on=(i.customer == c.id)).order_by(i.id))
    for values in query.dicts().iterator():
        want = issue_clock(values, sla, values["tier"])
        if (want["clock"], want["clock_at"], want["clock_frozen"]) != \
                (values["clock"], values["clock_at"], values["clock_frozen"]):
            issues += 1
    for model, computed in ((m.Customer, _last_customer_contact()),
                            (m.Contact, _last_contact_contact())):
        for stored, found in model.select(model.last_contact_at, computed.alias("found")) \
                .tuples().iterator():
            if stored != parse_stored(found):
                last += 1
    return issues, last, account_owners.stale()
