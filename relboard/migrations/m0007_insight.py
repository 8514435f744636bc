"""Schema 7: relationship insight — health history and the PM's rating, decisions linked to
their participants and to the renegotiations they caused, risks sortable by score.

Adds the ``health_snapshot`` table (one computed score per customer and day) and the
``decision_contact`` table (stakeholders who took part in a decision); the columns
``customer.health_rating``/``health_rating_band``/``health_rating_note`` (the PM's own
rating), ``expectation_change.decision_id`` (the decision behind a renegotiation) and
``risk.score`` (likelihood x impact, filled in for existing risks); and the indexes behind
the risk register and the portfolio's decision log.
"""

from __future__ import annotations

from peewee import SQL, CharField, Database, SmallIntegerField, TextField
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard.models import DecisionContact, ExpectationChange, HealthSnapshot, Risk

NAME = "health snapshots and rating, decision participants and renegotiation link, risk score"

_INDEXES = (
    ("risk", ("score", "id")),
    ("risk", ("customer_id", "score", "id")),
    ("decision", ("decided_on", "id")),
)


def apply(db: Database) -> None:
    """Create the tables, columns and indexes (each only if a half-run did not leave it)."""
    with db.bind_ctx([DecisionContact, HealthSnapshot, Risk]):
        db.create_tables([DecisionContact, HealthSnapshot], safe=True)
        migrator = SchemaMigrator.from_database(db)
        wanted = {
            "customer": [("health_rating", SmallIntegerField(null=True)),
                         ("health_rating_band", CharField(max_length=8, null=True)),
                         ("health_rating_note", TextField(constraints=[SQL("DEFAULT ''")]))],
            "expectation_change": [("decision_id", ExpectationChange.decision)],
            "risk": [("score", SmallIntegerField(constraints=[SQL("DEFAULT 9")]))],
        }
        for table, columns in wanted.items():
            have = {c.name for c in db.get_columns(table)}
            # NOT NULL columns come with a database default: SQLite adds them in place
            # (peewee would rebuild the table, and dropping the old customer table would
            # cascade-delete every stakeholder)
            ops = [migrator.add_column(table, name, field, allow_not_null=not field.null)
                   for name, field in columns if name not in have]
            if ops:
                run(*ops)
        Risk.update(score=Risk.likelihood * Risk.impact).execute()
        for table, columns in _INDEXES:
            name = f"{table}_{'_'.join(columns)}"
            if name not in {i.name for i in db.get_indexes(table)}:
                run(migrator.add_index(table, columns, False))
