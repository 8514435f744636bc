"""The SQLite file under relboard: is it usable, is it still the one opened, what a failure means.

``probe_path`` refuses, before anything touches it, what relboard cannot use at the configured
path: a folder, a device, a file that is not SQLite, a 0-byte file (not an empty board: cut
short or emptied; only ``relboard init`` makes one a board), a file this user cannot write
(``writable_problems``; a read-only file system is said as such).
``GuardedSqliteDatabase`` never creates its file (every connection, also a worker thread's
reconnect, opens it with ``mode=rw``; the first-run file is made on purpose by
``relboard.db``), checks on its first connection that the file reads and is relboard's or
empty, and remembers its identity (device, inode): ``verify_file`` — run by every write and
every change poll, one ``os.stat`` — notices the file deleted, replaced or emptied while
relboard runs. ``translate_error`` turns what SQLite reports into one-line refusals.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from peewee import SqliteDatabase

from relboard.dbaccess import (  # noqa: F401 - known from here too
    read_only_fs,
    read_only_fs_problem,
    writable_problem,
    writable_problems,
    writable_problems_of,
)
from relboard.errors import (  # noqa: F401 - the file errors are raised and known from here
    DatabaseDamagedError,
    DatabaseFileError,
    DatabaseGoneError,
    DatabaseReadOnlyError,
    DatabaseSpecError,
    DatabaseUnusableError,
    DiskFullError,
    ServiceError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 8, 11, 13, 26
SQLITE_READONLY_DBMOVED = 1032  # SQLite's own "the file was unlinked under me"
SQLITE_CANTOPEN = 14  # a viewer on a read-only mount, which cannot make the -shm file


def empty_file_problem(path: Path) -> str:
    """The refusal for a 0-byte database file (not an empty board: cut short or emptied)."""
    return (f"database: {path} is empty (0 bytes), not a relboard board (cut short or "
            "emptied?); relboard left it untouched — restore it from a backup (relboard "
            "restore FILE), or run relboard init to start a new board in it")


def new_sqlite_file(path: Path, mode: int | None = None) -> bool:
    """Make a new, empty SQLite database (WAL, no tables yet) at ``path``; whether this call
    made it (False: a file, or a link, was there or appeared meanwhile: never replaced).

    It is built in a temporary file beside ``path`` and linked into place, so no one ever
    finds a 0-byte file under relboard's name (a 0-byte file is refused as cut short:
    ``empty_file_problem``), not even a second relboard starting at the same moment.
    ``mode``: default 0666 less the umask.
    """
    from relboard.sharing import current_umask

    if os.path.lexists(path):
        return False
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask() if mode is None else mode)
        os.close(fd)
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = wal")  # writes the header page
        finally:
            conn.close()
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            if os.path.lexists(path):
                return False
            os.rename(temp, path)
        return True
    finally:
        for name in (temp, f"{temp}-wal", f"{temp}-shm"):
            with contextlib.suppress(OSError):
                os.unlink(name)


def probe_path(path: Path, need_write: bool = True, empty_ok: bool = False) -> None:
    """Refuse, without changing anything, a ``path`` relboard cannot use as its database.

    A missing path is fine (the caller decides whether to create it). An empty (0-byte)
    file is not a board: a file cut short or emptied, refused like a damaged one unless
    ``empty_ok`` (``relboard init``, on purpose). Raises ``DatabaseSpecError`` or
    ``DatabaseReadOnlyError`` (the latter only with ``need_write``: a viewer reads a file it
    may not write).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseSpecError(f"database: {path} is a symbolic link to "
                                    f"{os.path.realpath(path)}, which does not exist; point "
                                    "database: at the file itself") from None
        return
    except OSError as exc:
        raise DatabaseSpecError(f"database: cannot look at {path}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseSpecError(f"database: {path} is a folder; point database: at a file "
                                f"in it, e.g. {path / 'relboard.db'}")
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseSpecError(f"database: {path} is not a regular file (a device or pipe); "
                                "point database: at a relboard database file")
    if not info.st_size and not empty_ok:
        raise DatabaseSpecError(empty_file_problem(path))
    if info.st_size:
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseSpecError(f"database: cannot read {path}: {exc.strerror}; ask its "
                                    f"owner to run chmod g+r {path}") from None
        if head != SQLITE_HEADER:
            raise DatabaseSpecError(f"database: {path} is not an SQLite database (some other "
                                    "kind of file); relboard left it untouched — point "
                                    "database: at a relboard database or a new file name")
    if need_write and (problem := writable_problem(path)):
        raise DatabaseReadOnlyError(f"database: {problem}")


