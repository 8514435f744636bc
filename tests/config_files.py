"""Configuration files written for a test, and the errors loading one gives."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from relboard.config import ConfigError
from relboard.config_check import load_config


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    """The file ``tmp_path/name`` holding ``text`` (dedented), UTF-8."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path: Path, env: dict | None = None) -> list[str]:
    """The errors loading ``path`` gives (it must fail), one line each, in order."""
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env or {})
    assert str(info.value) == "\n".join(info.value.errors)
    return info.value.errors
