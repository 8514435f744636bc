"""A viewer (``--read-only``/``read_only: true``) and "my view" from the command line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.db import ReadOnlyBoardError, close_database, open_database
from relboard.services import records
from relboard.services.context import Context
from tests import factories as f
from tests.conftest import NOW


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def board(tmp_path, monkeypatch):
    """A board with Ann's and Bob's customers, both overdue for contact; then closed."""
    path = tmp_path / "team.db"
    open_database(str(path))
    ctx = Context(user="ann", now_override=NOW)
    for name, owner in (("Ann Co", "ann"), ("Bob Co", "bob")):
        f.touchpoint(ctx, f.customer(ctx, name, owner=owner, cadence_days=1),
                     occurred_at=NOW.replace(day=NOW.day - 5))
    close_database()
    config = tmp_path / "c.yaml"
    config.write_text(f"database: {path}\nuser: ann\n")
    monkeypatch.setenv("RELBOARD_TODAY", NOW.date().isoformat())
    return path, str(config)


def test_a_viewer_reads_and_writes_nothing(board, tmp_path, capsys):
    path, config = board
    before = _digest(path)
    assert main(["--config", config, "--read-only", "digest"]) == 0
    assert "Bob Co" in capsys.readouterr().out
    data = tmp_path / "in.yaml"
    data.write_text("customers:\n  - {id: 1, name: Sneaky}\n")
    with pytest.raises(SystemExit) as refused:  # import writes: it takes no --read-only
        main(["--config", config, "--read-only", "import", str(data)])
    assert refused.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "relboard import: error: argument --read-only: import writes; a read-only board "
        "refuses it")
    assert _digest(path) == before


def test_a_viewer_never_creates_a_database(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text(f"database: {tmp_path / 'missing.db'}\n")
    assert main(["--config", str(config), "--read-only", "digest"]) == 2
    assert "does not exist; a read-only viewer opens an existing board" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()


def test_services_refuse_writes_on_a_read_only_connection(board):
    path, _ = board
    open_database(str(path), read_only=True)
    try:
        with pytest.raises(ReadOnlyBoardError):
            records.create(Context(user="ann"), "customer", {"name": "X"})
        assert records.get("customer", 1)["name"] == "Ann Co"  # reading works
    finally:
        close_database()


def test_digest_for_one_pm(board, capsys):
    _, config = board
    assert main(["--config", config, "digest", "--user", "bob"]) == 0
    out = capsys.readouterr().out
    assert "Bob Co" in out and "Ann Co" not in out and "— bob (mine and unowned)" in out
    assert main(["--config", config, "--mine", "digest"]) == 0
    out = capsys.readouterr().out
    assert "Ann Co" in out and "Bob Co" not in out
