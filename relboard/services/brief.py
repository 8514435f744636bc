"""The meeting brief: one page to read before a call with a customer.

``brief(ctx, customer_id)`` gathers plain data (the customer line, health and its weakest
signals, satisfaction, the last touchpoints, open follow-ups, open issues with their SLA state,
expectations due soon or at risk with their trail, stakeholders with an engagement gap, open
red and amber risks, recent decisions); ``render(b, fmt)`` writes it as text or Markdown with
every piece of stored text made safe as the digest does (``relboard.text.safe`` /
``safe_markdown``): no control character, and no Markdown link or markup from data.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relboard import models as m
from relboard.domain import severity_name
from relboard.services import (
    decisions,
    expectations,
    health,
    issues,
    lists,
    profiles,
    risks,
    satisfaction,
    stakeholders,
    touchpoints,
)
from relboard.services.context import Context
from relboard.services.health import Health, Signal
from relboard.services.satisfaction import Satisfaction
from relboard.services.stakeholders import Stakeholder
from relboard.services.wording import touchpoint_kind
from relboard.text import safe, safe_markdown

FORMATS = ("text", "markdown")
TOUCHPOINTS = 5
DECISIONS = 5
DUE_SOON_DAYS = 14
"""An open expectation due within this many days (or overdue, or at risk) is in the brief."""
WEAKEST = 3


@dataclass(frozen=True)
class Brief:
    """What a brief shows, as plain data (rows are dicts as the services return them)."""

    today: _dt.date
    customer: dict[str, Any]
    cadence: int
    last_contact: _dt.datetime | None
    days_since_contact: int | None
    health: Health | None  # the types by name: a field named like its module hides it
    weakest: list[Signal]
    satisfaction: Satisfaction
    touchpoints: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    expectations: list[dict[str, Any]]
    stakeholders: list[Stakeholder]
    risks: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


def _touchpoints(customer_id: int) -> list[dict[str, Any]]:
    rows = lists.touchpoints_page(customer_id, limit=TOUCHPOINTS).rows
    for row in rows:
        row["people"] = [p["name"] for p in touchpoints.participants(row["id"])]
    return rows


def _follow_ups(customer_id: int) -> list[dict[str, Any]]:
    i = m.Interaction
    return list(i.select(i.id, i.summary, i.follow_up_on, i.occurred_at)
                .where((i.customer == customer_id) & i.follow_up_on.is_null(False)
                       & i.follow_up_done_at.is_null())
                .order_by(i.follow_up_on, i.id).dicts())


def _issues(ctx: Context, customer_id: int) -> list[dict[str, Any]]:
    s = m.Issue
    rows = list(s.select().where((s.customer == customer_id)
                                 & s.status.in_(issues.OPEN_STATUSES))
                .order_by(s.severity, s.raised_at, s.id).dicts())
    for row in rows:
        state = issues.sla_of(ctx, row)
        row["sla_state"] = state.state
        row["sla"] = state.describe() + issues.due_text(ctx, state.urgent_clock)
        row["severity"] = severity_name(row["severity"])
    return rows


def _expectations(ctx: Context, customer_id: int) -> list[dict[str, Any]]:
    e = m.Expectation
    soon = ctx.today() + _dt.timedelta(days=DUE_SOON_DAYS)
    rows = list(e.select(e.id, e.statement, e.status, e.owner, e.current_due, e.baseline_due)
                .where((e.customer == customer_id) & e.status.in_(expectations.OPEN_STATUSES)
                       & ((e.current_due <= soon) | (e.status == "at_risk")))
                .order_by(e.current_due, e.id).dicts())
    for row in rows:
        row["trail"] = expectations.trail(row["id"])
    return rows


def brief(ctx: Context, customer_id: int) -> Brief:
    """The brief of customer #``customer_id`` (NotFoundError if there is none)."""
    profile = profiles.customer_profile(ctx, customer_id)
    try:
        score = health.customer_health(ctx, customer_id)
    except KeyError:  # an archived customer has no score
        score = None
    weakest = sorted((s for s in (score.signals if score else ()) if s.value is not None),
                     key=lambda s: (s.value, s.label))[:WEAKEST]
    return Brief(
        today=ctx.today(), customer=profile.customer, cadence=profile.cadence,
        last_contact=profile.last_contact, days_since_contact=profile.days_since_contact,
        health=score, weakest=weakest,
        satisfaction=satisfaction.customer_satisfaction(ctx, customer_id),
        touchpoints=_touchpoints(customer_id), follow_ups=_follow_ups(customer_id),
        issues=_issues(ctx, customer_id), expectations=_expectations(ctx, customer_id),
        stakeholders=[s for s in stakeholders.stakeholders(customer_id) if s.gap],
        risks=[r for r in risks.customer_risks(ctx, customer_id)
               if r["band"] in ("red", "amber")],
        decisions=decisions.log_page(ctx, customer_id=customer_id, limit=DECISIONS).rows,
    )


