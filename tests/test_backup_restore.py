"""``relboard backup`` during a write storm, ``relboard restore``, and what check/start verify."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import time
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.presence import present
from relboard.services import records
from relboard.services.context import Context
from relboard.services.errors import DatabaseGoneError


def _config(tmp_path: Path, database: Path | str) -> str:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {database}\n")
    return str(cfg)


def _make_db(path: Path, customers: int = 3) -> None:
    open_database(str(path))
    ctx = Context(user="ann")
    for n in range(customers):
        records.create(ctx, "customer", {"name": f"Customer {n}"})
    close_database()


def _counts(path: Path) -> tuple[int, int]:
    """(customers, their 'create' audit rows): written in one transaction, so always equal."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        customers = con.execute("SELECT count(*) FROM customer").fetchone()[0]
        audit = con.execute("SELECT count(*) FROM activity WHERE entity = 'customer' "
                            "AND action = 'create'").fetchone()[0]
    finally:
        con.close()
    return customers, audit


def _storm(path: str, stop, started, who: int) -> None:
    open_database(path)
    ctx = Context(user=f"pm{who}")
    n = 0
    while not stop.is_set():
        records.create(ctx, "customer", {"name": f"Storm {who}-{n}", "notes": "x" * 200})
        n += 1
        if n == 20:
            started.set()
    close_database()


def test_backup_during_a_write_storm_is_consistent_and_restore_brings_it_back(tmp_path, capsys):
    path = tmp_path / "team.db"
    _make_db(path)
    cfg = _config(tmp_path, path)
    ctx = mp.get_context("spawn")
    stop, started = ctx.Event(), ctx.Event()
    writers = [ctx.Process(target=_storm, args=(str(path), stop, started, w)) for w in (1, 2)]
    for proc in writers:
        proc.start()
    try:
        assert started.wait(60)
        backups = []
        for n in range(3):
            dest = tmp_path / f"backup-{n}.db"
            assert main(["--config", cfg, "backup", str(dest)]) == 0
            backups.append(dest)
            time.sleep(0.2)
    finally:
        stop.set()
        for proc in writers:
            proc.join(60)
    out = capsys.readouterr().out
    assert out.count("integrity ok") == 3
    seen = []
    for dest in backups:
        assert not Path(f"{dest}-wal").exists()  # one self-contained file
        customers, audit = _counts(dest)
        assert customers == audit and customers > 3
        seen.append(customers)
    assert seen == sorted(seen)
    final, _ = _counts(path)
    assert final > seen[0]

    assert main(["--config", cfg, "restore", str(backups[0])]) == 0
    out = capsys.readouterr().out
    assert f"restored {backups[0]} into {path}: " in out
    assert _counts(path) == (seen[0], seen[0])
    kept = next(tmp_path.glob("team.db.replaced-*"))
    assert f"the replaced database is kept as {kept}" in out
    assert _counts(kept) == (final, final)  # the old database, whole
    assert main(["--config", cfg, "digest"]) == 0  # and the board opens the restored one


def test_restore_refuses_while_the_board_is_open_and_force_stops_that_board(tmp_path, capsys):
    path, backup = tmp_path / "team.db", tmp_path / "b.db"
    _make_db(path, 2)
    cfg = _config(tmp_path, path)
    assert main(["--config", cfg, "backup", str(backup)]) == 0
    db = open_database(str(path))  # a PM's board
    try:
        with present(db.file_path):
            capsys.readouterr()
            assert main(["--config", cfg, "restore", str(backup)]) == 1
            err = capsys.readouterr().err
            assert err.startswith(f"relboard: others have the database {path} open") \
                and "--force" in err and err.count("\n") == 1
            assert not list(tmp_path.glob("team.db.replaced-*"))
            assert main(["--config", cfg, "restore", "--force", str(backup)]) == 0
            assert "others had it open" in capsys.readouterr().out
            with pytest.raises(DatabaseGoneError, match="deleted or replaced"):
                records.create(Context(user="bob"), "customer", {"name": "Too late"})
    finally:
        close_database()
    assert _counts(path) == (2, 2)


