"""``relboard check``: what the database holds and whether it is sound.

(The database check; in relboard's domain "health" is a customer relationship's score.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import Database, SqliteDatabase

from relboard import models as m
from relboard.dbfile import GuardedSqliteDatabase, writable_problem
from relboard.migrations import LATEST, schema_version


@dataclass
class CheckReport:
    """Findings of a database check; ``ok`` is False when any problem was found."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_database(db: Database) -> CheckReport:
    """Schema version, row counts, SQLite mode, integrity and writability of an opened database."""
    report = CheckReport()
    version = schema_version(db)
    report.lines.append(f"schema version {version} (this relboard: {LATEST})")
    if version != LATEST:
        report.problems.append(f"schema version {version} is not {LATEST}")
    counts = ", ".join(f"{model.select().count()} {model._meta.table_name}"
                       for model in m.ENTITY_MODELS if model is not m.InteractionContact)
    report.lines.append(f"records: {counts}")
    if isinstance(db, SqliteDatabase):
        mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        fks = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        report.lines.append(f"sqlite: journal {mode}, foreign keys {'on' if fks else 'off'}")
        if mode != "wal":
            report.problems.append(f"journal mode is {mode}, not wal")
        integrity = db.execute_sql("PRAGMA quick_check").fetchone()[0]
        if integrity != "ok":
            report.problems.append(f"integrity check: {integrity}")
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            report.problems.append(f"{len(broken)} rows point at missing records "
                                   f"(first in table {broken[0][0]})")
        if not report.problems:
            report.lines.append("integrity: ok")
    if isinstance(db, GuardedSqliteDatabase):
        if problem := writable_problem(db.file_path):
            report.problems.append(problem)
        else:
            report.lines.append("file: writable by you (and its folder)")
    return report
