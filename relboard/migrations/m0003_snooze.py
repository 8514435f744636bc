"""Schema 3: Today items can be snoozed; the customer list can be sorted by owner.

Adds the ``snooze`` table (customers, stakeholders and expectations put off until a date) and
the index behind the customer list's owner ordering.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard.models import Snooze

NAME = "snooze table for Today items; customers by owner index"


def apply(db: Database) -> None:
    """Create the table and the index (safe if a half-run left either)."""
    with db.bind_ctx([Snooze]):
        db.create_tables([Snooze], safe=True)
    if "customer_archived_owner_name_id" not in {i.name for i in db.get_indexes("customer")}:
        run(SchemaMigrator.from_database(db).add_index(
            "customer", ("archived", "owner", "name", "id"), False))
