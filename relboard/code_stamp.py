"""A stamp of relboard's code: the size and time of every module, so anything kept between
runs from what the code made (the demo board, the written SQL) is made afresh after a change
(with the package's place: an install whose files all carry one time is a new path)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent)


def code_stamp(folder: str = ROOT) -> str:
    """Size and time of every module of relboard under ``folder`` (a changed module, an
    import or a schema, is new code)."""
    parts = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                parts.append(code_stamp(entry.path))
            elif entry.name.endswith((".py", ".pyc")):  # .pyc: an install without sources
                stat = entry.stat()
                parts.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)
