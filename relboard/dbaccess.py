"""Can this user write the SQLite database file: permissions, side files, a read-only mount.

SQLite needs the database file readable and writable and, in WAL mode, its ``-wal`` and
``-shm`` files too, which it creates in the same folder. ``writable_problems`` lists every
reason it cannot, each with the command that fixes it (``chmod g+rw`` for a file: a ``-wal``
one can write but not read is as bad as none); on a file system mounted read-only no chmod
helps, and that is the one thing said (``read_only_fs_problem``: EROFS has its own message,
never "damaged" nor "chmod").
"""

from __future__ import annotations

import os
from pathlib import Path


def read_only_fs(path: Path) -> bool:
    """Whether ``path`` (or, when it does not exist, its folder) is on a file system mounted
    read-only (``EROFS`` for every write: no chmod helps)."""
    for candidate in (path, path.parent):
        try:
            return bool(os.statvfs(candidate).f_flag & os.ST_RDONLY)
        except OSError:
            continue
    return False


def read_only_fs_problem(path: Path) -> str:
    """The one line for a database on a read-only file system."""
    return (f"the database {path} is on a read-only file system, where SQLite can neither "
            "save nor make its -wal and -shm files; relboard changed nothing — have it "
            "mounted read-write, or copy the file to a writable folder and point database: "
            "at the copy")


def writable_problems(path: Path) -> list[str]:
    """Every reason this user cannot write the database at ``path``, each with its fix.

    SQLite needs the file readable and writable and, in WAL mode, its ``-wal`` and ``-shm``
    files (read and write: a ``-wal`` one can write but not read is as bad as none), which it
    creates in the same folder (so the folder must be writable unless both exist). A
    read-only file system is the one reason then (``read_only_fs_problem``).
    """
    return list(writable_problems_of(path).values())


def writable_problems_of(path: Path) -> dict[Path, str]:
    """``writable_problems`` by the file or folder each is about."""
    if read_only_fs(path):
        return {path: read_only_fs_problem(path)}
    problems = {}
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        how = "read-only" if os.access(path, os.R_OK) else "not readable"
        problems[path] = (f"the database file {path} is {how} for you; ask its owner to make "
                          f"it group-readable and -writable (chmod g+rw {path}) and to add "
                          "you to its group, or point database: at a file you can write")
    sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    folder = path.parent
    if not all(side.exists() for side in sides) and not os.access(folder, os.W_OK | os.X_OK):
        problems[folder] = (f"the folder {folder} is not writable for you, and SQLite must "
                            f"create {sides[0].name} and {sides[1].name} in it; ask its owner "
                            f"to run chmod g+rwx {folder}")
    for side in sides:
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            problems[side] = (f"{side} is not readable and writable for you (another user "
                              f"left it); ask its owner to run chmod g+rw {side}")
    return problems


def writable_problem(path: Path) -> str | None:
    """The first of ``writable_problems`` (None: this user can write the database)."""
    problems = writable_problems(path)
    return problems[0] if problems else None
