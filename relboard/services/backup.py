"""``relboard backup``: a consistent copy of the SQLite database while others keep writing.

The copy is made with SQLite's online backup API in one step: it reads one snapshot (in WAL
mode writers carry on meanwhile), so the copy holds every transaction committed before it
started and none after. It is written to a temporary file beside the destination, switched
to a single self-contained file (no ``-wal``), checked with ``integrity_check``, and only
then renamed to its name: a failed backup never leaves a half-written file under that name.
A PostgreSQL database is backed up with its own tool; ``pg_dump_command`` says how.
"""

from __future__ import annotations

import datetime as _dt
import os
import shlex
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from relboard import models as m
from relboard.dbaccess import read_only_fs, read_only_fs_problem
from relboard.dbfile import SQLITE_CANTOPEN, SQLITE_HEADER
from relboard.errors import DatabaseUnusableError
from relboard.integrity import integrity_problems, of_connection
from relboard.migrations import LATEST
from relboard.sharing import current_umask

LIBPQ_PARAMS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout",
                "application_name", "options", "target_session_attrs", "host", "port",
                "password", "user", "dbname", "service"}
"""Query parameters pg_dump understands (peewee's own, like max_connections, are dropped)."""


class BackupError(DatabaseUnusableError):
    """A backup or restore cannot be made as asked (one line; the command exits 2)."""


@dataclass(frozen=True)
class Copied:
    """What a backup or restore copied: the file written, its records and schema version."""

    path: Path
    records: int
    schema: int


