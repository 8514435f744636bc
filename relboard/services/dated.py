"""A PM's dated work as calendar events (``relboard calendar``): follow-ups, expectation due
dates, risk reviews, playbook steps, issues' SLA due times, customers' renewal dates and
projects' end dates, from a list of sources (``SOURCES``) so a later kind of dated work is one
more entry.

Whose work: what ``who`` is on duty for, the rule of Today's "my view" (``scope.owned``):
customers they own or nobody owns, and expectations, issues and risks they own. Archived
customers' work is left out. The horizon: everything dated up to ``days`` days after today,
and everything overdue (still open, dated before today) on its own date. An event is made of
its record and its customer only (nothing of today's date), and its SEQUENCE rises with
either's version (``_sequence``): an event that moved to today every day, or said "overdue",
would change while its SEQUENCE stays, and a calendar importing it again may keep the old
copy.

Descriptions say what a PM needs (customer, what, status, owner) and never internal text: a
customer's notes, an internal note's text, a risk's description, trigger, mitigation and
contingency, an issue's description and resolution stay out; no link is written.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable
from typing import Any

from relboard import models as m
from relboard.domain import (
    OPEN_EXPECTATION_STATUSES,
    OPEN_ISSUE_STATUSES,
    OPEN_RISK_STATUSES,
    severity_name,
)
from relboard.services import scope
from relboard.services.context import Context
from relboard.services.ical import Event
from relboard.services.today.groups import KINDS
from relboard.services.wording import touchpoint_kind

Source = Callable[[Context, str, _dt.date, str], list[Event]]
"""A kind of dated work: ``(ctx, who, last_day, identity)`` -> its events."""


def database_identity() -> str:
    """What tells this database from another in a UID, stable while it lives: a short hash
    of its first audit row (when, who, what: the audit log is never pruned, and every record
    made through relboard, imports included, writes one), else of the moment its schema was
    made (a board without records has no events either). Nothing of the file's path: the
    identity stays when the file moves, is renamed, backed up and restored, and when
    ``migrate-to`` copies the board (audit rows and all) into PostgreSQL."""
    a, s = m.Activity, m.SchemaMigration
    first = a.select(a.at, a.user, a.entity, a.entity_id).order_by(a.id).first()
    if first is not None:
        basis = f"{first.at:%Y-%m-%dT%H:%M:%S} {first.user} {first.entity} {first.entity_id}"
    else:
        made = s.select(s.applied_at).order_by(s.number).first()
        basis = f"schema {made.applied_at if made is not None else None}"
    return hashlib.sha256(f"relboard:{basis}".encode()).hexdigest()[:12]


def uid(kind: str, record_id: int, identity: str) -> str:
    """The event's UID: stable per record and kind, unique across databases."""
    return f"{kind}-{record_id}.{identity}@relboard"


def _sequence(row: dict[str, Any]) -> int:
    """The event's SEQUENCE: the record's version plus its customer's (each starts at 1 and
    only rises), so an edit of either (a rename of the customer too) raises it."""
    return row["version"] + row["customer_version"] - 1


def _modified(row: dict[str, Any]) -> _dt.datetime:
    """The later of the record's and its customer's last change."""
    return max(row["updated_at"], row["customer_updated_at"])


CUSTOMER = (m.Customer.name.alias("customer"), m.Customer.version.alias("customer_version"),
            m.Customer.updated_at.alias("customer_updated_at"))
"""The customer's columns every source reads (its name, and what ``_sequence`` and
``_modified`` need)."""


def _words(value: str) -> str:
    return (value or "").replace("_", " ")


def _lines(*pairs: tuple[str, Any]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value not in ("", None))


