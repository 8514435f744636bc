"""The command line: config errors as FILE:LINE:COL with exit 2, digest, check, import/export."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from relboard.__main__ import main
from relboard.migrations import LATEST

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
    assert main(["--config", str(path), "check"]) == 0
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
    assert main(["--config", str(cfg), "import", str(good)]) == 0
    assert "imported 1 records: 1 customers" in capsys.readouterr().out
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
    assert main(["--config", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert "theme 'nope' is not available; using relboard-dark" in out
    assert "today.snooze -> 'a' clashes with today.acknowledge" in out
