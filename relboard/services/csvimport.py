"""Import one kind of record from a CSV file (the format: ``services.csvformat``).

Each row becomes the record a YAML file would hold (its cells under the header's field
names) and goes through the YAML importer's own checks and writes (``transfer._Importer``):
the same field rules, cross-field checks, refusal of control characters, defaults, audit
log and batches. What differs is only where references point: a CSV names them, and a name
is looked up among the records already stored (a customer by its name; a project,
stakeholder or expectation by its name or statement within the row's customer), read once
per kind. A name that matches no record or several is an error.

All or nothing, one transaction; the first problem is named ``FILE:ROW:COL: field: reason``
(ROW as a spreadsheet numbers it: the header is row 1; COL the column's number, A = 1).
Spreadsheet habits are read as meant: a UTF-8 byte-order mark, ``;`` between cells (when
the header has more of them than commas), Excel's quoting (``""`` inside quotes), CRLF line
ends inside a cell, and the ``'`` that ``guard`` puts before a cell starting with ``=``,
``+``, ``-`` or ``@`` (taken off again). Every row is a new record: a CSV has no ids.
"""

from __future__ import annotations

import csv
import difflib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from relboard.services.context import Context
from relboard.services.csvformat import (
    CONTACTS,
    NAME_FIELD,
    SCOPED,
    columns,
    detect_delimiter,
    header_key,
    split_names,
    unguard,
)
from relboard.services.errors import ValidationError
from relboard.services.fileformat import SECTIONS, model_for, rules_for
from relboard.services.importkinds import KINDS, Kind
from relboard.services.transfer import (
    IMPORT_MAX_BYTES,
    PROGRESS_EVERY,
    ImportFileError,
    ImportResult,
    Progress,
    _Importer,
    _Plan,
    guarded,
    readable,
)
from relboard.text import clipped
from relboard.yamlstrict import YDict

_SECTION = {kind: section for section, kind in SECTIONS}


class _Named:
    """The stored records of one kind by name: (customer id or 0, name) -> ids."""

    def __init__(self, kind: str):
        model: Any = model_for(kind)
        name = getattr(model, NAME_FIELD[kind])
        owner = model.id if kind == "customer" else model.customer
        self.kind = kind
        self.ids: dict[tuple[int, str], list[int]] = {}
        self.owner: dict[int, int] = {}
        for record_id, customer_id, text in model.select(model.id, owner, name).tuples():
            key = (0 if kind == "customer" else customer_id, text)
            self.ids.setdefault(key, []).append(record_id)
            self.owner[record_id] = customer_id

    def find(self, name: str, customer_id: int) -> int:
        """The id of the one record called ``name`` (of ``customer_id``); ValueError if none
        or several."""
        found = self.ids.get((customer_id, name))
        said = "stakeholder" if self.kind == "contact" else self.kind
        if found and len(found) > 1:
            raise ValueError(f"{len(found)} {said}s are called {clipped(name)!r}; rename one "
                             "of them first")
        if not found:
            where = "" if self.kind == "customer" else " of this customer"
            names = [text for (cid, text) in self.ids if cid == customer_id][:100_000]
            near = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean {clipped(near[0])!r}?" if near else ""
            raise ValueError(f"no {said}{where} is called {clipped(name)!r}{hint}")
        return found[0]


class _CsvImporter(_Importer):
    """The YAML importer fed rows of a CSV file, its references looked up by name."""

    def __init__(self, ctx: Context, path: str, kind: str, progress: Progress | None):
        super().__init__(ctx, path, False, _Plan(None, False, False), progress)
        self.kind = kind
        self.named: dict[str, _Named] = {}
        self.position: Callable[[], tuple[int, int]] = lambda: (0, 0)  # bytes read, size

    def fail(self, at: tuple[int, int], where: str, reason: str) -> None:
        raise ImportFileError(f"{self.path}:{at[0]}:{at[1]}: {reason}")

    def lookup(self, kind: str, name: Any, customer_id: int) -> int:
        """The stored record of ``kind`` called ``name`` (ValueError if none or several);
        it is noted as the customer's for the same-customer check."""
        if kind not in self.named:
            self.named[kind] = _Named(kind)
        named = self.named[kind]
        record_id = named.find(str(name).strip(), customer_id)
        if kind in self.owners:
            self.owners[kind][record_id] = named.owner[record_id]
        return record_id

    def field(self, kind: Kind, key: str, value: Any, values: dict[str, Any]) -> Any:
        """Dates as the YAML importer reads them; references by name."""
        how = kind.resolve.get(key)
        if how is None or how in ("date", "datetime"):
            return super().field(kind, key, value, values)
        if value is None or not str(value).strip():
            return None
        if how == "customer":
            return self.lookup("customer", value, 0)
        customer = values.get("customer")
        return self.lookup(SCOPED[key], value, customer) if isinstance(customer, int) else None

    def contacts(self, contacts: Any, customer_id: int | None) -> list[int]:
        """The stakeholders a ``contacts`` cell names (``; `` between names)."""
        if not contacts or customer_id is None:
            return []
        ids = []
        for name in split_names(contacts):
            try:
                ids.append(self.lookup("contact", name, customer_id))
            except ValueError as exc:
                raise ValidationError(CONTACTS, str(exc)) from None
        if len(set(ids)) < len(ids):
            raise ValidationError(CONTACTS, "names a stakeholder more than once")
        return ids

    def run_rows(self, rows: Iterator[YDict]) -> ImportResult:
        """Import every row (all of one kind), then write what is left."""
        kind, section = KINDS[self.kind], _SECTION[self.kind]
        for index, record in enumerate(rows):
            self.ordinal += 1
            self.one(section, kind, index, record, (record.line, 1))
            if self.progress and self.ordinal % PROGRESS_EVERY == 0:
                self.progress(*self.position(), self.ordinal)
        self.writer.flush()
        if not self.counts:
            raise ImportFileError(f"{self.path}: holds no records (only a header row); "
                                  "nothing was imported")
        self.settle_owners()
        return ImportResult(self.counts)


