"""What SQLite plans for the SELECTs a piece of code sends (``EXPLAIN QUERY PLAN``): the tests
that hold list and register queries to an index walk, with no temporary sort."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

import peewee

from relboard import models as m
from relboard.services import clocks
from relboard.services.prepared_pg import written
from tests.conftest import NOW


def sent(db, call: Callable[[], Any]) -> tuple[Any, list[tuple[str, Any]]]:
    """What ``call()`` returns, and each statement it sent as sent (SQL and parameters; on
    PostgreSQL a prepared statement's ``EXECUTE``, whose plan is the one the server keeps)."""
    seen: list[tuple[str, Any]] = []
    real = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append((sql, params))
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        result = call()
    finally:
        db.execute_sql = real
    return result, seen


def selects(db, call: Callable[[], Any]) -> tuple[Any, list[tuple[str, Any]]]:
    """What ``call()`` returns, and each SELECT it sent (its SQL and parameters; a UNION too,
    which PostgreSQL's Peewee writes in parentheses; a statement prepared on PostgreSQL as
    the text it runs)."""
    result, statements = sent(db, call)
    meant = [written(sql, params) for sql, params in statements]
    return result, [m for m in meant  # "((SELECT": a UNION on PostgreSQL
                    if m and m[0].lstrip().lstrip("(").upper().startswith("SELECT")]


def plan_of(db, sql: str, params: Any) -> list[str]:
    """The plan of one statement: SQLite's ``EXPLAIN QUERY PLAN`` steps, or PostgreSQL's
    ``EXPLAIN`` lines with the planner told to avoid a sequential scan where an index can
    serve (a small test table would otherwise be read whole, as it should be)."""
    if isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase):
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            return [row[0] for row in db.execute_sql("EXPLAIN " + sql, params)]
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


def query_plans(db, *calls) -> list[tuple[str, list[str]]]:
    """Each SELECT the ``calls`` send, with its plan; fails when they send none."""
    seen = [sent for call in calls for sent in selects(db, call)[1]]
    assert seen
    return [(sql, plan_of(db, sql, params)) for sql, params in seen]


def temporary_sorts(db, *calls) -> list[tuple[str, list[str]]]:
    """The SELECTs the ``calls`` send whose plan sorts in a temporary B-tree (with the plan)."""
    return [(sql, plan) for sql, plan in query_plans(db, *calls)
            if any("TEMP B-TREE" in s for s in plan)]


_FILLED: dict[bool, sqlite3.Connection] = {}
"""A SQLite board filled once per test process (with and without statistics), copied into the
next test's database instead of filled again (``fill``): the same rows, pages and stats."""


def fill(db, analyze: bool = True) -> None:
    """Enough rows of every kind (and ANALYZE statistics) for the planner to choose for real.

    On SQLite the first fill of a process is kept (in memory) and later ones copy it with
    SQLite's backup API: the test's database becomes that board, page for page, in a
    fraction of the time (the rows, indexes and statistics are the same)."""
    sqlite = isinstance(db.obj if hasattr(db, "obj") else db, peewee.SqliteDatabase)
    if sqlite and analyze in _FILLED:
        _FILLED[analyze].backup(db.connection())
        return
    _fill(db, analyze)
    if sqlite:
        kept = sqlite3.connect(":memory:", check_same_thread=False)
        db.connection().backup(kept)
        _FILLED[analyze] = kept


def _fill(db, analyze: bool) -> None:
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Customer.insert_many([{"name": f"C{n:03}", **stamp,  # renewals over two years
                                 "renews_on": NOW.date() + dt.timedelta(days=n * 7 % 730 - 30)
                                 if n % 3 else None} for n in range(300)]).execute()
        m.Project.insert_many([
            {"customer": 1 + n % 300, "name": f"P{n}", "phase": m.PHASES[n % 6],
             "end_date": NOW.date() + dt.timedelta(days=n % 400 - 100), **stamp}
            for n in range(600)]).execute()
        m.HealthSnapshot.insert_many([
            {"customer": 1 + n % 300, "day": NOW.date() - dt.timedelta(days=n // 300),
             "score": 50, "band": m.HEALTH_BANDS[n % 3], "taken_at": NOW}
            for n in range(900)]).execute()
        m.Issue.insert_many([
            {"customer": 1 + n % 300, "title": f"I{n}", "severity": 1 + n % 4,
             "status": m.ISSUE_STATUSES[n % 6], "owner": f"u{n % 5}",
             "raised_at": NOW - dt.timedelta(hours=n), **stamp} for n in range(3000)
        ]).execute()
        m.Interaction.insert_many([
            {"customer": 1 + n % 300, "summary": "s", "internal": n % 7 == 0,
             "occurred_at": NOW - dt.timedelta(hours=n), **stamp} for n in range(3000)
        ]).execute()
        m.Expectation.insert_many([
            {"customer": 1 + n % 300, "statement": "e", "status": m.EXPECTATION_STATUSES[n % 7],
             "current_due": NOW.date() + dt.timedelta(days=n % 60), **stamp}
            for n in range(1000)
        ]).execute()
        m.PlaybookRun.insert_many([
            {"customer": 1 + n, "name": "onboarding", "started_on": NOW.date(), **stamp}
            for n in range(300)]).execute()
        m.PlaybookStep.insert_many([
            {"run": 1 + n % 300, "customer": 1 + n % 300, "position": 1 + n // 300,
             "do": "s", "due_on": NOW.date() + dt.timedelta(days=n % 40 - 10),
             "done_at": NOW if n % 3 == 0 else None, **stamp} for n in range(900)
        ]).execute()
        clocks.rebuild()  # the rows went in raw: their stored clocks as the services keep them
    if analyze:
        db.execute_sql("ANALYZE")
