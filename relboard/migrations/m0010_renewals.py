"""Schema 10: renewals — a customer's renewal date, and the indexes of Today's "Renewals
ahead".

* ``customer.renews_on`` (a date, NULL: none known).
* ``customer(archived, renews_on, id)``: live customers renewing within the window, by date.
* ``project(archived, end_date, id)``: live projects ending within the window, by date.
"""

from __future__ import annotations

from peewee import Database, DateField
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "renewals: customer renewal date, indexes by renewal and project end"

INDEXES = (("customer", ("archived", "renews_on", "id")),
           ("project", ("archived", "end_date", "id")))


def apply(db: Database) -> None:
    """Add the column and the indexes (each only if a half-run did not leave it)."""
    migrator = SchemaMigrator.from_database(db)
    if "renews_on" not in {c.name for c in db.get_columns("customer")}:
        run(migrator.add_column("customer", "renews_on", DateField(null=True)))
    for table, columns in INDEXES:
        name = f"{table}_{'_'.join(columns)}"
        if name not in {i.name for i in db.get_indexes(table)}:
            run(migrator.add_index(table, columns, False))
