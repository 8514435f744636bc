"""Several prepared queries of the same columns read in one statement (UNION ALL).

Each query stays a subquery with its own order and limit (SQLite reads each as it comes out of
its index, PostgreSQL likewise), and each row says which query it came from. Written once per
key by Peewee, bound at each run like ``prepared`` queries, checked the same way (``CHECK``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from itertools import accumulate
from typing import Any

from peewee import SQL, Select, SqliteDatabase, fn

from relboard import models as m
from relboard.services import prepared


class _Mark(SQL):
    """Literal SQL that notes, as Peewee writes it, how many parameters come before it: a
    marker at the head of each query of a union tells where that query's parameters start,
    so the union is written once, not once more query by query."""

    def __init__(self, sql: str, marks: list[int]) -> None:
        super().__init__(sql)
        self.marks = marks

    def __sql__(self, ctx: Any) -> Any:
        self.marks.append(len(ctx._values))
        return super().__sql__(ctx)


def _split(params: list[Any], marks: list[int], ends: list[int], queries: int
           ) -> list[list[Any]]:
    """``params`` cut into the parameters of each of the ``queries``: query ``k`` starts at
    ``marks[k]`` and ends at ``ends[k]``."""
    if not len(marks) == len(ends) == queries or marks != sorted(marks):
        raise AssertionError("a union's queries were not each written once, in order")
    return [params[start:end] for start, end in zip(marks, ends, strict=True)]


def _checked(parts: list[list[Any]], queries: list[Any]) -> None:
    """Under ``prepared.CHECK``, each query written alone has the parameters found for it."""
    if prepared.CHECK and parts != [prepared._write(q).params for q in queries]:
        raise AssertionError("a union's parameters are not its parts' in order")


def _write_union(builds: list[Callable[[], Any]]) -> prepared._Text:
    """The queries of ``builds`` (the same columns) as one statement: each one's rows, after
    a column ``arm`` with its index (a subquery each: its own order and limit)."""
    arms = [build() for build in builds]
    columns = [[(prepared._name(n, i), prepared._reader(n))
                for i, n in enumerate(arm._returning)]
               for arm in arms]  # each column's name and how it is read
    if any(each != columns[0] for each in columns):
        raise ValueError("a union's queries must read the same columns, read the same way")
    compound = None
    marks: list[int] = []  # written before its FROM: where each arm's parameters start
    for n, arm in enumerate(arms):
        part = Select([arm.alias(f"u{n}")], [_Mark(f"{n} AS arm", marks), SQL("*")])
        compound = part if compound is None else compound + part  # UNION ALL
    sql, params = m.database_proxy.obj.get_sql_context().sql(compound).query()
    ends = marks[1:] + [len(params)]
    _checked(_split(params, marks, ends, len(arms)), arms)
    first = [(prepared._name(n, i), n) for i, n in enumerate(arms[0]._returning)]
    return made(sql, params, [("arm", None), *first],
                ("union", list(zip(marks, ends, strict=True))))


def made(sql: str, params: list[Any], columns: list[tuple[str, Any]], layout: Any
         ) -> prepared._Text:
    """A union's or a count's text from its SQL, parameters, columns (name, node read) and
    layout: ``("union", [(start, end)...])``, each query's parameters, or ``("counts",
    [[(start, end)...]...])``, each group's walks' parameters (its cap after them)."""
    kind, spans = layout
    entries: prepared.Entries = []
    if kind == "union":  # values: one mapping per query
        entries = [((k,), params[start:end]) for k, (start, end) in enumerate(spans)]
    elif kind == "counts":  # values: per group, (one mapping per walk, the cap)
        for g, group in enumerate(spans):
            entries += [((g, 0, w), params[start:end]) for w, (start, end) in enumerate(group)]
            entries.append(((g, 1), None))
    else:
        raise ValueError(f"no such layout: {kind!r}")
    return prepared.made(sql, params, columns, layout, entries)


def variables_allowed() -> int:
    """How many parameters one statement may bind on the open database: SQLite's limit of the
    connection (999 in builds before 3.32, 32766 since), PostgreSQL's 65535."""
    db = m.database_proxy.obj
    if not isinstance(db, SqliteDatabase):
        return 65535
    try:
        return int(db.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):  # a driver without getlimit: the oldest default
        return 999


