"""Schema 5: each audit row says which version of the record it made.

Two PMs saving different fields of one record then merge without asking: the rows after the
version a PM read name exactly the fields others changed (``records.change``). Older rows have
no version; a save over them asks, as before.
"""

from __future__ import annotations

from peewee import Database, IntegerField
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "audit rows record the version they made"


def apply(db: Database) -> None:
    """Add ``activity.version`` (safe if a half-run left it)."""
    if "version" not in {c.name for c in db.get_columns("activity")}:
        run(SchemaMigrator.from_database(db).add_column(
            "activity", "version", IntegerField(null=True)))
