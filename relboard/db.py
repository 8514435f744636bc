"""Opening the database, SQLite settings for many users, write transactions with retry.

One process opens one database: ``open_database`` binds ``models.database_proxy`` and brings
the schema up to date. Writes go through ``write()`` (``BEGIN IMMEDIATE`` on SQLite, retried
while another user holds the lock), so a busy database costs a short wait, then a clear
``BusyError`` — never a half-written change.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from peewee import Database, OperationalError, SqliteDatabase

from relboard.errors import ServiceError
from relboard.models import database_proxy

T = TypeVar("T")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "synchronous": "normal",
    "foreign_keys": 1,
    "journal_size_limit": 67108864,
    "cache_size": -16000,
}
"""Per-connection settings: WAL readers never block the writer, a 5 s busy wait, foreign keys
enforced, and a WAL trimmed back to 64 MiB after checkpoints."""

WRITE_ATTEMPTS = 2
"""Tries of a write; each waits up to the 5 s busy timeout, so a user waits ~10 s at most."""


class DatabaseSpecError(ValueError):
    """The configured database location cannot be used (bad URL, unusable path)."""


class BusyError(ServiceError):
    """Another user kept the database locked through every retry; nothing was written."""


def parse_database_spec(spec: str) -> tuple[str, str]:
    """Split a ``database`` setting into ``("sqlite", path)`` or ``("url", url)``.

    Accepts a plain path (``~`` expanded), ``sqlite:///relative`` and ``sqlite:////absolute``;
    refuses ``sqlite://name`` (peewee would silently open an in-memory database) and
    ``:memory:`` (every thread would see its own empty database).
    """
    spec = (spec or "").strip()
    if not spec:
        raise DatabaseSpecError("database: empty location")
    if spec == ":memory:" or spec in ("sqlite://", "sqlite:///:memory:"):
        raise DatabaseSpecError(
            f"database: {spec!r} is in memory; relboard needs a file (sqlite:///path)"
        )
    if spec.startswith(("sqlite://", "sqlite+pool://")):
        scheme, rest = spec.split("://", 1)
        if not rest.startswith("/"):
            raise DatabaseSpecError(
                f"database: {spec} opens an in-memory database; use sqlite:///relative/path "
                "or sqlite:////absolute/path"
            )
        path = rest[1:].split("?", 1)[0]
        if not path or path == ":memory:":
            raise DatabaseSpecError(f"database: {spec} names no file")
        return "sqlite", os.path.expanduser(path)
    if "://" in spec:
        return "url", spec
    return "sqlite", os.path.expanduser(spec)


def _create_sqlite_file(path: Path) -> None:
    """Create the parent folder and an empty database file that honours the umask.

    SQLite would create it 0644 whatever the umask; a team's group-writable folder
    (umask 002) needs the file group-writable too, or a second user's ``-wal`` file locks
    the owner out (measured in ../shared/notes/sqlite.md).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o666)
        os.close(fd)


def connect(spec: str) -> Database:
    """Make (but do not migrate) a peewee database for ``spec``; see ``parse_database_spec``."""
    kind, where = parse_database_spec(spec)
    if kind == "sqlite":
        path = Path(where)
        try:
            _create_sqlite_file(path)
        except OSError as exc:
            raise DatabaseSpecError(f"database: cannot create {path}: {exc.strerror}") from exc
        return SqliteDatabase(
            str(path), pragmas=SQLITE_PRAGMAS, timeout=5, lock_type="IMMEDIATE"
        )
    from playhouse.db_url import connect as url_connect  # only teams on a server need it

    try:
        return url_connect(where)
    except Exception as exc:  # unknown scheme, missing driver
        raise DatabaseSpecError(f"database: cannot use {where}: {exc}") from exc


def open_database(spec: str) -> Database:
    """Open ``spec``, bind the models to it and bring its schema up to date."""
    from relboard.migrations import migrate

    db = connect(spec)
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except OperationalError as exc:
        raise DatabaseSpecError(f"database: cannot open {spec}: {exc}") from exc
    migrate(db)
    return db


def close_database() -> None:
    """Close this thread's connection, if any."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def transaction() -> Iterator[None]:
    """One short write transaction (``BEGIN IMMEDIATE`` on SQLite); nested calls are savepoints."""
    with database_proxy.atomic():
        yield


def write(fn: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``fn`` inside a write transaction, retrying while the database is busy.

    Each attempt already waits up to the busy timeout; after ``attempts`` tries the caller gets
    a ``BusyError`` and nothing of ``fn`` is kept. Inside an outer transaction ``fn`` simply
    runs in it (a savepoint), so services compose.
    """
    db = database_proxy.obj
    if db is not None and db.in_transaction():
        with db.atomic():
            return fn()
    for attempt in range(1, attempts + 1):
        try:
            with database_proxy.atomic():
                return fn()
        except (OperationalError, sqlite3.OperationalError) as exc:
            if not _is_busy(exc):
                raise
            if attempt == attempts:
                raise BusyError(
                    "the database is busy (another user is writing); nothing was saved — "
                    "try again in a moment"
                ) from exc
            time.sleep(0.05 * attempt + random.random() * 0.05)
    raise AssertionError("unreachable")  # pragma: no cover


def data_version() -> int:
    """A number that changes when another connection commits (cheap change polling)."""
    db = database_proxy.obj
    if isinstance(db, SqliteDatabase):
        return db.execute_sql("PRAGMA data_version").fetchone()[0]
    return 0
