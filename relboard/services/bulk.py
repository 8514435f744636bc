"""Rows written in batches inside the caller's transaction (imports of whole portfolios).

``BulkWriter.add`` hands out each row's id at once (callers link records by it) and buffers
the row; every ``chunk`` rows all buffers are written in dependency order (parents first),
SQLite with one prepared ``executemany`` per table, PostgreSQL with multi-row ``VALUES``.
No model instance and no query object is built per row.

Ids: a row may bring its own; otherwise SQLite's rule is followed (one more than the
highest id so far: the writer holds the write lock) and PostgreSQL's id sequence is drawn
in blocks. A row the database refuses (a clashing id) is found by writing the failed batch
again row by row, and reported with what ``add`` was given about it (``RowRefused``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import peewee
from peewee import Database, DateField, DateTimeField, IntegrityError

from relboard import models as m
from relboard.db import dialect

CHUNK = 1000
"""Rows buffered before everything is written."""
_PG_ROWS = 500
"""Rows per PostgreSQL INSERT statement."""


class RowRefused(Exception):
    """The database refused a row; ``about`` is what the caller gave ``add`` for it."""

    def __init__(self, about: Any, error: IntegrityError):
        super().__init__(str(error))
        self.about, self.error = about, error


def _as_text(value: Any) -> Any:
    return value if value is None else str(value)  # what sqlite3's own adapters write


@dataclass
class _Table:
    model: type[m.BaseModel]
    names: list[str]
    columns: list[str]
    defaults: list[Any]  # a value, a callable (called per row), or None
    converters: list[tuple[int, Callable[[Any], Any]]]
    next_id: int | None = None
    pool: list[int] = dc_field(default_factory=list)
    rows: list[tuple] = dc_field(default_factory=list)
    about: list[Any] = dc_field(default_factory=list)


class BulkWriter:
    """Buffered inserts into the tables of ``models`` (see the module docstring)."""

    def __init__(self, db: Database, chunk: int | None = None):
        self.db, self.chunk = db, chunk or CHUNK
        self.postgres = dialect(db) == "postgresql"
        self.tables: dict[type[m.BaseModel], _Table] = {}
        self.pending = 0

    def _table(self, model: type[m.BaseModel]) -> _Table:
        table = self.tables.get(model)
        if table is None:
            fields = model._meta.sorted_fields
            converters = [] if self.postgres else [
                (i, _as_text) for i, f in enumerate(fields)
                if isinstance(f, (DateField, DateTimeField))]
            table = _Table(model, [f.name for f in fields], [f.column_name for f in fields],
                           [f.default for f in fields], converters)
            self.tables[model] = table
            self.tables = {k: self.tables[k] for k in m.ENTITY_MODELS
                           if k in self.tables}  # dependency order
        return table

    def _new_id(self, table: _Table) -> int:
        if self.postgres:
            if not table.pool:
                meta = table.model._meta
                cursor = self.db.execute_sql(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    (meta.table_name, meta.primary_key.column_name, self.chunk))
                table.pool = [row[0] for row in cursor.fetchall()][::-1]
            return table.pool.pop()
        if table.next_id is None:
            table.next_id = self._highest(table) + 1
        table.next_id += 1
        return table.next_id - 1

    def _highest(self, table: _Table) -> int:
        model = table.model
        return self.db.execute_sql(f'SELECT max("id") FROM "{model._meta.table_name}"'
                                   ).fetchone()[0] or 0

    def add(self, model: type[m.BaseModel], data: dict[str, Any], about: Any = None) -> int:
        """Buffer one row of ``model`` (field names -> stored values; absent fields take the
        model's default) and return its id; ``about`` comes back in a ``RowRefused``."""
        table = self._table(model)
        row_id = data.get("id")
        if row_id is None:
            row_id = self._new_id(table)
        elif not self.postgres:
            if table.next_id is None:
                table.next_id = self._highest(table) + 1
            table.next_id = max(table.next_id, row_id + 1)
        values = []
        for name, default in zip(table.names, table.defaults, strict=True):
            value = data.get(name, default)
            values.append(value() if callable(value) else value)
        values[0] = row_id  # sorted_fields starts with the primary key
        for index, convert in table.converters:
            values[index] = convert(values[index])
        table.rows.append(tuple(values))
        table.about.append(about)
        self.pending += 1
        if self.pending >= self.chunk:
            self.flush()
        return row_id

    def written_elsewhere(self) -> None:
        """Rows were added to the tables outside the writer (a merge's saves, with their
        audit rows): on SQLite, where the writer counts ids on from the highest it read, the
        next id is read again (else the next row it adds takes an id a save used)."""
        for table in self.tables.values():
            table.next_id = None

    def flush(self) -> None:
        """Write every buffered row (parents first)."""
        for table in self.tables.values():
            if table.rows:
                self._write(table)
        self.pending = 0

    def _write(self, table: _Table) -> None:
        rows, about = table.rows, table.about
        table.rows, table.about = [], []
        try:
            with self.db.atomic():  # a savepoint: a refused batch leaves the rest usable
                self._execute(table, rows)
        except IntegrityError:
            for row, what in zip(rows, about, strict=True):
                try:
                    with self.db.atomic():
                        self._execute(table, [row])
                except IntegrityError as exc:
                    raise RowRefused(what, exc) from None
            raise

    def _execute(self, table: _Table, rows: list[tuple]) -> None:
        name = table.model._meta.table_name
        columns = ", ".join(f'"{c}"' for c in table.columns)
        cursor = self.db.cursor()
        with peewee.__exception_wrapper__:  # the driver's errors as peewee's
            if not self.postgres:
                marks = ", ".join("?" * len(table.columns))
                cursor.executemany(f'INSERT INTO "{name}" ({columns}) VALUES ({marks})', rows)
                return
            one = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
            for start in range(0, len(rows), _PG_ROWS):
                part = rows[start:start + _PG_ROWS]
                cursor.execute(f'INSERT INTO "{name}" ({columns}) VALUES '
                               + ", ".join([one] * len(part)),
                               [value for row in part for value in row])

