"""Server-side prepared statements on PostgreSQL through psycopg2.

psycopg2 sends each statement as text with its values written in, so the server parses and
plans every one of them again: on Today's board at 100k records, planning was half of what
the server did (12 of 20 ms over 28 statements). A ``prepared`` query runs the same text many
times, so on a psycopg2 connection it is prepared once per connection (``PREPARE``, named
after its text) and run with ``EXECUTE``: the server keeps its plan. psycopg 3 prepares a
statement run often by itself, and SQLite keeps nothing between statements that this would
help: both run the text as before.

A text the server cannot prepare (a value whose type it cannot tell) is run as before from
then on. A connection that was opened again (a server restart) has none of them: the first
``EXECUTE`` that misses prepares again, outside a transaction, and runs once more; one that
misses again at once (a pooler handing each statement to another server session, as
PgBouncer's transaction pooling does) turns them off for the process.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import weakref
from decimal import Decimal
from typing import Any

from peewee import PostgresqlDatabase

_PLACEHOLDER = re.compile(r"%[s%]")
_LITERALS = (bool, int, float, str, bytes, _dt.date, _dt.time, Decimal, type(None))
"""The types of the values Peewee wrote into a text (the same at every run): they go into the
prepared text as literals, so the server plans with them (a partial index whose condition
names a status is used only when the status is in the text)."""

_READY: dict[tuple[int, int], set[str]] = {}
"""The names prepared on each connection (its id and server process)."""

_WRITTEN: dict[str, tuple[str, list[Any], tuple[int, ...]]] = {}
"""Each name's text as Peewee wrote it, its parameters and which of them a run passes."""

_OFF: weakref.WeakSet[Any] = weakref.WeakSet()
"""Databases whose statements do not stay prepared: run as text."""

_MISSING = "26000"  # invalid_sql_statement_name: no statement of that name on this connection
_EXISTS = "42P05"  # duplicate_prepared_statement


class _Statement:
    """A text as the server keeps it: its name, ``PREPARE`` and ``EXECUTE`` texts, and which
    of the text's parameters a run passes (the slots: the others are written in)."""

    __slots__ = ("name", "prepare", "run", "passed", "usable")

    def __init__(self, conn: Any, sql: str, params: list[Any]):
        passed: list[int] = []
        pieces = iter(range(len(params)))

        def place(match: re.Match[str]) -> str:
            if match.group() == "%%":
                return "%"
            n = next(pieces)
            if isinstance(params[n], _LITERALS):
                return conn.cursor().mogrify("%s", (params[n],)).decode()
            passed.append(n)
            return f"${len(passed)}"

        body = _PLACEHOLDER.sub(place, sql)
        self.name = "rb_" + hashlib.sha1(body.encode()).hexdigest()[:24]  # noqa: S324 - a name
        self.prepare = f"PREPARE {self.name} AS {body}"
        self.run = f"EXECUTE {self.name}" + (f" ({', '.join(['%s'] * len(passed))})"
                                             if passed else "")
        self.passed = tuple(passed)
        self.usable = True
        if len(_WRITTEN) >= 2048:
            _WRITTEN.clear()
        _WRITTEN[self.name] = (sql, params, self.passed)


def written(sql: str, params: Any) -> tuple[str, Any] | None:
    """What a statement sent to the server stands for: an ``EXECUTE`` of ours, the text as
    Peewee wrote it with every parameter (as ``execute`` was asked to run it); a ``PREPARE``
    or a setting of ours, None; any other statement as it is. How a reader of what was sent
    (the tests' plan checks) sees the queries, prepared or not."""
    if sql.startswith(("PREPARE rb_", "SET plan_cache_mode")):
        return None
    if not sql.startswith("EXECUTE rb_"):
        return sql, params
    name = sql.split()[1]
    text, written_params, passed = _WRITTEN[name]
    full = list(written_params)
    for value, n in zip(params or (), passed, strict=True):
        full[n] = value
    return text, full


def _pgcode(exc: BaseException) -> str | None:
    """The server's error code behind ``exc`` (Peewee wraps the driver's exception)."""
    for each in (exc, *exc.args[:1], exc.__cause__, exc.__context__):
        code = getattr(each, "pgcode", None)
        if code:
            return str(code)
    return None


def execute(db: Any, text: Any, params: list[Any]) -> Any:
    """``db.execute_sql`` of a prepared query's ``text`` (its ``sql``, the ``params`` Peewee
    wrote, and ``server``: kept here) with a run's ``params``; on a psycopg2 connection as
    a statement prepared on the server."""
    if not isinstance(db, PostgresqlDatabase) or db in _OFF:
        return db.execute_sql(text.sql, params)
    conn = db.connection()
    if not type(conn).__module__.startswith("psycopg2"):
        return db.execute_sql(text.sql, params)
    statement = text.server
    if statement is None:
        statement = text.server = _Statement(conn, text.sql, text.params)
    if not statement.usable:
        return db.execute_sql(text.sql, params)
    passed = [params[n] for n in statement.passed]
    for _ in range(2):
        if statement.name not in _ready(conn) and not _prepare(db, conn, statement):
            return db.execute_sql(text.sql, params)
        try:
            return db.execute_sql(statement.run, passed)
        except Exception as exc:
            if _pgcode(exc) != _MISSING or db.in_transaction():
                raise
        # missed: the connection was opened again since (a server restart), none prepared
        conn = db.connection()
        _READY.pop(_key(conn), None)
    # prepared and gone at once: a pooler that hands each statement to another server
    # session (PgBouncer's transaction pooling). Texts from now on, in this process.
    _OFF.add(db)
    return db.execute_sql(text.sql, params)


def _key(conn: Any) -> tuple[int, int]:
    return id(conn), conn.get_backend_pid()


def _ready(conn: Any) -> set[str]:
    """The names prepared on ``conn`` (none yet: the connection is set up for them)."""
    return _READY.get(_key(conn)) or set()


def _prepare(db: Any, conn: Any, statement: _Statement) -> bool:
    """Prepare ``statement`` on ``conn``, outside a transaction only (a refusal must not end
    one); False when it is not prepared now, and for good when the server cannot."""
    if db.in_transaction():
        return False  # prepared by the next run outside one
    key = _key(conn)
    try:
        if key not in _READY:
            # a plan made once for every run: the values that pick an index (a status, a
            # clock) are written in the text, a run passes only a moment, a user, a limit;
            # and no JIT: a kept plan of a large board estimates its walks whole, the cost
            # passes jit_above_cost, and each run compiled the union first (~400 ms for a
            # 3 ms statement), though the walks stop after a few rows
            db.execute_sql("SET plan_cache_mode = force_generic_plan; SET jit = off")
        db.execute_sql(statement.prepare)
    except Exception as exc:
        code = _pgcode(exc)
        if code is None:
            raise  # not the server answering (a lost connection...)
        if code != _EXISTS:
            if code.startswith("42"):  # the text itself: a parameter of no known type...
                statement.usable = False
            return False  # run as text: it says what is wrong, if anything is
    if key not in _READY and len(_READY) >= 64:  # connections long closed; a miss prepares
        _READY.clear()
    _READY.setdefault(key, set()).add(statement.name)
    return True
