"""Schema 2: issues remember time spent waiting on the customer, so SLA clocks can pause.

Adds ``issue.waiting_since`` and ``issue.paused_seconds`` and the index behind the
"owner's queue" ordering. Existing issues start with no pause.
"""

from __future__ import annotations

from peewee import Database, DateTimeField, IntegerField
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

NAME = "issue SLA pause clock and owner queue index"


def apply(db: Database) -> None:
    """Add the two columns and the index (idempotent for a half-finished earlier try)."""
    migrator = SchemaMigrator.from_database(db)
    have = {c.name for c in db.get_columns("issue")}
    ops = []
    if "waiting_since" not in have:
        ops.append(migrator.add_column("issue", "waiting_since", DateTimeField(null=True)))
    if "paused_seconds" not in have:
        ops.append(migrator.add_column("issue", "paused_seconds", IntegerField(default=0)))
    if ops:
        run(*ops)
    indexes = {i.name for i in db.get_indexes("issue")}
    if "issue_owner_severity_raised_at_id" not in indexes:
        run(migrator.add_index("issue", ("owner", "severity", "raised_at", "id"), False))
