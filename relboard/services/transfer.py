"""Import of a whole portfolio from YAML (the format: ``services.fileformat``).

An import is one transaction: the first bad record stops it, names file, line and record
(``FILE:LINE:COL: record N (section[i], id X): field: reason``) and leaves the database as it
was. References, ``entity_id`` included, resolve within the file only: a file can neither
point at nor forge rows about records already in the database. Text is kept exactly as
written, so an export imported into an empty database gives identical data (control
characters included: every output escapes them).

The file is read as a stream, one record at a time (memory stays bounded however large the
file), and rows are written in batches (``services.bulk``). Sections are imported in the
order of ``SECTIONS``; a file that lists them in another order is read once per section.
Problems are reported in file order.

Ids and a database that already holds records: a record whose file id is already a stored
id of its kind would be a second copy (the file imported twice), so such an import is refused
with the count, nothing imported, unless ``merge``: then that record updates the stored one
by id (``records.change``, audit logged), refused as a conflict when the stored version is
newer than the file's; the rest keep the file's ids. Stored ids are looked up a window of
``_StoredIds.WINDOW`` ids at a time (one query per batch of an export's ordered ids, not
per row); an import into an empty database looks nothing up.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError, InterfaceError, fn

from relboard import models as m
from relboard.db import BusyError, ServerUnreachableError, connection_lost, write
from relboard.services import account_owners, clocks, tags
from relboard.services.bulk import BulkWriter, RowRefused
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.fileformat import (  # noqa: F401 - re-exported for older callers
    END,
    EXPORT_HEADER,
    FORMAT,
    LINKS,
    SECTIONS,
    TOP_KEYS,
    model_for,
    resolve_relative,
    rules_for,
)
from relboard.services.importfile import (  # noqa: F401 - ImportResult re-exported
    ENDS_EARLY,
    ImportFileError,
    ImportResult,
    after_end,
    check_end,
    check_root,
    ends_early,
    fill_file_defaults,
    first_problem,
    read_end,
    top_problem,
)
from relboard.services.importkinds import KINDS, Kind, same_customer
from relboard.services.migrate_to import analyze, move_sequences
from relboard.services.spec import INT_MAX, clean
from relboard.text import QUOTE_MAX, clipped, plural
from relboard.yamlbytes import check_kind, spool_pipe
from relboard.yamlstream import StreamReader, top_level_keys
from relboard.yamlstrict import StrictYAMLError, YDict

IMPORT_MAX_BYTES = 1024 * 1024 * 1024
"""The largest import file: a whole portfolio (the config keeps its own 1 MiB limit)."""
PROGRESS_EVERY = 1000
"""Records between two calls of an import's progress callback."""

Progress = Callable[[int, int, int], None]
"""``progress(bytes_read, file_size, records_done)``, called now and then during an import."""


@dataclass(frozen=True)
class _Plan:
    """How to read the file: sections per pass (None: one pass in file order), and whether
    the file brings its own audit log and expectation trail."""

    passes: tuple[str, ...] | None
    has_activity: bool
    has_trail: bool


class _Replan(Exception):
    def __init__(self, plan: _Plan):
        super().__init__("replan")
        self.plan = plan


_RANK = {section: rank for rank, (section, _) in enumerate(SECTIONS)}
_KIND_OF = dict(SECTIONS)


class _StoredIds:
    """The ids (and versions) of one table's rows stored before the import began."""

    WINDOW = 1000

    def __init__(self, model: type[m.BaseModel]):
        self.model = model
        self.highest = model.select(fn.MAX(model.id)).scalar() or 0
        self.versioned = issubclass(model, m.Editable)  # activity's "version" is another
        self.lo, self.hi = 1, 0
        self.rows: dict[int, int] = {}

    def version(self, row_id: int) -> int | None:
        """The stored version of ``row_id`` (0 for a table without versions); None if no such
        row was stored before the import."""
        if row_id > self.highest:
            return None
        if not self.lo <= row_id <= self.hi:
            model = self.model
            version = model.version if self.versioned else model.id
            rows = list(model.select(model.id, version)
                        .where((model.id >= row_id) & (model.id <= self.highest))
                        .order_by(model.id).limit(self.WINDOW).tuples())
            self.rows = {i: (v if self.versioned else 0) for i, v in rows}
            self.lo = row_id
            self.hi = rows[-1][0] if len(rows) == self.WINDOW else self.highest
        return self.rows.get(row_id)


