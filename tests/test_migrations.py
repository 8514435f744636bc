"""A database made by an older relboard is upgraded in place, every row kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.migrations import LATEST, SchemaTooNewError, schema_version, steps
from relboard.services import issues, records, search, word_lookup
from relboard.services.context import Context
from tests.conftest import NOW

V1 = Path(__file__).parent / "data" / "schema_v1.sql"


ADDED = {
    # waiting_since, paused_seconds (schema 2); the stored SLA clock (schema 6): acknowledged,
    # answered, not waiting, so the resolution clock runs from the raise; its customer's
    # owner, nobody (schema 22)
    "issue": [(None, 0, 2, "2026-09-30 08:00:00", None, "")],
    "activity": [(None,)],  # version (schema 5): old rows' version is not known
    # the last contact (schema 6: the kick-off call with Ines); the PM's health rating, band
    # and note (schema 7); the renewal date (schema 10: none known)
    "customer": [("2026-09-02 10:00:00", None, None, "", None)],
    # her last contact (schema 6); her customer's owner, nobody (schema 17)
    "contact": [("2026-09-02 10:00:00", "")],
    "expectation_change": [(None,)],  # the decision behind it (schema 7)
    # score = likelihood 2 x impact 5 (schema 7); not shared with the customer (schema 11);
    # its customer's owner, nobody (schema 23)
    "risk": [(10, None, None, "")],
    "interaction": [("",)],  # its customer's owner, nobody (schema 23)
}
"""What the upgrade adds to each row of schema 1 (tables not named keep their rows as they are)."""


def _v1_database(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    con.executescript(V1.read_text())
    rows = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
            for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    return rows


def test_schema_1_is_upgraded_with_every_row_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")  # local times stay as they are (see test_time_zones)
    path = tmp_path / "old.db"
    before = _v1_database(path)
    assert before["schema_migration"] == [(1, "initial schema", "2026-09-01 08:00:00")]
    db = open_database(str(path))
    try:
        assert schema_version(db) == LATEST
        con = sqlite3.connect(path)
        for table, rows in before.items():
            after = con.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            if table in ADDED:  # new columns at the end, with their values for old rows
                assert [r[: len(rows[0])] for r in after] == rows
                assert {r[len(rows[0]):] for r in after} == set(ADDED[table]), table
            elif table == "schema_migration":
                assert [r[0] for r in after] == [n for n, _, _ in steps()]
            else:
                assert after == rows, table
        con.close()
        assert "snooze" in db.get_tables()
        assert "customer_archived_owner_name_id" in {i.name for i in db.get_indexes("customer")}
        assert "issue_owner_severity_raised_at_id" in {i.name for i in db.get_indexes("issue")}
        ctx = Context(user="pat", now_override=NOW)
        issue = records.get("issue", 1)
        assert issue["title"] == "Gate scanner offline"
        v = issues.set_status(ctx, 1, issue["version"], "waiting_on_customer")
        assert (records.get("issue", 1)["version"], records.get("issue", 1)["waiting_since"]) \
            == (v, NOW)
        assert issues.issue_sla(ctx, 1).resolution.describe().startswith("resolution breached")
        # schema 8: the rows stored before are in the search index
        assert [(h.kind, h.record_id) for h in search.search(ctx, "gate scanner")] == \
            [("issue", 1)]
        assert [(h.kind, h.record_id) for h in search.search(ctx, "kick")] == \
            [("interaction", 1)]
        # schema 18: and in the word filter's trigram tables
        assert word_lookup.candidates(word_lookup.ISSUES, ["scanner"]) == [1]
        assert word_lookup.problems() == []
    finally:
        close_database()
    db = open_database(str(path))  # opening again changes nothing
    assert schema_version(db) == LATEST
    close_database()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_database(str(path))
    m.SchemaMigration.create(number=LATEST + 1, name="future", applied_at=NOW)
    close_database()
    with pytest.raises(SchemaTooNewError, match=f"schema version {LATEST + 1}"):
        open_database(str(path))
    close_database()


def test_new_database_has_every_table_and_latest_version(tmp_path):
    db = open_database(str(tmp_path / "fresh" / "sub" / "r.db"))
    try:
        assert schema_version(db) == LATEST
        tables = set(db.get_tables())
        assert {model._meta.table_name for model in m.ENTITY_MODELS} <= tables
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # normal
    finally:
        close_database()


def _schema(path: Path) -> tuple[dict, set]:
    con = sqlite3.connect(path)
    tables = {t: [(c[1], c[2], c[3], c[4]) for c in con.execute(f'PRAGMA table_info("{t}")')]
              for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    indexes = {(t, n) for t, n in con.execute(
        "SELECT tbl_name, name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
    con.close()
    return tables, indexes


def test_a_migrated_database_has_the_same_schema_as_a_new_one(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _v1_database(old)
    open_database(str(old))
    close_database()
    open_database(str(new))
    close_database()
    assert _schema(old) == _schema(new)


def test_another_applications_database_gets_no_relboard_tables(tmp_path):
    """migrate() itself refuses (the path a PostgreSQL database takes, with no file probe)."""
    from peewee import SqliteDatabase

    from relboard.migrations import NotRelboardDatabaseError, migrate

    path = tmp_path / "crm.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    other = SqliteDatabase(str(path))
    with pytest.raises(NotRelboardDatabaseError) as err:
        migrate(other, "postgresql://app:***@db/crm")
    other.close()
    assert str(err.value) == (
        "database: postgresql://app:***@db/crm is not a relboard database (it holds another "
        "application's tables); relboard left it untouched — point database: at a relboard "
        "database or a new file name")
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == [("contacts",)]


def test_opening_a_current_database_loads_no_migration_step(tmp_path):
    """Start-up on an up-to-date database reads its schema number and goes on: the steps
    (and Peewee's migrator) are imported only when a database needs them."""
    import subprocess
    import sys

    path = tmp_path / "board.db"
    open_database(str(path), create=True)
    close_database()
    script = ("import sys\n"
              "from relboard.db import open_database\n"
              f"open_database({str(path)!r})\n"
              "import relboard.app, relboard.screens.today\n"
              "print(sorted(m for m in sys.modules if m.startswith('relboard.migrations.')"
              " or m == 'playhouse.migrate'))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"
