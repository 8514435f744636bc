"""Configuration files written for a test, and the errors loading one gives."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from relboard.config import ConfigError
from relboard.config_check import load_config
from relboard.db import close_database


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    """The file ``tmp_path/name`` holding ``text`` (dedented), UTF-8."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def for_the_command(tmp_path: Path, db_spec: str, more: str = "") -> str:
    """A config for a command run in the test (``database: db_spec``, user alice, then
    ``more``), the test's own database closed first so the command opens it: its path."""
    close_database()
    path = tmp_path / "c.yaml"
    path.write_text(f"database: '{db_spec}'\nuser: alice\n{more}")
    return str(path)


def errors_of(path: Path, env: dict | None = None) -> list[str]:
    """The errors loading ``path`` gives (it must fail), one line each, in order."""
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env or {})
    assert str(info.value) == "\n".join(info.value.errors)
    return info.value.errors