def stamp(now: _dt.datetime | None = None) -> str:
    """A moment as ``YYYYmmdd-HHMMSS``, for file names."""
    return (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def open_sqlite(path: Path, what: str, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing SQLite file (never creating one); ``BackupError`` if it is not one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"{what}: {path} does not exist") from None
    except IsADirectoryError:
        raise BackupError(f"{what}: {path} is a folder; name a database file") from None
    except OSError as exc:
        raise BackupError(f"{what}: cannot read {path}: {exc.strerror}") from None
    if not head:
        fix = ("restore it from a backup (relboard restore FILE), or run relboard init to "
               "start a new board in it") if what == "backup" else "name a relboard backup"
        raise BackupError(f"{what}: {path} is empty (0 bytes), not a relboard database (cut "
                          f"short or emptied?); relboard changed nothing — {fix}")
    if head != SQLITE_HEADER:
        raise BackupError(f"{what}: {path} is not an SQLite database (some other kind of "
                          "file); name a relboard database or backup")
    uri = f"file:{quote(str(path))}?mode={'ro' if read_only else 'rw'}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.Error as exc:
        raise BackupError(f"{what}: cannot open {path}: {exc}") from None
    return conn


def describe(conn: sqlite3.Connection, path: Path, what: str) -> tuple[int, int]:
    """(records, schema version) of a relboard database; ``BackupError`` if it is not one."""
    try:
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if m.SchemaMigration._meta.table_name not in tables:
            raise BackupError(f"{what}: {path} is not a relboard database (it has no "
                              "relboard schema); name a relboard database or backup")
        schema = conn.execute(
            f"SELECT max(number) FROM {m.SchemaMigration._meta.table_name}").fetchone()[0] or 0
        records = sum(conn.execute(f'SELECT count(*) FROM "{model._meta.table_name}"')
                      .fetchone()[0] for model in m.ENTITY_MODELS
                      if model._meta.table_name in tables and model not in m.LINK_MODELS)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_CANTOPEN and read_only_fs(path):
            raise BackupError(f"{what}: {read_only_fs_problem(path)}") from None
        raise BackupError(f"{what}: {path} is damaged ({exc}); use another backup") from None
    if schema > LATEST:
        raise BackupError(f"{what}: {path} has schema version {schema}; this relboard knows "
                          f"up to {LATEST} — upgrade relboard first")
    return records, schema


def verify(conn: sqlite3.Connection, path: Path, what: str) -> tuple[int, int]:
    """``describe`` after a full integrity and foreign key check; ``BackupError`` on failure."""
    try:
        problems = integrity_problems(of_connection(conn), full=True)
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems:
        raise BackupError(f"{what}: {path} failed SQLite's checks ({'; '.join(problems)}); "
                          "nothing was changed — use another backup")
    return describe(conn, path, what)


def fill_copy(source: sqlite3.Connection, temp: Path, what: str) -> None:
    """Copy ``source`` (one consistent snapshot) into the empty file ``temp``, switched to a
    single self-contained file (no ``-wal``) and quick-checked; ``BackupError`` on failure."""
    folder = temp.parent
    try:
        target = sqlite3.connect(temp, isolation_level=None)
        try:
            source.backup(target)  # pages=-1: the whole file from one read snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            problems = integrity_problems(of_connection(target), full=False)
        finally:
            target.close()
    except sqlite3.Error as exc:
        text = str(exc)
        if "full" in text.lower():
            text = f"disk full in {folder}"
        raise BackupError(f"{what}: the copy failed ({text}); nothing was written") from None
    if problems:
        raise BackupError(f"{what}: the copy failed SQLite's checks ({problems[0]}); "
                          "nothing was written — try again")


def copy_into(source: sqlite3.Connection, folder: Path, prefix: str, mode: int,
              what: str) -> Path:
    """Copy ``source`` (one consistent snapshot) into a new, checked, self-contained file in
    ``folder`` with ``mode``; return its (temporary) path. The caller renames or removes it."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".partial")
    except OSError as exc:
        raise BackupError(f"{what}: cannot write in {folder}: {exc.strerror}") from None
    os.close(fd)
    temp = Path(name)
    try:
        fill_copy(source, temp, what)
        os.chmod(temp, mode)
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        return temp
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def backup_file(database: Path, dest: Path | str, now: _dt.datetime | None = None) -> Copied:
    """Back the SQLite ``database`` up to ``dest`` (a new file, or a folder to put one in),
    through ``relboard.safe_write``: never over an existing file, never into a device, pipe
    or link to one; a temporary file beside it, checked, flushed, then linked under its name."""
    from relboard.safe_write import UnsafeTargetError, is_stdout, reason, replacing, vet_target

    if not os.fspath(dest).strip() or is_stdout(dest):
        raise BackupError("backup: name a new file or a folder to put the backup in (an "
                          "empty name or - is not a place for a database copy)")
    dest = Path(os.path.abspath(os.path.expanduser(dest)))
    if dest.is_dir():
        dest = dest / f"{database.stem}-{stamp(now)}.db"
    if not dest.parent.is_dir():
        raise BackupError(f"backup: the folder {dest.parent} does not exist; create it or "
                          "name another")
    try:
        dest = vet_target(dest, overwrite=False)
    except UnsafeTargetError as exc:
        raise BackupError(f"backup: {exc}") from None
    source = open_sqlite(database, "backup")
    try:
        records, schema = describe(source, database, "backup")
        with replacing(dest, overwrite=False, mode=0o666 & ~current_umask(),
                       suffix=".partial") as temp:
            fill_copy(source, temp, "backup")
    except UnsafeTargetError as exc:
        raise BackupError(f"backup: {exc}") from None
    except OSError as exc:
        raise BackupError(f"backup: cannot write in {dest.parent}: "
                          f"{reason(exc)}; nothing was written") from None
    finally:
        source.close()
    return Copied(dest, records, schema)


def _libpq_url(url: str) -> str:
    """``url`` as pg_dump reads it: scheme postgresql, only libpq's parameters, password
    masked (pg_dump takes it from ~/.pgpass or PGPASSWORD)."""
    from relboard.db import mask_url

    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k in LIBPQ_PARAMS])
    return mask_url(urlunsplit(("postgresql", parts.netloc, parts.path, query, "")))


def pg_dump_command(url: str, dest: str) -> str:
    """The ``pg_dump`` command that backs up the PostgreSQL ``url`` to ``dest``."""
    return f"pg_dump --format=custom --file={shlex.quote(dest)} {shlex.quote(_libpq_url(url))}"


def pg_restore_command(url: str, src: str) -> str:
    """The ``pg_restore`` command that loads the dump ``src`` into the PostgreSQL ``url``."""
    return (f"pg_restore --clean --if-exists --dbname={shlex.quote(_libpq_url(url))} "
            f"{shlex.quote(src)}")
