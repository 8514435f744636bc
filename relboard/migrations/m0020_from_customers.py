"""Schema 20: one PM's view of few customers read from those customers.

Today's walks of one PM's view went along each table's urgency index and checked every
record's customer: with many customers the first items come soon, but a PM with a few
customers (a new one, or one covering a few accounts on a large board) passed every other
PM's records on each refresh (a PM of 5 customers: 28 ms a board at 100k records, 0.4 s at
1M). Such a view now starts from its customers (``today.streams.from_customers``: the
others' issues, expectations and risks due for the PM's customers, and the follow-ups of the
PM's and nobody's customers), each customer's records sought on an index led by the
customer, in the walk's order after it:

* ``interaction(customer_id, follow_up_done_at, follow_up_on, id)``: a customer's open
  follow-ups by date;
* ``issue(customer_id, clock, severity, clock_at, clock_frozen, id, snoozed_until, owner)``:
  a customer's running and waiting clocks, from the index alone;
* ``expectation(customer_id, status, current_due, id, owner)``: a customer's expectations
  of a status by date, from the index alone;
* ``risk(customer_id, status, review_on, id)``: a customer's risks of a status by review
  date.

(The health drops are sought on ``health_snapshot(customer_id, day)``, there since schema 7.)

And the risks' walks of one PM's view by share (``today.streams.shares``), as the issues',
expectations' and risks due were in schema 19: the new red risks by score, the PM's own and
nobody's on ``risk(owner, score, id)``; the shared risks to go through with the customer
on two partial indexes keyed by owner (``OWNER_NEVER``, ``OWNER_STALE``: the shared risks'
partial indexes of schemas 15 and 16 with the owner after the status). A PM owning nothing
walked every red and every shared risk (~17 ms of a board at 1M records). A PM of few
customers seeks others' shared risks for them on ``risk(customer_id, status,
reviewed_with_customer_on, created_at, id)`` (never gone through: the review NULL, then by
recording; else by the last review).
"""

from __future__ import annotations

from peewee import Database

from relboard.migrations.index_steps import add_missing

NAME = "one PM's view of few customers read from those customers; its risks by share"

INDEXES = (("interaction", ("customer_id", "follow_up_done_at", "follow_up_on", "id")),
           ("issue", ("customer_id", "clock", "severity", "clock_at", "clock_frozen", "id",
                      "snoozed_until", "owner")),
           ("expectation", ("customer_id", "status", "current_due", "id", "owner")),
           ("risk", ("customer_id", "status", "review_on", "id")),
           ("risk", ("owner", "score", "id")),
           ("risk", ("customer_id", "status", "reviewed_with_customer_on", "created_at", "id")))
OWNER_NEVER = "risk_joint_never_owner"
OWNER_STALE = "risk_joint_owner"


def apply(db: Database) -> None:
    """Add the indexes (each only if a half-run did not leave it)."""
    add_missing(db, INDEXES)
    apply_owner_joint_indexes(db)


def apply_owner_joint_indexes(db: Database) -> None:
    """The shared risks' partial indexes keyed by owner (``IF NOT EXISTS`` with a ``WHERE``:
    SQLite and PostgreSQL alike; a partial index is no model index, so new boards get them
    here too)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{OWNER_NEVER}" ON "risk" '
                   '("status", "owner", "created_at", "id", "customer_id", "customer_owner_id", '
                   '"reviewed_with_customer_on") WHERE "customer_owner_id" IS NOT NULL '
                   'AND "reviewed_with_customer_on" IS NULL')
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{OWNER_STALE}" ON "risk" '
                   '("status", "owner", "reviewed_with_customer_on", "id", "created_at", '
                   '"customer_id", "customer_owner_id") WHERE "customer_owner_id" IS NOT NULL')
