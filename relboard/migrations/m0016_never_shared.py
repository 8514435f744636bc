"""Schema 16: the shared risks never gone through with the customer, by when recorded.

"Shared risks to review with the customer" lists a shared risk never gone through once it
was recorded longer than the joint review cadence ago. Its walk read the shared risks'
index (``risk_joint_keys``: status, last joint review, id) over every never-gone-through
risk of a status and checked each one's recording time: a board imported or built at once
has all of them recorded "now", so for the first 30 days the walk passed every one and found
none (0.4 ms of a 3.4 ms Today at 1M records). This partial index holds only those risks, by
recording time: the walk is a range that stops at the cadence.

``risk_joint_never``: ``risk(status, created_at, id, customer_id, owner, customer_owner_id,
reviewed_with_customer_on) WHERE customer_owner_id IS NOT NULL AND reviewed_with_customer_on
IS NULL`` (the columns of its own ``WHERE`` too: SQLite reads an index alone only if it holds
them).
"""

from __future__ import annotations

from peewee import Database

NAME = "shared risks never gone through with the customer walked by when they were recorded"

NEVER_INDEX = "risk_joint_never"


def apply(db: Database) -> None:
    """Create the index (``IF NOT EXISTS``: a half-run resumes, a second run changes
    nothing)."""
    apply_never_index(db)


def apply_never_index(db: Database) -> None:
    """The never-gone-through shared risks' index (a partial index is no model index, so new
    boards get it here too)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{NEVER_INDEX}" ON "risk" '
                   '("status", "created_at", "id", "customer_id", "owner", "customer_owner_id", '
                   '"reviewed_with_customer_on") WHERE "customer_owner_id" IS NOT NULL '
                   'AND "reviewed_with_customer_on" IS NULL')