def union_rows(key: tuple, builds: list[Callable[[], Any]],
               values: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of several queries of the same columns, read in one statement (UNION ALL;
    written once per ``key``), each with ``arm``: the index of its query in ``builds``.
    One statement instead of many: a round trip each on PostgreSQL, and SQLite's and the
    driver's work per statement, for queries that often find nothing. A union with more
    parameters than the database takes (``variables_allowed``) is read in two halves."""
    text, params = _bound(("union", *key), lambda: _write_union(builds), values)
    if len(params) > variables_allowed() and len(builds) > 1:
        half = len(builds) // 2
        first = union_rows(("half", 0, *key), builds[:half], values[:half])
        return first + [{**r, "arm": r["arm"] + half} for r in union_rows(
            ("half", 1, *key), builds[half:], values[half:])]
    row = text.row
    return [row(r) for r in prepared.execute(m.database_proxy.obj, text, params).fetchall()]


def _bound(key: tuple, write: Callable[[], prepared._Text], values: Any
           ) -> tuple[prepared._Text, list[Any]]:
    """The text ``write()`` makes (once per ``key`` and database), with ``values`` bound;
    checked against a fresh one under ``prepared.CHECK``."""
    full = (type(m.database_proxy.obj).__name__, *key)
    text = prepared._CACHE.get(full)
    if text is None:
        if len(prepared._CACHE) >= 2048:
            prepared._CACHE.clear()
        kept = prepared.KEPT
        text = prepared._CACHE[full] = (kept and kept(full)) or write()
    params = text.bind(values)
    if prepared.CHECK:
        fresh = write()
        if (fresh.sql, fresh.bind(values)) != (text.sql, params):
            raise AssertionError(f"prepared {key!r}: its SQL or values differ from the first "
                                 f"run's:\n{fresh.sql}\n{text.sql}")
    return text, params


def _write_counts(groups: list[list[Callable[[], Any]]]) -> prepared._Text:
    """The count of each group of queries, up to slot ``cap`` each, as one statement: a
    group's queries in a UNION ALL under that LIMIT, counted, after a column ``arm``."""
    compound = None
    marks: list[int] = []  # each walk's column: where its parameters start
    walks = [[build().select(_Mark("1", marks)) for build in builds] for builds in groups]
    for n, group in enumerate(walks):
        together = group[0]
        for walk in group[1:]:
            together = together + walk  # UNION ALL: read in turn, as far as the LIMIT
        together = together.limit(prepared.slot("cap"))
        part = Select([together.alias("walk")],
                      [SQL(f"{n} AS arm"), fn.COUNT(SQL("*")).alias("n")])
        compound = part if compound is None else compound + part
    sql, params = m.database_proxy.obj.get_sql_context().sql(compound).query()
    firsts = list(accumulate([0] + [len(group) for group in walks]))  # each group's first walk
    lasts = {first - 1 for first in firsts[1:]}  # a group's last walk ends before its cap
    ends = [marks[k + 1] if k + 1 < len(marks) else len(params) for k in range(len(marks))]
    ends = [end - 1 if k in lasts else end for k, end in enumerate(ends)]
    if any(params[ends[k]] != prepared.Slot("cap") for k in lasts):
        raise AssertionError("a count's parameters are not its walks' and cap in order")
    parts = _split(params, marks, ends, sum(len(group) for group in walks))
    _checked(parts, [walk for group in walks for walk in group])
    spans = [[(marks[k], ends[k]) for k in range(first, end)]
             for first, end in zip(firsts, firsts[1:], strict=False)]
    return made(sql, params, [("arm", None), ("n", None)], ("counts", spans))


def union_counts(key: tuple, groups: list[list[Callable[[], Any]]],
                 values: list[tuple[list[Mapping[str, Any]], int]]) -> list[int]:
    """How many rows each group of queries holds together, up to its cap, in one statement
    (written once per ``key``): ``values`` has, per group, each query's values and the cap.
    A group's queries are read in turn and the reading stops at its cap: an index walk of
    as many rows as the cap, wherever they are, however large the ranges."""
    text, params = _bound(("counts", *key), lambda: _write_counts(groups), values)
    if len(params) > variables_allowed():  # more than the database takes: in halves
        if len(groups) > 1:
            half = len(groups) // 2
            return union_counts(("half", 0, *key), groups[:half], values[:half]) + \
                union_counts(("half", 1, *key), groups[half:], values[half:])
        if len(groups[0]) > 1:  # one group's walks: each half up to the cap, added up
            (walks,), ((found, cap),), half = groups, values, len(groups[0]) // 2
            return [union_counts(("half", 0, *key), [walks[:half]], [(found[:half], cap)])[0]
                    + union_counts(("half", 1, *key), [walks[half:]], [(found[half:], cap)])[0]]
    counts = [0] * len(groups)
    for row in prepared.execute(m.database_proxy.obj, text, params).fetchall():
        counts[row[0]] = row[1]
    return counts
