"""``relboard check``: what the database holds and whether it is sound.

(The database check; in relboard's domain "health" is a customer relationship's score.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from relboard import models as m
from relboard.db import dialect
from relboard.dbaccess import writable_problems
from relboard.dbfile import GuardedSqliteDatabase
from relboard.integrity import FULL_START_CHECK_BYTES, integrity_problems, of_connection
from relboard.migrations import LATEST, schema_version
from relboard.sharing import is_shared, sharing_problems


@dataclass
class CheckReport:
    """Findings of a database check; ``ok`` is False when any problem was found."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_database(db: Database, sla: Any = None) -> CheckReport:
    """Schema version, row counts, SQLite mode, integrity (full ``integrity_check`` and
    ``foreign_key_check``), writability and, for a shared file, its permissions."""
    report = CheckReport()
    version = schema_version(db)
    report.lines.append(f"schema version {version} (this relboard: {LATEST})")
    if version != LATEST:
        report.problems.append(f"schema version {version} is not {LATEST}")
    counts = ", ".join(f"{model.select().count()} {model._meta.table_name}"
                       for model in m.ENTITY_MODELS if model not in m.LINK_MODELS)
    report.lines.append(f"records: {counts}")
    if version == LATEST:
        from relboard.services import clocks

        issues, last, owners = clocks.stale(sla)
        if issues or last or owners:
            report.problems.append(
                f"{issues} issues' stored SLA clocks, {last} stored last contacts and {owners} "
                "records' stored account owners are out of date (Today would "
                "misorder or miss them): run relboard check --repair")
        else:
            report.lines.append("stored clocks: up to date (SLA clocks, last contacts, "
                                "account owners)")
        if dialect(db) == "sqlite":
            from relboard.services.search import index_problems

            found = index_problems()
            report.problems += found
            if not found:
                report.lines.append("search index: in step with the records (the word "
                                    "filter's trigrams too)")
    if dialect(db) == "sqlite":
        mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        fks = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        report.lines.append(f"sqlite: journal {mode}, foreign keys {'on' if fks else 'off'}")
        if mode != "wal":
            report.problems.append(f"journal mode is {mode}, not wal")
        problems = integrity_problems(of_connection(db), full=True)
        report.problems += problems
        if not problems:
            report.lines.append("integrity: ok (integrity_check, foreign_key_check)")
        path = getattr(db, "file_path", None)
        if path is not None and path.stat().st_size > FULL_START_CHECK_BYTES:
            report.lines.append(
                f"  (over {FULL_START_CHECK_BYTES >> 20} MB: each start checks only the schema "
                "and every table's first and last rows; run relboard check after a crash or "
                "a copy)")
    if isinstance(db, GuardedSqliteDatabase):
        if found := writable_problems(db.file_path):
            report.problems += found
        else:
            report.lines.append("file: writable by you (and its folder)")
        report.problems += (sharing := sharing_problems(db.file_path))
        if not is_shared(db.file_path):
            report.lines.append("sharing: private (only you use its folder)")
        elif not sharing:
            report.lines.append("sharing: shared folder; permissions and umask ok")
    return report
