"""Schema 23: one PM's follow-ups, health drops and risks by their customer's stored owner.

In "my view", Today's follow-ups due, the day's health drops and the risks walked by their
shared-review dates checked each walked record's customer's owner (a seek per record), and
others' risks due for the PM's customers were found the same way: on the 1M-record
benchmark board the capped counts of alex's follow-ups, health drops and shared risks each
read some 300 records and took ~0.25 ms (0.01-0.03 ms at 1k, where the groups hold fewer
than the cap), together ~0.8 ms of a 4.6 ms board. With the customer's owner stored on the
record, each is a range of that PM's records (or an index read alone), as schema 22 made
others' issues.

* ``account_owner`` on ``interaction``, ``risk`` and ``health_snapshot``: the owner of the
  record's customer ("" for nobody), kept as ``contact.account_owner`` and
  ``issue.account_owner`` are (``services.account_owners``); filled here.
* ``interaction(follow_up_done_at, account_owner, follow_up_on, id, customer_id)``: one PM's
  and nobody's follow-ups due, each a range in the walk's order.
* ``health_snapshot(day, dropped_from, account_owner, score, customer_id)``: the same for
  the day's drops.
* ``risk(status, account_owner, review_on, id, customer_id, owner)``: others' risks due for
  one PM's customers, a range.
* The shared risks' partial indexes (``risk_joint_keys``, schema 15, and
  ``risk_joint_never``, schema 16) made again under their names with ``account_owner``
  last: a PM's walk of them checks the owners from the index alone.
"""

from __future__ import annotations

from peewee import Database

from relboard.migrations.index_steps import add_account_owner, add_missing

NAME = "my view's follow-ups, health drops and risks by the customer's owner, stored"

TABLES = ("interaction", "risk", "health_snapshot")
INDEXES = (
    ("interaction", ("follow_up_done_at", "account_owner", "follow_up_on", "id",
                     "customer_id")),
    ("health_snapshot", ("day", "dropped_from", "account_owner", "score", "customer_id")),
    ("risk", ("status", "account_owner", "review_on", "id", "customer_id", "owner")),
)
JOINT_INDEXES = (
    ("risk_joint_keys", ("status", "reviewed_with_customer_on", "id", "created_at",
                         "customer_id", "owner", "customer_owner_id", "account_owner"),
     '"customer_owner_id" IS NOT NULL'),
    ("risk_joint_never", ("status", "created_at", "id", "customer_id", "owner",
                          "customer_owner_id", "reviewed_with_customer_on", "account_owner"),
     '"customer_owner_id" IS NOT NULL AND "reviewed_with_customer_on" IS NULL'),
)
"""(name, columns, condition) of the shared risks' partial indexes as of this schema."""


def apply(db: Database) -> None:
    """Add and fill the columns, then the indexes (each only if a half-run did not leave
    it)."""
    for table in TABLES:
        add_account_owner(db, table)
    add_missing(db, INDEXES)
    apply_joint_indexes(db)


def apply_joint_indexes(db: Database) -> None:
    """The shared risks' partial indexes with ``account_owner`` (a partial index is no model
    index: new boards get them here); one of an earlier schema's columns is dropped first,
    so a half-run resumes and a second run changes nothing."""
    found = {i.name: list(i.columns) for i in db.get_indexes("risk")}
    for name, columns, where in JOINT_INDEXES:
        if name in found and found[name] != list(columns):
            db.execute_sql(f'DROP INDEX "{name}"')
        listed = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "risk" ({listed}) '
                       f'WHERE {where}')
