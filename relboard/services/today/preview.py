"""The record behind a Today item, as plain words for the preview pane beside (or below) the
list: an issue's description and last update, an expectation's baseline, current due date and
trail, a follow-up's touchpoint, a customer's last contact and health, a risk's assessment,
a renewal's date (or a project's end) with its customer's health.

One call reads one record and what the pane says with it (a few small queries); the screen
never reads the database itself. The words are not cleaned here: the pane shows them as
plain text (``widgets.safe``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from relboard import models as m
from relboard.domain import severity_name
from relboard.services import expectations, records, touchpoints
from relboard.services.brief import _change as change_words
from relboard.services.context import Context
from relboard.services.wording import touchpoint_kind

TRAIL = 6
"""The newest changes of an expectation's trail the pane shows."""


@dataclass(frozen=True)
class Section:
    """A heading and its lines (a line may hold a long text: the pane wraps it)."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    """What the pane shows for one item: a title, short facts (label, value), sections."""

    title: str
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)


def _day(value: Any) -> str:
    return f"{value:%a %Y-%m-%d}" if value else "—"


def _moment(value: Any) -> str:
    return f"{value:%a %Y-%m-%d %H:%M}" if value else "—"


def _ago(ctx: Context, value: _dt.datetime | None) -> str:
    """"Tue 2026-11-17 (6 days ago)", or "never"."""
    if value is None:
        return "never"
    days = (ctx.today() - value.date()).days
    words = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    return f"{_day(value)} ({words})"


def _last_change(kind: str, record_id: int) -> str:
    """The newest audit row of a record, in words (who, when, what)."""
    rows = records.history(kind, record_id, limit=1)
    if not rows:
        return "no change since it was made"
    row = rows[0]
    what = row["action"]
    if row["field"]:
        what = f"{row['field']} {row['old'] or '—'} → {row['new'] or '—'}"
    return f"{_moment(row['at'])} {row['user']}: {what}"


def _touchpoint_lines(row: m.Interaction) -> tuple[str, ...]:
    people = ", ".join(p["name"] for p in touchpoints.participants(row.id)) or "nobody named"
    return (f"{_moment(row.occurred_at)} · {touchpoint_kind(row.channel, row.internal)}"
            f" · with {people} · logged by {row.created_by}", row.summary or "(no summary)")


def _last_touchpoint(customer_id: int, contact_id: int | None = None) -> Section:
    """The customer's (or one stakeholder's) newest touchpoint."""
    i = m.Interaction
    query = i.select().where(i.customer == customer_id)
    if contact_id is not None:
        ic = m.InteractionContact
        query = query.join(ic, on=(ic.interaction == i.id)).where(ic.contact == contact_id)
    row = query.order_by(i.occurred_at.desc(), i.id.desc()).first()
    lines = _touchpoint_lines(row) if row else ("none logged",)
    return Section("Last touchpoint", lines)


def _customer(record_id: int) -> m.Customer:
    row = records.fetch("customer", record_id)
    assert isinstance(row, m.Customer)
    return row


def _health(ctx: Context, customer_id: int) -> tuple[str, tuple[str, ...]]:
    """The customer's score and band, and its weakest signals in words."""
    from relboard.services import health

    try:
        found = health.customer_health(ctx, customer_id)
    except KeyError:  # an archived customer has no score
        return "no score (archived)", ()
    score = "no data" if found.score is None else f"{found.score} ({found.band})"
    weakest = sorted((s for s in found.signals if s.value is not None),
                     key=lambda s: (s.value, s.label))[:3]
    return score, tuple(f"{s.label} {s.value}: {s.explanation}" for s in weakest)


def _issue(ctx: Context, record_id: int, customer_id: int) -> Preview:
    row = records.fetch("issue", record_id)
    assert isinstance(row, m.Issue)
    facts = (("Status", row.status.replace("_", " ")), ("Severity", severity_name(row.severity)),
             ("Owner", row.owner or "unowned"), ("Raised", _moment(row.raised_at)))
    sections = [Section("Description", (row.description or "(no description)",)),
                Section("Last update", (_last_change("issue", record_id),))]
    if row.resolution:
        sections.append(Section("Resolution", (row.resolution,)))
    sections.append(_last_touchpoint(customer_id))
    return Preview(f"Issue #{row.id}", facts, tuple(sections))


def _expectation(ctx: Context, record_id: int) -> Preview:
    row = records.fetch("expectation", record_id)
    assert isinstance(row, m.Expectation)
    moved = ""
    if row.baseline_due and row.current_due and row.current_due != row.baseline_due:
        days = (row.current_due - row.baseline_due).days
        moved = f" (moved {days:+d} days)"
    facts = (("Status", row.status.replace("_", " ")), ("Owner", row.owner or "unowned"),
             ("Category", row.category), ("Baseline due", _day(row.baseline_due)),
             ("Current due", _day(row.current_due) + moved))
    trail = expectations.trail(record_id)
    lines = tuple(change_words(r, str) for r in trail[-TRAIL:]) or ("no changes",)
    if len(trail) > TRAIL:
        lines = (f"… {len(trail) - TRAIL} earlier", *lines)
    return Preview(f"Expectation #{row.id}", facts,
                   (Section("Statement", (row.statement,)), Section("Trail", lines)))


