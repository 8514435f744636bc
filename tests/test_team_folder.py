"""``init --shared`` never takes over a folder, and ``check`` of a shared database lists every
problem, with advice that works, and makes no file beside it.

The folder rules are the ones ``check`` applies to a shared database's folder
(``sharing.public_folder``); the other-user cases run the real command as another user
(``tests/users.py``: ``setpriv`` with numeric ids, root only).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.sharing import sharing_problems
from tests.users import ANN, BOB, TEAM_GID, needs_root, other_python, run_as


def _state(folder: Path) -> dict[str, tuple]:
    """Every entry of ``folder`` (and the folder itself) with its mode, owner and group."""
    entries = {".": folder, **{name: folder / name for name in os.listdir(folder)}}
    return {name: (path.lstat().st_mode, path.lstat().st_uid, path.lstat().st_gid)
            for name, path in entries.items()}


def _init(folder: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["init", "--shared", str(folder), "--group", str(os.getegid())])
    return code, capsys.readouterr().err


def test_init_refuses_a_public_folder_holding_other_peoples_files(tmp_path, capsys):
    public = tmp_path / "public"
    public.mkdir()
    os.chmod(public, 0o1777)
    (public / "someone-elses.txt").write_text("theirs\n")
    os.chown(public / "someone-elses.txt", 4999, 4999)
    before = _state(public)
    code, err = _init(public, capsys)
    assert code == 2
    assert err == (f"relboard: init: {public} is a public folder, world-writable and sticky "
                   "(mode 1777), whose files belong to many users; relboard will not change "
                   "it (that would lock them out) — make a new folder for the team under it: "
                   f"relboard init --shared {public}/relboard-team --group {os.getegid()}\n")
    assert _state(public) == before
    code, _ = _init(public / "relboard-team", capsys)  # what it says to do works
    assert code == 0 and _state(public)["."] == before["."]


@pytest.mark.parametrize("mode, how", [(0o777, "world-writable (mode 0777)"),
                                       (0o1770, "sticky (mode 1770)")])
def test_init_refuses_a_world_writable_or_sticky_folder_even_when_empty(tmp_path, capsys,
                                                                        mode, how):
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, mode)
    code, err = _init(folder, capsys)
    assert code == 2 and f"is a public folder, {how}, whose files" in err
    assert stat.S_IMODE(folder.stat().st_mode) == mode and os.listdir(folder) == []


def test_init_refuses_another_users_folder(tmp_path, capsys):
    folder = tmp_path / "theirs"
    folder.mkdir()
    os.chown(folder, 4998, 4998)
    before = _state(folder)
    code, err = _init(folder, capsys)
    assert code == 2 and err == (
        f"relboard: init: {folder} belongs to uid 4998, not you; relboard will not change "
        f"another user's folder — ask them to run relboard init --shared {folder}, or make a "
        f"new folder for the team under it: relboard init --shared {folder}/relboard-team "
        f"--group {os.getegid()}\n")
    assert _state(folder) == before


def test_init_refuses_a_folder_with_other_files_but_takes_its_own_again(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (folder / name).write_text("mine\n")
    before = _state(folder)
    code, err = _init(folder, capsys)
    assert code == 2 and err == (
        f"relboard: init: {folder} already holds other files (a.txt, b.txt, c.txt and 1 more) "
        "and is not a relboard team folder; relboard will not change its group and mode — "
        f"make a new folder for the team under it: relboard init --shared "
        f"{folder}/relboard-team --group {os.getegid()}\n")
    assert _state(folder) == before
    team = tmp_path / "team"
    assert _init(team, capsys)[0] == 0
    (team / "notes.txt").write_text("a team folder may hold more\n")
    assert _init(team, capsys)[0] == 0, "init again on its own team folder"
    private = tmp_path / "private"  # a folder holding only a board: made a team folder
    private.mkdir()
    (private / "c.yaml").write_text(f"database: {private / 'relboard.db'}\n")
    assert main(["--config", str(private / "c.yaml"), "init"]) == 0
    (private / "c.yaml").unlink()
    assert _init(private, capsys)[0] == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o2770


def test_check_refuses_a_shared_database_in_a_world_writable_folder_like_init(tmp_path,
                                                                              capsys):
    team = tmp_path / "team"
    assert _init(team, capsys)[0] == 0
    os.chmod(team, 0o777)
    problems = sharing_problems(team / "relboard.db")
    assert problems and problems[0].startswith(
        f"the shared database {team / 'relboard.db'} is in the public folder {team} "
        "(world-writable (mode 0777)), where users cannot share files safely")


@needs_root
def test_check_lists_every_problem_of_a_colleagues_private_wal_and_its_advice_works(
        tmp_path, capsys):
    """Bob's relboard left a private -wal (0600): Ann's check lists it (and the rest), with
    ``chmod g+rw`` (``g+w`` left it 0620, unreadable, and check then called it damaged),
    creating nothing beside the database; after that advice her check passes."""
    if other_python() is None:
        pytest.skip("no Python interpreter that other users may run has relboard's packages")
    base = Path("/tmp") / f"relboard-wal-{os.getpid()}"
    base.mkdir(mode=0o755)
    try:
        os.chmod(base, 0o755)
        team = base / "team"
        assert main(["init", "--shared", str(team), "--group", str(TEAM_GID)]) == 0
        db, cfg = team / "relboard.db", team / "relboard-team.yaml"
        home = base / "home"
        home.mkdir(mode=0o777)
        os.chmod(home, 0o777)
        wal = Path(f"{db}-wal")
        wal.touch()
        os.chown(wal, BOB, TEAM_GID)
        os.chmod(wal, 0o600)
        os.chmod(db, 0o640)  # a second problem, of the database itself
        names = sorted(os.listdir(team))
        done = run_as(ANN, "--config", str(cfg), "check", home=home)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        problems = [line for line in done.stdout.splitlines() if "problem:" in line]
        assert problems == [
            f"  problem: the database file {db} is read-only for you; ask its owner to make "
            f"it group-readable and -writable (chmod g+rw {db}) and to add you to its group, "
            "or point database: at a file you can write",
            f"  problem: {wal} is not readable and writable for you (another user left it); "
            f"ask its owner to run chmod g+rw {wal}"], done.stdout
        assert sorted(os.listdir(team)) == names, "check made a file beside the database"
        os.chmod(db, 0o660)
        os.chmod(wal, os.stat(wal).st_mode | 0o060)  # what it said: chmod g+rw
        done = run_as(ANN, "--config", str(cfg), "check", home=home)
        assert done.returncode == 0, done.stdout + done.stderr
        assert sorted(os.listdir(team)) == sorted(set(names) - {wal.name}), \
            "check left a side file it made"
    finally:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


def test_check_of_a_sound_database_makes_no_file_beside_it(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'b.db'}\n")
    assert main(["--config", str(cfg), "init"]) == 0
    before = sorted(os.listdir(tmp_path))
    assert main(["--config", str(cfg), "check"]) == 0
    assert sorted(os.listdir(tmp_path)) == before == ["b.db", "c.yaml"]
