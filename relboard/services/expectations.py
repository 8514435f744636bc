"""The expectation register: what was promised, its status moves and the renegotiation trail.

Every status move and every renegotiation adds an ExpectationChange row (old -> new and why), so
the trail shows how a promise developed from its baseline to what stands now.
"""

from __future__ import annotations

from typing import Any, cast

from peewee import JOIN

from relboard import models as m
from relboard.db import write
from relboard.domain import OPEN_EXPECTATION_STATUSES as OPEN_STATUSES
from relboard.services import journal, records
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.spec import F, clean

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("agreed", "withdrawn"),
    "agreed": ("at_risk", "met", "missed", "withdrawn"),
    "at_risk": ("agreed", "met", "missed", "withdrawn"),
    "renegotiated": ("at_risk", "met", "missed", "withdrawn"),
    "met": ("agreed",),
    "missed": ("agreed",),
    "withdrawn": ("proposed",),
}
"""Allowed status moves; renegotiating is its own action, open to every open status."""


def create(ctx: Context, values: dict[str, Any]) -> int:
    """Record a promise; its baseline due date is the first due date given."""
    values = dict(values)
    status = values.pop("status", None) or "proposed"
    if status not in ("proposed", "agreed"):
        raise ValidationError("status", "a new expectation is proposed or agreed")

    def run() -> int:
        due = clean({"current_due": F("date", required=True)},
                    {"current_due": values.get("current_due")}, partial=False,
                    today=ctx.today())["current_due"]
        if due < ctx.today():
            raise ValidationError("current_due", "is in the past; a promise is due today or "
                                  "later")
        new_id = records.insert(ctx, "expectation", values,
                                defaults={"status": status, "baseline_due": due})
        _trail(ctx, new_id, None, status, None, due, None, None, "recorded")
        return new_id

    return write(run)


def _trail(ctx: Context, expectation_id: int, old_status: str | None, new_status: str | None,
           old_due: Any, new_due: Any, old_statement: str | None, new_statement: str | None,
           reason: str, decision_id: int | None = None) -> None:
    row = m.ExpectationChange.create(
        expectation=expectation_id, changed_at=ctx.now(), changed_by=ctx.user,
        old_status=old_status, new_status=new_status, old_due=old_due, new_due=new_due,
        old_statement=old_statement, new_statement=new_statement, reason=reason,
        decision=decision_id)
    journal.note_trail(row.id)


def set_status(ctx: Context, expectation_id: int, version: int, status: str,
               reason: str = "") -> int:
    """Agree, mark at risk, met, missed, withdraw (or reopen); returns the new version."""
    status = str(status).strip().lower().replace(" ", "_")
    if status not in m.EXPECTATION_STATUSES:
        raise ValidationError("status", "must be one of " + ", ".join(m.EXPECTATION_STATUSES))
    if status == "renegotiated":
        raise ValidationError("status", "use renegotiate, with a new due date or statement")

    def run() -> int:
        row = cast(m.Expectation, records.fetch("expectation", expectation_id))
        if status not in TRANSITIONS[row.status]:
            raise ValidationError("status", f"cannot go from {row.status.replace('_', ' ')} "
                                  f"to {status.replace('_', ' ')}")
        new_version = records.change(ctx, "expectation", expectation_id, version,
                                     {"status": status}, action="status")
        _trail(ctx, expectation_id, row.status, status, None, None, None, None,
               (reason or "").strip())
        return new_version

    return write(run)


def renegotiate(ctx: Context, expectation_id: int, version: int, *, reason: str,
                new_due: Any = None, new_statement: str | None = None,
                decision_id: int | None = None) -> int:
    """Agree a new due date and/or statement with the customer; the reason is required.

    ``decision_id``: the decision (of the same customer) that caused it; the trail row links
    to it, and the decision lists the change (``decisions.expectation_changes``).
    """
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "is required: say why the promise changes"
    wanted = {}
    if new_due not in (None, ""):
        wanted["current_due"] = new_due
    if new_statement not in (None, "") and str(new_statement).strip():
        wanted["statement"] = new_statement
    if not wanted:
        errors["current_due"] = "give a new due date or a new statement"
    try:
        data = clean(records.entity("expectation").rules, wanted, partial=True,
                     today=ctx.today())
    except ValidationError as exc:
        errors.update(exc.errors)
        data = {}
    if errors:
        raise ValidationError(errors)

    def run() -> int:
        row = cast(m.Expectation, records.fetch("expectation", expectation_id))
        if row.status not in OPEN_STATUSES:
            raise ValidationError("status", f"a {row.status} expectation cannot be "
                                  "renegotiated; reopen it first")
        due_changed = "current_due" in data and data["current_due"] != row.current_due
        text_changed = "statement" in data and data["statement"] != row.statement
        if not (due_changed or text_changed):
            raise ValidationError("current_due", "is unchanged, and so is the statement")
        if due_changed and data["current_due"] < ctx.today():
            raise ValidationError("current_due", "is in the past; agree a date from today on")
        if decision_id is not None:
            owner = (m.Decision.select(m.Decision.customer)
                     .where(m.Decision.id == decision_id).scalar())
            if owner is None:
                raise ValidationError("decision", f"decision #{decision_id} does not exist")
            if owner != row.customer_id:
                raise ValidationError("decision", f"belongs to another customer (#{owner})")
        new_version = records.change(ctx, "expectation", expectation_id, version,
                                     {**data, "status": "renegotiated"}, action="renegotiate")
        _trail(ctx, expectation_id, row.status, "renegotiated",
               row.current_due if due_changed else None,
               data["current_due"] if due_changed else None,
               row.statement if text_changed else None,
               data["statement"] if text_changed else None, reason.strip(), decision_id)
        return new_version

    return write(run)


def trail(expectation_id: int) -> list[dict[str, Any]]:
    """The expectation's changes, oldest first (the baseline is the first row); a row caused
    by a decision names it (``decision`` id and ``decision_title``)."""
    c, d = m.ExpectationChange, m.Decision
    query = (c.select(c, d.title.alias("decision_title"))
             .join(d, JOIN.LEFT_OUTER, on=(c.decision == d.id))
             .where(c.expectation == expectation_id)
             .order_by(c.changed_at, c.id).dicts())
    return list(query)
