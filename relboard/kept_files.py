"""Files the board keeps between runs in the user's cache folder (what a start made that
the next one can take: the SQL of Today's first read, parsed YAML), read and written safely.

A file is read only when it is a regular file this user owns in a folder that only this user
may write, and nobody else may write the file (it holds what the board runs or trusts); a
pipe or a link put in its place is not opened, nor waited on. A file is written whole under
a temporary name in its folder (made 0700 when missing) and renamed over the old one, never
over anything but a regular file; beyond a number of files of its kind the oldest go.
Every failure is the caller's to ignore: a kept file only ever saves work.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any


def cache_folder() -> Path:
    """The user's cache folder for relboard (``$XDG_CACHE_HOME/relboard`` on Linux)."""
    import platformdirs

    return platformdirs.user_cache_path("relboard")


def digest(value: Any) -> str:
    """A digest of a JSON value (keys sorted): what a file says its content sums to."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def stamp(*parts: str) -> str:
    """A file's stamp: relboard's version, place and modules (``code_stamp``), then ``parts``
    (what else the content depends on), as 24 hex digits."""
    import relboard
    from relboard.code_stamp import ROOT, code_stamp

    summed = hashlib.sha256()
    for part in (relboard.__version__, ROOT, code_stamp(), *parts):
        summed.update(part.encode())
        summed.update(b"\0")
    return summed.hexdigest()[:24]


def read_stamped(path: Path, stamp: str, key: str) -> dict[str, Any]:
    """The mapping under ``key`` of the file ``write_stamped`` wrote at ``path`` with this
    ``stamp``; {} when there is none, it is not safe to read (``read_json``), was made with
    another stamp or fails its digest."""
    try:
        found = read_json(path)
        if isinstance(found, dict) and found.get("stamp") == stamp \
                and isinstance(found.get(key), dict) and found.get("digest") == digest(found[key]):
            return found[key]
    except (OSError, ValueError, UnicodeError, RecursionError):
        pass  # no file, or not one of ours
    return {}


def write_stamped(path: Path, stamp: str, key: str, content: dict[str, Any], keep: int) -> None:
    """Write ``content`` under ``key`` with its stamp and digest (``write_json``)."""
    write_json(path, {"stamp": stamp, key: content, "digest": digest(content)}, keep)


def own(facts: os.stat_result) -> bool:
    """This user's, and no one else may write it."""
    return facts.st_uid == os.getuid() and not facts.st_mode & 0o022


def read_json(path: Path) -> Any:
    """The JSON of ``path`` when it is a regular file in a folder, both only this user's to
    write (else None); OSError when there is no such file, ValueError when it is not JSON."""
    data = read_bytes(path)
    return None if data is None else json.loads(data)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular file in a folder, both only this user's to
    write (else None); OSError when there is no such file."""
    if not own(os.stat(path.parent)):
        return None
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as file:
        facts = os.fstat(file.fileno())
        if not stat.S_ISREG(facts.st_mode) or not own(facts):
            return None
        return file.read()


def write_json(target: Path, value: Any, keep: int) -> None:
    """Write ``value`` as the JSON of ``target`` (``write_bytes``)."""
    write_bytes(target, json.dumps(value).encode("utf-8"), keep)


def write_bytes(target: Path, data: bytes, keep: int) -> None:
    """Write ``data`` as ``target`` (whole, then renamed), then remove the oldest files of
    its kind (``<kind>-*<suffix>``, the kind being the name up to its first ``-``) beyond
    ``keep``. OSError when the folder cannot be made or written, or ``target`` is not a
    regular file (it is left as it is)."""
    import tempfile

    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OSError(f"{target} is not a regular file: left as it is")
    kind, suffix = target.name.partition("-")[0], target.suffix
    handle, temporary = tempfile.mkstemp(prefix=f".{kind}-", suffix=suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    files = sorted(folder.glob(f"{kind}-*{suffix}"), key=lambda f: f.stat().st_mtime,
                   reverse=True)
    for old in files[keep:]:  # other settings' (another board, the demo) stay; old code's go
        if old != target:
            old.unlink(missing_ok=True)
