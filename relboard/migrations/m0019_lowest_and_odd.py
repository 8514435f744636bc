"""Schema 19: the Portfolio's lowest-scored customers and its odd unanswered issues as seeks.

The overview's "lowest health" list sorted every active customer's snapshot of the day by
score to find the twelfth (100,000 customers at 1M records: ~60 ms), and its SLA grid read
the row of every unanswered issue to find the few an import can make whose first-response
clock does not decide their state (~117 ms at 1M). Now:

* ``health_snapshot(day, score, customer_id)``: a day's snapshots in score order, walked from
  the lowest.
* ``issue(clock, customer_id, id) WHERE waiting_since IS NOT NULL OR COALESCE(paused_seconds,
  0) < 0`` (``ODD_INDEX``): only the issues an import may make whose first-response clock
  alone does not decide their SLA state (waiting though unanswered, or paused less than
  nothing), which the grid works out row by row; on a board, none or a handful. A query
  finds them through it only when it says this very condition with its numbers written in
  (``sla_grid.odd_unanswered``).
* ``contact(archived, engagement_current, engagement_desired, customer_id)``: the engagement
  gaps counted by pair from the index alone, in its order (they read every stakeholder's row
  and sorted the pairs: ~112 ms at 1M).
* ``issue(clock, severity, owner, clock_at, id, snoozed_until, customer_id)``,
  ``issue(clock, severity, owner, clock_frozen, id)``, ``expectation(status, owner,
  current_due, id, customer_id)`` and ``risk(status, owner, review_on, id, customer_id)``:
  Today's walks of issues, expectations and risks due in one PM's view, one range per share
  (the PM's own, nobody's: ``today.streams.shares``) instead of every record checked for its owner
  (a PM owning nothing: ~0.4 s a board at 1M, most of it the issues).
"""

from __future__ import annotations

from peewee import Database

from relboard.migrations.index_steps import add_missing

NAME = "the Portfolio's lowest health, odd issues and gaps, one PM's issue walks by index"

ODD_INDEX = "issue_odd_unanswered"
INDEXES = (("health_snapshot", ("day", "score", "customer_id")),
           ("contact", ("archived", "engagement_current", "engagement_desired", "customer_id")),
           ("issue", ("clock", "severity", "owner", "clock_at", "id", "snoozed_until",
                      "customer_id")),
           ("issue", ("clock", "severity", "owner", "clock_frozen", "id")),
           ("expectation", ("status", "owner", "current_due", "id", "customer_id")),
           ("risk", ("status", "owner", "review_on", "id", "customer_id")))


def apply(db: Database) -> None:
    """Add the indexes (each only if a half-run did not leave it)."""
    add_missing(db, INDEXES)
    apply_odd_index(db)


def apply_odd_index(db: Database) -> None:
    """The odd unanswered issues' partial index (``IF NOT EXISTS`` with a ``WHERE``: SQLite and
    PostgreSQL alike; a partial index is no model index, so new boards get it here)."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{ODD_INDEX}" ON "issue" ("clock", '
                   '"customer_id", "id") WHERE waiting_since IS NOT NULL OR '
                   'COALESCE(paused_seconds, 0) < 0')