def _day(value: Any) -> str:
    return f"{value:%a %Y-%m-%d}" if value else "—"


def _ago(days: int | None) -> str:
    if days is None:
        return "never contacted"
    if days == 0:
        return "last contact today"
    if days == 1:
        return "last contact yesterday"
    return f"last contact {days} days ago"


def _figure(name: str, figure: satisfaction.Figure) -> str:
    if figure.score is None:
        return f"{name}: no answers in {figure.period_days} days"
    answers = f"{figure.answers} answer{'s' if figure.answers != 1 else ''}"
    return f"{name} {figure.score:g} ({answers} in {figure.period_days} days)"


def _sentiment(value: int | None) -> str:
    return "" if value is None else f", sentiment {value:+d}"


def _change(row: dict[str, Any], esc: Callable[[object], str]) -> str:
    parts = []
    if row["new_status"] and row["old_status"] != row["new_status"]:
        parts.append(f"{(row['old_status'] or 'new').replace('_', ' ')} → "
                     f"{row['new_status'].replace('_', ' ')}")
    if row["new_due"] is not None:
        parts.append(f"due {_day(row['old_due'])} → {_day(row['new_due'])}"
                     if row["old_due"] else f"due {_day(row['new_due'])}")
    if row["new_statement"] is not None and row["old_statement"] is not None:
        parts.append("statement changed")
    what = ", ".join(parts) or "changed"
    reason = f": {esc(row['reason'])}" if row["reason"] else ""
    decided = f" (decision: {esc(row['decision_title'])})" if row.get("decision_title") else ""
    return f"{row['changed_at']:%Y-%m-%d} {esc(row['changed_by'])}: {what}{reason}{decided}"


