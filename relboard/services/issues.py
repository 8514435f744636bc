"""Customer concerns: raising, triage actions, allowed status moves and SLA clocks."""

from __future__ import annotations

import datetime as _dt
from typing import Any, cast

from relboard import models as m
from relboard.db import write
from relboard.domain import OPEN_ISSUE_STATUSES as OPEN_STATUSES  # noqa: F401 - re-exported
from relboard.domain import severity_rank
from relboard.services import records
from relboard.services.business_time import work_seconds
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.sla import SlaState
from relboard.services.sla_now import (  # noqa: F401 - re-exported: an issue's SLA now
    calendar_of_row,
    due_text,
    local_deadline,
    sla_of,
)
from relboard.services.spec import F, clean, parse_date

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "in_progress", "waiting_on_customer", "resolved", "closed"),
    "acknowledged": ("in_progress", "waiting_on_customer", "resolved", "closed"),
    "in_progress": ("acknowledged", "waiting_on_customer", "resolved", "closed"),
    "waiting_on_customer": ("acknowledged", "in_progress", "resolved", "closed"),
    "resolved": ("closed", "in_progress"),
    "closed": ("in_progress",),
}
"""Allowed moves; resolved/closed go back to in_progress by reopening."""


def raise_issue(ctx: Context, values: dict[str, Any]) -> int:
    """Record a new concern (status new, raised now unless ``raised_at`` is given)."""
    values = dict(values)
    raised_at = values.pop("raised_at", None)
    fixed = clean({"raised_at": F("datetime")}, {"raised_at": raised_at}, partial=True,
                  zone=ctx.zone, today=ctx.today(), now=ctx.now())
    defaults = {"status": "new", "raised_at": fixed["raised_at"] or ctx.now(),
                "severity": severity_rank("medium")}  # stored values, as ``clean`` gives
    return write(lambda: records.insert(ctx, "issue", values, defaults=defaults))


def set_status(ctx: Context, issue_id: int, version: int, status: str,
               resolution: str | None = None) -> int:
    """Move an issue to ``status`` if allowed; keeps the SLA clocks right; new version."""
    status = str(status).strip().lower().replace(" ", "_")
    if status not in m.ISSUE_STATUSES:
        raise ValidationError("status", "must be one of " + ", ".join(m.ISSUE_STATUSES))

    def run() -> int:
        row = cast(m.Issue, records.fetch("issue", issue_id))
        if status == row.status:
            raise ValidationError("status", f"is already {status.replace('_', ' ')}")
        if status not in TRANSITIONS[row.status]:
            raise ValidationError(
                "status", f"cannot go from {row.status.replace('_', ' ')} to "
                f"{status.replace('_', ' ')}")
        now = ctx.now()
        data: dict[str, Any] = {"status": status}
        if row.first_response_at is None:
            data["first_response_at"] = now
        if row.status == "waiting_on_customer" and row.waiting_since is not None:
            cal = calendar_of_row(ctx, row)  # working hours: the wait's working time
            waited = (now - row.waiting_since).total_seconds() if cal is None else \
                work_seconds(cal, row.waiting_since, now)
            data["paused_seconds"] = row.paused_seconds + int(max(0, waited))
            data["waiting_since"] = None
        if status == "waiting_on_customer":
            data["waiting_since"] = now
        if status == "resolved":
            text = (resolution or "").strip()
            if not text:
                raise ValidationError("resolution", "is required to resolve an issue")
            data.update(resolved_at=now, resolution=text)
        elif status == "closed" and row.resolved_at is None:
            data["resolved_at"] = now
        elif status == "in_progress" and row.status in ("resolved", "closed"):
            data["resolved_at"] = None  # reopened: the resolution clock runs again
        return records.change(ctx, "issue", issue_id, version, data, action="status",
                              row=row)  # read once per key

    return write(run)


def acknowledge(ctx: Context, issue_id: int, version: int) -> int:
    """Acknowledge a new concern (stops the first-response clock)."""
    return set_status(ctx, issue_id, version, "acknowledged")


def resolve(ctx: Context, issue_id: int, version: int, resolution: str) -> int:
    """Resolve with the required resolution note."""
    return set_status(ctx, issue_id, version, "resolved", resolution)


def reopen(ctx: Context, issue_id: int, version: int) -> int:
    """Bring a resolved or closed issue back to in progress."""
    return set_status(ctx, issue_id, version, "in_progress")


def assign(ctx: Context, issue_id: int, version: int, owner: str | None = None) -> int:
    """Give the issue to ``owner`` (default: the acting user)."""
    return records.update(ctx, "issue", issue_id, version, {"owner": owner or ctx.user})


def set_severity(ctx: Context, issue_id: int, version: int, severity: str) -> int:
    """Change severity (critical, high, medium or low); SLA targets follow it."""
    return records.update(ctx, "issue", issue_id, version, {"severity": severity})


def snooze(ctx: Context, issue_id: int, version: int, until: _dt.date | str | None) -> int:
    """Hide the issue from Today until a later date (None wakes it); its SLA keeps running."""
    try:
        day = parse_date(until)
    except ValueError:
        raise ValidationError("snoozed_until", "must be a date like 2026-11-30") from None
    if day is not None and day <= ctx.today():
        raise ValidationError("snoozed_until", "must be after today")
    return write(lambda: records.change(
        ctx, "issue", issue_id, version, {"snoozed_until": day}, action="snooze"))


def issue_sla(ctx: Context, issue_id: int) -> SlaState:
    """The SLA state of issue #``issue_id`` now."""
    return sla_of(ctx, cast(m.Issue, records.fetch("issue", issue_id)))
