"""A status update for the customer: what the customer may read (issue 23 point 5).

The brief (``services.brief``) is the PM's internal page; this is its customer-facing sibling,
the seed text's "regular updates on project progress" made concrete. ``status_update(ctx,
customer_id)`` gathers plain data from this customer's records only:

- what was agreed: expectations agreed, at risk or renegotiated, and those met or missed with a
  due date in the last ``RECENT_DAYS``; the baseline against the current due date, and each
  renegotiation (date, old and new due date, whether the statement changed, the reason);
- decisions taken together: decisions of this customer that one of its stakeholders took part
  in (``DecisionContact``), with those stakeholders' names;
- open issues: title, severity in words, status and when raised;
- risks shared with the customer: open risks with a customer-side owner (schema 11), with their
  band (likelihood x impact), mitigation and contingency, that owner (one of the customer's
  own stakeholders) and when it was last gone through together (the domain's "joint risk
  register"); a risk the team keeps to itself (no customer-side owner) is never in it;
- the next meeting: the earliest follow-up on or after today of a touchpoint with the customer.

Never in it: internal touchpoints, customer or rating notes, the health score or band, owners,
SLA targets, an issue's description or resolution, a risk's description, trigger or owner, who
changed an expectation, a decision's options, rationale or free-text participants, and nothing
of any other customer (every query is by this customer's id). ``render(u, fmt)`` writes text
(control characters stripped) or Markdown (stored text escaped), as the brief does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from relboard import models as m
from relboard.domain import OPEN_ISSUE_STATUSES, OPEN_RISK_STATUSES, severity_name
from relboard.services import records
from relboard.services.brief import body_lines
from relboard.services.context import Context
from relboard.services.risks import band_of
from relboard.text import safe, safe_markdown

FORMATS = ("text", "markdown")
AGREED = ("agreed", "at_risk", "renegotiated")
DONE = ("met", "missed")
RECENT_DAYS = 30
"""A met or missed expectation due within this many days before today is still reported."""
DECISIONS = 10
EXPOSURE = {"red": "high", "amber": "medium", "green": "low"}
"""A risk band as the customer reads it."""


@dataclass(frozen=True)
class Renegotiation:
    """One renegotiation of an expectation: when, the due dates, and why."""

    on: _dt.date
    old_due: _dt.date | None
    new_due: _dt.date | None
    statement_changed: bool
    reason: str


@dataclass(frozen=True)
class Agreed:
    """An expectation as the customer sees it."""

    statement: str
    status: str
    baseline_due: _dt.date | None
    current_due: _dt.date | None
    renegotiations: tuple[Renegotiation, ...]


@dataclass(frozen=True)
class JointDecision:
    """A decision one of the customer's stakeholders took part in."""

    decided_on: _dt.date
    title: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class OpenIssue:
    """An open issue: its title, severity in words, status and when it was raised."""

    id: int
    title: str
    severity: str
    status: str
    raised_on: _dt.date


@dataclass(frozen=True)
class SharedRisk:
    """An open risk shared with the customer: title, exposure band, status, mitigation and
    contingency, its owner on the customer's side and when it was last gone through
    together."""

    title: str
    exposure: str
    status: str
    mitigation: str
    contingency: str
    their_owner: str = ""
    reviewed_on: _dt.date | None = None


@dataclass(frozen=True)
class StatusUpdate:
    """What a status update shows, as plain data."""

    today: _dt.date
    customer_id: int
    customer_name: str
    agreed: tuple[Agreed, ...]
    decisions: tuple[JointDecision, ...]
    issues: tuple[OpenIssue, ...]
    risks: tuple[SharedRisk, ...]
    next_meeting: _dt.date | None


def _day(value: object) -> _dt.date | None:
    return value.date() if isinstance(value, _dt.datetime) else value  # type: ignore[return-value]


def _renegotiations(expectation_id: int) -> tuple[Renegotiation, ...]:
    c = m.ExpectationChange
    out = []
    for row in (c.select(c.changed_at, c.old_due, c.new_due, c.old_statement, c.new_statement,
                         c.reason)
                .where(c.expectation == expectation_id).order_by(c.changed_at, c.id)):
        moved = row.old_due is not None and row.new_due is not None and row.old_due != row.new_due
        reworded = row.old_statement is not None and row.new_statement is not None
        if moved or reworded:
            out.append(Renegotiation(_day(row.changed_at), row.old_due if moved else None,
                                     row.new_due if moved else None, reworded, row.reason))
    return tuple(out)


def _agreed(today: _dt.date, customer_id: int) -> tuple[Agreed, ...]:
    e = m.Expectation
    since = today - _dt.timedelta(days=RECENT_DAYS)
    rows = (e.select(e.id, e.statement, e.status, e.baseline_due, e.current_due)
            .where((e.customer == customer_id)
                   & (e.status.in_(AGREED)
                      | (e.status.in_(DONE) & (e.current_due >= since))))
            .order_by(e.current_due, e.id))
    return tuple(Agreed(r.statement, r.status, r.baseline_due, r.current_due,
                        _renegotiations(r.id)) for r in rows)


def _decisions(today: _dt.date, customer_id: int) -> tuple[JointDecision, ...]:
    d, dc, k = m.Decision, m.DecisionContact, m.Contact
    people: dict[int, list[str]] = {}
    for decision_id, name in (dc.select(dc.decision, k.name)
                              .join(k, on=(dc.contact == k.id))
                              .join(d, on=(dc.decision == d.id))
                              .where((d.customer == customer_id) & (k.customer == customer_id))
                              .order_by(k.name, k.id).tuples()):
        people.setdefault(decision_id, []).append(name)
    if not people:
        return ()
    rows = (d.select(d.id, d.title, d.decided_on)
            .where((d.customer == customer_id) & d.id.in_(list(people))
                   & (d.decided_on <= today))
            .order_by(d.decided_on.desc(), d.id.desc()).limit(DECISIONS))
    return tuple(JointDecision(r.decided_on, r.title, tuple(people[r.id])) for r in rows)


