"""Import of a whole portfolio from YAML (the format: ``services.fileformat``).

An import is one transaction: the first bad record stops it, names file, line and record
(``FILE:LINE:COL: record N (section[i], id X): field: reason``) and leaves the database as it
was. References, ``entity_id`` included, resolve within the file only: a file can neither
point at nor forge rows about records already in the database. Text is kept exactly as
written, so an export imported into an empty database gives identical data (control
characters included: every output escapes them).
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import DatabaseError, IntegrityError

from relboard import models as m
from relboard.db import BusyError, write
from relboard.services.context import Context
from relboard.services.entities import entity
from relboard.services.errors import ServiceError, ValidationError
from relboard.services.migrate_to import move_sequences, refuse_nul
from relboard.services.fileformat import (  # noqa: F401 - re-exported for older callers
    FORMAT,
    SECTIONS,
    TOP_KEYS,
    model_for,
    resolve_relative,
    rules_for,
)
from relboard.services.records import fill_defaults
from relboard.services.spec import INT_MAX, F, clean
from relboard.text import escaped
from relboard.yamlstrict import StrictYAMLError, YDict, YList, load_file, suggest

IMPORT_MAX_BYTES = 256 * 1024 * 1024
"""The largest import file: a whole portfolio (the config keeps its own 1 MiB limit)."""


class ImportFileError(ServiceError):
    """The file cannot be imported; ``str()`` is ``FILE:LINE:COL: record N (...): reason``.

    Text quoted from the file (keys, the path) shows control characters as escapes.
    """

    def __init__(self, message: str):
        super().__init__(escaped(message))


@dataclass(frozen=True)
class ImportResult:
    """How many records of each section were imported."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All records imported."""
        return sum(self.counts.values())


