"""Schema 21: Today's new issues sought on indexes of new issues alone.

"New issues not acknowledged" walks, per severity, the issues whose first-response clock runs
and is not near its target yet, oldest first, keeping the new ones. The clock index
(``issue(clock, severity, clock_at, id, ...)``) holds no status, so each issue of that range
was read from the table for it. SQLite walks the range in order and stops at the first page;
a plan PostgreSQL keeps for the statement read the whole range and sorted it instead (on
the 1M-record benchmark board, one PM's view: the two largest severities' ~3,400 fresh
issues each, 12 ms apiece, 49 ms a board), or ANDed in a bitmap of every new issue from
``issue(customer_id, status)`` (~1 ms a walk at 100k).

Two partial indexes hold only new issues, with every column the walks and their counts
read, so both databases walk them in order from the index alone and stop at the page:

* ``issue(clock, severity, clock_at, id, snoozed_until, customer_id, owner, status) WHERE
  status = 'new'`` (``NEW_INDEX``): everyone's walk, and one PM's walk of others' new issues
  for the PM's customers;
* ``issue(clock, severity, owner, clock_at, id, snoozed_until, customer_id, status) WHERE
  status = 'new'`` (``NEW_OWNER_INDEX``): one PM's own new issues and nobody's, a range per
  owner. Without it SQLite took the first index for these too and passed every other
  owner's new issue (on the 1M board a PM's view went from 5.8 to 8.1 ms a board).

The walks say ``status = 'new'`` with the word written in (``today.issues``): with a
bound value SQLite uses the indexes too, but prepares the statement again on every run to
check the value against their condition (Today at 100k records: 2.8 -> 5.1 ms a board).
"""

from __future__ import annotations

from peewee import Database

NAME = "new issues sought on indexes of new issues"

NEW_INDEX = "issue_new_clock"
NEW_OWNER_INDEX = "issue_new_owner_clock"


def apply(db: Database) -> None:
    """Add the indexes (``IF NOT EXISTS``: a half-run step resumes)."""
    apply_new_indexes(db)


def apply_new_indexes(db: Database) -> None:
    """The new issues' partial indexes (``IF NOT EXISTS`` with a ``WHERE``: SQLite and
    PostgreSQL alike; a partial index is no model index, so new boards get them here)."""
    for name, columns in ((NEW_INDEX, ("clock", "severity", "clock_at", "id", "snoozed_until",
                                       "customer_id", "owner", "status")),
                          (NEW_OWNER_INDEX, ("clock", "severity", "owner", "clock_at", "id",
                                             "snoozed_until", "customer_id", "status"))):
        listed = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "issue" ({listed}) '
                       'WHERE "status" = \'new\'')
