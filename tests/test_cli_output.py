"""What the command line writes: no control character from data, config or a file reaches the
terminal (digest in three formats, export, check, messages), export is all or nothing and a
faithful round trip, and a reader that goes away ends a command quietly."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest
import yaml

from relboard import models as m
from relboard.__main__ import EXIT_BROKEN_PIPE, main
from relboard.db import close_database, open_database
from relboard.services.context import Context
from tests.conftest import NOW, TODAY
from tests.hostile import HOSTILE, controls_in, seed


def _hostile_database(path, *, valid_emails: bool = False) -> None:
    open_database(str(path))
    try:
        seed(Context(user="alice", now_override=NOW), TODAY)
        if valid_emails:  # import checks addresses; everything else stays hostile
            m.Contact.update(email="d@example.com").execute()
    finally:
        close_database()


def _config(tmp_path, database, name="c.yaml"):
    path = tmp_path / name
    path.write_text(f"database: {database}\nuser: alice\n")
    return str(path)


def _snapshot(database) -> str:
    """Every row of every table, to prove a failed command changed nothing."""
    with sqlite3.connect(database) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """A database with hostile text in every free-text column, and a config pointing at it."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = tmp_path / "hostile.db"
    _hostile_database(database)
    return _config(tmp_path, database), database


def _run(capfdbinary, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capfdbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def test_every_cli_output_on_hostile_data_is_free_of_controls(hostile, tmp_path, capfdbinary):
    cfg, database = hostile
    before = _snapshot(database)
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        code, out, err = _run(capfdbinary, "--config", cfg, "digest", "--format", fmt)
        assert code == 0 and out and not err, fmt
        outputs[f"digest {fmt}"] = out
    data = json.loads(outputs["digest json"])
    assert any("\u202e" in item["customer"] or "\x1b" in item["customer"]
               for item in data["items"]), "JSON keeps the data, escaped"
    code, outputs["export"], err = _run(capfdbinary, "--config", cfg, "export")
    assert code == 0 and not err
    target = tmp_path / "out.yaml"
    code, outputs["export FILE (stdout)"], err = _run(capfdbinary, "--config", cfg, "export",
                                                      str(target))
    assert code == 0 and not err
    outputs["export FILE"] = target.read_bytes().decode("utf-8")
    code, out, err = _run(capfdbinary, "--config", cfg, "check")
    outputs["check"] = out + err
    assert "integrity: ok" in out
    bad = tmp_path / "bad\x1b]0;pwned\x07.yaml"
    bad.write_text('customers:\n  - {id: 1, name: A, "\\e[2Jkey\\u202e": 1}\n'
                   '"\\x9b31mclients": []\n')
    code, out, err = _run(capfdbinary, "--config", cfg, "import", str(bad))
    assert code == 2 and not out
    outputs["import error"] = err
    assert "\\x1b]0;pwned\\x07.yaml" in err and "\\x9b31mclients" in err
    bad_config = tmp_path / "c\u202e.yaml"
    bad_config.write_text('"\\e[2Jdatabse": x\nuser: "ann\\u202e"\n')
    code, out, err = _run(capfdbinary, "--config", str(bad_config), "check")
    assert code == 2 and not out
    outputs["config error"] = err
    assert "\\x1b[2Jdatabse" in err and "c\\u202e.yaml" in err
    for name, text in outputs.items():
        assert controls_in(text) == [], name
    assert any(h[:12] in outputs["export"] for h in HOSTILE if h.isprintable())
    assert _snapshot(database) == before


def test_export_escapes_control_characters_and_import_refuses_them(tmp_path, monkeypatch,
                                                                     capfdbinary):
    """A board holding control characters (left by another program) exports them escaped;
    importing that file names the first one with its line and column and stores nothing: on
    every way in, control characters are refused (bidi marks and isolates are text)."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    _hostile_database(tmp_path / "one.db", valid_emails=True)
    first_cfg = _config(tmp_path, tmp_path / "one.db", "one.yaml")
    second_cfg = _config(tmp_path, tmp_path / "two.db", "two.yaml")
    first = tmp_path / "first.yaml"
    assert main(["--config", first_cfg, "export", str(first)]) == 0
    text = first.read_text(encoding="utf-8")
    assert controls_in(text) == []
    assert '"evil\\u202etxt.exe \\u2066isolate\\u2069 \\u202aembed\\u202c"' in text
    loaded = yaml.safe_load(text)
    assert any("\x1b]0;pwned" in str(value) for row in loaded["customers"]
               for value in row.values())
    code, out, err = _run(capfdbinary, "--config", second_cfg, "--create", "import",
                          str(first))
    assert code == 2 and not out and err.count("\n") == 1
    assert re.match(rf"relboard: {re.escape(str(first))}:\d+:\d+: record \d+ \(.*\): \w+: "
                    r"contains control characters \(U\+00", err), err


def test_export_on_a_full_disk_keeps_the_old_file(hostile, tmp_path, monkeypatch, capfdbinary):
    cfg, database = hostile
    target = tmp_path / "export.yaml"
    target.write_text("the previous export\n")
    os.chmod(target, 0o640)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, out, err = _run(capfdbinary, "--config", cfg, "export", str(target))
    assert code == 2 and not out
    assert err == (f"relboard: cannot write {target}: No space left on device; "
                   "the file was left as it was\n")
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "export" in p.name) == ["export.yaml"]
    monkeypatch.undo()
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    assert main(["--config", cfg, "export", str(target)]) == 0
    assert target.read_text().startswith("relboard: 1\n")
    assert os.stat(target).st_mode & 0o777 == 0o640, "an existing file keeps its mode"


def test_export_into_a_missing_folder_is_bad_input(hostile, tmp_path, capfdbinary):
    cfg, _ = hostile
    target = tmp_path / "no" / "such" / "x.yaml"
    code, out, err = _run(capfdbinary, "--config", cfg, "export", str(target))
    assert (code, out) == (2, "")
    assert err == (f"relboard: cannot write {target}: No such file or directory; "
                   "the file was not created\n")
    assert not target.parent.exists()


@pytest.mark.parametrize("command", [["export"], ["digest"], ["digest", "--format", "json"],
                                     ["check"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(hostile, tmp_path, command):
    cfg, database = hostile
    before = _snapshot(database)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.Popen([sys.executable, "-m", "relboard", "--config", cfg, *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # like `| head -0`: every write finds the pipe closed
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert err == b""
    assert _snapshot(database) == before


def test_digest_and_export_are_clean_before_the_cli_guard(db, ctx):
    """Each format escapes controls itself; the CLI's guard is only the last line of defence."""
    from relboard.services.digest import render
    from relboard.services.export import export_text

    seed(ctx, TODAY)
    for fmt in ("text", "markdown", "json"):
        text = render(ctx, fmt)
        assert controls_in(text.replace("\n", "")) == [], fmt
    data = json.loads(render(ctx, "json"))
    assert any(h in (item["customer"], item["title"]) for item in data["items"] for h in HOSTILE)
    assert controls_in(export_text()) == []
    assert "O\\x92Brien" in export_text() or "O\\u0092Brien" in export_text()
