"""Statements prepared on the PostgreSQL server (psycopg2): what is sent, that the answers are
the text's, that a connection which lost them (a server restart) or a transaction still gets
its rows, and that the plans kept for every run walk the indexes Today's walks were made for."""

from __future__ import annotations

import pytest
from peewee import Select

from relboard import models as m
from relboard.services import attention, prepared_pg
from relboard.services.prepared import rows, scalar, slot
from relboard.services.today.items import FIRST_PAGE
from tests import factories as f
from tests.plans import fill

ON_SERVER = pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)


def _sent(db) -> tuple[list[str], object]:
    """The statements ``db`` sends (their text), and a way to stop listening."""
    sent: list[str] = []
    real = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        sent.append(sql)
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    return sent, lambda: setattr(db, "execute_sql", real)


def _customers_named():
    c = m.Customer
    return c.select(c.id, c.name).where((c.archived == False)  # noqa: E712
                                        & (c.name == slot("name"))).order_by(c.id)


@pytest.mark.both_databases
def test_a_query_is_prepared_once_a_connection_then_only_executed(db, ctx, db_kind):
    first = f.customer(ctx, name="Acme")
    f.customer(ctx, name="Globex")
    sent, stop = _sent(db)
    try:
        got = [rows(("test", "named"), _customers_named, {"name": name})
               for name in ("Acme", "Globex", "Acme", "Nobody")]
    finally:
        stop()
    assert [[r["name"] for r in found] for found in got] == [["Acme"], ["Globex"], ["Acme"], []]
    assert got[0][0]["id"] == first
    if db_kind == "sqlite":  # nothing kept between statements: the text each time
        assert all(s.startswith("SELECT") for s in sent) and len(sent) == 4
        return
    prepares = [s for s in sent if s.startswith("PREPARE")]
    assert len(prepares) == 1 and len([s for s in sent if s.startswith("EXECUTE")]) == 4
    # the constant (archived = false) is in the prepared text, the name a parameter
    assert "= false" in prepares[0].lower() and "$1" in prepares[0] and "%s" not in prepares[0]
    assert prepared_pg.written(sent[-1], ["Nobody"])[1] == [False, "Nobody"]


@ON_SERVER
def test_a_connection_that_lost_its_statements_prepares_them_again(db, ctx):
    f.customer(ctx, name="Acme")
    assert rows(("test", "named"), _customers_named, {"name": "Acme"})[0]["name"] == "Acme"
    db.execute_sql("DEALLOCATE ALL")  # what a new connection after a server restart has
    sent, stop = _sent(db)
    try:
        again = rows(("test", "named"), _customers_named, {"name": "Acme"})
    finally:
        stop()
    assert [r["name"] for r in again] == ["Acme"]
    assert [s.split()[0] for s in sent if not s.startswith("SET")] \
        == ["EXECUTE", "PREPARE", "EXECUTE"]


@ON_SERVER
def test_statements_that_do_not_stay_prepared_are_run_as_text(db, ctx):
    """Behind a pooler that hands each statement to another server session (PgBouncer's
    transaction pooling) a statement is gone as soon as it is prepared: the query still
    gets its rows, and the board sends texts from then on."""
    f.customer(ctx, name="Acme")
    sent: list[str] = []
    real = db.execute_sql

    def pooled(sql, params=None, *args, **kwargs):
        sent.append(sql)
        if sql.startswith("EXECUTE"):
            real("DEALLOCATE ALL")  # another session: none of them there
        return real(sql, params, *args, **kwargs)

    db.execute_sql = pooled
    try:
        first = rows(("test", "named"), _customers_named, {"name": "Acme"})
        del sent[:]
        again = rows(("test", "named"), _customers_named, {"name": "Acme"})
    finally:
        db.execute_sql = real
    assert [r["name"] for r in first] == [r["name"] for r in again] == ["Acme"]
    assert [s.split()[0] for s in sent] == ["SELECT"]


