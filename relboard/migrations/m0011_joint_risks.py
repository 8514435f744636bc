"""Schema 11: risks worked out jointly with the customer.

Adds ``risk.customer_owner_id`` (the stakeholder who watches the risk on the customer's side)
and ``risk.reviewed_with_customer_on`` (when it was last gone through with the customer), and
the partial index behind Today's "Shared risks to review with the customer": the open risks
that have a customer-side owner, by that date. A partial index is no model index, so new
databases get it here too.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard.models import Risk

NAME = "risks shared with the customer: customer-side owner, last joint review"

JOINT_INDEX = "risk_joint_review"


def apply(db: Database) -> None:
    """Add the columns and the index (each only if a half-run did not leave it)."""
    with db.bind_ctx([Risk]):
        have = {c.name for c in db.get_columns("risk")}
        migrator = SchemaMigrator.from_database(db)
        ops = [migrator.add_column("risk", name, field)
               for name, field in (("customer_owner_id", Risk.customer_owner),
                                   ("reviewed_with_customer_on", Risk.reviewed_with_customer_on))
               if name not in have]
        if ops:
            run(*ops)
    apply_joint_index(db)


def apply_joint_index(db: Database) -> None:
    """The shared risks' index (``IF NOT EXISTS`` with a ``WHERE``: SQLite and PostgreSQL
    alike): only risks with a customer-side owner are in it, so Today's walk over it never
    passes the risks the team keeps to itself."""
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{JOINT_INDEX}" ON "risk" '
                   '("status", "reviewed_with_customer_on", "id") '
                   'WHERE "customer_owner_id" IS NOT NULL')
