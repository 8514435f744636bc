"""Schema 6 on PostgreSQL: a schema-5 database is upgraded in place, rows kept, risk scores
filled in, and running the step again changes nothing. (SQLite: tests/test_migrations.py.)"""

from __future__ import annotations

import pytest
from playhouse.migrate import SchemaMigrator, migrate as run

from relboard import models as m
from relboard.migrations import LATEST, m0006_insight, migrate, schema_version
from relboard.services import records
from tests import factories as f

pytestmark = pytest.mark.both_databases


def test_schema_5_is_upgraded_in_place(db, ctx, db_kind):
    if db_kind == "sqlite":
        pytest.skip("SQLite's upgrade is checked from schema 1 in test_migrations.py")
    cid = f.customer(ctx, "Northwind")
    k = f.contact(ctx, cid)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "R", "likelihood": 4,
                                       "impact": 5})
    migrator = SchemaMigrator.from_database(db)
    with db.atomic():  # back to schema 5
        db.drop_tables([m.DecisionContact, m.HealthSnapshot])
        run(migrator.drop_column("customer", "health_rating"),
            migrator.drop_column("customer", "health_rating_band"),
            migrator.drop_column("customer", "health_rating_note"),
            migrator.drop_column("expectation_change", "decision_id"),
            migrator.drop_column("risk", "score"))
        for table, columns in (("risk", ("score", "id")), ("decision", ("decided_on", "id"))):
            db.execute_sql(f'DROP INDEX IF EXISTS "{table}_{"_".join(columns)}"')
        m.SchemaMigration.delete().where(m.SchemaMigration.number == 6).execute()
    assert schema_version(db) == 5
    assert migrate(db) == [6]
    assert schema_version(db) == LATEST == 6
    assert m.Risk.get_by_id(rid).score == 20
    assert m.Contact.get_by_id(k).customer_id == cid
    assert m.Customer.get_by_id(cid).health_rating_note == ""
    assert {"risk_score_id", "risk_customer_id_score_id"} <= {
        i.name for i in db.get_indexes("risk")}
    with db.atomic():
        m0006_insight.apply(db)  # again: nothing to do, nothing breaks
    assert m.Risk.get_by_id(rid).score == 20


def test_the_step_is_idempotent_on_a_current_database(db, ctx):
    cid = f.customer(ctx)
    records.create(ctx, "risk", {"customer": cid, "title": "R", "likelihood": 2, "impact": 5})
    with db.atomic():
        m0006_insight.apply(db)
    assert m.Risk.get().score == 10
    assert m.DecisionContact.select().count() == 0
