"""Schema 16 on both databases, and the walk it is for: the shared risks never gone through
with the customer are walked by when they were recorded, so a board whose shared risks were
all recorded lately (imported at once) does not pass every one of them to find none due;
a schema-15 board gets the index, every risk kept; running the step again changes nothing."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from relboard import models as m
from relboard.migrations import m0016_never_shared, migrate, schema_version, steps
from relboard.services import attention
from tests import factories as f
from tests.conftest import NOW
from tests.plans import plan_of, selects

D = dt.timedelta(days=1)

pytestmark = pytest.mark.both_databases


def _names(db) -> set[str]:
    return {i.name for i in db.get_indexes("risk")}


def _shared_risks(db, ctx, recent: int, old: int) -> None:
    """``recent`` shared risks never gone through, recorded an hour ago (as an import
    records them), and ``old`` recorded 40 days ago (past the 30-day cadence: due)."""
    cid = f.customer(ctx, "Northwind")
    owner = f.contact(ctx, cid, "Ines Ortega")
    rows = [{"customer": cid, "title": f"{'Old' if n < old else 'New'} {n}", "status": "open",
             "customer_owner": owner, "likelihood": 2, "impact": 3, "score": 6,
             "created_at": NOW - (40 * D if n < old else dt.timedelta(hours=1)),
             "created_by": "t", "updated_at": NOW, "updated_by": "t"}
            for n in range(old + recent)]
    with db.atomic():
        m.Risk.insert_many(rows).execute()


def test_schema_16_adds_the_never_gone_through_index(db, ctx):
    _shared_risks(db, ctx, recent=3, old=2)
    with db.atomic():  # back to schema 15: no such index
        db.execute_sql(f'DROP INDEX "{m0016_never_shared.NEVER_INDEX}"')
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 16).execute()
    assert m0016_never_shared.NEVER_INDEX not in _names(db)
    assert migrate(db) == [n for n, _, _ in steps() if n >= 16]
    names = _names(db)
    assert m0016_never_shared.NEVER_INDEX in names
    with db.atomic():
        m0016_never_shared.apply(db)  # again: nothing to do, nothing breaks
    assert _names(db) == names
    assert m.Risk.select().count() == 5
    assert schema_version(db) == max(n for n, _, _ in steps())
    board = attention.board(ctx, groups={"joint_risk"})
    assert sorted(it.title for it in board.items) == ["Old 0", "Old 1"]


def test_the_never_gone_through_walk_stops_at_the_cadence(db, ctx):
    """Three risks recorded 40 days ago among 400 recorded an hour ago: the walk and its
    count are a range of the new index up to the cadence (SQLite: a search with a bound on
    the recording time, in the index's order, the count from the index alone; PostgreSQL: no
    sequential scan of risk), and Today lists the three."""
    _shared_risks(db, ctx, recent=400, old=3)
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("ANALYZE")
    shown, sent = selects(db, lambda: attention.board(ctx, per_group=10,
                                                      groups={"joint_risk"}))
    assert sorted(it.title for it in shown.items) == ["Old 0", "Old 1", "Old 2"]
    assert shown.totals["joint_risk"] == 3
    seen = [(sql, params) for sql, params in sent if '"created_at" <=' in sql]
    assert seen
    for sql, params in seen:
        plan = plan_of(db, sql, params)
        if isinstance(db, peewee.PostgresqlDatabase):
            assert not any("Seq Scan on risk" in s for s in plan), (sql, plan)
            continue
        assert any(m0016_never_shared.NEVER_INDEX in s and "created_at<" in s
                   for s in plan), (sql, plan)
        assert not any("TEMP B-TREE" in s for s in plan), (sql, plan)  # in the index's order
        if sql.startswith("SELECT COUNT"):
            assert any(f"COVERING INDEX {m0016_never_shared.NEVER_INDEX}" in s
                       for s in plan), (sql, plan)
