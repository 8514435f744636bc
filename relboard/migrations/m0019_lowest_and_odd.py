"""Schema 19: the Portfolio's lowest-scored customers and its odd unanswered issues as seeks.

The overview's "lowest health" list sorted every active customer's snapshot of the day by
score to find the twelfth (100,000 customers at 1M records: ~60 ms), and its SLA grid read
the row of every unanswered issue to find the few an import can make whose first-response
clock does not decide their state (~117 ms at 1M). Now:

* ``health_snapshot(day, score, customer_id)``: a day's snapshots in score order, walked from
  the lowest.
* ``issue(clock, customer_id, id) WHERE waiting_since IS NOT NULL OR COALESCE(paused_seconds,
  0) < 0`` (``models.ODD_UNANSWERED``): only those issues; on a board, none or a handful.
* ``contact(archived, engagement_current, engagement_desired, customer_id)``: the engagement
  gaps counted by pair from the index alone, in its order (they read every stakeholder's row
  and sorted the pairs: ~112 ms at 1M).
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard.models import ODD_UNANSWERED

NAME = "the Portfolio's lowest health, odd unanswered issues and engagement gaps by index"

INDEXES = (("health_snapshot", ("day", "score", "customer_id")),
           ("contact", ("archived", "engagement_current", "engagement_desired", "customer_id")))


def apply(db: Database) -> None:
    """Add the indexes (each only if a half-run did not leave it)."""
    migrator = SchemaMigrator.from_database(db)
    for table, columns in INDEXES:  # by columns: a long name is cut short (and hashed)
        if list(columns) not in [list(i.columns) for i in db.get_indexes(table)]:
            run(migrator.add_index(table, columns, False))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "issue_odd_unanswered" ON "issue" '
                   f'("clock", "customer_id", "id") WHERE {ODD_UNANSWERED}')
