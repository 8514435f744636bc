"""The command line: config errors as FILE:LINE:COL with exit 2, digest, check, import/export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.migrations import LATEST
from tests import factories as f

BAD_CONFIGS = {
    "syntax error": ("queues: [1, 2\n", 2, 1, "expected ',' or ']'"),
    "tab in indentation": ("sla:\n\tcritical: 1\n", 2, 1, "tab"),
    "duplicate key": ("user: ann\ntheme: x\nuser: bob\n", 3, 1, "duplicate key 'user'"),
    "unknown key": ("databse: /tmp/x.db\n", 1, 1, "did you mean 'database'"),
    "wrong type": ("animations: no\n", 1, 13, "expected true or false"),
    "alias": ("user: &u ann\ntheme: *u\n", 1, 7, "anchors and aliases are not allowed"),
    "python tag": ("user: !!python/object/apply:os.system ['touch {marker}']\n", 1, 7,
                   "tags are not allowed"),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_is_file_line_col_exit_2_no_traceback(case, tmp_path, capsys):
    text, line, col, words = BAD_CONFIGS[case]
    marker = tmp_path / "pwned"
    path = tmp_path / "config.yaml"
    path.write_text(text.format(marker=marker))
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:{line}:{col}: "), err
    assert words in err and "Traceback" not in err
    assert not marker.exists()


def test_config_over_one_mib(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text("# padding\n" * 120_000)
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:1:1: ") and "1 MiB" in err


def test_empty_config_means_defaults_and_check_reports(tmp_path, capsys):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    db = tmp_path / "data" / "r.db"
    assert main(["--config", str(path), "check"]) == 0
    out = capsys.readouterr().out
    assert f"config: {path}" in out and f"schema version {LATEST}" in out and "integrity: ok" in out
    assert "journal wal" in out
    path.write_text(f"database: {db}\n")
    assert main(["--config", str(path), "--create", "check"]) == 0
    assert db.exists()


def test_missing_config_file_is_bad_input(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "nope.yaml"), "check"]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_in_memory_url_refused(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("database: sqlite://relboard.db\n")
    assert main(["--config", str(path), "check"]) == 2
    assert "in-memory" in capsys.readouterr().err


def test_digest_demo_text_and_json(capsys):
    assert main(["digest", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "SLA breaches and near-breaches" in out and "Overdue for contact" in out
    assert "last contact" in out and "cadence" in out
    assert main(["digest", "--demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["sla"] >= 1 and all(i["reason"] for i in data["items"])


def test_import_export_cli_round_trip(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'one.db'}\nuser: ann\n")
    good = tmp_path / "in.yaml"
    good.write_text("customers:\n  - {id: 1, name: Acme}\n")
    assert main(["--config", str(cfg), "--create", "import", str(good)]) == 0
    assert "imported 1 record: 1 customer" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("customers:\n  - {id: 1, tier: gold}\n")
    assert main(["--config", str(cfg), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:5: record 1 (customers[0], id 1):" in err and "tier" in err
    out = tmp_path / "out.yaml"
    assert main(["--config", str(cfg), "export", str(out)]) == 0
    assert "name: Acme" in out.read_text() and "created_by: ann" in out.read_text()


def test_console_entry_point_runs_as_a_module(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("cadence_days: [1]\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "relboard", "--config", str(path), "check"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert run.stderr.startswith(f"{path}:1:15: cadence_days:") and "Traceback" not in run.stderr


def test_check_reports_keymap_clash_and_unknown_theme(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {tmp_path / 'r.db'}\ntheme: nope\n"
                    "keymap: {today.snooze: a}\n")
    assert main(["--config", str(path), "--create", "check"]) == 1
    out = capsys.readouterr().out
    assert "theme 'nope' is not available; using relboard-dark" in out
    assert "today.snooze -> 'a' clashes with today.acknowledge" in out


def _foreign_db(path):
    import sqlite3

    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                      "INSERT INTO notes (body) VALUES ('mine');")
    con.close()


BAD_FILES = {  # what is at the path -> the one line (after "relboard: ") it must give
    "a text file": (lambda p: p.write_text("just some notes\n"),
                    "database: {p} is not an SQLite database (some other kind of file); "
                    "relboard left it untouched — point database: at a relboard database or "
                    "a new file name"),
    "random bytes": (lambda p: p.write_bytes(__import__("random").Random(7).randbytes(8192)),
                     "database: {p} is not an SQLite database (some other kind of file); "
                     "relboard left it untouched — point database: at a relboard database or "
                     "a new file name"),
    "a truncated database": (lambda p: p.write_bytes(f.database_file(p)[:20480]),
                             "the database {p} is damaged (database disk image is malformed); "
                             "relboard changed nothing — restore it from a backup (relboard "
                             "restore BACKUP) or point database: at another file"),
    "a malformed database": (lambda p: p.write_bytes(
        (lambda b: b[:4096] + __import__("random").Random(3).randbytes(len(b) - 4096))(
            f.database_file(p))),
                             "the database {p} is damaged (database disk image is malformed); "
                             "relboard changed nothing — restore it from a backup (relboard "
                             "restore BACKUP) or point database: at another file"),
    "another application's database": (
        _foreign_db, "database: {p} is not a relboard database (it holds another "
                     "application's tables); relboard left it untouched — point database: at "
                     "a relboard database or a new file name"),
    "a folder": (lambda p: p.mkdir(),
                 "database: {p} is a folder; point database: at a file in it, e.g. "
                 "{p}/relboard.db"),
}


@pytest.mark.parametrize("command", ["check", "digest"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_unusable_database_file_is_one_line_exit_2_and_left_unchanged(case, command, tmp_path,
                                                                      capsys):
    make, line = BAD_FILES[case]
    path = tmp_path / "data.db"
    make(path)
    before = path.read_bytes() if path.is_file() else None
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    capsys.readouterr()
    assert main(["--config", str(cfg), command]) == 2
    out = capsys.readouterr()
    assert out.err == f"relboard: {line.format(p=path)}\n" and out.out == ""
    assert (path.read_bytes() if path.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "data.db"]  # no -wal/-shm


def test_dev_null_is_refused(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("database: /dev/null\n")
    assert main(["--config", str(cfg), "check"]) == 2
    assert capsys.readouterr().err == (
        "relboard: database: /dev/null is not a regular file (a device or pipe); point "
        "database: at a relboard database file\n")
    assert Path("/dev/null").is_char_device()


def test_postgresql_without_driver_is_one_line_and_never_shows_the_password(
        tmp_path, capsys, monkeypatch):
    import peewee

    monkeypatch.setattr(peewee, "psycopg2", None)  # as on a machine without the driver
    cfg = tmp_path / "c.yaml"
    cfg.write_text("database: postgresql://bob:s3cret@db.example/relboard\n")
    assert main(["--config", str(cfg), "check"]) == 2
    out = capsys.readouterr()
    assert out.err == ("relboard: database: postgresql://bob:***@db.example/relboard needs "
                       "the PostgreSQL driver, which is not installed; install it where "
                       "relboard runs: pip install psycopg2-binary\n")
    assert "s3cret" not in out.err + out.out


def test_mysql_url_is_refused_with_the_password_masked(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RELBOARD_DATABASE", "mysql://root:hunter2@localhost/crm")
    assert main(["check"]) == 2
    out = capsys.readouterr()
    assert out.err == ("relboard: database: mysql://root:***@localhost/crm: relboard works "
                       "with SQLite files and PostgreSQL, not mysql; point database: at a file "
                       "path or a postgresql://user@host/db URL\n")
    assert "hunter2" not in out.err + out.out


@pytest.mark.parametrize("url, shown", [
    ("postgresql://bob:s3cret@db.example:5432/rel", "postgresql://bob:***@db.example:5432/rel"),
    ("postgresql://bob:p%40ss@db/rel", "postgresql://bob:***@db/rel"),
    ("postgresql://bob:p@ss@db/rel", "postgresql://bob:***@db/rel"),
    ("postgresql://bob@db/rel?sslmode=require&password=s3cret",
     "postgresql://bob@db/rel?sslmode=require&password=***"),
    ("postgresql://bob@db/rel", "postgresql://bob@db/rel"),
    ("/srv/relboard/team.db", "/srv/relboard/team.db"),
])
def test_mask_url(url, shown):
    from relboard.db import mask_url

    assert mask_url(url) == shown


def test_a_vanished_database_during_a_command_is_one_line_exit_2(tmp_path, capsys,
                                                                 monkeypatch):
    from relboard.services import export

    path = tmp_path / "team.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    good = tmp_path / "in.yaml"
    good.write_text("customers:\n  - {id: 1, name: Acme}\n")
    real = export.export_chunks

    def delete_then_export(*args, **kwargs):  # someone removes the file mid-command
        path.unlink()
        from relboard.services import records
        from relboard.services.context import Context

        records.create(Context(user="ann"), "customer", {"name": "Too late"})
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "export_chunks", delete_then_export)
    assert main(["--config", str(cfg), "--create", "export", str(tmp_path / "out.yaml")]) == 2
    assert capsys.readouterr().err == (
        f"relboard: the database file {path} was deleted or replaced while relboard was "
        "running; nothing was saved — restart relboard\n")
    assert not path.exists()


def _with_customer_pages(path):
    """A relboard database at ``path``: its bytes, the customer table's root page, page size."""
    import sqlite3

    data = bytearray(f.database_file(path))
    con = sqlite3.connect(path)
    root, size = (con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customer'")
                  .fetchone()[0], con.execute("PRAGMA page_size").fetchone()[0])
    con.close()
    return data, root, size


