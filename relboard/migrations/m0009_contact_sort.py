"""Schema 9: the customer list sorted by last contact (oldest first) pages through an index.

``customer(archived, last_contact_at, id)``: the list walks it in order, never-contacted
customers first, so sorting 10,000 customers by contact costs what one window does.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator, migrate as run

NAME = "customer list by last contact: index"

INDEX = ("customer", ("archived", "last_contact_at", "id"))


def apply(db: Database) -> None:
    """Create the index unless a half-run left it."""
    table, columns = INDEX
    name = f"{table}_{'_'.join(columns)}"
    if name not in {i.name for i in db.get_indexes(table)}:
        run(SchemaMigrator.from_database(db).add_index(table, columns, False))