def follow_ups(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """Open follow-ups of ``who``'s customers (an internal note's text is not shown)."""
    i, c = m.Interaction, m.Customer
    rows = (i.select(i.id, i.version, i.follow_up_on, i.occurred_at, i.channel, i.internal,
                     i.summary, i.updated_at, *CUSTOMER)
            .join(c, on=(i.customer == c.id))
            .where(i.follow_up_on.is_null(False) & i.follow_up_done_at.is_null()
                   & (i.follow_up_on <= last) & (c.archived == False)  # noqa: E712
                   & scope.owned(who))
            .order_by(i.follow_up_on, i.id).dicts())
    out = []
    for row in rows:
        kind = touchpoint_kind(row["channel"], row["internal"])
        said = "" if row["internal"] else row["summary"]
        out.append(Event(
            uid("followup", row["id"], identity),
            _sequence(row), f"Follow up: {row['customer']}",
            _lines(("Customer", row["customer"]),
                   ("After", f"{kind} on {ctx.local(row['occurred_at']):%a %Y-%m-%d}"),
                   ("Said", said)),
            day=row["follow_up_on"], last_modified=_modified(row), categories="follow-up"))
    return out


def expectations_due(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """Due dates of ``who``'s open expectations."""
    e, c = m.Expectation, m.Customer
    rows = (e.select(e.id, e.version, e.statement, e.status, e.owner, e.category,
                     e.current_due, e.baseline_due, e.updated_at, *CUSTOMER)
            .join(c, on=(e.customer == c.id))
            .where(e.current_due.is_null(False) & (e.current_due <= last)
                   & e.status.in_(OPEN_EXPECTATION_STATUSES)
                   & (c.archived == False) & scope.owned(who, e.owner))  # noqa: E712
            .order_by(e.current_due, e.id).dicts())
    out = []
    for row in rows:
        moved = (f"{row['baseline_due']:%Y-%m-%d}" if row["baseline_due"]
                 and row["baseline_due"] != row["current_due"] else "")
        out.append(Event(
            uid("expectation", row["id"], identity), _sequence(row),
            f"Due: {row['statement']} ({row['customer']})",
            _lines(("Customer", row["customer"]), ("Expectation", row["statement"]),
                   ("Kind", _words(row["category"])), ("Status", _words(row["status"])),
                   ("First agreed for", moved), ("Owner", row["owner"] or "nobody")),
            day=row["current_due"], last_modified=_modified(row), categories="expectation"))
    return out


def risk_reviews(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """Review dates of ``who``'s open risks (their free text stays out)."""
    from relboard.services.risks import band_of

    r, c = m.Risk, m.Customer
    rows = (r.select(r.id, r.version, r.title, r.status, r.owner, r.score, r.review_on,
                     r.updated_at, *CUSTOMER)
            .join(c, on=(r.customer == c.id))
            .where(r.review_on.is_null(False) & (r.review_on <= last)
                   & r.status.in_(OPEN_RISK_STATUSES)
                   & (c.archived == False) & scope.owned(who, r.owner))  # noqa: E712
            .order_by(r.review_on, r.id).dicts())
    return [Event(
        uid("risk-review", row["id"], identity), _sequence(row),
        f"Risk review: {row['title']} ({row['customer']})",
        _lines(("Customer", row["customer"]), ("Risk", row["title"]),
               ("Score", f"{row['score']} ({band_of(row['score'])})"),
               ("Status", _words(row["status"])), ("Owner", row["owner"] or "nobody")),
        day=row["review_on"], last_modified=_modified(row), categories="risk review")
        for row in rows]


def playbook_steps(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """Open playbook steps of ``who``'s customers, on their due dates."""
    s, r, c = m.PlaybookStep, m.PlaybookRun, m.Customer
    rows = (s.select(s.id, s.version, s.do, s.due_on, s.every_days, s.updated_at,
                     r.name.alias("playbook"), *CUSTOMER)
            .join(r, on=(s.run == r.id)).switch(s).join(c, on=(s.customer == c.id))
            .where(s.done_at.is_null() & (s.due_on <= last)
                   & (c.archived == False) & scope.owned(who))  # noqa: E712
            .order_by(s.due_on, s.id).dicts())
    return [Event(
        uid("playbook-step", row["id"], identity), _sequence(row),
        f"{row['do']} ({row['customer']})",
        _lines(("Customer", row["customer"]), ("Playbook", row["playbook"]),
               ("Step", row["do"]),
               ("Repeats", f"every {row['every_days']} days" if row["every_days"] else "")),
        day=row["due_on"], last_modified=_modified(row), categories=KINDS["step"].words)
        for row in rows]


def sla_due(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """When open issues' running SLA clocks are due (UTC moments): first response while
    nobody answered, resolution while unresolved. A resolution clock paused (waiting on
    the customer) has no due time and is left out."""
    s, c = m.Issue, m.Customer
    rows = (s.select(s.id, s.version, s.title, s.status, s.owner, s.severity, s.raised_at,
                     s.first_response_at, s.resolved_at, s.paused_seconds, s.waiting_since,
                     s.updated_at, *CUSTOMER)
            .join(c, on=(s.customer == c.id))
            .where(s.status.in_(OPEN_ISSUE_STATUSES)
                   & (c.archived == False) & scope.owned(who, s.owner))  # noqa: E712
            .order_by(s.raised_at, s.id).dicts())
    out = []
    for row in rows:
        severity = severity_name(row["severity"])
        target = ctx.sla.target(severity)
        clocks = []
        if row["first_response_at"] is None:
            clocks.append(("response", "first response", target.first_response_hours, 0))
        if row["resolved_at"] is None and row["waiting_since"] is None:
            clocks.append(("resolution", "resolution", target.resolution_hours,
                           row["paused_seconds"] or 0))
        for kind, name, hours, paused in clocks:
            due = (row["raised_at"] + _dt.timedelta(hours=hours, seconds=paused)
                   ).replace(microsecond=0)
            if ctx.local(due).date() > last:
                continue
            out.append(Event(
                uid(f"issue-{kind}", row["id"], identity), _sequence(row),
                f"SLA {name} due: #{row['id']} {row['title']} ({row['customer']})",
                _lines(("Customer", row["customer"]), ("Issue", f"#{row['id']} {row['title']}"),
                       ("Severity", severity), ("Status", _words(row["status"])),
                       ("Owner", row["owner"] or "nobody")),
                moment=due, last_modified=_modified(row), categories="issue"))
    return out


def renewals(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """Renewal dates of ``who``'s customers (a passed one stays until the next is recorded);
    their health stays out, as their notes do."""
    c = m.Customer
    rows = (c.select(c.id, c.name, c.version, c.tier, c.owner, c.renews_on, c.updated_at)
            .where(c.renews_on.is_null(False) & (c.renews_on <= last)
                   & (c.archived == False) & scope.owned(who))  # noqa: E712
            .order_by(c.renews_on, c.id).dicts())
    return [Event(
        uid("renewal", row["id"], identity), row["version"], f"Renewal: {row['name']}",
        _lines(("Customer", row["name"]), ("Renews on", f"{row['renews_on']:%a %Y-%m-%d}"),
               ("Tier", row["tier"]), ("Owner", row["owner"] or "nobody")),
        day=row["renews_on"], last_modified=row["updated_at"], categories="renewal")
        for row in rows]


def project_ends(ctx: Context, who: str, last: _dt.date, identity: str) -> list[Event]:
    """End dates of ``who``'s customers' live projects not closed, from today (a project
    that has ended is a delivery matter: Today's "Renewals ahead" leaves it out too)."""
    p, c = m.Project, m.Customer
    rows = (p.select(p.id, p.version, p.name, p.phase, p.end_date, p.updated_at, *CUSTOMER)
            .join(c, on=(p.customer == c.id))
            .where(p.end_date.between(ctx.today(), last) & (p.archived == False)  # noqa: E712
                   & (p.phase != "closed") & (c.archived == False)  # noqa: E712
                   & scope.owned(who))
            .order_by(p.end_date, p.id).dicts())
    return [Event(
        uid("project-end", row["id"], identity), _sequence(row),
        f"Project ends: {row['name']} ({row['customer']})",
        _lines(("Customer", row["customer"]), ("Project", row["name"]),
               ("Phase", _words(row["phase"]))),
        day=row["end_date"], last_modified=_modified(row), categories=KINDS["project"].words)
        for row in rows]


SOURCES: tuple[tuple[str, Source], ...] = (
    ("follow-ups", follow_ups),
    ("expectations", expectations_due),
    ("risk reviews", risk_reviews),
    ("playbook steps", playbook_steps),
    ("issue SLAs", sla_due),
    ("renewals", renewals),
    ("project ends", project_ends),
)
"""Every kind of dated work, in the calendar's order. A new kind is one entry here."""


def _when(event: Event, ctx: Context) -> tuple[_dt.date, str]:
    day = event.day if event.day is not None else ctx.local(event.moment).date() \
        if event.moment is not None else _dt.date.min
    return day, event.uid


def dated_work(ctx: Context, who: str, days: int) -> list[Event]:
    """``who``'s dated work up to ``days`` days after today (overdue items included), by
    day."""
    last = ctx.today() + _dt.timedelta(days=days)
    identity = database_identity()
    events = [event for _, source in SOURCES for event in source(ctx, who, last, identity)]
    return sorted(events, key=lambda event: _when(event, ctx))