def _issues(customer_id: int) -> tuple[OpenIssue, ...]:
    s = m.Issue
    rows = (s.select(s.id, s.title, s.severity, s.status, s.raised_at)
            .where((s.customer == customer_id) & s.status.in_(OPEN_ISSUE_STATUSES))
            .order_by(s.severity, s.raised_at, s.id))
    return tuple(OpenIssue(r.id, r.title, severity_name(r.severity), r.status,
                           _day(r.raised_at)) for r in rows)


def _risks(customer_id: int) -> tuple[SharedRisk, ...]:
    r, k = m.Risk, m.Contact
    rows = (r.select(r.title, r.score, r.status, r.mitigation, r.contingency,
                     r.reviewed_with_customer_on, k.name.alias("their_owner"))
            .join(k, on=(r.customer_owner == k.id))  # shared: a customer-side owner
            .where((r.customer == customer_id) & (k.customer == customer_id)
                   & r.status.in_(OPEN_RISK_STATUSES))
            .order_by(r.score.desc(), r.id).dicts())
    return tuple(SharedRisk(x["title"], EXPOSURE[band_of(x["score"])], x["status"],
                            x["mitigation"], x["contingency"], x["their_owner"],
                            x["reviewed_with_customer_on"]) for x in rows)


def _next_meeting(today: _dt.date, customer_id: int) -> _dt.date | None:
    i = m.Interaction
    row = (i.select(i.follow_up_on)
           .where((i.customer == customer_id) & (i.internal == False)  # noqa: E712
                  & i.follow_up_done_at.is_null() & (i.follow_up_on >= today))
           .order_by(i.follow_up_on).first())
    return None if row is None else row.follow_up_on


def status_update(ctx: Context, customer_id: int) -> StatusUpdate:
    """The status update of customer #``customer_id`` (NotFoundError if there is none)."""
    customer = records.get("customer", customer_id)
    today = ctx.today()
    return StatusUpdate(today=today, customer_id=customer_id, customer_name=customer["name"],
                        agreed=_agreed(today, customer_id),
                        decisions=_decisions(today, customer_id),
                        issues=_issues(customer_id), risks=_risks(customer_id),
                        next_meeting=_next_meeting(today, customer_id))


def _date(value: _dt.date | None) -> str:
    return f"{value:%a %Y-%m-%d}" if value else "no date"


def _words(status: str) -> str:
    return status.replace("_", " ")


def _agreed_lines(a: Agreed, esc: Callable[[object], str]) -> list[str]:
    due = f"due {_date(a.current_due)}"
    if a.baseline_due is not None and a.baseline_due != a.current_due:
        due = f"baseline {_date(a.baseline_due)}, now due {_date(a.current_due)}"
    lines = [f"{esc(a.statement)} — {_words(a.status)}, {due}"]
    for r in a.renegotiations:
        what = []
        if r.old_due is not None:
            what.append(f"due {_date(r.old_due)} → {_date(r.new_due)}")
        if r.statement_changed:
            what.append("statement revised")
        why = f": {esc(r.reason)}" if r.reason else ""
        lines.append(f"    renegotiated {r.on:%Y-%m-%d}, {', '.join(what)}{why}")
    return lines


def sections(u: StatusUpdate, esc: Callable[[object], str]) -> list[tuple[str, list[str]]]:
    """The update as (heading, lines) pairs, every stored text passed through ``esc``; a line
    starting with four spaces belongs to the line before it."""
    agreed: list[str] = []
    for a in u.agreed:
        agreed += _agreed_lines(a, esc)
    return [
        ("What was agreed", agreed),
        ("Decisions taken together", [
            f"{_date(d.decided_on)}: {esc(d.title)} (with {', '.join(esc(p) for p in d.people)})"
            for d in u.decisions]),
        ("Open issues", [
            f"#{i.id} {esc(i.title)} — {i.severity}, {_words(i.status)}, raised "
            f"{i.raised_on:%Y-%m-%d}" for i in u.issues]),
        ("Risks we are managing together", [
            f"{esc(r.title)} — {r.exposure} exposure, {_words(r.status)}"
            + (f"; mitigation: {esc(r.mitigation)}" if r.mitigation.strip() else "")
            + (f"; contingency: {esc(r.contingency)}" if r.contingency.strip() else "")
            + (f"; owner on your side: {esc(r.their_owner)}" if r.their_owner else "")
            + (f"; last reviewed together {r.reviewed_on:%Y-%m-%d}" if r.reviewed_on else "")
            for r in u.risks]),
        ("Next meeting", [_date(u.next_meeting) if u.next_meeting else "none planned"]),
    ]


def render(u: StatusUpdate, fmt: str = "text") -> str:
    """The update as text or Markdown (stored text made safe)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    md = fmt == "markdown"
    esc = safe_markdown if md else safe
    title = f"Status update: {esc(u.customer_name)} — {u.today:%a %Y-%m-%d}"
    lines = [f"# {title}" if md else title, ""]
    for heading, body in sections(u, esc):
        lines += ([f"## {heading}", ""] if md else [heading]) + body_lines(body, md)
    return "\n".join(lines).rstrip("\n") + "\n"
