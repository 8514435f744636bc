"""A stamp of relboard's code: the size and time of every module, so anything kept between
runs from what the code made (the demo board, the written SQL) is made afresh after a change
(with the package's place: an install whose files all carry one time is a new path)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent)


_OURS: list[str] = []


def code_stamp(folder: str = ROOT, suffixes: tuple[str, ...] = (".py", ".pyc")) -> str:
    """Size and time of every module of relboard under ``folder`` (a changed module, an
    import or a schema, is new code; ``suffixes``: the files that are modules). relboard's
    own is read once a process (its code does not change under it)."""
    if folder == ROOT and suffixes == (".py", ".pyc") and _OURS:
        return _OURS[0]
    parts = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                parts.append(code_stamp(entry.path, suffixes))
            elif entry.name.endswith(suffixes):  # .pyc: an install without sources
                stat = entry.stat()
                parts.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    stamp = "\n".join(parts)
    if folder == ROOT and suffixes == (".py", ".pyc"):
        _OURS[:] = [stamp]
    return stamp
