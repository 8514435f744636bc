"""The undo journal: what each user action of this session changed (``services.undo``).

The board records each user action (one key, one form save, one bulk action over marked rows)
as a ``Step``: while ``recording`` is open, the services note what they change — the stored
values fields had before, the records they create, the trail rows and snoozes they add — and
a note is kept only once its write transaction committed (``db.WRITE_LISTENERS``), so a
refused or retried write leaves nothing behind.
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from relboard import db

MADE_KEPT = 10_000
"""Own audit keys a journal keeps for the live refresh (half are dropped beyond it)."""
KIND_WORDS = {"interaction": "touchpoint", "contact": "stakeholder",
              "expectation_change": "trail entry"}


@dataclass(frozen=True)
class Changed:
    """Fields of a record changed by the step: their values ``before`` and ``after``, and
    the version the change made."""

    entity: str
    record_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    version: int


@dataclass(frozen=True)
class Created:
    """A record the step created (at version 1)."""

    entity: str
    record_id: int


@dataclass(frozen=True)
class TrailRow:
    """An expectation's trail row written by the step."""

    row_id: int


@dataclass(frozen=True)
class Snoozed:
    """A Today snooze the step set (``previous``: the date it replaced, if any)."""

    entity: str
    record_id: int
    previous: _dt.date | None
    until: _dt.date


@dataclass(frozen=True)
class Relinked:
    """A decision's stakeholders changed (``before``: the ids it had), making ``version``."""

    entity: str
    record_id: int
    before: tuple[int, ...]
    version: int


@dataclass(frozen=True)
class Retagged:
    """A record's tags replaced (``services.tags``: they make no version)."""

    entity: str
    record_id: int
    before: tuple[str, ...]
    after: tuple[str, ...]


Note = Changed | Created | TrailRow | Snoozed | Relinked | Retagged


@dataclass
class Step:
    """One user action's committed changes, oldest first."""

    notes: list[Note] = field(default_factory=list)

    def records(self) -> list[tuple[str, int]]:
        """The (entity, id) of every record the step created or changed, first seen first."""
        seen: dict[tuple[str, int], None] = {}
        for note in self.notes:
            if isinstance(note, (Changed, Created, Snoozed, Relinked, Retagged)):
                seen[(note.entity, note.record_id)] = None
        return list(seen)

    def describe(self, undone: bool = False) -> str:
        """In words, e.g. "issue #12 status new → acknowledged" or "3 issues"; ``undone``:
        as its undo leaves it ("issue #12 status acknowledged → new", "new issue #12
        deleted")."""
        touched = self.records()
        if len(touched) > 1:
            kinds = {kind for kind, _ in touched}
            noun = word(kinds.pop()) + "s" if len(kinds) == 1 else "records"
            return f"{len(touched)} {noun}"
        if not touched:
            return "a trail entry"
        kind, rid = touched[0]
        name = f"{word(kind)} #{rid}"
        for note in self.notes:
            if isinstance(note, Created):
                return f"new {name}" + (" deleted" if undone else "")
            if isinstance(note, Snoozed):
                return f"{name} snoozed until {note.until.isoformat()}" + (
                    " (awake again)" if undone else "")
        first = next((n for n in self.notes if isinstance(n, Changed)), None)
        retag = next((n for n in self.notes if isinstance(n, Retagged)), None)
        if first is None and retag is not None:
            old, new = _tags(retag.before), _tags(retag.after)
            return f"{name} tags " + (f"{new} → {old}" if undone else f"{old} → {new}")
        if first is None:
            return f"{name} stakeholders"
        key = "status" if "status" in first.after else next(iter(first.after))
        old, new = _shown(first.before.get(key)), _shown(first.after.get(key))
        if undone:
            old, new = new, old
        return f"{name} {key.replace('_', ' ')} {old} → {new}"


def word(kind: str) -> str:
    """How a kind of record is called in messages ("touchpoint" for an interaction)."""
    return KIND_WORDS.get(kind, kind)


def _tags(names: tuple[str, ...]) -> str:
    return " ".join(f"#{name}" for name in names) or "(none)"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, _dt.datetime) else value.isoformat()
    return str(value).replace("_", " ")


