"""A board shared by several Unix users: ``init --shared`` and the permission checks at start.

The two-user test runs the real command as two other users (``setpriv`` with numeric ids,
which need no /etc/passwd entry, so nothing on the system changes); it needs root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.sharing import sharing_problems

TEAM_GID, ANN, BOB = 4242, 4101, 4102
SETPRIV = shutil.which("setpriv")
needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None,
    reason="acting as two other users needs root and setpriv (util-linux)")


_PACKAGES = ("relboard", "yaml", "_yaml", "peewee.py", "playhouse", "platformdirs",
             # check reads the theme and keymap as the board would: Textual and what it loads
             "textual", "rich", "typing_extensions.py", "markdown_it", "mdurl", "pygments")
_STAGED: list[str] = []


def _staged() -> str:
    """A folder every user may read holding relboard and the packages it imports.

    The checkout and its virtual environment may sit in a folder private to root (a CI clone
    in ``mktemp -d``, a venv in root's home); the other users' relboard reads this copy.
    """
    if not _STAGED:
        import atexit
        import importlib.util

        base = Path(tempfile.mkdtemp(prefix="relboard-packages-"))
        atexit.register(shutil.rmtree, base, True)
        os.chmod(base, 0o755)
        for name in _PACKAGES:
            spec = importlib.util.find_spec(name.removesuffix(".py"))
            origin = Path(spec.origin)
            source = origin if name.endswith(".py") else origin.parent
            target = base / source.name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, target)
        from relboard.resources import data_dir

        for data in ("themes", "sample_data"):  # an install has them inside the package
            source = data_dir(data)
            if not (base / "relboard" / data).exists():
                shutil.copytree(source, base / "relboard" / data,
                                ignore=shutil.ignore_patterns("__pycache__"))
        for folder, _dirs, files in os.walk(base):
            os.chmod(folder, 0o755)
            for file in files:
                os.chmod(Path(folder) / file, 0o644)
        _STAGED.append(str(base))
    return _STAGED[0]


def _env(home: Path) -> dict[str, str]:
    """What another user's relboard needs: a readable copy of it and its packages."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": _staged()}


_PYTHON: list[str | None] = []


def _python() -> str | None:
    """An interpreter other users may run (this one may live in root's private home), of
    this Python's version, that imports relboard's packages; None if there is none."""
    if not _PYTHON:
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        found = None
        for candidate in (sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin")):
            if candidate and subprocess.run(
                    [SETPRIV, f"--reuid={ANN}", f"--regid={ANN}", "--clear-groups", candidate,
                     "-c", "import yaml, peewee, platformdirs, relboard.db"],
                    env=_env(Path("/")), capture_output=True, timeout=60).returncode == 0:
                found = candidate
                break
        _PYTHON.append(found)
    return _PYTHON[0]


def _as(uid: int, *args: str, umask: str = "002", stdin: str | None = None,
        home: Path) -> subprocess.CompletedProcess:
    """Run ``relboard ARGS`` as ``uid`` (own group = uid, member of the team group)."""
    env = {**_env(home), "USER": f"pm{uid}", "LOGNAME": f"pm{uid}"}
    command = [SETPRIV, f"--reuid={uid}", f"--regid={uid}", f"--groups={TEAM_GID}", _python(),
               "-m", "relboard", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, input=stdin,
                          timeout=120, umask=int(umask, 8))


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
    if _python() is None:
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
        [SETPRIV, f"--reuid={BOB}", f"--regid={BOB}", f"--groups={TEAM_GID}", _python(), "-c",
         "import sys; from relboard.db import open_database; from relboard.services import "
         "records; from relboard.services.context import Context; open_database(sys.argv[1]); "
         "records.create(Context(user='bob'), 'customer', {'name': 'Bob first'}); "
         "print('open', flush=True); sys.stdin.readline(); "
         "records.create(Context(user='bob'), 'customer', {'name': 'Bob later'})", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(home), umask=0o002)
    try:
        assert holder.stdout.readline() == "open\n", holder.stderr.read()
        assert Path(f"{db}-wal").stat().st_uid == BOB
        done = _as(ANN, "--config", str(cfg), "import", str(_import_file(outside, "Ann")),
                   home=home)
        assert done.returncode == 0, done.stderr
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(60) == 0
    finally:
        holder.kill()
    done = _as(BOB, "--config", str(cfg), "import", str(_import_file(outside, "Bob")),
               home=home)
    assert done.returncode == 0, done.stderr
    export = _as(ANN, "--config", str(cfg), "export", home=home)
    assert export.returncode == 0, export.stderr
    for name in ("Bob first", "Ann", "Bob later", "Bob"):
        assert f"name: {name}\n" in export.stdout

    def refused(*fragments: str, umask: str = "002") -> None:
        run = _as(ANN, "--config", str(cfg), "digest", umask=umask, home=home)
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
    assert _as(ANN, "--config", str(cfg), "digest", home=home).returncode == 0


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
