"""A board shared by several Unix users: ``init --shared`` and the permission checks at start.

The two-user test runs the real command as two other users (``setpriv`` with numeric ids,
which need no /etc/passwd entry, so nothing on the system changes); it needs root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.sharing import sharing_problems
from tests.users import ANN, BOB, SETPRIV, TEAM_GID, needs_root, other_python, run_as, user_env


@pytest.fixture
def outside():
    """A folder other users can reach (pytest's own tmp folders are private to root)."""
    base = Path(tempfile.mkdtemp(prefix="relboard-shared-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _import_file(base: Path, name: str) -> Path:
    path = base / f"{name}.yaml"
    path.write_text(f"relboard: 1\ncustomers:\n  - {{name: {name}}}\n")
    os.chmod(path, 0o644)
    return path


@needs_root
def test_two_users_share_a_board_made_by_init_shared_and_start_catches_lockouts(outside,
                                                                                capsys):
    if other_python() is None:
        pytest.skip("no Python interpreter that other users may run has relboard's packages")
    team = outside / "team"
    assert main(["init", "--shared", str(team), "--group", str(TEAM_GID)]) == 0
    out = capsys.readouterr().out
    assert "database: " in out and f"be in group {TEAM_GID}" in out
    db, cfg = team / "relboard.db", team / "relboard-team.yaml"
    assert (team.stat().st_mode & 0o7777, team.stat().st_gid) == (0o2770, TEAM_GID)
    assert (db.stat().st_mode & 0o777, db.stat().st_gid) == (0o660, TEAM_GID)
    assert cfg.read_text() in out
    home = outside / "home"
    home.mkdir(mode=0o777)
    os.chmod(home, 0o777)

    # Bob keeps the board open (his -wal/-shm exist) while Ann saves; then he saves too.
    holder = subprocess.Popen(
        [SETPRIV, f"--reuid={BOB}", f"--regid={BOB}", f"--groups={TEAM_GID}", other_python(),
         "-c",
         "import sys; from relboard.db import open_database; from relboard.services import "
         "records; from relboard.services.context import Context; open_database(sys.argv[1]); "
         "records.create(Context(user='bob'), 'customer', {'name': 'Bob first'}); "
         "print('open', flush=True); sys.stdin.readline(); "
         "records.create(Context(user='bob'), 'customer', {'name': 'Bob later'})", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=user_env(home), umask=0o002)
    try:
        assert holder.stdout.readline() == "open\n", holder.stderr.read()
        assert Path(f"{db}-wal").stat().st_uid == BOB
        done = run_as(ANN, "--config", str(cfg), "import", str(_import_file(outside, "Ann")),
                      home=home)
        assert done.returncode == 0, done.stderr
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(60) == 0
    finally:
        holder.kill()
    done = run_as(BOB, "--config", str(cfg), "import", str(_import_file(outside, "Bob")),
                  home=home)
    assert done.returncode == 0, done.stderr
    export = run_as(ANN, "--config", str(cfg), "export", home=home)
    assert export.returncode == 0, export.stderr
    for name in ("Bob first", "Ann", "Bob later", "Bob"):
        assert f"name: {name}\n" in export.stdout

    def refused(*fragments: str, umask: str = "002") -> None:
        run = run_as(ANN, "--config", str(cfg), "digest", umask=umask, home=home)
        assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
        assert run.stderr.startswith("relboard: database: ") and "Traceback" not in run.stderr
        for fragment in fragments:
            assert fragment in run.stderr, run.stderr

    os.chmod(db, 0o644)  # Ann cannot save; the owner could, and would lock her out
    refused(f"the database file {db} is read-only for you", f"(chmod g+rw {db})")
    old_umask = os.umask(0o002)
    try:
        assert main(["--config", str(cfg), "digest"]) == 2
    finally:
        os.umask(old_umask)
    assert capsys.readouterr().err == (
        f"relboard: database: the database {db} is not group-writable (mode 0644), which "
        f"locks the others out of saving; run: chmod g+rw {db}\n")
    os.chmod(db, 0o660)
    os.chmod(team, 0o770)
    refused(f"the shared folder {team} is not setgid (mode 0770)",
            f"; ask root to run: chmod g+rwxs {team}")
    os.chmod(team, 0o2770)
    wal = Path(f"{db}-wal")
    wal.touch()
    os.chown(wal, BOB, TEAM_GID)  # the setgid folder gives it the team group
    os.chmod(wal, 0o644)
    refused(f"{wal} is not readable and writable for you (another user left it)",
            f"chmod g+rw {wal}")
    old_umask = os.umask(0o002)
    try:
        problems = sharing_problems(db)  # what a user who could still write it is told
    finally:
        os.umask(old_umask)
    assert problems == [
        f"the file {wal} (left by uid {BOB}) is not group-writable (mode 0644), which locks "
        f"the others out of saving; ask uid {BOB} (its owner) or root to run: chmod g+rw {wal}"]
    wal.unlink()
    refused("your umask 022 makes the files you create in the shared folder",
            "run: umask 002", umask="022")
    assert run_as(ANN, "--config", str(cfg), "digest", home=home).returncode == 0


def test_a_private_database_is_never_checked(tmp_path, db):
    os.chmod(tmp_path, 0o700)
    assert sharing_problems(tmp_path / "relboard.db") == []


def test_check_lists_every_sharing_problem_with_its_fix(tmp_path, capsys):
    team = tmp_path / "team"
    assert main(["init", "--shared", str(team), "--group", str(os.getegid())]) == 0
    os.chmod(team / "relboard.db", 0o640)
    os.chmod(team, 0o770)
    capsys.readouterr()
    old = os.umask(0o002)
    try:
        assert main(["--config", str(team / "relboard-team.yaml"), "check"]) == 1
    finally:
        os.umask(old)
    problems = [line for line in capsys.readouterr().out.splitlines() if "problem:" in line]
    assert problems == [
        f"  problem: the shared folder {team} is not setgid (mode 0770), so files a colleague's "
        f"relboard creates there can lock the others out; run: chmod g+rwxs {team}",
        f"  problem: the database {team / 'relboard.db'} is not group-writable (mode 0640), "
        f"which locks the others out of saving; run: chmod g+rw {team / 'relboard.db'}"]


def test_init_needs_a_group_for_a_new_folder(tmp_path, capsys):
    assert main(["init", "--shared", str(tmp_path / "new")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"relboard: init: say which Unix group shares the board: relboard "
                          f"init --shared {tmp_path / 'new'} --group GROUP (your groups: ")
    assert not (tmp_path / "new").exists()
