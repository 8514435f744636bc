"""Is an SQLite database sound: SQLite's integrity checks and foreign keys, as plain findings.

At every start relboard runs ``PRAGMA quick_check`` (it checks every page and index order
but not that indexes match their tables) and ``PRAGMA foreign_key_check``, and refuses a
database that fails either. Both read the whole file (measured: 90 ms on a 51 MB file of
100,000 issues, most of the start-up's database work), so a file larger than
``FULL_START_CHECK_BYTES`` gets a bounded check at start instead (``bounded_problems``: the
schema, and the first and last row of every table, which reads each table's outermost pages:
a truncated or overwritten file fails it), and the full checks stay in ``relboard check``,
which says when the start-up check was the bounded one. ``relboard check``, ``backup`` and
``restore`` run the full ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from peewee import DatabaseError

from relboard.dbfile import DatabaseDamagedError, DatabaseFileError

Execute = Callable[[str], Sequence[Sequence[Any]]]
"""Runs one SQL statement and returns its rows (a peewee database or an sqlite3 connection)."""


def of_connection(conn: Any) -> Execute:
    """``Execute`` for an sqlite3 connection or a peewee database."""
    if hasattr(conn, "execute_sql"):
        return lambda sql: conn.execute_sql(sql).fetchall()
    return lambda sql: conn.execute(sql).fetchall()


def integrity_problems(execute: Execute, full: bool = True) -> list[str]:
    """What SQLite's integrity check and the foreign key check found; empty when sound.

    ``full`` runs ``integrity_check``, else ``quick_check``. Each finding is a short phrase
    (the first of SQLite's messages, and how many more there are).
    """
    problems = []
    rows = [row[0] for row in execute(f"PRAGMA {'integrity' if full else 'quick'}_check(20)")]
    if rows != ["ok"]:
        lines = [line.strip() for row in rows for line in str(row).splitlines()
                 if line.strip() and not line.startswith("***")] or ["failed"]
        more = " and more" if len(lines) > 1 else ""  # SQLite stops at 20 findings
        problems.append(f"integrity check: {lines[0]}{more}")
    broken = execute("PRAGMA foreign_key_check")
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        problems.append(f"{len(broken)} row{'s' if len(broken) > 1 else ''} point at records "
                        f"that do not exist (first: {table} row {rowid} -> {parent})")
    return problems


FULL_START_CHECK_BYTES = 16 * 1024 * 1024
"""Files up to this size (about 30,000 records) get ``quick_check`` and ``foreign_key_check``
at every start (~25 ms at this size); larger ones the bounded check."""


def bounded_problems(execute: Execute) -> list[str]:
    """A check whose cost does not grow with the file: the schema reads, and every table's
    first and last row read (a damaged page on those paths is reported as SQLite says it)."""
    try:
        tables = [(row[0], row[1] or "") for row in execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'")]
        for table, sql in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            if "WITHOUT ROWID" in sql.upper():  # the search index's own small tables
                execute(f"SELECT * FROM {quoted} LIMIT 1")
                continue
            for order in ("ASC", "DESC"):
                execute(f"SELECT * FROM {quoted} ORDER BY rowid {order} LIMIT 1")
    except (sqlite3.DatabaseError, DatabaseError) as exc:  # peewee wraps sqlite3's
        return [f"integrity check: {exc}"]
    return []


def start_problems(execute: Execute, size: int) -> list[str]:
    """The checks every start runs on a file of ``size`` bytes: the quick ones up to
    ``FULL_START_CHECK_BYTES``, else ``bounded_problems`` (``relboard check`` runs them all)."""
    if size <= FULL_START_CHECK_BYTES:
        return integrity_problems(execute, full=False)
    return bounded_problems(execute)


class DatabaseUnsoundError(DatabaseDamagedError):
    """The database failed SQLite's integrity or foreign key check at start."""

    def __init__(self, where: str, findings: list[str]):
        self.where = where
        DatabaseFileError.__init__(
            self, f"the database {where} failed SQLite's checks ({'; '.join(findings)}); "
            "relboard changed nothing — restore the last good backup (relboard restore FILE) "
            "or point database: at another file; relboard check shows every finding")


def refuse_unsound(db: Any) -> None:
    """At start: refuse (``DatabaseUnsoundError``) a database failing ``start_problems``."""
    path = getattr(db, "file_path", None)
    try:
        size = os.path.getsize(path) if path is not None else 0
    except OSError:
        size = 0
    findings = start_problems(of_connection(db), size)
    if findings:
        raise DatabaseUnsoundError(str(getattr(db, "file_path", db.database)), findings)
