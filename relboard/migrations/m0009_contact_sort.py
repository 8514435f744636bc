"""Schema 9: two list orders that walk an index instead of sorting.

* ``customer(archived, last_contact_at, id)`` and ``customer(archived, tier, name, id)``: the
  customer list by last contact (never contacted first, then the longest ago) and by tier,
  so sorting 10,000 customers costs one window.
* ``issue(clock, severity, clock_frozen DESC, id)``: the issue queue by SLA time left
  (``services.sla_order``) reads issues waiting on the customer, whose time left is frozen,
  most run first. A descending column is not a model index, so new databases get it here too.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "list orders: customers by last contact, issues by SLA time left"

INDEXES = (("customer", ("archived", "last_contact_at", "id")),
           ("customer", ("archived", "tier", "name", "id")))
FROZEN = "issue_clock_severity_frozen_id"


def apply(db: Database) -> None:
    """Create the indexes unless a half-run left them."""
    for table, columns in INDEXES:
        name = f"{table}_{'_'.join(columns)}"
        if name not in {i.name for i in db.get_indexes(table)}:
            run(SchemaMigrator.from_database(db).add_index(table, columns, False))
    apply_frozen_index(db)


def apply_frozen_index(db: Database) -> None:
    """The waiting issues' index (``IF NOT EXISTS``: SQLite and PostgreSQL alike)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{FROZEN}" ON "issue" '
                   '("clock", "severity", "clock_frozen" DESC, "id")')
