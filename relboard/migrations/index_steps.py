"""What the schema steps that add plain indexes (and a stored account owner) share."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import SQL, CharField, Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run


def add_missing(db: Database, indexes: Iterable[tuple[str, tuple[str, ...]]]) -> None:
    """Add each (table, columns) index the board lacks: found by its columns (a long name is
    cut short and hashed), so a half-run step resumes where it stopped."""
    migrator = SchemaMigrator.from_database(db)
    for table, columns in indexes:
        if list(columns) not in [list(i.columns) for i in db.get_indexes(table)]:
            run(migrator.add_index(table, columns, False))


def add_account_owner(db: Database, table: str) -> None:
    """Add ``table.account_owner`` (unless a half-run step left it) and fill it with the
    owner of each row's customer ("" for nobody): schemas 17 (stakeholders) and 22 (issues).
    NOT NULL with a database default: SQLite adds it in place (Peewee would rebuild the
    table, and dropping the old one would cascade-delete what points at it)."""
    if "account_owner" not in {c.name for c in db.get_columns(table)}:
        run(SchemaMigrator.from_database(db).add_column(table, "account_owner", CharField(
            max_length=64, constraints=[SQL("DEFAULT ''")]), allow_not_null=True))
    db.execute_sql(f'UPDATE "{table}" SET "account_owner" = COALESCE((SELECT "owner" FROM '
                   f'"customer" WHERE "customer"."id" = "{table}"."customer_id"), \'\')')