class GuardedSqliteDatabase(SqliteDatabase):
    """An SQLite database that never creates its file and notices it vanishing."""

    def __init__(self, path: Path, *args, read_only: bool = False, **kwargs):
        self.file_path = path
        self.read_only = read_only
        """A viewer's connection: opened ``mode=ro`` with ``query_only``; nothing is written."""
        self._identity: tuple[int, int] | None = None
        self.opened_tables: list[str] | None = None
        """The tables the first connection found (``migrations`` uses them once)."""
        self._had_content = False
        self._sides_missing: list[Path] = []
        super().__init__(str(path), *args, **kwargs)

    def remove_side_files_made(self) -> None:
        """After a refused first connection of a viewer: remove the ``-wal`` and ``-shm`` it
        made (a read-only connection cannot remove them at close, as SQLite does), so
        refusing a damaged file leaves nothing beside it. Only empty or unused ones this user
        made that were not there before: another user's are never touched."""
        for side in self._sides_missing:
            try:
                info = side.lstat()
            except OSError:
                continue
            if info.st_uid == os.geteuid() and (side.name.endswith("-shm") or not info.st_size):
                side.unlink(missing_ok=True)

    def _connect(self) -> sqlite3.Connection:
        first = self._identity is None
        if not first:
            self.verify_file()
        if first and self.read_only:
            self._sides_missing = [side for side in (
                self.file_path.with_name(self.file_path.name + suffix)
                for suffix in ("-wal", "-shm")) if not side.exists()]
        params = {**self.connect_params, "uri": True}
        uri = f"file:{quote(str(self.file_path))}?mode={'ro' if self.read_only else 'rw'}"
        try:
            conn = sqlite3.connect(uri, timeout=self._timeout, isolation_level=None, **params)
        except sqlite3.Error:
            self.verify_file()  # a reconnect to a vanished file says so
            raise
        try:
            if first:
                self.opened_tables = _refuse_unusable_contents(conn, self.file_path)
                info = os.stat(self.file_path)
                self._identity = (info.st_dev, info.st_ino)
            self._add_conn_hooks(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def verify_file(self) -> None:
        """Raise ``DatabaseGoneError`` if the file is no longer the one first opened."""
        if self._identity is None:
            return
        try:
            info = os.stat(self.file_path)
        except OSError:
            raise DatabaseGoneError(str(self.file_path)) from None
        if (info.st_dev, info.st_ino) != self._identity:
            raise DatabaseGoneError(str(self.file_path))
        if info.st_size == 0 and self._had_content:
            raise DatabaseGoneError(str(self.file_path), "was emptied")
        self._had_content = self._had_content or info.st_size > 0


def _refuse_unusable_contents(conn: sqlite3.Connection, path: Path) -> list[str]:
    """First connection: the file must read, and be relboard's or empty (before any pragma);
    returns its table names."""
    from relboard.migrations import refuse_foreign

    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_CANTOPEN:
            if read_only_fs(path):  # a viewer: SQLite cannot make the -shm file
                raise DatabaseReadOnlyError(f"database: {read_only_fs_problem(path)}") from None
            if problem := writable_problem(path):
                raise DatabaseReadOnlyError(f"database: {problem}") from None
        raise DatabaseDamagedError(str(path), str(exc)) from None
    refuse_foreign(tables, str(path))
    return tables


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps or was raised while handling."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        err = todo.pop(0)
        if err is None or id(err) in seen:
            continue
        seen.add(id(err))
        yield err
        todo += [err.__cause__, err.__context__,
                 *(a for a in err.args if isinstance(a, BaseException))]


def translate_error(exc: BaseException, db: object) -> DatabaseFileError | None:
    """The refusal a failed database call means (gone, full, read-only, damaged), or None.

    Looks through the whole chain: when COMMIT fails with SQLITE_FULL, SQLite has already
    rolled back and the error that surfaces is "cannot rollback - no transaction is active".
    """
    path = getattr(db, "file_path", None)
    where = str(path) if path is not None else "on the server"
    for err in _chain(exc):
        code = getattr(err, "sqlite_errorcode", None)
        primary = code & 0xFF if code is not None else None
        text = str(err).lower()
        if code == SQLITE_READONLY_DBMOVED:
            return DatabaseGoneError(where)
        if primary == SQLITE_FULL or "disk is full" in text or "no space left" in text:
            return DiskFullError(where)
        if path is not None and primary in (SQLITE_READONLY, SQLITE_CANTOPEN) \
                and read_only_fs(path):
            return DatabaseReadOnlyError(read_only_fs_problem(path))
        if primary == SQLITE_READONLY or "readonly database" in text:
            problem = writable_problem(path) if path is not None else None
            return DatabaseReadOnlyError(
                f"nothing was saved: {problem or f'the database {where} is read-only for you'}")
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
            return DatabaseDamagedError(where, str(err))
        if "no such table" in text and path is not None:
            return DatabaseGoneError(where, "lost relboard's tables (replaced or emptied)")
    return None
