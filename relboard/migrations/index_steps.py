"""What the schema steps that add plain indexes share."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run


def add_missing(db: Database, indexes: Iterable[tuple[str, tuple[str, ...]]]) -> None:
    """Add each (table, columns) index the board lacks: found by its columns (a long name is
    cut short and hashed), so a half-run step resumes where it stopped."""
    migrator = SchemaMigrator.from_database(db)
    for table, columns in indexes:
        if list(columns) not in [list(i.columns) for i in db.get_indexes(table)]:
            run(migrator.add_index(table, columns, False))