class Journal:
    """This session's steps, newest last (at most ``depth``)."""

    def __init__(self, depth: int = 100) -> None:
        self.steps: list[Step] = []
        self.depth = depth
        self._lock = threading.Lock()
        self.undone: dict[tuple[str, int], tuple[int, int]] = {}
        """Per record: (the version an undone step started from, the version its undo made),
        so the step before it still sees the record as it left it."""
        self.written: dict[tuple[str, int], int] = {}
        """Per record: the newest version this board's own writes made (``based_on``)."""
        self.made: dict[tuple[str, int, int | None], int] = {}
        """The audit rows this board's committed writes made, by (entity, record id, version
        made; None for a snooze, which makes no version): what ``mine`` recognises. A
        versioned key stands for every field row of that version; an unversioned one for
        as many rows as its count."""

    def wrote(self, entity: str, record_id: int, version: int) -> None:
        """This board's write made ``version`` of the record."""
        with self._lock:
            key = (entity, record_id)
            self.written[key] = max(version, self.written.get(key, 0))

    def made_rows(self, entity: str, record_id: int, version: int | None) -> None:
        """This board's committed write made audit rows of the record at ``version``."""
        with self._lock:
            key = (entity, record_id, version)
            self.made[key] = self.made.get(key, 0) + 1
            if len(self.made) > MADE_KEPT:  # the oldest first: long seen by every poll
                for old in list(self.made)[:MADE_KEPT // 2]:
                    del self.made[old]

    def mine(self, entity: str, record_id: int, version: int | None) -> bool:
        """Whether the audit row of the record at ``version`` is one this board wrote (the
        live refresh leaves those out: the screen that saved shows them already)."""
        with self._lock:
            key = (entity, record_id, version)
            if version is not None:
                return key in self.made
            left = self.made.get(key, 0)
            if left <= 1:
                self.made.pop(key, None)
            else:
                self.made[key] = left - 1
            return left > 0

    def based_on(self, entity: str, record_id: int, version: int) -> int:
        """The version a write of this board builds on: ``version`` (what its screen read),
        or the newest this board itself wrote when that is newer. A key pressed before the
        screen showed the board's previous save is built on that save, never a conflict of
        the board with itself (someone else's save since is still one)."""
        return max(version, self.written.get((entity, record_id), 0))

    def expected(self, entity: str, record_id: int, version: int) -> int:
        """The stored version that means "as ``version`` left it" after this session's undos."""
        alias = self.undone.get((entity, record_id))
        return alias[1] if alias and alias[0] == version else version

    def push(self, step: Step) -> None:
        """Keep ``step`` as the newest (dropping the oldest beyond ``depth``)."""
        with self._lock:
            self.steps.append(step)
            del self.steps[:-self.depth]

    def pop(self) -> Step | None:
        """Take the newest step off, or None."""
        with self._lock:
            return self.steps.pop() if self.steps else None

    def __len__(self) -> int:
        return len(self.steps)


_local = threading.local()


class _Listener:
    """Moves a write's notes into the open step once the write committed."""

    def begin(self) -> None:
        _local.pending = []

    def commit(self) -> None:
        step = getattr(_local, "step", None)
        pending = getattr(_local, "pending", ())
        board = getattr(_local, "journal", None)
        if board is not None:
            for note in pending:
                if isinstance(note, (Changed, Relinked)):
                    board.wrote(note.entity, note.record_id, note.version)
                    board.made_rows(note.entity, note.record_id, note.version)
                elif isinstance(note, Created):
                    board.made_rows(note.entity, note.record_id, 1)
                elif isinstance(note, (Snoozed, Retagged)):  # an audit row of no version
                    board.made_rows(note.entity, note.record_id, None)
        if step is not None:
            step.notes.extend(pending)
        _local.pending = []


db.WRITE_LISTENERS.append(_Listener())


def based_on(entity: str, record_id: int, version: int) -> int:
    """(Services) the version a change read at ``version`` builds on: within a board's
    recording, ``Journal.based_on``; elsewhere (the command line) ``version`` itself."""
    board = getattr(_local, "journal", None)
    return version if board is None else board.based_on(entity, record_id, version)


def _note(note: Note) -> None:
    if getattr(_local, "step", None) is not None and hasattr(_local, "pending"):
        _local.pending.append(note)


def note_change(entity: str, record_id: int, before: dict[str, Any], after: dict[str, Any],
                version: int) -> None:
    """(Services) fields of a record changed, inside the write."""
    _note(Changed(entity, record_id, dict(before), dict(after), version))


def note_create(entity: str, record_id: int) -> None:
    """(Services) a record was created, inside the write."""
    _note(Created(entity, record_id))


def note_trail(row_id: int) -> None:
    """(Services) an expectation trail row was written, inside the write."""
    _note(TrailRow(row_id))


def note_snooze(entity: str, record_id: int, previous: _dt.date | None,
                until: _dt.date) -> None:
    """(Services) a Today snooze was set, inside the write."""
    _note(Snoozed(entity, record_id, previous, until))


def note_relink(entity: str, record_id: int, before: list[int], version: int) -> None:
    """(Services) a decision's stakeholders were replaced, inside the write."""
    _note(Relinked(entity, record_id, tuple(before), version))


def note_retag(entity: str, record_id: int, before: tuple[str, ...],
               after: tuple[str, ...]) -> None:
    """(Services) a record's tags were replaced, inside the write."""
    _note(Retagged(entity, record_id, tuple(before), tuple(after)))


@contextmanager
def recording(journal: Journal | None) -> Iterator[Step]:
    """Note the committed changes made in this thread into one step of ``journal``."""
    step = Step()
    if journal is None:
        yield step
        return
    outer, outer_journal = getattr(_local, "step", None), getattr(_local, "journal", None)
    _local.step, _local.journal = step, journal
    try:
        yield step
    finally:
        _local.step, _local.journal = outer, outer_journal
        if outer is not None:
            outer.notes.extend(step.notes)
        elif step.notes:
            journal.push(step)


