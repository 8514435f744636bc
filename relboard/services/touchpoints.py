"""The communication log: logging touchpoints with their stakeholders, and follow-ups."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, cast

from relboard import models as m
from relboard.db import write
from relboard.services import clocks, records
from relboard.services.context import Context
from relboard.services.errors import ConflictError, ValidationError
from relboard.services.spec import clean, parse_date


def stakeholder_ids(customer_id: Any, contacts: Iterable[Any]) -> list[int]:
    """Stakeholder ids, each once and each the customer's; ValidationError otherwise."""
    try:
        ids = sorted({int(c) for c in contacts})
    except (TypeError, ValueError):
        raise ValidationError("contacts", "must be stakeholder numbers") from None
    if not ids:
        return []
    found = dict(m.Contact.select(m.Contact.id, m.Contact.customer).where(
        m.Contact.id.in_(ids)).tuples())
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError("contacts", f"stakeholder #{missing[0]} does not exist")
    foreign = [i for i in ids if found[i] != int(customer_id)]
    if foreign:
        raise ValidationError("contacts", f"stakeholder #{foreign[0]} is another customer's")
    return ids


def _check_dates(ctx: Context, values: dict[str, Any]) -> None:
    """A touchpoint happened (not in the future); its follow-up comes after it."""
    clean_values = clean(records.entity("interaction").rules,
                         {k: values[k] for k in ("occurred_at", "follow_up_on") if k in values},
                         partial=True, zone=ctx.zone, today=ctx.today(), now=ctx.now())
    when, follow = clean_values.get("occurred_at"), clean_values.get("follow_up_on")
    errors = {}
    if when is not None and when > ctx.now() + _dt.timedelta(minutes=5):
        errors["occurred_at"] = "is in the future; log a touchpoint once it happened"
    if when is not None and follow is not None and follow < ctx.local(when).date():
        errors["follow_up_on"] = f"is before the touchpoint ({ctx.local(when):%Y-%m-%d})"
    if errors:
        raise ValidationError(errors)


def log_touchpoint(ctx: Context, values: dict[str, Any], contacts: Iterable[Any] = (),
                   answers: tuple[int, int] | None = None,
                   step: tuple[int, int] | None = None) -> int:
    """Log a touchpoint (now, unless ``occurred_at`` is given) with its stakeholders.

    ``answers``: (id, version read) of the touchpoint whose follow-up this one answers: it is
    marked done in the same transaction (one already done, by someone else, stays so).
    ``step``: (id, version read) of the playbook step this touchpoint does: marked done by it
    in the same transaction (``playbooks.mark_done``)."""
    values = dict(values)
    values.setdefault("occurred_at", ctx.now())
    if values.get("occurred_at") in (None, ""):
        values["occurred_at"] = ctx.now()

    def run() -> int:
        _check_dates(ctx, values)
        new_id = records.insert(ctx, "interaction", values)
        ids = stakeholder_ids(values.get("customer"), contacts)
        if ids:
            m.InteractionContact.insert_many(
                [(new_id, c) for c in ids],
                fields=[m.InteractionContact.interaction, m.InteractionContact.contact],
            ).execute()
            clocks.refresh_contacts((), ids)
        if answers is not None:
            _close_answered(ctx, *answers)
        if step is not None:
            from relboard.services import playbooks

            playbooks.mark_done(ctx, *step, interaction_id=new_id)
        return new_id

    return write(run)


def _close_answered(ctx: Context, interaction_id: int, version: int) -> None:
    """Mark the follow-up of touchpoint ``interaction_id`` done, unless it is already."""
    row = cast(m.Interaction, records.fetch("interaction", interaction_id))
    if row.follow_up_on is not None and row.follow_up_done_at is None:
        records.change(ctx, "interaction", interaction_id, version,
                       {"follow_up_done_at": ctx.now()}, action="follow-up")


def participants(interaction_id: int) -> list[dict[str, Any]]:
    """The stakeholders who took part in a touchpoint."""
    c, ic = m.Contact, m.InteractionContact
    return list(c.select(c.id, c.name, c.role).join(ic, on=(ic.contact == c.id))
                .where(ic.interaction == interaction_id).order_by(c.name).dicts())


def complete_follow_up(ctx: Context, interaction_id: int, version: int) -> int:
    """Mark the touchpoint's follow-up as done; returns the new version."""

    def run() -> int:
        row = cast(m.Interaction, records.fetch("interaction", interaction_id))
        if row.follow_up_on is None:
            raise ValidationError("follow_up_on", "this touchpoint has no follow-up")
        if row.follow_up_done_at is not None:
            raise ValidationError("follow_up_on", "the follow-up is already done")
        return records.change(ctx, "interaction", interaction_id, version,
                              {"follow_up_done_at": ctx.now()}, action="follow-up")

    return write(run)