def _whole_id(value: Any) -> bool:
    """A file id: a whole number from 1 to the largest a database integer holds (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INT_MAX


class _Importer:
    def __init__(self, ctx: Context, path: str, keep_ids: bool):
        self.ctx, self.path, self.keep_ids = ctx, path, keep_ids
        self.ids: dict[str, dict[int, int]] = {}
        self.ordinal = 0
        self.counts: dict[str, int] = {}

    def fail(self, at: tuple[int, int], where: str, reason: str) -> None:
        raise ImportFileError(f"{self.path}:{at[0]}:{at[1]}: record {self.ordinal} ({where}): "
                              f"{reason}")

    def run(self, doc: YDict) -> ImportResult:
        for section, kind in SECTIONS:
            records = doc.get(section)
            if records is None:
                continue
            if not isinstance(records, YList):
                line, col = doc.pos(section)
                raise ImportFileError(f"{self.path}:{line}:{col}: {section}: must be a list")
            for index, record in enumerate(records):
                self.ordinal += 1
                self.one(section, kind, index, record, records.pos(index),
                         has_activity="activity" in doc, has_trail="expectation_changes" in doc)
        if not self.counts:
            raise ImportFileError(f"{self.path}: holds no records (every section is empty); "
                                  "nothing was imported")
        return ImportResult(self.counts)

    def ref(self, kind: Any, file_id: Any) -> Any:
        """The database id of the record the file numbers ``file_id``; ValueError if the file
        defines no such record earlier (records already in the database are never reached)."""
        if file_id in (None, ""):
            return None
        if not _whole_id(file_id):
            raise ValueError(f"must be the id of a {kind} in this file")
        if not isinstance(kind, str) or file_id not in self.ids.get(kind, {}):
            raise ValueError(f"no {kind} with id {file_id} earlier in the file")
        return self.ids[kind][file_id]

    def field(self, kind: str, rules: dict[str, F], key: str, value: Any,
              values: dict[str, Any]) -> Any:
        """The value of one field with file dates and file ids resolved; ValueError if bad."""
        rule = rules.get(key)
        if rule is not None and rule.kind in ("date", "datetime"):
            day = resolve_relative(value, self.ctx.today())
            if rule.kind == "datetime" and isinstance(day, _dt.datetime):
                return self.ctx.utc(day)  # "today+3 14:30" is local time where the PM is
            return day
        if rule is not None and rule.kind == "ref":
            return self.ref("contact" if key == "raised_by" else key, value)
        if kind in ("activity", "snooze") and key == "entity_id":
            if not isinstance(values.get("entity"), str):
                raise ValueError("needs an entity that names a kind of record, like customer")
            return self.ref(values["entity"], value)
        return value

    def one(self, section: str, kind: str, index: int, record: Any, at: tuple[int, int], *,
            has_activity: bool, has_trail: bool) -> None:
        where = f"{section}[{index}]"
        if not isinstance(record, YDict):
            self.fail(at, where, "must be a mapping of fields")
        values = dict(record)
        file_id = values.pop("id", None)
        contacts = values.pop("contacts", None) if kind == "interaction" else None
        rules = rules_for(kind)
        try:
            if file_id is not None and not _whole_id(file_id):
                raise ValidationError("id", f"must be a whole number from 1 to {INT_MAX}")
            if file_id is not None and file_id in self.ids.get(kind, {}):
                raise ValidationError("id", f"{file_id} is used twice in {section}")
            for key in list(values):
                try:
                    values[key] = self.field(kind, rules, key, values[key], values)
                except (ValueError, OverflowError, TypeError) as exc:
                    raise ValidationError(key, str(exc)) from None
            data = clean(rules, values, partial=False, allow_fixed=True, verbatim=True,
                         zone=self.ctx.zone)
            refuse_nul(data)
            self.check(kind, data)
            contact_ids = self.contacts(contacts)
            try:
                new_id = self.insert(kind, data, file_id, contact_ids, has_activity, has_trail)
            except IntegrityError as exc:
                raise ValidationError("id" if file_id else next(iter(data)),
                                      f"conflicts with a stored record ({exc})") from None
        except ValidationError as exc:
            line, col = record.pos(exc.field) if exc.field in record else at
            self.fail((line, col), where + (f", id {file_id}" if _whole_id(file_id) else ""),
                      str(exc))
        if file_id is not None:
            self.ids.setdefault(kind, {})[file_id] = new_id
        self.counts[section] = self.counts.get(section, 0) + 1

    def contacts(self, contacts: Any) -> list[int]:
        """The database ids of an interaction's stakeholders (file ids, each once)."""
        if contacts is None:
            return []
        if not isinstance(contacts, list):
            raise ValidationError("contacts", "must be a list of stakeholder ids")
        try:
            ids = [self.ref("contact", c) for c in contacts]
        except ValueError as exc:
            raise ValidationError("contacts", str(exc)) from None
        twice = sorted({c for c in contacts if contacts.count(c) > 1})
        if twice:
            raise ValidationError("contacts", f"lists stakeholder {twice[0]} more than once")
        return [i for i in ids if i is not None]

    def check(self, kind: str, data: dict[str, Any]) -> None:
        from relboard.services.records import CHECKS, _same_customer  # shared rules

        errors = _same_customer(data) if "customer" in data else {}
        if kind in CHECKS:
            errors.update(CHECKS[kind](data))
        if errors:
            raise ValidationError(errors)

    def insert(self, kind: str, data: dict[str, Any], file_id: int | None, contacts: list[int],
               has_activity: bool, has_trail: bool) -> int:
        ctx, now = self.ctx, self.ctx.now()
        model = model_for(kind)
        if issubclass(model, m.Editable):
            fill_defaults(entity(kind), data, creating=True)
            data.setdefault("version", 1)
            for stamp, default in (("created_at", now), ("created_by", ctx.user)):
                data[stamp] = data.get(stamp) or default
            data["updated_at"] = data.get("updated_at") or data["created_at"]
            data["updated_by"] = data.get("updated_by") or data["created_by"]
        _defaults(kind, data, now)
        if self.keep_ids and file_id is not None:
            data["id"] = file_id
        row_id = model.insert(**data).execute()
        if contacts:
            m.InteractionContact.insert_many(
                [(row_id, c) for c in contacts],
                fields=[m.InteractionContact.interaction, m.InteractionContact.contact],
            ).execute()
        if kind == "expectation" and not has_trail:
            m.ExpectationChange.create(expectation=row_id, changed_at=data["created_at"],
                                       changed_by=data["created_by"], new_status=data["status"],
                                       new_due=data["current_due"], reason="imported")
        if not has_activity and issubclass(model, m.Editable):
            m.Activity.create(at=now, user=ctx.user, entity=kind, entity_id=row_id,
                              action="import", new=entity(kind).label(model(**data)))
        return row_id


