"""Schema 11 on both databases: a schema-10 board gets the risk's customer-side owner and
last joint review, every risk kept and not shared; the partial index is made; running the
step again changes nothing; a new board has the same index."""

from __future__ import annotations

import pytest
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from relboard import models as m
from relboard.migrations import m0011_joint_risks, m0015_risk_keys, migrate, schema_version, steps
from relboard.services import records
from tests import factories as f

pytestmark = pytest.mark.both_databases


def _index_names(db) -> set[str]:
    return {i.name for i in db.get_indexes("risk")}


def test_a_new_board_has_the_shared_risks_index(db):
    names = _index_names(db)
    assert m0015_risk_keys.JOINT_INDEX in names and m0015_risk_keys.DUE_INDEX in names
    assert not names & set(m0015_risk_keys.OLD)


@pytest.mark.postgresql_only  # SQLite cannot drop a foreign key column: its upgrade through
# schema 11 is checked from schema 1 in test_migrations.py
def test_schema_11_adds_the_columns_and_keeps_every_risk(db, ctx):
    cid = f.customer(ctx, "Northwind")
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Data migration slips",
                                       "likelihood": 2, "impact": 5})
    migrator = SchemaMigrator.from_database(db)
    with db.atomic():  # back to the schema before 11
        db.execute_sql(f'DROP INDEX IF EXISTS "{m0011_joint_risks.JOINT_INDEX}"')
        run(migrator.drop_column("risk", "customer_owner_id"),
            migrator.drop_column("risk", "reviewed_with_customer_on"))
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 11).execute()
    assert "customer_owner_id" not in {c.name for c in db.get_columns("risk")}
    assert migrate(db) == [n for n, _, _ in steps() if n >= 11]
    risk = m.Risk.get_by_id(rid)
    assert (risk.title, risk.score, risk.customer_owner_id, risk.reviewed_with_customer_on) \
        == ("Data migration slips", 10, None, None)
    assert m0015_risk_keys.JOINT_INDEX in _index_names(db)  # schema 15's, in its place
    with db.atomic():
        m0011_joint_risks.apply(db)  # again: nothing to do, nothing breaks
    assert m.Risk.select().count() == 1
    assert schema_version(db) == max(n for n, _, _ in steps())
