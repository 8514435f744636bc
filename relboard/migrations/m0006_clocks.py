"""Schema 6: the stored clocks behind Today's order (``relboard.services.clocks``).

Adds ``issue.clock``/``clock_at``/``clock_frozen`` and ``customer``/``contact.last_contact_at``,
computes them for the existing rows, and replaces three indexes by covering ones, so that Today
walks each group in urgency order and counts it from the index alone.
"""

from __future__ import annotations

from peewee import Database, DateTimeField, IntegerField, SmallIntegerField
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard import models as m

NAME = "stored SLA clocks and last contacts for Today"

_COLUMNS = (
    ("issue", "clock", SmallIntegerField(default=0)),
    ("issue", "clock_at", DateTimeField(null=True)),
    ("issue", "clock_frozen", IntegerField(null=True)),
    ("customer", "last_contact_at", DateTimeField(null=True)),
    ("contact", "last_contact_at", DateTimeField(null=True)),
)
_DROPPED = (("interaction", "interaction_follow_up_done_at_follow_up_on"),
            ("expectation", "expectation_status_current_due_id"))


def apply(db: Database) -> None:
    """Add the columns and indexes (safe if a half-run left some), then fill them."""
    from relboard.services import clocks

    migrator = SchemaMigrator.from_database(db)
    for table, column, field in _COLUMNS:
        if column not in {c.name for c in db.get_columns(table)}:
            run(migrator.add_column(table, column, field))
    for table, index in _DROPPED:
        if index in {i.name for i in db.get_indexes(table)}:
            run(migrator.drop_index(table, index))
    for model in (m.Issue, m.Customer, m.Contact, m.Interaction, m.Expectation):
        have = {c.name for c in db.get_columns(model._meta.table_name)}
        with db.bind_ctx([model]):  # the model's indexes on columns there now: a column a
            for index in model._meta.fields_to_index():  # later step adds, it indexes too
                if all(getattr(e, "column_name", None) in have for e in index._expressions):
                    db.execute(model._schema._create_index(index, safe=True))
    with db.bind_ctx(list(m.ENTITY_MODELS)):
        clocks.rebuild(owners=False)  # schema 17 fills the account owners
