"""Schema 15 on both databases, and the walks it is for: a schema-14 board's risk indexes of
the review date and the shared risks' last joint review are replaced by ones that hold the
columns Today's walks check (the same walks, no risk row read per key); every risk kept;
running the step again changes nothing; a new board has the same indexes."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from relboard import models as m
from relboard.migrations import m0011_joint_risks, m0015_risk_keys, migrate, schema_version, steps
from relboard.services import attention, records
from tests import factories as f
from tests.conftest import NOW
from tests.plans import plan_of, selects

D = dt.timedelta(days=1)
TODAY = NOW.date()

pytestmark = pytest.mark.both_databases


def _names(db) -> set[str]:
    return {i.name for i in db.get_indexes("risk")}


def test_schema_15_replaces_the_risk_walks_indexes(db, ctx):
    cid = f.customer(ctx, "Northwind")
    owner = f.contact(ctx, cid, "Ines Ortega")
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Data migration slips",
                                       "likelihood": 2, "impact": 5, "customer_owner": owner})
    with db.atomic():  # back to schema 14: its two indexes, not schema 15's
        for name in (m0015_risk_keys.DUE_INDEX, m0015_risk_keys.JOINT_INDEX):
            db.execute_sql(f'DROP INDEX "{name}"')
        db.execute_sql('CREATE INDEX "risk_status_review_on" ON "risk" ("status", "review_on")')
        m0011_joint_risks.apply_joint_index(db)
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 15).execute()
    assert set(m0015_risk_keys.OLD) <= _names(db)
    assert migrate(db) == [n for n, _, _ in steps() if n >= 15]
    names = _names(db)
    assert {m0015_risk_keys.DUE_INDEX, m0015_risk_keys.JOINT_INDEX} <= names
    assert not names & set(m0015_risk_keys.OLD)
    with db.atomic():
        m0015_risk_keys.apply(db)  # again: nothing to do, nothing breaks
    assert _names(db) == names
    risk = m.Risk.get_by_id(rid)
    assert (risk.title, risk.score, risk.customer_owner_id) == ("Data migration slips", 10,
                                                                owner)
    assert schema_version(db) == max(n for n, _, _ in steps())


@pytest.mark.parametrize("who", [None, "alex"])
def test_risks_to_review_read_their_index_alone(db, ctx, who):
    """Risks due for review: the walks and counts over ``risk(status, review_on, id,
    customer_id, owner)``: the counts check archived customers, snoozes and the owner in the
    index (on SQLite a covering index, no risk row read per key); on PostgreSQL no sequential
    scan of risk; the board's count is every due risk."""
    ids = [f.customer(ctx, f"C{n}", owner="alex" if n % 2 else "") for n in range(4)]
    stamp = {"created_at": NOW - 30 * D, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Risk.insert_many([{"customer": ids[n % 4], "title": f"R{n}", "status": "open",
                             "review_on": TODAY - (n % 20) * D, "owner": "", **stamp}
                            for n in range(40)]).execute()
    shown, sent = selects(db, lambda: attention.board(ctx, who, per_group=3, groups={"risk"}))
    assert shown.totals["risk"] == 40 and len(shown.items) == 3
    seen = [(sql, params) for sql, params in sent if '"review_on" <=' in sql]
    assert any('COUNT(*) AS "n"' in sql for sql, _ in seen)  # the board's counts
    for sql, params in seen:
        plan = plan_of(db, sql, params)
        if isinstance(db, peewee.PostgresqlDatabase):
            assert not any("Seq Scan on risk" in s for s in plan), (sql, plan)
            continue
        # everyone's walks on the due index; one PM's own and nobody's on its owner-keyed
        # twin (schema 19), others' for their customers on the due index again
        indexes = (m0015_risk_keys.DUE_INDEX,) if who is None else \
            (m0015_risk_keys.DUE_INDEX, "risk_status_owner_review_on_id_customer_id")
        assert any(i in s for s in plan for i in indexes), (sql, plan)
        if 'COUNT(*) AS "n"' in sql:  # the rows shown are read, each once
            assert any(f"COVERING INDEX {i}" in s for s in plan for i in indexes), (sql, plan)
