"""A damaged or empty database file is never a new board: every command refuses it in one line
(exit 2), the file left exactly as it was, nothing made beside it.

The exceptions, on purpose: ``init`` makes a 0-byte file a board, and ``restore`` puts a
backup in place of a damaged file (the advice every refusal gives).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from relboard.__main__ import main
from tests import factories as f

FILES = {
    "0 bytes": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(f.database_file(p, customers=100)[:20480]),
    "random bytes": lambda p: p.write_bytes(random.Random(19).randbytes(16384)),
}

COMMANDS = [  # every command of `relboard --help` (the board itself: a test below)
    ["digest"], ["digest", "--format", "json"], ["--read-only", "digest"], ["--mine", "digest"],
    ["check"], ["check", "--repair"],
    ["import", "{dir}/in.yaml"], ["import", "--merge", "{dir}/in.yaml"],
    ["export"], ["export", "{dir}/out.yaml"], ["export", "-"],
    ["migrate-to", "postgresql://nobody@127.0.0.1:1/none"],
    ["log", "Acme", "a call"], ["issue", "add", "Acme", "Broken", "--severity", "high"],
    ["expect", "Acme", "A plan", "--due", "+3d"], ["brief", "Acme"],
    ["--read-only", "brief", "Acme"], ["backup", "{dir}/backup.db"], ["backup", "{dir}"],
]


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder``: its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture(params=list(FILES))
def damaged(request, tmp_path):
    """A folder with a config, an import file and the damaged database ``b.db``."""
    folder = tmp_path / "board"
    folder.mkdir()
    FILES[request.param](folder / "b.db")
    for side in ("-wal", "-shm", "-users"):
        (folder / f"b.db{side}").unlink(missing_ok=True)
    (folder / "c.yaml").write_text(f"database: {folder / 'b.db'}\nuser: ann\n")
    (folder / "in.yaml").write_text("customers:\n  - {id: 1, name: Acme}\n")
    return request.param, folder


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_refuses_a_damaged_or_empty_file_and_leaves_it_as_it_was(
        damaged, command, capsys):
    case, folder = damaged
    before = _snapshot(folder)
    capsys.readouterr()
    code = main(["--config", str(folder / "c.yaml"),
                 *(word.format(dir=folder) for word in command)])
    out = capsys.readouterr()
    assert code == 2, (case, out)
    assert out.out == "" and out.err.count("\n") == 1 and out.err.startswith("relboard: ")
    assert "Traceback" not in out.err
    assert any(word in out.err for word in ("empty (0 bytes)", "damaged", "not an SQLite")), \
        out.err
    if case == "0 bytes":
        assert "run relboard init to start a new board in it" in out.err
    assert _snapshot(folder) == before, "the file changed, or a file was made beside it"


def test_the_board_refuses_it_too(damaged):
    case, folder = damaged
    before = _snapshot(folder)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "relboard", "--config",
                           str(folder / "c.yaml")], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done
    assert _snapshot(folder) == before


def test_init_makes_a_zero_byte_file_a_board_on_purpose(tmp_path, capsys):
    path = tmp_path / "b.db"
    path.write_bytes(b"")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {path}\n")
    assert main(["--config", str(cfg), "check"]) == 2
    assert main(["--config", str(cfg), "--create", "digest"]) == 2, "--create is not init"
    assert path.stat().st_size == 0
    capsys.readouterr()
    assert main(["--config", str(cfg), "init"]) == 0
    assert capsys.readouterr().out == (f"database {path}: was an empty (0-byte) file; made it "
                                       "an empty board\n")
    assert main(["--config", str(cfg), "check"]) == 0
    assert "Nothing needs you today" in (capsys.readouterr(), main(["--config", str(cfg),
                                         "digest"]), capsys.readouterr().out)[2]


@pytest.mark.parametrize("case", ["truncated", "random bytes"])
def test_restore_puts_a_backup_in_place_of_a_damaged_file_and_keeps_it(case, tmp_path,
                                                                         capsys):
    good = tmp_path / "good.db"
    f.database_file(good, customers=3)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {good}\n")
    assert main(["--config", str(cfg), "backup", str(tmp_path / "backup.db")]) == 0
    path = tmp_path / "b.db"
    FILES[case](path)
    for side in ("-wal", "-shm", "-users"):
        (tmp_path / f"b.db{side}").unlink(missing_ok=True)
    damaged = path.read_bytes()
    cfg.write_text(f"database: {path}\n")
    assert main(["--config", str(cfg), "restore", str(tmp_path / "backup.db")]) == 0
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("b.db.replaced-")]
    assert [p.read_bytes() for p in kept] == [damaged]
    assert main(["--config", str(cfg), "check"]) == 0


def test_a_new_board_is_never_seen_at_zero_bytes(tmp_path, monkeypatch, capsys):
    """relboard makes a new database whole (a header page) beside its name and links it
    there, so a second relboard starting at that moment never finds a 0-byte file."""
    seen = []
    real_link = os.link

    def link(src, dst, *args, **kwargs):
        seen.append((Path(dst).name, os.path.getsize(src), os.path.exists(dst)))
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'b.db'}\n")
    assert main(["--config", str(cfg), "init"]) == 0
    assert seen == [("b.db", 4096, False)]
    assert sorted(os.listdir(tmp_path)) == ["b.db", "c.yaml"]


def test_a_link_to_nothing_is_refused_not_followed(tmp_path, capsys):
    (tmp_path / "b.db").symlink_to(tmp_path / "elsewhere.db")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'b.db'}\n")
    assert main(["--config", str(cfg), "--create", "digest"]) == 2
    assert capsys.readouterr().err == (
        f"relboard: database: {tmp_path / 'b.db'} is a symbolic link to "
        f"{tmp_path / 'elsewhere.db'}, which does not exist; point database: at the file "
        "itself\n")
    assert not (tmp_path / "elsewhere.db").exists()