def test_damage_found_after_start_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "data.db"
    data, root, size = _with_customer_pages(path)
    data[(root - 1) * size: root * size] = b"\xff" * size  # the customers' pages, nothing else
    path.write_bytes(bytes(data))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    assert main(["--config", str(cfg), "digest"]) == 2  # the start-up quick check finds it
    assert capsys.readouterr().err == (
        f"relboard: the database {path} failed SQLite's checks (integrity check: Page 5: "
        "btreeInitPage() returns error code 11 and more); relboard changed nothing — restore "
        "the last good backup (relboard restore FILE) or point database: at another file; "
        "relboard check shows every finding\n")
    assert path.read_bytes() == bytes(data)


def test_a_big_file_gets_the_bounded_check_at_start_and_the_full_one_in_check(
        tmp_path, capsys, monkeypatch):
    from relboard import integrity
    from relboard.services import dbcheck  # noqa: F401 - keeps its own (real) threshold, as
    # when an earlier test of the process imported it: only the start-up check is patched

    monkeypatch.setattr(integrity, "FULL_START_CHECK_BYTES", 0)  # every file counts as big
    path = tmp_path / "data.db"
    data, root, size = _with_customer_pages(path)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    assert main(["--config", str(cfg), "digest"]) == 0  # sound: the bounded check passes
    capsys.readouterr()
    data[(root - 1) * size: root * size] = b"\xff" * size  # a table's page overwritten
    path.write_bytes(bytes(data))
    assert main(["--config", str(cfg), "digest"]) == 2  # still refused at start
    err = capsys.readouterr().err
    assert f"the database {path} failed SQLite's checks (integrity check: " in err
    assert main(["--config", str(cfg), "check"]) == 1  # the full check names the page
    out = capsys.readouterr().out
    assert "Page 5" in out and "each start checks only the schema" not in out