def reschedule_follow_up(ctx: Context, interaction_id: int, version: int,
                         day: _dt.date | str) -> int:
    """Move an open follow-up to a later date (snoozing it on Today)."""
    try:
        new_day = parse_date(day)
    except ValueError:
        raise ValidationError("follow_up_on", "must be a date like 2026-11-30") from None
    if new_day is None or new_day <= ctx.today():
        raise ValidationError("follow_up_on", "must be after today")
    return records.update(ctx, "interaction", interaction_id, version,
                          {"follow_up_on": new_day})


def edit_touchpoint(ctx: Context, interaction_id: int, version: int,
                    changes: dict[str, Any]) -> int:
    """Change a touchpoint read at ``version`` (only the fields in ``changes``); new version.

    ``follow_up_done`` (True/False) ticks the follow-up done now or opens it again; a
    follow-up date may not come before the touchpoint, nor the touchpoint lie in the future.
    ``contacts`` (stakeholder ids) replaces who took part: logged as one "contacts" change,
    their last-contact clocks kept. Others' changes to other fields merge; a field both
    changed is a ``ConflictError`` (``records.change``).
    """
    changes = dict(changes)
    done = changes.pop("follow_up_done", None)
    people = changes.pop("contacts", None)
    ent = records.entity("interaction")
    data = clean(ent.rules, changes, partial=True, zone=ctx.zone, today=ctx.today(),
                 now=ctx.now())
    records.fill_defaults(ent, data, creating=False)

    def run() -> int:
        row = cast(m.Interaction, records.fetch("interaction", interaction_id))
        if "follow_up_on" in data or "occurred_at" in data:
            _check_dates(ctx, {"occurred_at": data.get("occurred_at", row.occurred_at),
                               "follow_up_on": data.get("follow_up_on", row.follow_up_on)})
        follow_up = data.get("follow_up_on", row.follow_up_on)
        if done and follow_up is None:
            raise ValidationError("follow_up_done", "needs a follow-up date")
        if done is not None and bool(done) != (row.follow_up_done_at is not None):
            data["follow_up_done_at"] = ctx.now() if done else None
        ids = None if people is None else stakeholder_ids(cast(Any, row).customer_id, people)
        stored = _people(interaction_id)
        if ids is not None and ids != stored:
            _no_clash_on_people(ctx, row, version)
        new_version = records.change(ctx, "interaction", interaction_id, version, data)
        if ids is None or ids == stored:
            return new_version
        return _set_people(ctx, interaction_id, new_version, stored, ids)

    return write(run)


def _people(interaction_id: int) -> list[int]:
    """The ids of the stakeholders who took part, in order."""
    ic = m.InteractionContact
    return sorted(c for (c,) in ic.select(ic.contact)
                  .where(ic.interaction == interaction_id).tuples())


def _no_clash_on_people(ctx: Context, row: m.Interaction, version: int) -> None:
    """A ``ConflictError`` when someone else changed who took part since ``version``."""
    from relboard.services import journal

    based = journal.based_on("interaction", row.id, version)
    if row.version == based:
        return
    theirs = records.changed_since("interaction", row.id, based, row.version)
    if theirs is None or "contacts" in theirs:
        raise ConflictError("interaction", row.id, row.updated_by, ctx.local(row.updated_at),
                            row.version)


def _names(ids: Iterable[int]) -> str:
    c = m.Contact
    return ", ".join(n for (n,) in c.select(c.name).where(c.id.in_(list(ids)))
                     .order_by(c.name).tuples()) if ids else ""


def _set_people(ctx: Context, interaction_id: int, version: int, stored: list[int],
                ids: list[int]) -> int:
    """Replace who took part (inside the caller's transaction); the new version."""
    ic, i = m.InteractionContact, m.Interaction
    gone, new = set(stored) - set(ids), set(ids) - set(stored)
    if gone:
        ic.delete().where((ic.interaction == interaction_id) & ic.contact.in_(sorted(gone))
                          ).execute()
    if new:
        ic.insert_many([(interaction_id, c) for c in sorted(new)],
                       fields=[ic.interaction, ic.contact]).execute()
    i.update(version=i.version + 1, updated_at=ctx.now(), updated_by=ctx.user).where(
        (i.id == interaction_id) & (i.version == version)).execute()
    records.log(ctx, "interaction", interaction_id, "update", "contacts", _names(stored),
                _names(ids), version + 1)
    clocks.refresh_contacts((), sorted(set(stored) | set(ids)))
    return version + 1
