"""Schema 22: one PM's walk of others' issues for their customers reads only those issues.

In "my view", Today walks the issues others own for the PM's customers in the walk's order
(per clock and severity, by deadline) and checked each one's customer's owner, a seek per
issue: on the 1M-record benchmark board, the capped count of others' new issues for alex's
customers read ~770 issues (13,039 of 100,347 new ones) to find its 100, 1.44 ms of a
5.4 ms board (0.09 ms at 1k). With the customer's owner stored on the issue, the walk is a
range of those issues alone, in the same order.

* ``issue.account_owner``: the owner of the issue's customer ("" for nobody), kept by the
  saves as ``contact.account_owner`` is (``services.account_owners``); filled here.
* ``issue(clock, severity, account_owner, clock_at, id, snoozed_until, customer_id, owner)``:
  the running clocks' walk of others' issues for a PM's customers, a range per PM.
* ``issue(clock, severity, account_owner, clock_at, id, snoozed_until, customer_id, owner,
  status) WHERE status = 'new'`` (``NEW_ACCOUNT_INDEX``): the same for new issues (a partial
  index is no model index: new boards get it from ``apply_new_index``).
"""

from __future__ import annotations

from peewee import Database

from relboard.migrations.index_steps import add_account_owner, add_missing

NAME = "my view's walks of others' issues by the customer's owner: the issue's account owner"

COLUMNS = ("clock", "severity", "account_owner", "clock_at", "id", "snoozed_until",
           "customer_id", "owner")
NEW_ACCOUNT_INDEX = "issue_new_account_clock"


def apply(db: Database) -> None:
    """Add and fill the column, then the indexes (each only if a half-run did not leave it)."""
    add_account_owner(db, "issue")
    add_missing(db, [("issue", COLUMNS)])
    apply_new_index(db)


def apply_new_index(db: Database) -> None:
    """The new issues' partial index by account owner (``IF NOT EXISTS``)."""
    listed = ", ".join(f'"{c}"' for c in (*COLUMNS, "status"))
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{NEW_ACCOUNT_INDEX}" ON "issue" ({listed}) '
                   'WHERE "status" = \'new\'')