def test_check_repair_recomputes_the_stored_clocks(tmp_path, capsys):
    import sqlite3

    from relboard.db import close_database, open_database
    from relboard.services.context import Context

    db = tmp_path / "r.db"
    f.database_file(db, customers=3)
    open_database(str(db))
    for name in ("Dana", "Eli"):
        f.contact(Context(user="ann"), 1, name)
    f.issue(Context(user="ann"), 2, "Outage")
    close_database()
    con = sqlite3.connect(db)
    con.execute("UPDATE customer SET last_contact_at = '2020-01-01 00:00:00'")  # by hand
    con.execute("UPDATE contact SET account_owner = 'someone else'")
    con.execute("UPDATE issue SET account_owner = 'someone else'")  # schema 22
    con.commit()
    stakeholders = con.execute("SELECT COUNT(*) FROM contact").fetchone()[0]
    issues = con.execute("SELECT COUNT(*) FROM issue").fetchone()[0]
    con.close()
    assert stakeholders == 2 and issues == 1
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {db}\n")
    assert main(["--config", str(path), "check"]) == 1
    assert (f"3 stored last contacts and {stakeholders + issues} records' "
            "stored account owners are out of date") in capsys.readouterr().out
    assert main(["--config", str(path), "check", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "stored clocks: recomputed" in out and "stored clocks: up to date" in out


def test_check_finds_a_search_index_out_of_step_and_repair_rebuilds_it(tmp_path, capsys):
    import sqlite3

    from relboard.db import close_database, open_database
    from relboard.services.context import Context

    db = tmp_path / "r.db"
    f.database_file(db, customers=3)
    open_database(str(db))
    for name in ("Dana", "Eli"):
        f.contact(Context(user="ann"), 1, name)
    close_database()
    con = sqlite3.connect(db)
    con.execute("DELETE FROM search_index WHERE rowid = 2 * 8 + 1")  # customer 2, by hand
    con.execute("DELETE FROM customer_trigrams WHERE rowid = 2")  # the word filter's too
    con.commit()
    con.close()
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {db}\n")
    assert main(["--config", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert "the search index is out of step with the records (customer 2 of 3 indexed" in out
    assert "the word filter's trigram index is out of step with the records (customer 2 of 3 " \
        "indexed; a filter would miss some): run relboard check --repair" in out
    assert main(["--config", str(path), "check", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "search index: rebuilt (the word filter's trigrams too)" in out
    assert "search index: in step with the records (the word filter's trigrams too)" in out


MISSING = ("relboard: database: {p} does not exist (a typo in database:?); relboard created "
           "nothing — to start a new board there run relboard init, or add --create\n")


@pytest.mark.parametrize("command", [[], ["check"], ["digest"], ["export"], ["import", "f.yaml"]])
def test_a_missing_database_file_is_an_error_naming_init_and_nothing_is_made(
        command, tmp_path, capsys):
    path = tmp_path / "typo" / "relbaord.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    (tmp_path / "f.yaml").write_text("customers:\n  - {id: 1, name: Acme}\n")
    assert main(["--config", str(cfg), *command]) == 2
    out = capsys.readouterr()
    assert out.err == MISSING.format(p=path) and out.out == ""
    assert not path.parent.exists()


def test_init_or_create_makes_a_missing_database_and_init_keeps_an_existing_one(
        tmp_path, capsys):
    path = tmp_path / "new.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    assert main(["--config", str(cfg), "init"]) == 0
    assert capsys.readouterr().out == f"database {path}: made (empty)\n"
    assert main(["--config", str(cfg), "check"]) == 0
    capsys.readouterr()
    assert main(["--config", str(cfg), "init"]) == 0
    assert capsys.readouterr().out == f"database {path}: exists; kept it as it was\n"
    other = tmp_path / "other.db"
    cfg.write_text(f"database: {other}\n")
    good = tmp_path / "in.yaml"
    good.write_text("customers:\n  - {id: 1, name: Acme}\n")
    assert main(["--config", str(cfg), "import", "--create", str(good)]) == 0
    assert other.exists() and "imported 1 record:" in capsys.readouterr().out


def test_first_run_at_the_default_location_still_creates_it(isolated_env, capsys):
    from relboard.config import default_database_path

    assert not default_database_path().exists()
    assert main(["digest"]) == 0  # no config at all: a fresh machine
    assert default_database_path().exists()
    assert main(["digest", "--demo"]) == 0


def test_import_twice_is_refused_with_the_count_and_merge_updates_by_id(tmp_path, capsys):
    from tests.conftest import all_rows

    db = tmp_path / "one.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {db}\nuser: ann\n")
    first = tmp_path / "in.yaml"
    first.write_text("customers:\n  - {id: 1, name: Acme}\n  - {id: 2, name: Beta}\n"
                     "projects:\n  - {id: 1, customer: 1, name: Rollout}\n")
    assert main(["--config", str(cfg), "--create", "import", str(first)]) == 0
    capsys.readouterr()
    before = all_rows(str(db))
    assert main(["--config", str(cfg), "import", str(first)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err == (
        f"relboard: {first}: 3 records would be duplicates: their ids are already in this "
        "database (2 customers, 1 project) — was the file imported before? nothing was "
        "imported; use --merge to update the stored records by id instead\n")
    assert all_rows(str(db)) == before
    edited = tmp_path / "edited.yaml"
    edited.write_text("customers:\n  - {id: 1, name: Acme Ltd, version: 1}\n"
                      "  - {id: 2, name: Beta}\n  - {id: 3, name: Gamma}\n")
    assert main(["--config", str(cfg), "import", "--merge", str(edited)]) == 0
    assert capsys.readouterr().out.endswith(
        "by id: 1 new, 1 updated, 1 left as stored\n")
    before = all_rows(str(db))
    assert main(["--config", str(cfg), "import", "--merge", str(edited)]) == 2  # now stale
    err = capsys.readouterr().err
    assert err.startswith(f"relboard: {edited}:2:29: record 1 (customers[0], id 1): version: "
                          "the database holds version 2 of this customer, newer than the "
                          "file's 1") and err.count("\n") == 1
    assert all_rows(str(db)) == before