def _header(path: str, kind: str, cells: list[str]) -> list[str | None]:
    """The field of each header cell (None for an empty one at the end); ImportFileError for
    an unknown, repeated or missing column."""
    known = columns(kind)
    fields: list[str | None] = []
    for col, cell in enumerate(cells, 1):
        name = header_key(unguard(cell))
        if not name:
            fields.append(None)
            continue
        if name not in known:
            near = difflib.get_close_matches(name, known, n=3)
            hint = ("; did you mean " + " or ".join(near) + "?") if near else \
                "; the columns: " + ", ".join(known)
            raise ImportFileError(f"{path}:1:{col}: {clipped(cell)}: not a column of "
                                  f"{_SECTION[kind]}{hint}")
        if name in fields:
            raise ImportFileError(f"{path}:1:{col}: {clipped(cell)}: the column is there twice")
        fields.append(name)
    missing = [name for name, rule in rules_for(kind).items()
               if rule.required and name not in fields]
    if missing:
        raise ImportFileError(f"{path}:1:1: the column {missing[0]} is missing; a row of "
                              f"{_SECTION[kind]} needs it")
    return fields


def _records(path: str, kind: str, reader: Any, read: list[int]) -> Iterator[YDict]:
    """Each row as the record a YAML file would hold, its cells located (row, column);
    ``read[0]``: the number of the last row read (the header is row 1)."""
    head: list[str] = next(reader, [])
    read[0] = 1
    if not any(cell.strip() for cell in head):
        raise ImportFileError(f"{path}: the file is empty or its first row is: a CSV file "
                              "starts with a header row of column names; nothing was imported")
    fields = _header(path, kind, head)
    order = [name for name in columns(kind) if name in fields]
    at = {name: col for col, name in enumerate(fields, 1) if name}
    for row_number, cells in enumerate(reader, 2):
        read[0] = row_number
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row a spreadsheet left with only separators
        extra = next((col for col, cell in enumerate(cells, 1)
                      if col > len(fields) and cell.strip()), None)
        if extra is not None:
            raise ImportFileError(f"{path}:{row_number}:{extra}: a cell after the last column "
                                  "(a separator too many, or quotes not closed?)")
        record = YDict(row_number, 1)
        values = {name: unguard(cell).replace("\r\n", "\n")
                  for name, cell in zip(fields, cells, strict=False) if name}
        for name in order:
            record[name] = values.get(name, "")
            record._key_pos[name] = (row_number, at[name])
        yield record


def import_csv(ctx: Context, path: str | Path, kind: str,
               progress: Progress | None = None) -> ImportResult:
    """Import the records of ``kind`` in the CSV file ``path``, all or nothing;
    ImportFileError names the first problem (``FILE:ROW:COL: field: reason``)."""
    path = str(path)
    with readable(path) as source:
        return _import(ctx, source, path, kind, progress)


def _import(ctx: Context, source: str, path: str, kind: str,
            progress: Progress | None) -> ImportResult:
    """``import_csv`` of the regular file ``source`` (``path`` in messages)."""
    size = os.stat(source).st_size
    if size > IMPORT_MAX_BYTES:
        raise ImportFileError(f"{path}: is larger than {IMPORT_MAX_BYTES >> 20} MiB; "
                              "nothing was imported")
    try:
        handle = open(source, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None

    def run() -> ImportResult:  # again from the top if the database was busy
        handle.seek(0)
        importer = _CsvImporter(ctx, path, kind, progress)
        importer.position = lambda: (_tell(handle), size)
        read = [0]
        try:
            first = handle.readline()
            reader = csv.reader(_chain(first, handle), delimiter=detect_delimiter(first),
                                doublequote=True, strict=True)
            return importer.run_rows(_records(path, kind, reader, read))
        except csv.Error as exc:
            hint = " — a quote not closed?" if "end of data" in str(exc) else ""
            raise ImportFileError(f"{path}:{read[0] + 1}: not CSV as read ({exc}){hint}; "
                                  "nothing was imported") from None
        except UnicodeDecodeError:  # decoded ahead of the rows: no row to name
            raise ImportFileError(f"{path}: not UTF-8 text — save it as CSV UTF-8; "
                                  "nothing was imported") from None

    with handle:
        return guarded(path, run)


def _tell(handle: Any) -> int:
    try:
        return int(handle.buffer.tell())
    except (OSError, ValueError):
        return 0


def _chain(first: str, rest: Any) -> Iterator[str]:
    yield first
    yield from rest
