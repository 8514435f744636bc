"""What relboard writes: only a regular file or a new name, whole or not at all
(``relboard.safe_write``), and a read-only file system told as such.

A device node is made with ``mknod`` where the test runs as root (as ``relboard export
/dev/full`` once replaced /dev/full with a file), else a FIFO stands in for it.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.safe_write import UnsafeTargetError, write_text


def _device(path: Path) -> Path:
    """A character device like /dev/full (1, 7) as root, else a FIFO."""
    if os.geteuid() == 0:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    else:
        os.mkfifo(path)
    return path


def _identity(path: Path) -> tuple:
    """What must not change about a target that is refused (lstat: a link stays a link)."""
    info = path.lstat()
    return (info.st_ino, info.st_mode, info.st_rdev, info.st_size, info.st_mtime_ns)


TARGETS = {  # name -> (make it in a folder, the refusal after "relboard: export: ")
    "a device node": (lambda d: _device(d / "full"),
                      "{p} is {kind}; relboard writes only regular files and left it "
                      "untouched — name a new file"),
    "a FIFO": (lambda d: (os.mkfifo(d / "pipe"), d / "pipe")[1],
               "{p} is a named pipe (FIFO); relboard writes only regular files and left it "
               "untouched — name a new file"),
    "a folder": (lambda d: (os.mkdir(d / "dir"), d / "dir")[1],
                 "{p} is a folder; relboard writes only regular files and left it untouched — "
                 "name a new file"),
    "a link to a device": (lambda d: (_device(d / "dev"), os.symlink(d / "dev", d / "link"),
                                      d / "link")[2],
                           "{p} is a symbolic link to {d}/dev, which is {kind}; relboard "
                           "writes only regular files and left it untouched — name a new file"),
    "a link to nothing": (lambda d: (os.symlink(d / "gone", d / "dangling"),
                                     d / "dangling")[1],
                          "{p} is a symbolic link to {d}/gone, which does not exist; relboard "
                          "writes only regular files — name the file itself or a new name"),
}
KIND = "a device" if os.geteuid() == 0 else "a named pipe (FIFO)"


@pytest.fixture
def board(tmp_path):
    """A config pointing at a small relboard database; the export folder beside it."""
    from tests import factories as f

    f.database_file(tmp_path / "b.db", customers=3)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'b.db'}\n")
    out = tmp_path / "out"
    out.mkdir()
    return str(cfg), out


@pytest.mark.parametrize("case", list(TARGETS))
def test_export_refuses_anything_but_a_regular_file_and_leaves_it_untouched(board, case,
                                                                             capsys):
    cfg, out = board
    make, line = TARGETS[case]
    target = make(out)
    before = _identity(target)
    capsys.readouterr()
    assert main(["--config", cfg, "export", str(target)]) == 2
    err = capsys.readouterr()
    assert err.err == f"relboard: export: {line.format(p=target, d=out, kind=KIND)}\n"
    assert err.out == ""
    assert _identity(target) == before
    assert not [p for p in os.listdir(out) if p.startswith(".")], "a temporary file was left"


def test_export_dash_is_standard_output_and_an_empty_name_is_refused(board, capsys):
    cfg, out = board
    assert main(["--config", cfg, "export", "-"]) == 0
    assert capsys.readouterr().out.startswith("relboard: 1\n")
    assert main(["--config", cfg, "export", ""]) == 2
    assert capsys.readouterr().err == ("relboard: export: no file named (the name is empty); "
                                       "name a new file\n")
    assert os.listdir(out) == [] and not Path("-").exists()


def test_export_through_a_link_to_a_file_replaces_the_file_and_keeps_link_and_mode(board):
    cfg, out = board
    real = out / "real.yaml"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    os.symlink(real, out / "link.yaml")
    assert main(["--config", cfg, "export", str(out / "link.yaml")]) == 0
    assert (out / "link.yaml").is_symlink() and real.read_text().startswith("relboard: 1\n")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(out)) == ["link.yaml", "real.yaml"]


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path,
                                                                        monkeypatch):
    target = tmp_path / "cal.ics"
    target.write_text("the old calendar\n")

    def pieces():
        yield "half a "
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError, match="No space left"):
        write_text(target, pieces())
    assert target.read_text() == "the old calendar\n"
    assert os.listdir(tmp_path) == ["cal.ics"]
    assert write_text(target, ["new ", "calendar\n"]) == target
    assert target.read_text() == "new calendar\n" and os.listdir(tmp_path) == ["cal.ics"]
    with pytest.raises(UnsafeTargetError, match="already exists"):
        write_text(target, "x", overwrite=False)


@pytest.mark.parametrize("dest, line", [
    ("", "backup: name a new file or a folder to put the backup in (an empty name or - is "
         "not a place for a database copy)"),
    ("-", "backup: name a new file or a folder to put the backup in (an empty name or - is "
          "not a place for a database copy)"),
    ("{out}/full", "backup: {out}/full is {kind}; relboard writes only regular files and left "
                   "it untouched — name a new file"),
    ("{out}/old.db", "backup: {out}/old.db already exists; relboard never overwrites it — "
                     "name a new file"),
])
def test_backup_refuses_an_empty_name_a_dash_a_device_and_an_existing_file(board, dest, line,
                                                                           capsys,
                                                                           monkeypatch):
    cfg, out = board
    _device(out / "full")
    (out / "old.db").write_text("keep me\n")
    before = {name: _identity(out / name) for name in os.listdir(out)}
    monkeypatch.chdir(out)  # "" was the current folder, where a backup appeared
    assert main(["--config", cfg, "backup", dest.format(out=out)]) == 2
    assert capsys.readouterr().err == f"relboard: {line.format(out=out, kind=KIND)}\n"
    assert {name: _identity(out / name) for name in os.listdir(out)} == before


def test_backup_writes_a_temporary_file_beside_it_then_renames(board, capsys, monkeypatch):
    cfg, out = board
    seen = []
    real_link = os.link

    def link(src, dst, *args, **kwargs):
        seen.append((Path(src).parent, Path(src).name.startswith(".b.db.bk.db.")))
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    assert main(["--config", cfg, "backup", str(out / "b.db.bk.db")]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert seen == [(out, True)] and os.listdir(out) == ["b.db.bk.db"]


def test_restore_refuses_a_database_path_that_is_a_device(board, tmp_path, capsys):
    cfg, out = board
    assert main(["--config", cfg, "backup", str(out / "good.db")]) == 0
    dev = _device(tmp_path / "devdb")
    before = _identity(dev)
    (tmp_path / "d.yaml").write_text(f"database: {dev}\n")
    capsys.readouterr()
    assert main(["--config", str(tmp_path / "d.yaml"), "restore", str(out / "good.db")]) == 2
    assert capsys.readouterr().err == (f"relboard: restore: {dev} is {KIND}; relboard writes "
                                       "only regular files and left it untouched — name a "
                                       "new file\n")
    assert _identity(dev) == before


def test_init_shared_never_writes_its_config_through_a_link(tmp_path, capsys):
    team = tmp_path / "team"
    assert main(["init", "--shared", str(team), "--group", str(os.getegid())]) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not relboard's\n")
    (team / "relboard-team.yaml").unlink()
    os.symlink(victim, team / "relboard-team.yaml")
    os.symlink(victim, team / "relboard.db-users")
    os.chmod(victim, 0o600)
    capsys.readouterr()
    assert main(["init", "--shared", str(team), "--group", str(os.getegid())]) == 2
    assert capsys.readouterr().err == (
        f"relboard: init: cannot write {team}/relboard-team.yaml: {team}/relboard-team.yaml "
        "is a symbolic link, where relboard writes its own file; it left the link untouched "
        "— remove it, then try again\n")
    assert victim.read_text() == "not relboard's\n"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o600, "share_file followed a link"


# A read-only file system (point 5): a real read-only mount in a private mount namespace
# where that is possible (root with unshare), and the same mapping simulated everywhere.

RO_SCRIPT = r"""
set -u
mkdir -p "$BASE/ro"
mount -t tmpfs tmpfs "$BASE/ro"
cp "$BASE/b.db" "$BASE/ro/b.db"
mount -o remount,ro "$BASE/ro"
echo "database: $BASE/b.db" > "$BASE/rw.yaml"
run() { cfg="$1"; shift; echo "== $*"; "$PY" -m relboard --config "$BASE/$cfg" "$@" 2>&1 \
        >/dev/null; echo "rc=$?"; }