@ON_SERVER
def test_in_a_transaction_a_query_not_prepared_yet_runs_as_text(db, ctx):
    f.customer(ctx, name="Acme")
    sent, stop = _sent(db)
    try:
        with db.atomic():
            inside = rows(("test", "named"), _customers_named, {"name": "Acme"})
        outside = rows(("test", "named"), _customers_named, {"name": "Acme"})
    finally:
        stop()
    assert inside == outside and [r["name"] for r in inside] == ["Acme"]
    assert [s.split()[0] for s in sent if not s.startswith(("BEGIN", "COMMIT", "SAVEPOINT",
                                                             "RELEASE", "SET"))] \
        == ["SELECT", "PREPARE", "EXECUTE"]


@ON_SERVER
def test_a_text_the_server_cannot_prepare_runs_as_text(db, ctx):
    def untyped():  # a parameter whose type nothing in the text tells
        return Select(columns=[slot("x").is_null().alias("x")]).bind(m.database_proxy)

    sent, stop = _sent(db)
    try:
        got = [scalar(("test", "untyped"), untyped, {"x": value}) for value in ("a", None)]
    finally:
        stop()
    assert got == [False, True]
    assert [s.split()[0] for s in sent if not s.startswith("SET")] \
        == ["PREPARE", "SELECT", "SELECT"]


@ON_SERVER
def test_todays_kept_plans_walk_indexes_not_tables(db, ctx):
    """The plan a prepared walk keeps is made once for every run, the values a run passes
    (a moment, a user, a limit) unknown to it: each of Today's must still walk an index."""
    fill(db)
    db.execute_sql("SET enable_seqscan = off")  # the plans made from here: an index if any
    monkey = pytest.MonkeyPatch()
    monkey.setattr(prepared_pg, "_READY", {})  # prepared again on this connection
    try:
        db.execute_sql("DEALLOCATE ALL")
        sent, stop = _sent(db)
        try:
            attention.board(ctx, None, FIRST_PAGE)
            attention.board(ctx, "alice", FIRST_PAGE)
        finally:
            stop()
    finally:
        monkey.undo()
    executed = [s for s in sent if s.startswith("EXECUTE")]
    assert len(executed) >= 10
    big = ("issue", "customer", "interaction", "expectation", "risk", "contact", "project")
    for run in executed:
        name = run.split()[1]
        plan = [r[0] for r in db.execute_sql(
            f"EXPLAIN EXECUTE {name}" + (f" ({', '.join(['NULL'] * run.count('%s'))})"
                                         if "%s" in run else ""))]
        assert not any(f"Seq Scan on {table} " in line for line in plan for table in big), \
            (prepared_pg.written(run, [None] * run.count("%s"))[0], plan)


@ON_SERVER
def test_a_kept_plan_runs_without_compiling_it_first(db, ctx):
    """No JIT on a connection whose statements are prepared: a kept plan of a large board
    estimates its walks whole (they stop after a few rows), its cost passed
    ``jit_above_cost`` and every run of Today's union compiled it first (~400 ms for a 3 ms
    statement on the 100k board). Here every plan is made costly enough."""
    f.customer(ctx, name="Acme")
    assert rows(("test", "named"), _customers_named, {"name": "Acme"})[0]["name"] == "Acme"
    db.execute_sql("SET jit_above_cost = 0")  # what a large board's estimates reach
    sent: list[tuple[str, object]] = []
    real = db.execute_sql
    db.execute_sql = lambda sql, params=None, *a, **k: sent.append((sql, params)) or real(
        sql, params, *a, **k)
    try:
        attention.board(ctx, None, FIRST_PAGE)
    finally:
        db.execute_sql = real
    assert db.execute_sql("SHOW jit").fetchone()[0] == "off"
    runs = [(sql, params) for sql, params in sent if sql.startswith("EXECUTE")]
    assert runs
    for sql, params in runs:
        plan = [line for (line,) in db.execute_sql("EXPLAIN ANALYZE " + sql, params)]
        assert not any(line.lstrip().startswith("JIT:") for line in plan), plan