def section_count(section: str, count: int) -> str:
    """"1 customer", "2 customers", "1 activity": a section's count in the right number."""
    return f"{count} {section if count != 1 else _KIND_OF.get(section, section)}"


def _whole_id(value: Any) -> bool:
    """A file id: a whole number from 1 to the largest a database integer holds (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INT_MAX


class _Importer:
    def __init__(self, ctx: Context, path: str, keep_ids: bool, plan: _Plan,
                 progress: Progress | None, stored: bool = False, merge: bool = False,
                 source: str | None = None):
        self.ctx, self.path, self.keep_ids, self.plan = ctx, path, keep_ids, plan
        self.source = path if source is None else source  # the file read (path: shown)
        self.merge = merge
        self.stored: dict[str, _StoredIds] | None = (
            {name: _StoredIds(kind.model) for name, kind in KINDS.items()} if stored else None)
        self.duplicates: dict[str, int] = {}
        self.updated = self.unchanged = 0
        self.progress = progress
        self.ids: dict[str, dict[int, int]] = {}
        self.owners: dict[str, dict[int, int]] = {"project": {}, "contact": {},
                                                  "expectation": {}, "playbook_run": {}}
        self.customer_owners: dict[int, str] = {}
        """The owner of each customer this import added or looked up (its records' account
        owner: the customer may be in the writer's batch, not stored yet)."""
        self.stored_owners: dict[int, str] = {}
        """Those of them stored before, as read (``settle_owners``)."""
        self.contacted: tuple[set[int], set[int]] = (set(), set())
        """The customers and stakeholders of the touchpoints it added: their last contacts."""
        self.ordinal = 0
        self.counts: dict[str, int] = {}
        self.end: dict[str, int] | None = None  # the counts of the file's end, if it has one
        self.now, self.today = ctx.now(), ctx.today()
        self.writer = BulkWriter(m.database_proxy.obj)

    def fail(self, at: tuple[int, int], where: str, reason: str) -> None:
        raise ImportFileError(f"{self.path}:{at[0]}:{at[1]}: record {self.ordinal} ({where}): "
                              f"{reason}")

    def run(self) -> ImportResult:
        for only in self.plan.passes or (None,):
            seen = self.read(only)
        self.writer.flush()
        check_end(self.path, seen, self.end, self.counts)
        if not self.counts:
            raise ImportFileError(f"{self.path}: holds no records (every section is empty); "
                                  "nothing was imported")
        if self.duplicates:
            total = sum(self.duplicates.values())
            each = ", ".join(section_count(s, n) for s, n in self.duplicates.items())
            raise ImportFileError(
                f"{self.path}: {plural(total, 'record')} would be duplicates: their ids are "
                f"already in this database ({each}) — was the file imported before? nothing "
                "was imported; use --merge to update the stored records by id instead")
        actual = ("activity" in seen, "expectation_changes" in seen)
        if actual != (self.plan.has_activity, self.plan.has_trail):
            raise _Replan(_Plan(self.plan.passes, *actual))
        self.settle_owners()
        return ImportResult(self.counts, self.updated, self.unchanged)

    def read(self, only: str | None) -> list[str]:
        """One pass over the file: every section (in file order), or only ``only``."""
        seen: list[str] = []
        rank = -1
        with StreamReader(self.source, max_bytes=IMPORT_MAX_BYTES, name=self.path) as reader:
            check_root(self.path, reader)
            for entry in reader.entries(build={END}):
                seen.append(entry.key)
                try:
                    problem = top_problem(self.path, entry)
                    if problem:
                        raise problem
                    if END in seen[:-1]:
                        raise after_end(self.path, entry)
                    if entry.key == END:
                        self.end = read_end(self.path, entry)
                    if entry.key not in _KIND_OF or (only and entry.key != only):
                        continue
                    if only is None and _RANK[entry.key] < rank:  # out of order: a pass each
                        for _ in entry.items:  # the keys after it come after its records
                            pass
                        seen += [e.key for e in reader.entries()]
                        order = tuple(s for s, _ in SECTIONS if s in seen)
                        raise _Replan(_Plan(order, "activity" in seen,
                                            "expectation_changes" in seen))
                    rank = _RANK[entry.key]
                    self.section(entry, reader)
                except ImportFileError as exc:
                    try:
                        first_problem(self.path, reader, entry, exc, seen)
                    except ImportFileError as chosen:
                        ranks = [_RANK[key] for key in seen if key in _RANK]
                        if only is None and chosen is exc and ranks != sorted(ranks):
                            raise _Replan(_Plan(  # a reference to a later section, perhaps
                                tuple(s for s, _ in SECTIONS if s in seen),
                                "activity" in seen, "expectation_changes" in seen)) from None
                        raise
        return seen

    def section(self, entry: Any, reader: StreamReader) -> None:
        if entry.kind == "scalar" and entry.value is None:
            return
        if entry.kind != "list":
            raise ImportFileError(f"{self.path}:{entry.pos[0]}:{entry.pos[1]}: {entry.key}: "
                                  "must be a list")
        kind = KINDS[_KIND_OF[entry.key]]
        for index, record, at in entry.items:
            self.ordinal += 1
            self.one(entry.key, kind, index, record, at)
            if self.progress and self.ordinal % PROGRESS_EVERY == 0:
                self.progress(reader.bytes_read, reader.size, self.ordinal)

    def ref(self, kind: Any, file_id: Any) -> Any:
        """The database id of the record the file numbers ``file_id``; ValueError if the file
        defines no such record earlier (records already in the database are never reached)."""
        if file_id is None or file_id == "":
            return None
        if not _whole_id(file_id):
            raise ValueError(f"must be the id of a {clipped(kind)} in this file")
        known = self.ids.get(kind) if isinstance(kind, str) else None
        if not known or file_id not in known:
            raise ValueError(f"no {clipped(kind)} with id {file_id} earlier in the file")
        return known[file_id]

    def field(self, kind: Kind, key: str, value: Any, values: dict[str, Any]) -> Any:
        """The value of one field with file dates and file ids resolved; ValueError if bad."""
        how = kind.resolve.get(key)
        if how is None:
            return value
        if how == "entity_id":
            if not isinstance(values.get("entity"), str):
                raise ValueError("needs an entity that names a kind of record, like customer")
            return self.ref(values["entity"], value)
        if how != "date" and how != "datetime":
            return self.ref(how, value)
        day = resolve_relative(value, self.today)
        if how == "datetime" and isinstance(day, _dt.datetime):
            return self.ctx.utc(day)  # "today+3 14:30" is local time where the PM is
        return day

    def one(self, section: str, kind: Kind, index: int, record: Any,
            at: tuple[int, int]) -> None:
        where = f"{section}[{index}]"
        if not isinstance(record, YDict):
            self.fail(at, where, "must be a mapping of fields")
        values = dict(record)
        file_id = values.pop("id", None)
        contacts = values.pop("contacts", None) if kind.name in LINKS else None
        tagged = values.pop("tags", None) if kind.name in tags.TAGGED else None
        try:
            try:
                names = tags.parse(tagged)
            except ValueError as exc:
                raise ValidationError("tags", str(exc)) from None
            if file_id is not None and not _whole_id(file_id):
                raise ValidationError("id", f"must be a whole number from 1 to {INT_MAX}")
            if file_id is not None and file_id in self.ids.get(kind.name, {}):
                raise ValidationError("id", f"{file_id} is used twice in {section}")
            for key in list(values):
                try:
                    values[key] = self.field(kind, key, values[key], values)
                except (ValueError, OverflowError, TypeError) as exc:
                    raise ValidationError(key, str(exc)) from None
            data = clean(kind.rules, values, partial=False, allow_fixed=True, verbatim=True,
                         zone=self.ctx.zone)  # refuses NUL too, as every control
            errors = same_customer(self.owners, data) if "customer" in data else {}
            errors.update(kind.check(data))
            if errors:
                raise ValidationError(errors)
            contact_ids = self.contacts(contacts, data.get("customer"))
            field = "id" if file_id else next(iter(data))
            about = (self.ordinal, where + (f", id {file_id}" if _whole_id(file_id) else ""),
                     record.pos(field) if field in record else at, field)
            stored = self.stored[kind.name].version(file_id) \
                if self.stored is not None and file_id is not None else None
            if stored is not None and self.merge:
                new_id = self.update(kind, data, file_id, contact_ids, about, stored, record,
                                     at, where)
                if tagged is not None:  # a file without the key keeps the stored tags
                    self.writer.flush()
                    tags.store(self.ctx, kind.name, new_id, names, "import")
                    self.writer.written_elsewhere()
            else:
                if stored is not None:
                    self.duplicates[section] = self.duplicates.get(section, 0) + 1
                new_id = self.insert(kind, data, file_id, contact_ids, about)
                if kind.name == "interaction":
                    self.contacted[0].add(data["customer"])
                    self.contacted[1].update(contact_ids)
                for name in names:
                    self.writer.add(m.Tag, {"kind": kind.name, "record_id": new_id,
                                            "name": name}, about)
        except ValidationError as exc:
            line, col = record.pos(exc.field) if exc.field in record else at
            self.fail((line, col), where + (f", id {file_id}" if _whole_id(file_id) else ""),
                      str(exc))
        if file_id is not None:
            self.ids.setdefault(kind.name, {})[file_id] = new_id
        if kind.name in self.owners:
            self.owners[kind.name][new_id] = data["customer"]
        self.counts[section] = self.counts.get(section, 0) + 1

    def contacts(self, contacts: Any, customer_id: int | None) -> list[int]:
        """The database ids of an interaction's or a decision's stakeholders (file ids, each
        once, each a stakeholder of the record's customer)."""
        if contacts is None:
            return []
        if not isinstance(contacts, list):
            raise ValidationError("contacts", "must be a list of stakeholder ids")
        try:
            ids = [self.ref("contact", c) for c in contacts]
        except ValueError as exc:
            raise ValidationError("contacts", str(exc)) from None
        if len(set(contacts)) < len(contacts):
            twice = min(c for c, n in Counter(contacts).items() if n > 1)  # not list.count
            raise ValidationError("contacts", f"lists stakeholder {twice} more than once")
        for file_id, contact_id in zip(contacts, ids, strict=True):
            if self.owners["contact"].get(contact_id) != customer_id:
                raise ValidationError("contacts", f"stakeholder {file_id} belongs to another "
                                      "customer")
        return [i for i in ids if i is not None]

    def update(self, kind: Kind, data: dict[str, Any], file_id: int, contacts: list[int],
               about: Any, stored: int, record: Any, at: tuple[int, int], where: str) -> int:
        """``merge``: the file's record ``file_id`` over the stored one of that id (version
        checked, each changed field audit logged); a log-like record already stored is kept."""
        if not kind.editable:
            self.unchanged += 1
            return file_id
        from relboard.services import records
        from relboard.services.entities import entity

        version = data.get("version") or 1
        if stored > version:
            self.fail(record.pos("version") if "version" in record else record.pos("id"),
                      f"{where}, id {file_id}",
                      f"version: the database holds version {stored} of this {kind.name}, "
                      f"newer than the file's {version} (changed since the file was written); "
                      "nothing was imported — export again and edit that, or drop the record")
        kind.fill_defaults(data)
        self.writer.flush()  # what the update may refer to is written first
        if kind.name in account_owners.BY_KIND and data.get("customer") is not None:
            # its customer first (PostgreSQL), as ``settle_owners`` will: a new owner being
            # saved meanwhile (which sets this record's row) is waited for, not deadlocked
            account_owners.share_lock([data["customer"]])
        rules = entity(kind.name).rules
        fields = {key: value for key, value in data.items() if key in rules}
        if records.change(self.ctx, kind.name, file_id, stored, fields, "import") != stored:
            self.updated += 1
        else:
            self.unchanged += 1
        self.writer.written_elsewhere()  # the save's audit rows
        if kind.name in LINKS:
            link, column = LINKS[kind.name]
            link.delete().where(getattr(link, column) == file_id).execute()
            for contact in contacts:
                self.writer.add(link, {column: file_id, "contact": contact}, about)
        return file_id

    def owner_of(self, customer_id: int) -> str:
        """The owner of customer ``customer_id`` ("" for nobody): added by this import, or
        stored (read once: ``settle_owners`` sees whether it changed meanwhile)."""
        if customer_id not in self.customer_owners:
            c = m.Customer
            found = c.select(c.owner).where(c.id == customer_id).tuples().first()
            self.customer_owners[customer_id] = (found[0] if found else "") or ""
            self.stored_owners[customer_id] = self.customer_owners[customer_id]
        return self.customer_owners[customer_id]

    def settle_owners(self) -> None:
        """Once all is written: the account owners of what was added for a stored customer
        whose owner another PM changed since this import read it (that save set the records
        it could see, not these; ``account_owners.settle``)."""
        self.writer.flush()
        account_owners.settle(self.stored_owners)

    def insert(self, kind: Kind, data: dict[str, Any], file_id: int | None,
               contacts: list[int], about: Any) -> int:
        ctx, now, add = self.ctx, self.now, self.writer.add
        if kind.editable:
            kind.fill_defaults(data)
            data.setdefault("version", 1)
            for stamp, default in (("created_at", now), ("created_by", ctx.user)):
                data[stamp] = data.get(stamp) or default
            data["updated_at"] = data.get("updated_at") or data["created_at"]
            data["updated_by"] = data.get("updated_by") or data["created_by"]
        fill_file_defaults(kind.name, data, now)
        if kind.name == "issue":
            data.update(clocks.issue_clock(data, ctx.sla))  # tiers: rebuilt at the end
        if kind.name in account_owners.BY_KIND:  # schemas 17, 22, 23: the customer's owner
            data["account_owner"] = self.owner_of(data["customer"])
        if self.keep_ids and file_id is not None:
            data["id"] = file_id
        row_id = add(kind.model, data, about)
        if kind.name == "customer":
            self.customer_owners[row_id] = data.get("owner") or ""
        for contact in contacts:
            link, column = LINKS[kind.name]
            add(link, {column: row_id, "contact": contact}, about)
        if kind.name == "expectation" and not self.plan.has_trail:
            add(m.ExpectationChange, {
                "expectation": row_id, "changed_at": data["created_at"],
                "changed_by": data["created_by"], "new_status": data["status"],
                "new_due": data["current_due"], "reason": "imported"}, about)
        if kind.editable and not self.plan.has_activity:
            add(m.Activity, {"at": now, "user": ctx.user, "entity": kind.name,
                             "entity_id": row_id, "action": "import",
                             "new": kind.label(data)}, about)
        return row_id


def is_empty() -> bool:
    """True when the database holds no records at all (an import may keep the file's ids)."""
    return not any(model.select().exists() for model in m.ENTITY_MODELS)


def import_file(ctx: Context, path: str | Path, progress: Progress | None = None,
                merge: bool = False) -> ImportResult:
    """Import a YAML file in one transaction; ImportFileError names the bad record.

    Into a database with records, a record whose id is stored already refuses the import
    (with the count), or with ``merge`` updates the stored record (see the module docstring).

    ``progress`` (optional) is called every ``PROGRESS_EVERY`` records. A database that
    cannot be written (a full disk, a read-only file) raises the database's own error from
    ``db.write`` (one line, nothing imported); a busy one is a BusyError; any other refusal
    by the database (a constraint) is an ImportFileError.
    """
    path = str(path)
    with readable(path) as source:
        return _import(ctx, source, path, progress, merge)


@contextmanager
def readable(path: str) -> Iterator[str]:
    """The regular file to read an import from: ``path`` itself, or a pipe's bytes spooled
    to a temporary file (removed after); a folder, a device or an unreadable path is an
    ImportFileError. Shared by the YAML and CSV imports."""
    try:
        check_kind(os.stat(path).st_mode, path)  # before opening: a FIFO's open waits
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            check_kind(mode, path)
            source = spool_pipe(handle, path, IMPORT_MAX_BYTES) if stat.S_ISFIFO(mode) \
                else path
    except StrictYAMLError as exc:  # a pipe that gave binary bytes or too many
        raise ImportFileError(str(exc)) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        yield source
    finally:
        if source != path:
            os.unlink(source)


def _import(ctx: Context, source: str, path: str, progress: Progress | None,
            merge: bool) -> ImportResult:
    """``import_file`` of the regular file ``source`` (``path`` in messages)."""
    try:  # a hint, confirmed while reading (else read again)
        keys = top_level_keys(source, max_bytes=IMPORT_MAX_BYTES, name=path)
    except StrictYAMLError as exc:
        raise ImportFileError(str(exc)) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    plan = _Plan(None, "activity" in keys, "expectation_changes" in keys)

    def run() -> ImportResult:
        empty = is_empty()
        importer = _Importer(ctx, path, empty or merge, plan, progress, stored=not empty,
                             merge=merge, source=source)
        result = importer.run()
        clocks.refresh_contacts(*importer.contacted)  # those the new touchpoints moved
        # the account owners of what it added are set as each is inserted (``owner_of``); a
        # merge's changes are saves, which keep them
        if ctx.sla.tiers:  # tiers of their own hours: the customers are all written now
            clocks.rebuild(ctx.sla)
        if importer.keep_ids:  # PostgreSQL: later saves must not reuse the file's ids
            move_sequences(m.database_proxy.obj)
        return result

    cut = EXPORT_HEADER in keys and END not in keys  # an export that stops before its end
    while True:
        try:
            return guarded(path, run, cut)
        except _Replan as again:
            plan = again.plan


T = TypeVar("T")


def guarded(path: str, run: Callable[[], T], cut: bool = False) -> T:
    """``run`` (an import of ``path``) in one write transaction, its failures said as one
    ImportFileError each (a file ``cut`` short: that it ends early). A busy database stays a
    BusyError; the importer's ``_Replan`` passes through. Shared by the YAML and CSV imports."""
    try:
        result = write(run)
        analyze(m.database_proxy.obj)  # PostgreSQL: statistics for the rows just loaded
        return result
    except ImportFileError as exc:
        if cut and ENDS_EARLY not in str(exc):  # a record or a value cut short, perhaps
            raise ends_early(path) from None
        raise
    except BusyError:
        raise
    except StrictYAMLError as exc:
        raise (ends_early(path) if cut else ImportFileError(str(exc))) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    except RowRefused as exc:
        ordinal, where, (line, col), field = exc.about
        raise ImportFileError(f"{path}:{line}:{col}: record {ordinal} ({where}): {field}: "
                              f"conflicts with a stored record ({_said(exc.error)})"
                              ) from None
    except ServerUnreachableError as exc:  # db.write tried a new connection once
        raise _unreachable(exc) from None
    except (DatabaseError, sqlite3.DatabaseError, InterfaceError) as exc:
        if connection_lost(exc):  # the server stopped: rolled back with the connection
            raise _unreachable(exc) from None
        if isinstance(exc, InterfaceError):
            raise
        while isinstance(exc.__context__, (DatabaseError, sqlite3.DatabaseError)):
            exc = exc.__context__  # SQLite ends the transaction on a full disk: the first
        raise ImportFileError(f"{path}: nothing was imported: the database refused it "
                              f"({_said(exc)})") from None


def _unreachable(exc: BaseException) -> ImportFileError:
    """The refusal of an import whose database server went away (stopped, restarted): the
    transaction went with the connection, so nothing of the file is stored."""
    said = next((err for err in reversed(_causes(exc)) if connection_lost(err)
                 and not isinstance(err, ServerUnreachableError)), exc)
    return ImportFileError(f"database server not reachable ({_said(said)}); nothing was "
                           "imported — check that the server runs, then import again")


def _causes(exc: BaseException | None) -> list[BaseException]:
    """``exc`` and what it was raised from, deepest last."""
    found: list[BaseException] = []
    while exc is not None and exc not in found:
        found.append(exc)
        exc = exc.__cause__ or exc.__context__
    return found


def _said(error: BaseException) -> str:
    """A database's refusal in a message: its first line, cut (a server's text may quote a
    whole value, on a line of its own)."""
    return clipped(str(error).strip().split("\n", 1)[0], 2 * QUOTE_MAX)
