"""Schema 21: Today's new issues sought on an index of new issues alone.

"New issues not acknowledged" walks, per severity, the issues whose first-response clock runs
and is not near its target yet, oldest first, keeping the new ones. The clock index
(``issue(clock, severity, clock_at, id, ...)``) holds no status, so each issue of that range
was read from the table for it. SQLite walks the range in order and stops at the first page;
a plan PostgreSQL keeps for the statement read the whole range and sorted it instead (on
the 1M-record benchmark board, one PM's view: the two largest severities' ~3,400 fresh
issues each, 12 ms apiece, 49 ms a board), or ANDed in a bitmap of every new issue from
``issue(customer_id, status)`` (~1 ms a walk at 100k).

``issue(clock, severity, clock_at, id, snoozed_until, customer_id, owner, status) WHERE
status = 'new'`` (``NEW_INDEX``) holds only new issues, with every column the walks and
their counts read: both databases walk it in order from the index alone and stop at the
page. A query finds it only when it says ``status = 'new'`` with the word written in
(``today.issues``): SQLite would otherwise prepare the statement again on every run to
check the bound value against the index's condition.
"""

from __future__ import annotations

from peewee import Database

NAME = "new issues sought on an index of new issues"

NEW_INDEX = "issue_new_clock"


def apply(db: Database) -> None:
    """Add the index (``IF NOT EXISTS``: a half-run step resumes)."""
    apply_new_index(db)


def apply_new_index(db: Database) -> None:
    """The new issues' partial index (``IF NOT EXISTS`` with a ``WHERE``: SQLite and
    PostgreSQL alike; a partial index is no model index, so new boards get it here)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{NEW_INDEX}" ON "issue" ("clock", '
                   '"severity", "clock_at", "id", "snoozed_until", "customer_id", "owner", '
                   '"status") WHERE "status" = \'new\'')
