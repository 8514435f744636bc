"""Undo: this session's changes taken back one user action at a time (``u`` on the board).

``undo`` takes the newest step of the journal (``services.journal``) back in one write
transaction, through the same services (versions, audit rows, clocks), and refuses the whole
step, saying who and when, when anyone changed one of its records since: nobody's later work
is overwritten.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from relboard import db
from relboard import models as m
from relboard.services import clocks, records, tags
from relboard.services.context import Context
from relboard.services.errors import ServiceError
from relboard.services.journal import (
    Changed,
    Created,
    Journal,
    Relinked,
    Retagged,
    Snoozed,
    Step,
    TrailRow,
    word,
)


class UndoRefused(ServiceError):
    """The step cannot be taken back (someone changed its records since); nothing changed."""


def undo(ctx: Context, journal: Journal) -> str:
    """Take back the newest step; returns what was undone, e.g. "issue #12 status
    acknowledged → new". ``UndoRefused`` when there is nothing to undo or someone changed one
    of its records since (the step is then dropped); a busy database keeps the step."""
    step = journal.pop()
    if step is None:
        raise UndoRefused("nothing to undo in this session")
    try:
        made = db.write(lambda: _revert(ctx, journal, step))
    except UndoRefused:
        raise
    except ServiceError:
        journal.push(step)  # busy or unreachable: the same u works later
        raise
    journal.undone.update(made)
    for (entity, rid), (_, now) in made.items():
        journal.wrote(entity, rid, now)
    return step.describe(undone=True)


def _model(entity: str) -> Any:
    return records.entity(entity).model


def _check(ctx: Context, journal: Journal, step: Step) -> None:
    expected: dict[tuple[str, int], int] = {}
    for note in step.notes:
        if isinstance(note, Created):
            expected[(note.entity, note.record_id)] = 1
        elif isinstance(note, (Changed, Relinked)):
            expected[(note.entity, note.record_id)] = note.version
    what = step.describe()
    for (entity, rid), version in expected.items():
        version = journal.expected(entity, rid, version)
        model = _model(entity)
        row = model.get_or_none(model.id == rid)
        if row is None:
            raise UndoRefused(f"cannot undo {what}: {word(entity)} #{rid} was deleted since")
        if row.version != version:
            at = ctx.local(row.updated_at).strftime("%H:%M") if row.updated_at else "?"
            raise UndoRefused(f"cannot undo {what}: {word(entity)} #{rid} was changed by "
                              f"{row.updated_by} at {at} since; nothing was undone")
    for note in step.notes:
        if isinstance(note, Retagged) and tags.of(note.entity, note.record_id) != note.after:
            raise UndoRefused(f"cannot undo {what}: the tags of {word(note.entity)} "
                              f"#{note.record_id} were changed since; nothing was undone")
        if isinstance(note, Snoozed):
            s = m.Snooze
            now = (s.select(s.until).where((s.entity == note.entity)
                                           & (s.entity_id == note.record_id)).scalar())
            if now != note.until:
                raise UndoRefused(f"cannot undo {what}: the snooze of {word(note.entity)} "
                                  f"#{note.record_id} was changed since; nothing was undone")


def _revert(ctx: Context, journal: Journal, step: Step) -> dict[tuple[str, int],
                                                               tuple[int, int]]:
    """Take ``step`` back; returns, per record it changed, (the version before the step, the
    version now)."""
    _check(ctx, journal, step)
    before: dict[tuple[str, int], int] = {}
    for note in step.notes:
        if isinstance(note, (Changed, Relinked)):
            before.setdefault((note.entity, note.record_id), note.version - 1)
    for note in reversed(step.notes):
        if isinstance(note, Changed):
            model = _model(note.entity)
            version = model.select(model.version).where(model.id == note.record_id).scalar()
            records.change(ctx, note.entity, note.record_id, version, note.before, "undo")
        elif isinstance(note, Created):
            _delete(ctx, note.entity, note.record_id, step.describe())
        elif isinstance(note, TrailRow):
            m.ExpectationChange.delete().where(m.ExpectationChange.id == note.row_id).execute()
        elif isinstance(note, Snoozed):
            _unsnooze(ctx, note)
        elif isinstance(note, Relinked):
            _relink(ctx, note)
        elif isinstance(note, Retagged):
            tags.store(ctx, note.entity, note.record_id, note.before, "undo")
    made = {}
    for (entity, rid), version in before.items():
        model = _model(entity)
        now = model.select(model.version).where(model.id == rid).scalar()
        if now is not None:
            made[(entity, rid)] = (version, now)
    return made


def _relink(ctx: Context, note: Relinked) -> None:
    d, dc = m.Decision, m.DecisionContact
    before = [c for (c,) in dc.select(dc.contact).where(dc.decision == note.record_id)
              .order_by(dc.contact).tuples()]
    dc.delete().where(dc.decision == note.record_id).execute()
    if note.before:
        dc.insert_many([(note.record_id, c) for c in note.before],
                       fields=[dc.decision, dc.contact]).execute()
    d.update(version=d.version + 1, updated_at=ctx.now(), updated_by=ctx.user).where(
        d.id == note.record_id).execute()
    version = d.select(d.version).where(d.id == note.record_id).scalar()
    records.log(ctx, "decision", note.record_id, "undo", "contacts",
                ", ".join(f"#{c}" for c in before) or None,
                ", ".join(f"#{c}" for c in note.before) or None, version)


def _unsnooze(ctx: Context, note: Snoozed) -> None:
    s = m.Snooze
    where = (s.entity == note.entity) & (s.entity_id == note.record_id)
    if note.previous is None:
        s.delete().where(where).execute()
    else:
        s.update(until=note.previous).where(where).execute()
    records.log(ctx, note.entity, note.record_id, "undo", "until", note.until.isoformat(),
                note.previous.isoformat() if note.previous else None)


def _delete(ctx: Context, entity: str, record_id: int, what: str) -> None:
    """Delete a record the step created (its touchpoint links too), or refuse when other
    records were attached to it since."""
    model = _model(entity)
    owners: list[int] = []
    people: list[int] = []
    if entity == "interaction":
        i, ic = m.Interaction, m.InteractionContact
        owners = [c for (c,) in i.select(i.customer).where(i.id == record_id).tuples()]
        people = [c for (c,) in ic.select(ic.contact).where(ic.interaction == record_id)
                  .tuples()]
        ic.delete().where(ic.interaction == record_id).execute()
    if entity == "decision":
        m.DecisionContact.delete().where(m.DecisionContact.decision == record_id).execute()
    try:
        with m.database_proxy.atomic():
            model.delete().where(model.id == record_id).execute()
    except IntegrityError:
        raise UndoRefused(f"cannot undo {what}: other records were added to "
                          f"{word(entity)} #{record_id} since; nothing was undone") from None
    tags.drop(entity, record_id)
    records.log(ctx, entity, record_id, "delete", "", None, None)
    if entity == "interaction":
        clocks.refresh_contacts(owners, people)
