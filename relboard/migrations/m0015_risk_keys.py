"""Schema 15: Today's risk walks read their index alone.

"Risks to review" walks open risks by review date and "Shared risks to review with the
customer" the shared ones by their last joint review; each row they pass is checked against
archived customers, snoozes and, in a PM's view, its owner. With indexes of the date alone
every row passed was a read of the risk's row (about a third of a millisecond for the 1,000
rows a count walks at most): these indexes hold those columns too.

* ``risk(status, review_on, id, customer_id, owner)`` instead of ``risk(status, review_on)``
  (a model index: new boards get it from ``models``);
* the shared risks' partial index (``m0011_joint_risks``) again with ``created_at`` (when a
  risk never gone through was recorded), ``customer_id``, ``owner`` and ``customer_owner_id``
  (SQLite reads the index alone only if it holds the column of its own ``WHERE``):
  ``risk_joint_keys`` instead of ``risk_joint_review``.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "risk walks read their index alone: review dates and shared risks with their keys"

DUE_COLUMNS = ("status", "review_on", "id", "customer_id", "owner")
DUE_INDEX = "risk_" + "_".join(DUE_COLUMNS)
JOINT_INDEX = "risk_joint_keys"
OLD = ("risk_status_review_on", "risk_joint_review")


def apply(db: Database) -> None:
    """Create the new indexes, then drop the ones they replace (each only if needed: a
    half-run resumes)."""
    if DUE_INDEX not in {i.name for i in db.get_indexes("risk")}:
        run(SchemaMigrator.from_database(db).add_index("risk", DUE_COLUMNS, False))
    apply_joint_index(db)
    for name in OLD:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def apply_joint_index(db: Database) -> None:
    """The shared risks' index with their keys (``IF NOT EXISTS`` with a ``WHERE``: SQLite
    and PostgreSQL alike; a partial index is no model index, so new boards get it here)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{JOINT_INDEX}" ON "risk" '
                   '("status", "reviewed_with_customer_on", "id", "created_at", "customer_id", '
                   '"owner", "customer_owner_id") WHERE "customer_owner_id" IS NOT NULL')