def _follow_up(ctx: Context, record_id: int) -> Preview:
    row = records.fetch("interaction", record_id)
    assert isinstance(row, m.Interaction)
    done = _moment(row.follow_up_done_at) if row.follow_up_done_at else "not yet"
    sentiment = "—" if row.sentiment is None else f"{row.sentiment:+d}"
    facts = (("Follow-up on", _day(row.follow_up_on)), ("Done", done),
             ("Sentiment", sentiment))
    return Preview(f"Follow-up of touchpoint #{row.id}", facts,
                   (Section("Touchpoint", _touchpoint_lines(row)),))


def _step(ctx: Context, record_id: int) -> Preview:
    """A playbook step: what to do, when, its playbook's steps so far."""
    from relboard.services import playbooks

    row = records.fetch("playbook_step", record_id)
    assert isinstance(row, m.PlaybookStep)
    run = records.fetch("playbook_run", row.run_id)  # type: ignore[attr-defined]
    assert isinstance(run, m.PlaybookRun)
    every = f"every {row.every_days} days" if row.every_days else "once"
    facts = (("Due on", _day(row.due_on)), ("Repeats", every),
             ("Playbook", f"{run.name}, started {_day(run.started_on)}"))
    lines = tuple(f"{_day(s['due_on'])}  {s['do']}"
                  + (f" (done {s['done_at']:%Y-%m-%d})" if s["done_at"] else "")
                  for s in playbooks.steps_of(run.id))
    return Preview(f"Playbook step: {row.do}", facts, (Section("Steps", lines),))


def _customer_preview(ctx: Context, customer_id: int, title: str,
                      extra: tuple[tuple[str, str], ...] = (),
                      contact_id: int | None = None) -> Preview:
    from relboard.services import rules

    row = _customer(customer_id)
    score, weakest = _health(ctx, customer_id)
    facts = (*extra, ("Last contact", _ago(ctx, row.last_contact_at)),
             ("Cadence", f"every {rules.cadence(row.cadence_days, ctx)} days"),
             ("Health", score), ("Owner", row.owner or "unowned"), ("Tier", row.tier))
    sections = [_last_touchpoint(customer_id, contact_id)]
    if weakest:
        sections.append(Section("Weakest signals", weakest))
    return Preview(title, facts, tuple(sections))


def _contact(ctx: Context, record_id: int, customer_id: int) -> Preview:
    row = records.fetch("contact", record_id)
    assert isinstance(row, m.Contact)
    extra = (("Role", row.role or "—"), ("Their last contact", _ago(ctx, row.last_contact_at)),
             ("Prefers", row.preferred_channel))
    return _customer_preview(ctx, customer_id, f"Stakeholder {row.name}", extra,
                             contact_id=record_id)


def _risk(ctx: Context, record_id: int) -> Preview:
    from relboard.services.risks import band_of

    row = records.fetch("risk", record_id)
    assert isinstance(row, m.Risk)
    facts: tuple[tuple[str, str], ...] = (
        ("Likelihood", f"{row.likelihood} of 5"), ("Impact", f"{row.impact} of 5"),
        ("Score", f"{row.score} ({band_of(row.score)})"),
        ("Status", row.status.replace("_", " ")), ("Owner", row.owner or "unowned"),
        ("Review", _day(row.review_on)))
    if row.customer_owner_id is not None:  # shared with the customer
        k = m.Contact
        name = str(k.select(k.name).where(k.id == row.customer_owner_id).scalar() or "—")
        facts += (("Their side", name),
                  ("With them", _day(row.reviewed_with_customer_on)
                   if row.reviewed_with_customer_on else "not gone through yet"))
    texts = (("Description", row.description), ("Trigger", row.trigger),
             ("Mitigation", row.mitigation), ("Contingency", row.contingency))
    sections = tuple(Section(name, (text or "—",)) for name, text in texts)
    return Preview(f"Risk #{row.id}", facts, sections)


def preview(ctx: Context, kind: str, record_id: int, customer_id: int) -> Preview:
    """The pane's words for a Today item (``AttentionItem.kind``/``record_id``/
    ``customer_id``); NotFoundError when the record has gone."""
    if kind == "issue":
        return _issue(ctx, record_id, customer_id)
    if kind == "expectation":
        return _expectation(ctx, record_id)
    if kind == "interaction":
        return _follow_up(ctx, record_id)
    if kind == "contact":
        return _contact(ctx, record_id, customer_id)
    if kind == "risk":
        return _risk(ctx, record_id)
    if kind == "step":
        return _step(ctx, record_id)
    if kind in ("renewal", "project"):
        return _renewal(ctx, kind, record_id, customer_id)
    name = _customer(customer_id).name
    return _customer_preview(ctx, customer_id, f"Health of {name}" if kind == "health"
                             else f"Customer {name}")


def _renewal(ctx: Context, kind: str, record_id: int, customer_id: int) -> Preview:
    """A renewal: the customer's renewal date (a project's end, phase and start), then the
    customer's contact and health."""
    row = _customer(customer_id)
    if kind == "renewal":
        return _customer_preview(ctx, customer_id, f"Renewal of {row.name}",
                                 (("Renews on", _day(row.renews_on)),))
    project = records.fetch("project", record_id)
    assert isinstance(project, m.Project)
    return _customer_preview(ctx, customer_id, f"Project {project.name} of {row.name}", (
        ("Ends on", _day(project.end_date)), ("Started", _day(project.start_date)),
        ("Phase", project.phase), ("Renews on", _day(row.renews_on))))
