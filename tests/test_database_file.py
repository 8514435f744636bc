"""The database file under a running relboard: deleted, replaced, emptied, read-only, full.

Each case asserts the one-line message a PM sees, and that the file on disk (or whatever
replaced it) is left exactly as it was — nothing saved to a dead file, nothing recreated.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from relboard import db as dbmod
from relboard import models as m
from relboard.__main__ import main
from relboard.db import close_database, data_version, open_database
from relboard.services import records
from relboard.services.errors import (
    DatabaseGoneError,
    DatabaseReadOnlyError,
    DiskFullError,
)
from tests import factories as f


def fingerprint(path: Path) -> str | None:
    """The file's bytes (a hash), or None when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def gone_message(path: Path, how: str = "was deleted or replaced") -> str:
    return (f"the database file {path} {how} while relboard was running; nothing was saved — "
            "restart relboard")


def in_thread(fn):
    """Run ``fn`` on a fresh thread (a fresh connection, like the board's workers)."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = fn()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out


def test_deleted_file_is_reported_on_save_and_poll_and_never_recreated(db, ctx, tmp_path):
    path = tmp_path / "relboard.db"
    cid = f.customer(ctx, "Acme")
    path.unlink()
    with pytest.raises(DatabaseGoneError) as err:
        records.create(ctx, "customer", {"name": "Saved into the void"})
    assert str(err.value) == gone_message(path)
    with pytest.raises(DatabaseGoneError, match="deleted or replaced"):
        data_version()
    read = in_thread(lambda: records.get("customer", cid))  # a worker's reconnect
    assert isinstance(read.get("error"), DatabaseGoneError), read
    assert not path.exists(), "a fresh empty database appeared at the path"


def test_replaced_file_is_reported_and_the_replacement_left_untouched(db, ctx, tmp_path):
    path = tmp_path / "relboard.db"
    f.customer(ctx, "Acme")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    os.replace(other, path)
    before = fingerprint(path)
    with pytest.raises(DatabaseGoneError) as err:
        records.update(ctx, "customer", 1, 1, {"name": "Acme Ltd"})
    assert str(err.value) == gone_message(path)
    with pytest.raises(DatabaseGoneError):
        data_version()
    assert fingerprint(path) == before


def test_emptied_file_is_reported(db, ctx, tmp_path):
    path = tmp_path / "relboard.db"
    f.customer(ctx, "Acme")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as fh:
        fh.truncate(0)
    with pytest.raises(DatabaseGoneError) as err:
        records.create(ctx, "customer", {"name": "Lost"})
    assert str(err.value) == gone_message(path, "was emptied")
    assert path.stat().st_size == 0


def test_tables_gone_under_the_same_file_is_reported(db, ctx, tmp_path):
    path = tmp_path / "relboard.db"
    f.customer(ctx, "Acme")
    other = sqlite3.connect(path)
    other.execute("DROP TABLE activity")
    other.commit()
    other.close()
    with pytest.raises(DatabaseGoneError) as err:
        records.create(ctx, "customer", {"name": "Lost"})
    assert str(err.value) == gone_message(path, "lost relboard's tables (replaced or emptied)")
    assert m.Customer.select().count() == 1


async def test_board_reports_a_deleted_file_once_and_keeps_running(db, ctx, tmp_path,
                                                                   monkeypatch):
    import asyncio

    from relboard.widgets import live
    from tests.pilot import SIZE, make_app, settle

    monkeypatch.setattr(live, "POLL_SECONDS", 0.02)
    f.customer(ctx, "Acme")
    path = tmp_path / "relboard.db"
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        path.unlink()
        await asyncio.sleep(0.3)
        await settle(pilot)
        said = [n.message for n in app._notifications if "deleted or replaced" in n.message]
        assert said == [gone_message(path)]
        assert app.is_running
    assert not path.exists()


def test_disk_full_on_save_says_so_and_keeps_nothing(db, ctx, tmp_path):
    f.customer(ctx, "Acme")
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    with pytest.raises(DiskFullError) as err:
        for n in range(50):
            records.create(ctx, "customer", {"name": f"Big {n}", "notes": "x" * 3000})
    assert str(err.value) == (
        f"disk full: no room left for the database {tmp_path / 'relboard.db'}; nothing was "
        "saved — free some space (or ask the server's admin), then save again")
    assert "cannot rollback" not in str(err.value)
    kept = m.Customer.select().count()
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert records.create(ctx, "customer", {"name": "After"})  # the connection still works
    assert m.Customer.select().count() == kept + 1


def test_disk_full_during_import_exits_2_and_leaves_the_file_unchanged(tmp_path, capsys,
                                                                      monkeypatch):
    path = tmp_path / "team.db"
    open_database(str(path))
    close_database()
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    before = fingerprint(path)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    big = tmp_path / "big.yaml"
    big.write_text("customers:\n" + "".join(
        f"  - {{id: {n}, name: C{n}, notes: {'x' * 2000}}}\n" for n in range(1, 41)))
    monkeypatch.setitem(dbmod.SQLITE_PRAGMAS, "max_page_count", pages)
    assert main(["--config", str(cfg), "import", str(big)]) == 2
    err = capsys.readouterr().err
    assert err == (f"relboard: disk full: no room left for the database {path}; nothing was "
                   "saved — free some space (or ask the server's admin), then save again\n")
    assert fingerprint(path) == before


def test_read_only_database_refused_at_save(db, ctx, tmp_path):
    f.customer(ctx, "Acme")
    db.execute_sql("PRAGMA query_only = 1")  # SQLite refuses writes: SQLITE_READONLY
    with pytest.raises(DatabaseReadOnlyError) as err:
        records.create(ctx, "customer", {"name": "Nope"})
    assert str(err.value) == (f"nothing was saved: the database {tmp_path / 'relboard.db'} "
                              "is read-only for you")
    db.execute_sql("PRAGMA query_only = 0")
    assert m.Customer.select().count() == 1


def _deny_write(monkeypatch, *denied: Path) -> None:
    """This user may not write ``denied`` (tests run as root, who may write anything)."""
    real = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path) in denied:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def team_db(tmp_path, ctx):
    """A relboard database with one customer, closed, and a config pointing at it."""
    path = tmp_path / "team" / "team.db"
    open_database(str(path))
    f.customer(ctx, "Acme")
    close_database()
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    return cfg, path


@pytest.mark.parametrize("denied, words", [
    ("file", "the database file {path} is read-only for you; ask its owner to make it "
             "group-readable and -writable (chmod g+rw {path}) and to add you to its group, "
             "or point database: at a file you can write"),
    ("folder", "the folder {folder} is not writable for you, and SQLite must create "
               "team.db-wal and team.db-shm in it; ask its owner to run chmod g+rwx {folder}"),
])
@pytest.mark.parametrize("command", ["check", "digest"])
def test_read_only_database_or_folder_refused_at_start(team_db, monkeypatch, capsys, denied,
                                                       words, command):
    cfg, path = team_db
    before = fingerprint(path)
    _deny_write(monkeypatch, path if denied == "file" else path.parent)
    if command == "check":  # check lists every problem, opening nothing
        assert main(["--config", str(cfg), command]) == 1
        out = capsys.readouterr()
        assert f"  problem: {words.format(path=path, folder=path.parent)}\n" in out.out
        assert out.err == "" and fingerprint(path) == before
        return
    assert main(["--config", str(cfg), command]) == 2
    out = capsys.readouterr()
    assert out.err == f"relboard: database: {words.format(path=path, folder=path.parent)}\n"
    assert out.out == "" and fingerprint(path) == before


def test_someone_elses_shm_file_refused_at_start(team_db, monkeypatch, capsys):
    cfg, path = team_db
    shm = path.with_name("team.db-shm")
    for side in ("-wal", "-shm"):
        path.with_name("team.db" + side).write_bytes(b"")
    _deny_write(monkeypatch, shm)
    assert main(["--config", str(cfg), "digest"]) == 2
    assert capsys.readouterr().err == (
        f"relboard: database: {shm} is not readable and writable for you (another user left "
        f"it); ask its owner to run chmod g+rw {shm}\n")


def test_check_says_the_file_is_writable(team_db, capsys):
    cfg, _ = team_db
    assert main(["--config", str(cfg), "check"]) == 0
    assert "file: writable by you (and its folder)" in capsys.readouterr().out


def test_moved_aside_and_back_is_still_the_same_file(db, ctx, tmp_path):
    path = tmp_path / "relboard.db"
    f.customer(ctx, "Acme")
    shutil.move(path, tmp_path / "aside.db")
    shutil.move(tmp_path / "aside.db", path)  # a rename keeps the inode: same database
    assert records.create(ctx, "customer", {"name": "Fine"})


def test_odd_file_names_open_the_right_file(tmp_path, ctx):
    """Every connection opens the file by a SQLite URI; ``?``, ``#``, ``%`` stay in the name."""
    path = tmp_path / "team 50%?a=b#x é.db"
    open_database(str(path))
    try:
        f.customer(ctx, "Acme")
    finally:
        close_database()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    rows = sqlite3.connect(path).execute("SELECT name FROM customer").fetchall()
    assert rows == [("Acme",)]
