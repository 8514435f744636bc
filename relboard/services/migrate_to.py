"""Moving a board to PostgreSQL: ``relboard migrate-to URL``, and sequences after kept ids.

PostgreSQL numbers new rows from a sequence per table, which an insert with an explicit id
does not move: after an import that keeps the file's ids, the next plain insert would collide
("duplicate key value violates unique constraint"). ``move_sequences`` sets every table's
sequence to its highest id (nothing to do on SQLite, which numbers from the highest id).

``migrate_to`` copies every row of the open database into an empty PostgreSQL database in
one transaction, ids kept, sequences moved, and compares the row counts per table before it
commits: a problem leaves the target as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import (
    AutoField,
    Database,
    DatabaseError,
    ImproperlyConfigured,
    fn,
)

from relboard import models as m
from relboard.db import connect, dialect, mask_url, parse_database_spec
from relboard.errors import DatabaseUnusableError
from relboard.migrations import migrate
from relboard.services.errors import ValidationError

CHUNK = 500
"""Rows per INSERT while copying."""


class MigrateToError(DatabaseUnusableError):
    """The board could not be copied; the target database is as it was (one line)."""


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the source and in the target after the copy."""

    table: str
    source: int
    target: int


def move_sequences(db: Database, models: Iterable[type[m.BaseModel]] = m.ENTITY_MODELS) -> None:
    """PostgreSQL: move each table's id sequence to its highest id (no-op elsewhere)."""
    if dialect(db) != "postgresql":
        return
    for model in models:
        if not isinstance(model._meta.primary_key, AutoField):
            continue
        table, column = model._meta.table_name, model._meta.primary_key.column_name
        sequence = fn.pg_get_serial_sequence(table, column)
        # setval(seq, NULL) on an empty table leaves the sequence where it is
        model.select(fn.setval(sequence, fn.MAX(model._meta.primary_key))).execute(db)


NUL_REFUSED = "contains a NUL character (\\x00), which PostgreSQL cannot store"


def analyze(db: Any) -> None:
    """Fresh planner statistics and visibility map on PostgreSQL after a bulk load (an
    import, ``migrate-to``): ``VACUUM ANALYZE``. Until autovacuum gets to it, the planner
    guesses the new tables' sizes, and Today's index-only walks visit the table for every
    row (no page is marked all-visible yet): at 100k records its capped counts cost twice as
    much. SQLite's plans need neither (Today's walks are chosen without statistics:
    tests/test_query_plans.py). Both only help: a refusal leaves them to autovacuum."""
    if dialect(db) != "postgresql" or db.in_transaction():
        return
    try:
        db.execute_sql("VACUUM ANALYZE")  # outside a transaction block (the driver autocommits)
    except DatabaseError:
        pass


def refuse_nul(data: dict[str, Any]) -> None:
    """On PostgreSQL, a ``ValidationError`` for the first text value holding NUL (\\x00):
    its text columns cannot store one (SQLite can)."""
    if dialect() != "postgresql":
        return
    for key, value in data.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(key, NUL_REFUSED)


def _target(url: str) -> Database:
    kind, _ = parse_database_spec(url)
    if kind != "url":
        raise MigrateToError(f"migrate-to: {mask_url(url)} is not a PostgreSQL URL; give "
                             "postgresql://user@host/db")
    return connect(url)


def _refuse_non_empty(target: Database, where: str) -> None:
    tables = set(target.get_tables())
    for model in m.ENTITY_MODELS:
        if model._meta.table_name in tables and model.select().exists(target):
            raise MigrateToError(f"migrate-to: {where} already holds relboard records (table "
                                 f"{model._meta.table_name}); relboard copies only into an "
                                 "empty database — create a new one (createdb) and try again")


def _copy(source: Database, target: Database) -> list[TableCount]:
    counts = []
    for model in m.ENTITY_MODELS:
        fields = model._meta.sorted_fields
        rows = list(model.select(*fields).tuples().execute(source))
        for row in rows:
            held = [f.name for f, v in zip(fields, row, strict=False)
                    if isinstance(v, str) and "\x00" in v]
            if held:
                raise MigrateToError(f"migrate-to: {model._meta.table_name} id {row[0]}: "
                                     f"{held[0]} {NUL_REFUSED}; edit it, then try again")
        for start in range(0, len(rows), CHUNK):
            model.insert_many(rows[start:start + CHUNK], fields=fields).execute(target)
        counts.append(TableCount(model._meta.table_name, len(rows),
                                 model.select().count(target)))
    move_sequences(target)
    wrong = [c for c in counts if c.source != c.target]
    if wrong:
        raise MigrateToError(f"migrate-to: table {wrong[0].table} has {wrong[0].target} rows "
                             f"in the copy, not {wrong[0].source}; nothing was copied")
    return counts


def migrate_to(source: Database, url: str) -> list[TableCount]:
    """Copy every record of ``source`` into the empty PostgreSQL database at ``url``.

    One transaction on the target (schema, rows with their ids, sequences); counts per table
    are compared before it commits. ``MigrateToError`` (or the database's own one-line error)
    when anything is wrong; the target is then unchanged.
    """
    where = mask_url(url)
    target = _target(url)
    try:
        target.connect(reuse_if_open=True)
        # the models speak to the target (schema, checks); the source is read explicitly
        with target.bind_ctx([*m.ENTITY_MODELS, m.SchemaMigration]), \
                source.atomic(), target.atomic():
            migrate(target, where)  # the schema (refuses another application's tables)
            _refuse_non_empty(target, where)
            counts = _copy(source, target)
        analyze(target)  # committed: the planner's statistics for the new rows
        return counts
    except ImproperlyConfigured:
        raise MigrateToError(f"migrate-to: {where} needs the PostgreSQL driver, which is not "
                             "installed; install it where relboard runs: "
                             "pip install 'relboard[postgres]'") from None
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        detail = " ".join(str(exc).split())
        raise MigrateToError(f"migrate-to: {where}: nothing was copied: {mask_url(detail)}") \
            from None
    finally:
        if not target.is_closed():
            target.close()


def report(counts: list[TableCount], url: str) -> str:
    """What ``relboard migrate-to`` prints: rows per table in both databases."""
    width = max(len(c.table) for c in counts)
    lines = [f"  {c.table:<{width}}  {c.source:>7} -> {c.target:<7}" for c in counts]
    total = sum(c.target for c in counts)
    return "\n".join([f"copied {total} rows into {mask_url(url)}; the counts per table match:",
                      *lines]) + "\n"