run ro.yaml digest
run ro.yaml --read-only digest
run ro.yaml brief Acme
run ro.yaml --read-only brief Acme
run ro.yaml backup "$BASE/bk.db"
run ro.yaml export "$BASE/out.yaml"
run rw.yaml export "$BASE/ro/out.yaml"
run rw.yaml backup "$BASE/ro/bk.db"
echo "== ls"
ls -a "$BASE/ro"
"""


def test_a_read_only_file_system_is_told_as_such(tmp_path):
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("a read-only mount needs root and unshare (the simulated test runs)")
    from relboard.db import close_database, open_database
    from relboard.services import records
    from relboard.services.context import Context

    open_database(str(tmp_path / "b.db"))
    records.create(Context(user="ann"), "customer", {"name": "Acme"})
    close_database()
    (tmp_path / "ro.yaml").write_text(f"database: {tmp_path}/ro/b.db\n")
    env = {**os.environ, "BASE": str(tmp_path), "PY": sys.executable,
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([unshare, "-m", "--propagation", "private", "bash", "-c",
                           RO_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    if "== digest" not in done.stdout:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    said = dict(block.split("\n", 1) for block in done.stdout.split("== ")[1:])
    ro = (f"relboard: {{}}the database {tmp_path}/ro/b.db is on a read-only file system, "
          "where SQLite can neither save nor make its -wal and -shm files; relboard changed "
          "nothing — have it mounted read-write, or copy the file to a writable folder and "
          "point database: at the copy\nrc=2\n")
    for command in ("digest", "--read-only digest", "brief Acme", "--read-only brief Acme",
                    f"export {tmp_path}/out.yaml"):
        assert said[command] == ro.format("database: "), (command, done.stdout)
    assert said[f"backup {tmp_path}/bk.db"] == ro.format("backup: ")
    assert said[f"export {tmp_path}/ro/out.yaml"] == (
        f"relboard: cannot write {tmp_path}/ro/out.yaml: it is on a read-only file system "
        "(mounted read-only); the file was not created\nrc=2\n")
    assert said[f"backup {tmp_path}/ro/bk.db"] == (
        f"relboard: backup: cannot write in {tmp_path}/ro: it is on a read-only file system "
        "(mounted read-only); nothing was written\nrc=2\n")
    assert said["ls"].split() == [".", "..", "b.db"]  # no side file, no temporary file
    assert not (tmp_path / "bk.db").exists() and not (tmp_path / "out.yaml").exists()


def test_read_only_file_system_simulated(board, capsys, monkeypatch):
    """Where nothing can be mounted: the file system's read-only flag is what is read."""
    cfg, out = board
    database = Path(cfg).parent / "b.db"
    real = os.statvfs

    class Flags:
        def __init__(self, result):
            self.f_flag = result.f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", lambda path: Flags(real(path)))
    for command in (["digest"], ["export", str(out / "x.yaml")], ["brief", "C1"]):
        assert main(["--config", cfg, *command]) == 2
        assert capsys.readouterr().err == (
            f"relboard: database: the database {database} is on a read-only file system, "
            "where SQLite can neither save nor make its -wal and -shm files; relboard changed "
            "nothing — have it mounted read-write, or copy the file to a writable folder and "
            "point database: at the copy\n")


def test_a_write_refused_by_a_read_only_file_system_is_told_as_such(db, tmp_path, monkeypatch):
    """A file system remounted read-only under a running board: the failed save says so."""
    import sqlite3

    from relboard.dbfile import translate_error

    if not hasattr(db, "file_path"):
        pytest.skip("a database server has no file system of its own here")
    real = os.statvfs

    class Flags:
        def __init__(self, result):
            self.f_flag = result.f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", lambda path: Flags(real(path)))
    exc = sqlite3.OperationalError("attempt to write a readonly database")
    exc.sqlite_errorcode = 8  # SQLITE_READONLY
    problem = translate_error(exc, db)
    assert str(problem).startswith(f"the database {db.file_path} is on a read-only file "
                                   "system, where SQLite can neither save")
