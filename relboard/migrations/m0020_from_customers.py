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
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "one PM's view of few customers read from those customers"

INDEXES = (("interaction", ("customer_id", "follow_up_done_at", "follow_up_on", "id")),
           ("issue", ("customer_id", "clock", "severity", "clock_at", "clock_frozen", "id",
                      "snoozed_until", "owner")),
           ("expectation", ("customer_id", "status", "current_due", "id", "owner")),
           ("risk", ("customer_id", "status", "review_on", "id")))


def apply(db: Database) -> None:
    """Add the indexes (each only if a half-run did not leave it)."""
    migrator = SchemaMigrator.from_database(db)
    for table, columns in INDEXES:  # by columns: a long name is cut short (and hashed)
        if list(columns) not in [list(i.columns) for i in db.get_indexes(table)]:
            run(migrator.add_index(table, columns, False))