def _defaults(kind: str, data: dict[str, Any], now: _dt.datetime) -> None:
    """Values a record may leave out of a file."""
    if kind == "expectation":
        data["status"] = data.get("status") or "proposed"
        data["baseline_due"] = data.get("baseline_due") or data["current_due"]
    elif kind == "issue":
        data["status"] = data.get("status") or "new"
        data["raised_at"] = data.get("raised_at") or now
        data["severity"] = data.get("severity") or 3
        data["paused_seconds"] = data.get("paused_seconds") or 0
    elif kind == "interaction":
        data["occurred_at"] = data.get("occurred_at") or now


def is_empty() -> bool:
    """True when the database holds no records at all (an import may keep the file's ids)."""
    return not any(model.select().exists() for model in m.ENTITY_MODELS)


def _top_level(path: str, doc: Any) -> YDict:
    """The file's sections, after checking the top level (keys, format); ImportFileError."""
    if doc is None:
        raise ImportFileError(f"{path}: holds no records (the file is empty or only comments); "
                              "nothing was imported")
    if not isinstance(doc, YDict):
        line, col = (doc.line, doc.col) if isinstance(doc, YList) else (1, 1)
        raise ImportFileError(f"{path}:{line}:{col}: the file must be a mapping of sections")
    for key in doc:
        if key not in TOP_KEYS:
            line, col = doc.pos(key)
            raise ImportFileError(f"{path}:{line}:{col}: {key}: unknown section"
                                  f"{suggest(key, TOP_KEYS) or '; expected one of ' + ', '.join(TOP_KEYS)}")
    version = doc.get("relboard", FORMAT)
    if version != FORMAT or isinstance(version, bool):
        line, col = doc.value_pos("relboard")
        raise ImportFileError(f"{path}:{line}:{col}: relboard: this relboard reads format "
                              f"{FORMAT}")
    return doc


def import_file(ctx: Context, path: str | Path) -> ImportResult:
    """Import a YAML file in one transaction; ImportFileError names the bad record.

    A database that cannot be written (a full disk, a read-only file) raises the database's
    own error from ``db.write`` (one line, nothing imported); a busy one is a BusyError; any
    other refusal by the database (a constraint) is an ImportFileError.
    """
    path = str(path)
    try:
        doc = _top_level(path, load_file(path, max_bytes=IMPORT_MAX_BYTES))
    except StrictYAMLError as exc:
        raise ImportFileError(str(exc)) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None

    def run() -> ImportResult:
        importer = _Importer(ctx, path, keep_ids=is_empty())
        result = importer.run(doc)
        if importer.keep_ids:  # PostgreSQL: later saves must not reuse the file's ids
            move_sequences(m.database_proxy.obj)
        return result

    try:
        return write(run)
    except (BusyError, ImportFileError):
        raise
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        while isinstance(exc.__context__, (DatabaseError, sqlite3.DatabaseError)):
            exc = exc.__context__  # SQLite ends the transaction on a full disk: the first error
        raise ImportFileError(f"{path}: nothing was imported: the database refused it "
                              f"({exc})") from None
