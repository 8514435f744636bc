"""One-key actions on Today's items: snooze to a date, mark done, acknowledge."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard import models as m
from relboard.db import write
from relboard.services import expectations, issues, journal, touchpoints
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.records import log
from relboard.services.spec import parse_date
from relboard.services.today.groups import KINDS
from relboard.services.today.items import AttentionItem
from relboard.vocabulary import without_keys


def _day_after_today(ctx: Context, until: Any) -> _dt.date:
    try:
        day = parse_date(until)
    except ValueError:
        raise ValidationError("until", "must be a date like 2026-11-30") from None
    if day is None or day <= ctx.today():
        raise ValidationError("until", "must be after today")
    return day


def snooze(ctx: Context, item: AttentionItem, until: Any) -> None:
    """Put the item off until ``until``: an issue's snooze, a follow-up's or a playbook
    step's new date, or a snooze of the customer / stakeholder / expectation on Today."""
    day = _day_after_today(ctx, until)
    if item.kind == "issue":
        issues.snooze(ctx, item.record_id, item.version, day)
    elif item.kind == "interaction":
        touchpoints.reschedule_follow_up(ctx, item.record_id, item.version, day)
    elif item.kind == "step":
        from relboard.services import playbooks

        playbooks.reschedule(ctx, item.record_id, item.version, day)
    else:
        def run() -> None:
            s = m.Snooze
            where = (s.entity == item.kind) & (s.entity_id == item.record_id)
            previous = s.select(s.until).where(where).scalar()
            s.delete().where(where).execute()
            s.create(entity=item.kind, entity_id=item.record_id, until=day,
                     created_at=ctx.now(), created_by=ctx.user)
            log(ctx, item.kind, item.record_id, "snooze", "until",
                previous.isoformat() if previous else None, day.isoformat())
            journal.note_snooze(item.kind, item.record_id, previous, day)

        write(run)


DONE_HINTS = {kind.name: kind.done_hint for kind in KINDS.values() if kind.done_hint}
"""What ``d`` says on an item it cannot finish, by kind (``groups.KINDS``)."""


def can_mark_done(item: AttentionItem) -> bool:
    """Whether ``mark_done`` applies without more input (follow-ups and expectations)."""
    return item.kind in ("interaction", "expectation")


def mark_done(ctx: Context, item: AttentionItem) -> str:
    """Complete a follow-up, or mark an expectation met; returns what was done."""
    if item.kind == "interaction":
        touchpoints.complete_follow_up(ctx, item.record_id, item.version)
        return "follow-up done"
    if item.kind == "expectation":
        expectations.set_status(ctx, item.record_id, item.version, "met", reason="met (Today)")
        return "expectation met"
    raise ValidationError("item", without_keys(DONE_HINTS[item.kind]))


def renew(ctx: Context, item: AttentionItem, until: Any) -> str:
    """A renewal done: the customer's next renewal date (or the project's new end date),
    at the version Today read; returns what was done."""
    from relboard.services import renewals

    return renewals.renew(ctx, item.kind, item.record_id, item.version, until)


def acknowledge(ctx: Context, item: AttentionItem) -> str:
    """Acknowledge a new issue."""
    if item.kind != "issue":
        raise ValidationError("item", "only an issue can be acknowledged")
    issues.acknowledge(ctx, item.record_id, item.version)
    return "acknowledged"
