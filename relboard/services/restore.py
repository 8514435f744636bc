"""``relboard restore``: put a backup back in place of the SQLite database, keeping the old one.

In order: the backup must open, pass ``integrity_check`` and ``foreign_key_check``, and be a
relboard database no newer than this relboard. Nobody may have the database open (the
presence file, ``relboard.presence``; ``force`` overrides). The backup is copied (SQLite's
backup API) into a temporary file beside the database, given the old file's mode and group,
and checked. The old database stays, hard-linked as ``DB.replaced-YYYYmmdd-HHMMSS`` (with its
``-wal`` as ``DB.replaced-...-wal``: SQLite reads the pair as one consistent database); its
``-wal``/``-shm`` are removed, so they cannot be applied to the new file, and the copy is
renamed over the database in one step. A board still open on the old file (``force``) says
"deleted or replaced" on its next save or refresh (``dbfile.GuardedSqliteDatabase``).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from relboard.presence import alone
from relboard.safe_write import sync_folder
from relboard.services.backup import BackupError, copy_into, open_sqlite, stamp, verify
from relboard.sharing import current_umask, is_shared, share_file


@dataclass(frozen=True)
class Restored:
    """The outcome of a restore: what the database now holds and where the old one is."""

    database: Path
    records: int
    schema: int
    kept: Path | None
    others_present: bool


def _keep(database: Path, now: _dt.datetime | None) -> Path | None:
    """Hard-link the current database (and its ``-wal``) under a ``.replaced-`` name."""
    if not database.exists() or database.stat().st_size == 0:
        return None
    base = f"{database.name}.replaced-{stamp(now)}"
    kept, n = database.with_name(base), 1
    while kept.exists():
        n += 1
        kept = database.with_name(f"{base}-{n}")
    pairs = [(database, kept)]
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        pairs.append((wal, kept.with_name(kept.name + "-wal")))
    for old, new in pairs:
        try:
            os.link(old, new)
        except OSError:  # a file system without hard links
            shutil.copy2(old, new)
    return kept


def _mode_and_group(database: Path) -> tuple[int, int | None]:
    """The mode (and group) the restored file gets: the old file's, else a new file's."""
    try:
        info = database.stat()
        return stat.S_IMODE(info.st_mode), info.st_gid
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
        return (mode | 0o060 if is_shared(database) else mode), None


def restore_file(src: Path, database: Path, force: bool = False,
                 now: _dt.datetime | None = None) -> Restored:
    """Replace the SQLite ``database`` with the backup ``src``; see the module's docstring.

    ``BackupError`` for a backup that cannot be used (nothing changed); ``BoardInUseError``
    while others have the database open, unless ``force``.
    """
    src = Path(os.path.abspath(os.path.expanduser(src)))
    database = _target(database)
    if src == database or (database.exists() and src.exists() and src.samefile(database)):
        raise BackupError(f"restore: {src} is the database itself; name a backup file")
    source = open_sqlite(src, "restore", read_only=True)
    try:
        records, schema = verify(source, src, "restore")
        database.parent.mkdir(parents=True, exist_ok=True)
        with alone(database, force) as was_alone:
            mode, gid = _mode_and_group(database)
            temp = copy_into(source, database.parent, f".{database.name}.restore-", mode,
                             "restore")
            try:
                if gid is not None and os.stat(temp).st_gid != gid:
                    try:
                        os.chown(temp, -1, gid)
                    except PermissionError:
                        pass  # not in that group: the sharing check at start will say so
                if is_shared(database):
                    share_file(temp)
                kept = _keep(database, now)
                _target(database)  # still a regular file (or absent) a moment before
                for suffix in ("-wal", "-shm"):
                    database.with_name(database.name + suffix).unlink(missing_ok=True)
                os.replace(temp, database)
            finally:
                temp.unlink(missing_ok=True)
            sync_folder(database.parent)
    finally:
        source.close()
    return Restored(database, records, schema, kept, not was_alone)


def _target(database: Path) -> Path:
    """The database file to replace: a regular file or a new name (``safe_write``), never a
    device, pipe, folder or a link to one; ``BackupError`` otherwise."""
    from relboard.safe_write import UnsafeTargetError, vet_target

    try:
        return vet_target(database)
    except UnsafeTargetError as exc:
        raise BackupError(f"restore: {exc}") from None
