"""``--demo`` copies a prepared board from the user's cache when one fits the settings."""

from __future__ import annotations

import json
import sqlite3

import pytest

from relboard.__main__ import main
from relboard.services import sample


@pytest.fixture(autouse=True)
def noon(monkeypatch):
    """One time of day for every run of a test: a config's ``today`` pins the date and keeps
    the real time, so two digests a moment apart across the hour said "breached by 35h" and
    "36h" (a run at 03:10 UTC)."""
    import datetime as dt

    from relboard.services import context

    monkeypatch.setattr(context, "utc_now", lambda: dt.datetime(2026, 12, 6, 12, 0))


@pytest.fixture
def imports(monkeypatch):
    """How many times the sample portfolio is imported."""
    calls = []
    real = sample.load_sample
    monkeypatch.setattr(sample, "load_sample", lambda ctx: calls.append(ctx) or real(ctx))
    return calls


def _digest(capsys, *args) -> dict:
    assert main(["digest", "--demo", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def _config(tmp_path, **values) -> str:
    path = tmp_path / "config.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in values.items()))
    return str(path)


def _cached(home):
    return sorted((home / ".cache" / "relboard").glob("demo-*.db"))


def test_the_second_demo_copies_the_first_ones_board(isolated_env, imports, capsys, tmp_path):
    config = _config(tmp_path, user="ann", today="2026-11-23")
    first = _digest(capsys, "--config", config)
    assert len(imports) == 1 and len(_cached(isolated_env)) == 1
    second = _digest(capsys, "--config", config)
    assert len(imports) == 1  # not imported again
    assert second["items"] == first["items"] and second["counts"] == first["counts"]
    assert first["counts"]["sla"] >= 1


def test_another_day_or_user_makes_its_own_board(isolated_env, imports, capsys, tmp_path):
    _digest(capsys, "--config", _config(tmp_path, user="ann", today="2026-11-23"))
    _digest(capsys, "--config", _config(tmp_path, user="ann", today="2026-11-24"))
    _digest(capsys, "--config", _config(tmp_path, user="bob", today="2026-11-24"))
    assert len(imports) == 3  # dates and names in the sample depend on both
    assert len(_cached(isolated_env)) == 1  # only the latest is kept
    _digest(capsys, "--config", _config(tmp_path, user="bob", today="2026-11-24"))
    assert len(imports) == 3


def test_a_broken_prepared_board_is_replaced(isolated_env, imports, capsys, tmp_path):
    config = _config(tmp_path, user="ann", today="2026-11-23")
    first = _digest(capsys, "--config", config)
    [cached] = _cached(isolated_env)
    cached.write_bytes(b"not a database at all" * 100)
    again = _digest(capsys, "--config", config)
    assert again["items"] == first["items"] and len(imports) == 2
    [cached] = _cached(isolated_env)
    with sqlite3.connect(cached) as conn:  # a whole database again
        assert conn.execute("SELECT COUNT(*) FROM customer").fetchone()[0] > 0


def test_a_cache_that_cannot_be_written_is_skipped(isolated_env, imports, capsys, tmp_path,
                                                   monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    config = _config(tmp_path, user="ann", today="2026-11-23")
    first = _digest(capsys, "--config", config)
    second = _digest(capsys, "--config", config)
    assert first["items"] == second["items"] and len(imports) == 2