def sections(b: Brief, esc: Callable[[object], str]) -> list[tuple[str, list[str]]]:
    """The brief as (heading, lines) pairs, every stored text passed through ``esc``: what
    both formats (and the board's brief screen) lay out."""
    c = b.customer
    facts = [f"owner {esc(c['owner'] or 'nobody')}", f"tier {esc(c['tier'] or '—')}",
             f"cadence {b.cadence} days", _ago(b.days_since_contact)]
    if b.last_contact is not None:
        facts[-1] += f" ({b.last_contact:%Y-%m-%d})"
    head = [", ".join(facts)]
    h = b.health
    if h is None or h.score is None:
        head.append("Health: no score (no signal has data)")
    else:
        head.append(f"Health: {h.score} ({h.band})")
    for s in b.weakest:
        head.append(f"  weakest: {esc(s.label)} {s.value} — {esc(s.explanation)}")
    if h is not None and h.rating is not None:
        rating = h.rating
        head.append("  PM rating: " + ", ".join(str(x) for x in (rating.score, rating.band)
                                                 if x is not None)
                    + (f" — {esc(rating.note)}" if rating.note else ""))
    head.append("Satisfaction: " + _figure("NPS", b.satisfaction.nps) + "; "
                + _figure("CSAT", b.satisfaction.csat))
    out: list[tuple[str, list[str]]] = [("", head)]

    out.append((f"Last {TOUCHPOINTS} touchpoints", [
        f"{t['occurred_at']:%Y-%m-%d} {touchpoint_kind(t['channel'], t['internal'])}"
        + (f" with {', '.join(esc(p) for p in t['people'])}" if t["people"] else "")
        + f": {esc(t['summary'])}{_sentiment(t['sentiment'])}"
        for t in b.touchpoints]))
    out.append(("Open follow-ups", [
        f"{_day(f['follow_up_on'])}{' (overdue)' if f['follow_up_on'] < b.today else ''}: "
        f"{esc(f['summary'])}" for f in b.follow_ups]))
    out.append(("Open issues", [
        f"#{i['id']} {i['severity']}, {i['status'].replace('_', ' ')}: "
        f"{esc(i['title'])} — SLA {i['sla_state']}: {i['sla']}"
        + (f", owner {esc(i['owner'])}" if i["owner"] else "") for i in b.issues]))
    lines = []
    for e in b.expectations:
        late = " (overdue)" if e["current_due"] < b.today else ""
        lines.append(f"#{e['id']} due {_day(e['current_due'])}{late}, "
                     f"{e['status'].replace('_', ' ')}: {esc(e['statement'])}")
        lines += [f"    {_change(row, esc)}" for row in e["trail"]]
    out.append((f"Expectations due in {DUE_SOON_DAYS} days or at risk", lines))
    out.append(("Stakeholders with an engagement gap", [
        f"{esc(s.name)}" + (f" ({esc(s.role)})" if s.role else "")
        + f": {s.current} → {s.desired} wanted"
        + f" (influence {s.influence}, interest {s.interest})" for s in b.stakeholders]))
    out.append(("Open red and amber risks", [
        f"#{r['id']} {r['band']} {r['score']}: {esc(r['title'])}"
        + (f" — trigger: {esc(r['trigger'])}" if r["trigger"] else "")
        + (f"; review {_day(r['review_on'])}" if r["review_on"] else "") for r in b.risks]))
    out.append(("Recent decisions", [
        f"{_day(d['decided_on'])}: {esc(d['title'])}"
        + (f" — {esc(d['rationale'])}" if d["rationale"] else "") for d in b.decisions]))
    return out


def render(b: Brief, fmt: str = "text") -> str:
    """The brief as text or Markdown (one page, stored text escaped)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    md = fmt == "markdown"
    esc = safe_markdown if md else safe
    name = esc(b.customer["name"])
    title = f"Brief: {name} (#{b.customer['id']}) — {b.today:%a %Y-%m-%d}"
    lines = [f"# {title}" if md else title, ""]
    for heading, body in sections(b, esc):
        if heading:
            count = sum(not line.startswith("    ") for line in body)  # trails not counted
            lines.append(f"## {heading} ({count})" if md else f"{heading} ({count})")
            if md:
                lines.append("")
        lines += body_lines(body, md, listed=bool(heading))
    return "\n".join(lines).rstrip("\n") + "\n"


def body_lines(body: list[str], md: bool, listed: bool = True) -> list[str]:
    """A section's lines under its heading, then a blank line: a list (Markdown bullets, a
    line starting with four spaces a sub-item; text indented by two), "none" when empty;
    ``listed`` False: the lines as they are (Markdown hard breaks). Shared by the brief and
    the customer's status update."""
    out = [] if body else ["_none_" if md else "  none"]
    for line in body:
        if not listed:
            out.append(f"{line}  " if md else line)
        elif md:
            out.append(f"  - {line.strip()}" if line.startswith("    ") else f"- {line}")
        else:
            out.append(f"  {line}")
    return out + [""]
