"""Schemas 6 to 8 on PostgreSQL: a schema-5 database is upgraded in place, rows kept, stored
clocks and risk scores filled in, the search indexes made, and running a step again changes
nothing. (SQLite: tests/test_migrations.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard import models as m
from relboard.migrations import (
    LATEST,
    m0006_clocks,
    m0007_insight,
    m0008_search,
    migrate,
    schema_version,
    steps,
)
from relboard.services import records, search
from tests import factories as f
from tests.conftest import NOW

pytestmark = pytest.mark.both_databases


@pytest.mark.postgresql_only  # SQLite's upgrade is checked from schema 1 in test_migrations.py
def test_schema_5_is_upgraded_in_place(db, ctx):
    cid = f.customer(ctx, "Northwind")
    k = f.contact(ctx, cid)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "R", "likelihood": 4,
                                       "impact": 5, "owner": "bob", "review_on": NOW.date()})
    when = NOW - dt.timedelta(days=2)
    f.touchpoint(ctx, cid, [k], occurred_at=when)
    iid = f.issue(ctx, cid, raised_at=when)
    migrator = SchemaMigrator.from_database(db)
    with db.atomic():  # back to schema 5
        db.drop_tables([m.DecisionContact, m.HealthSnapshot])
        run(migrator.drop_column("customer", "health_rating"),
            migrator.drop_column("customer", "health_rating_band"),
            migrator.drop_column("customer", "health_rating_note"),
            migrator.drop_column("expectation_change", "decision_id"),
            migrator.drop_column("risk", "score"),
            migrator.drop_column("customer", "renews_on"),
            *(migrator.drop_column(t, c) for t, c in (
                ("issue", "clock"), ("issue", "clock_at"), ("issue", "clock_frozen"),
                ("customer", "last_contact_at"), ("contact", "last_contact_at"))))
        for table, columns in (("risk", ("score", "id")), ("decision", ("decided_on", "id")),
                               ("project", ("archived", "end_date", "id"))):
            db.execute_sql(f'DROP INDEX IF EXISTS "{table}_{"_".join(columns)}"')
        for kind in m0008_search.KINDS:
            db.execute_sql(f"DROP INDEX search_index_{kind.table}")
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 6).execute()
    assert schema_version(db) == 5
    assert migrate(db) == [n for n, _, _ in steps() if n >= 6]  # later steps: as new
    assert schema_version(db) == LATEST
    issue = m.Issue.get_by_id(iid)  # new, unanswered: the first-response clock from the raise
    assert (issue.clock, issue.clock_at, issue.clock_frozen) == (1, when, None)
    assert m.Customer.get_by_id(cid).last_contact_at == when
    assert m.Contact.get_by_id(k).last_contact_at == when
    assert m.Risk.get_by_id(rid).score == 20
    assert m.Contact.get_by_id(k).customer_id == cid
    assert m.Customer.get_by_id(cid).health_rating_note == ""
    assert {"risk_score_id", "risk_customer_id_score_id"} <= {
        i.name for i in db.get_indexes("risk")}
    with db.atomic():
        m0007_insight.apply(db)  # again: nothing to do, nothing breaks
        m0006_clocks.apply(db)
        m0008_search.apply(db)
    assert m.Risk.get_by_id(rid).score == 20
    assert "search_index_issue" in {i.name for i in db.get_indexes("issue")}
    assert [(h.kind, h.record_id) for h in search.search(ctx, "northwind")] == \
        [("customer", cid)]
    assert m.Issue.get_by_id(iid).clock_at == when


def test_the_step_is_idempotent_on_a_current_database(db, ctx):
    cid = f.customer(ctx)
    records.create(ctx, "risk", {"customer": cid, "title": "R", "likelihood": 2, "impact": 5})
    with db.atomic():
        m0007_insight.apply(db)
    assert m.Risk.get().score == 10
    assert m.DecisionContact.select().count() == 0
