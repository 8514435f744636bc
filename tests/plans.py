"""What SQLite plans for the SELECTs a piece of code sends (``EXPLAIN QUERY PLAN``): the tests
that hold list and register queries to an index walk, with no temporary sort."""

from __future__ import annotations


def query_plans(db, *calls) -> list[tuple[str, list[str]]]:
    """Each SELECT the ``calls`` send, with its plan; fails when they send none."""
    seen: list[tuple[str, tuple]] = []
    real = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        for call in calls:
            call()
    finally:
        db.execute_sql = real
    assert seen
    return [(sql, [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)])
            for sql, params in seen]


def temporary_sorts(db, *calls) -> list[tuple[str, list[str]]]:
    """The SELECTs the ``calls`` send whose plan sorts in a temporary B-tree (with the plan)."""
    return [(sql, plan) for sql, plan in query_plans(db, *calls)
            if any("TEMP B-TREE" in s for s in plan)]