def _damaged(path: Path) -> None:
    _make_db(path, 50)
    data = bytearray(path.read_bytes())
    con = sqlite3.connect(path)
    root, size = (con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customer'")
                  .fetchone()[0], con.execute("PRAGMA page_size").fetchone()[0])
    con.close()
    data[(root - 1) * size: root * size] = b"\xff" * size
    path.write_bytes(bytes(data))


def _broken_reference(path: Path) -> None:
    open_database(str(path))
    ctx = Context(user="ann")
    records.create(ctx, "contact", {"customer": records.create(ctx, "customer", {"name": "A"}),
                                    "name": "Ghost"})
    close_database()
    con = sqlite3.connect(path)  # another tool, foreign keys off
    con.execute("UPDATE contact SET customer_id = 99")
    con.commit()
    con.close()


BAD_BACKUPS = {
    "missing": (lambda p: None, "restore: {p} does not exist"),
    "not sqlite": (lambda p: p.write_text("notes\n"), "restore: {p} is not an SQLite database"),
    "another application's": (
        lambda p: sqlite3.connect(p).executescript("CREATE TABLE notes (body TEXT);"),
        "restore: {p} is not a relboard database"),
    "damaged": (_damaged, "restore: {p} failed SQLite's checks ("),
    "a broken reference": (_broken_reference,
                           "restore: {p} failed SQLite's checks (1 row point at records that "
                           "do not exist (first: contact row 1 -> customer))"),
}


@pytest.mark.parametrize("case", list(BAD_BACKUPS))
def test_restore_refuses_a_bad_backup_and_changes_nothing(case, tmp_path, capsys):
    path, bad = tmp_path / "team.db", tmp_path / "bad.db"
    _make_db(path, 2)
    before = path.read_bytes()
    make, start = BAD_BACKUPS[case]
    make(bad)
    assert main(["--config", _config(tmp_path, path), "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"relboard: {start.format(p=bad)}") and err.count("\n") == 1, err
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.replaced-*")) and not list(tmp_path.glob("*.partial"))


def test_start_refuses_a_database_failing_the_checks_and_check_lists_them(tmp_path, capsys):
    path = tmp_path / "team.db"
    _broken_reference(path)
    cfg = _config(tmp_path, path)
    assert main(["--config", cfg, "digest"]) == 2
    assert capsys.readouterr().err == (
        f"relboard: the database {path} failed SQLite's checks (1 row point at records that do "
        "not exist (first: contact row 1 -> customer)); relboard changed nothing — restore the "
        "last good backup (relboard restore FILE) or point database: at another file; "
        "relboard check shows every finding\n")
    assert main(["--config", cfg, "check"]) == 1
    assert "  problem: 1 row point at records that do not exist" in capsys.readouterr().out


def test_backup_never_overwrites_and_names_a_file_in_a_folder(tmp_path, capsys):
    path = tmp_path / "team.db"
    _make_db(path, 1)
    cfg = _config(tmp_path, path)
    (tmp_path / "taken.db").write_text("keep me")
    assert main(["--config", cfg, "backup", str(tmp_path / "taken.db")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "taken.db").read_text() == "keep me"
    (tmp_path / "backups").mkdir()
    assert main(["--config", cfg, "backup", str(tmp_path / "backups")]) == 0
    [made] = (tmp_path / "backups").iterdir()
    assert made.name.startswith("team-") and _counts(made) == (1, 1)
    assert main(["--config", cfg, "backup", str(tmp_path / "nowhere" / "b.db")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("command, tool", [("backup", "pg_dump --format=custom --file=out.dump"),
                                           ("restore", "pg_restore --clean --if-exists")])
def test_postgresql_gets_its_own_tool_with_the_password_masked(command, tool, tmp_path,
                                                               capsys):
    url = "postgresql+pool://pm:s3cret@db.example/relboard?max_connections=8&sslmode=require"
    assert main(["--config", _config(tmp_path, url), command, "out.dump"]) == 2
    err = capsys.readouterr().err
    assert tool in err and "s3cret" not in err and err.count("\n") == 1
    assert "'postgresql://pm:***@db.example/relboard?sslmode=require'" in err
