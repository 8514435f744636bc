"""Is an SQLite database sound: SQLite's integrity checks and foreign keys, as plain findings.

At every start relboard runs ``PRAGMA quick_check`` (it checks every page and index order
but not that indexes match their tables, so it stays fast on a big file) and
``PRAGMA foreign_key_check``, and refuses a database that fails either. ``relboard check``,
``backup`` and ``restore`` run the full ``PRAGMA integrity_check``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

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


class DatabaseUnsoundError(DatabaseDamagedError):
    """The database failed SQLite's integrity or foreign key check at start."""

    def __init__(self, where: str, findings: list[str]):
        self.where = where
        DatabaseFileError.__init__(
            self, f"the database {where} failed SQLite's checks ({'; '.join(findings)}); "
            "relboard changed nothing — restore the last good backup (relboard restore FILE) "
            "or point database: at another file; relboard check shows every finding")


def refuse_unsound(db: Any) -> None:
    """At start: refuse (``DatabaseUnsoundError``) a database failing the quick checks."""
    findings = integrity_problems(of_connection(db), full=False)
    if findings:
        raise DatabaseUnsoundError(str(getattr(db, "file_path", db.database)), findings)
