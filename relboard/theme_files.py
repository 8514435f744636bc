"""Theme files read as data (PyYAML, no Textual): ``theming`` makes Textual themes of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relboard.resources import data_dir


def read_theme_file(path: Path) -> Any:
    """One theme file's data; ValueError says what is wrong (``FILE: ...``)."""
    from relboard.yamlstrict import StrictYAMLError, load_file  # PyYAML, when themes are read

    try:
        return _plain(load_file(path, max_bytes=65536))
    except StrictYAMLError as exc:
        raise ValueError(str(exc)) from None


def _plain(data: Any) -> Any:
    """Mappings and lists as plain dicts and lists (the reader's keep their places in the
    file, and a copy of them would need PyYAML to be read back)."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return data


def read_theme_files(folder: Path | None = None) -> list[tuple[str, Any, str | None]]:
    """Every ``*.yaml`` file in ``folder`` (default: the shipped themes), in name order:
    (path, data, None), or (path, None, what is wrong)."""
    out: list[tuple[str, Any, str | None]] = []
    for path in sorted((folder or data_dir("themes")).glob("*.yaml")):
        try:
            out.append((str(path), read_theme_file(path), None))
        except ValueError as exc:
            out.append((str(path), None, str(exc)))
    return out
