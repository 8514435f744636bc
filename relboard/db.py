"""Opening the database, SQLite settings for many users, write transactions with retry.

One process opens one database: ``open_database`` binds ``models.database_proxy`` and brings
the schema up to date. Writes go through ``write()`` (``BEGIN IMMEDIATE`` on SQLite, retried
while another user holds the lock), so a busy database costs a short wait, then a clear
``BusyError`` — never a half-written change. The SQLite file itself is guarded by
``relboard.dbfile``: what cannot be used is refused at start, and ``write()`` and
``data_version()`` notice the file deleted or replaced, a full disk or a read-only file.
Every message names a URL with its password masked (``mask_url``).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from peewee import (
    Database,
    DatabaseError,
    ImproperlyConfigured,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
)

from relboard.dbfile import GuardedSqliteDatabase, probe_path, translate_error
from relboard.dbserver import ServerUnreachableError, connection_lost, drop_connection, reconnecting
from relboard.dburl import _scrub, mask_url, parse_database_spec
from relboard.errors import (  # noqa: F401 - BusyError is known from here too
    BusyError,
    DatabaseSpecError,
    DatabaseUnusableError,
    ServiceError,
)
from relboard.models import database_proxy
from relboard.sharing import refuse_unshared

__all__ = ["BusyError", "DatabaseSpecError", "ServerUnreachableError", "close_database",
           "connect", "connection_lost", "data_version", "database_failure", "mask_url",
           "open_database", "parse_database_spec", "transaction", "write"]

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

WRITE_LOCK = 0x72627772  # "rbwr": PostgreSQL's advisory lock of relboard's writes
"""One writer at a time on PostgreSQL too (``_one_writer``)."""

WRITE_WAIT_MS = 5000
"""How long a PostgreSQL write waits for another writer (or a row) before it is busy: SQLite's
busy timeout."""


def _create_sqlite_file(path: Path) -> bool:
    """Create the parent folder and a new, empty database file that honours the umask
    (``dbfile.new_sqlite_file``: made whole in one step, never seen at 0 bytes); whether
    this call made it (False: it was there, or another relboard made it a moment ago).

    SQLite would create it 0644 whatever the umask; a team's group-writable folder
    (umask 002) needs the file group-writable too, or a second user's ``-wal`` file locks
    the owner out (measured in ../shared/notes/sqlite.md).
    """
    from relboard.dbfile import new_sqlite_file

    path.parent.mkdir(parents=True, exist_ok=True)
    return new_sqlite_file(path)


READ_ONLY_PRAGMAS = {"busy_timeout": 5000, "foreign_keys": 1, "cache_size": -16000,
                     "query_only": 1}
"""A viewer's connection: no journal mode change (that writes), and SQLite refuses writes."""


class ReadOnlyBoardError(ServiceError, DatabaseUnusableError):
    """A write was asked of a board opened read-only; nothing was written (the board shows
    it like any refusal; a command exits 2)."""


def missing_file_problem(path: Path) -> str:
    """The refusal for a database file that is not there when it is not to be created."""
    return (f"database: {path} does not exist (a typo in database:?); relboard created "
            "nothing — to start a new board there run relboard init, or add --create")


def connect(spec: str, verify: bool = True, read_only: bool = False,
            create: bool = True, empty_ok: bool = False) -> Database:
    """Make (but do not migrate) a peewee database for ``spec``; see ``parse_database_spec``.

    An SQLite path is probed first (``dbfile.probe_path``: nothing unusable is touched), and,
    with ``verify``, a shared one's permissions are checked (``sharing.refuse_unshared``); it
    is created empty only if missing; after that no connection ever creates it again.
    ``read_only`` (a viewer): the file must exist and is opened read-only; PostgreSQL
    sessions are read-only transactions. ``create=False`` (the command line outside first
    run): a missing file is refused (``missing_file_problem``), never made. An existing
    0-byte file is refused (``dbfile.empty_file_problem``: not an empty board) unless
    ``empty_ok`` (``relboard init`` makes it a board on purpose); one made here is new.
    """
    kind, where = parse_database_spec(spec)
    if kind == "sqlite":
        path = Path(os.path.abspath(where))
        if read_only:
            if not path.is_file():
                raise DatabaseSpecError(f"database: {path} does not exist; a read-only viewer "
                                        "opens an existing board (check database:)")
            probe_path(path, need_write=False)
            return GuardedSqliteDatabase(path, pragmas=READ_ONLY_PRAGMAS, timeout=5,
                                         read_only=True)
        probe_path(path, empty_ok=empty_ok)
        if not create and not path.exists():
            raise DatabaseSpecError(missing_file_problem(path))
        if verify:
            refuse_unshared(path)
        try:
            made = _create_sqlite_file(path)
        except OSError as exc:
            raise DatabaseSpecError(
                f"database: cannot create {path}: {exc.strerror}") from None
        if not made:  # there already, or made by another relboard meanwhile: not ours
            probe_path(path, empty_ok=empty_ok)
        return GuardedSqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, timeout=5, lock_type="IMMEDIATE"
        )
    from playhouse.db_url import connect as url_connect  # only teams on a server need it

    params: dict[str, object] = {}
    if "connect_timeout" not in where:  # an unreachable host is said within 10 s, not hung on
        params["connect_timeout"] = 10
    try:
        if read_only:
            db = reconnecting(url_connect(
                where, options="-c default_transaction_read_only=on", **params))
            db.read_only = True
            return db
        return reconnecting(url_connect(where, **params))
    except Exception as exc:  # a malformed URL
        raise DatabaseSpecError(
            f"database: cannot use {mask_url(where)}: {_scrub(str(exc), where)}") from None


def open_database(spec: str, verify: bool = True, read_only: bool = False,
                  create: bool = True, empty_ok: bool = False) -> Database:
    """Open ``spec``, bind the models to it and bring its schema up to date.

    Whatever keeps it from being used (damaged, another application's, read-only, no
    driver, unreachable) is one ``DatabaseUnusableError`` line; nothing is changed. With
    ``verify`` (every start but ``relboard check``, which reports instead) an SQLite file
    must also pass the sharing permission checks and the quick integrity checks.
    ``read_only``: a viewer's board (see ``connect``); the schema must already be current.
    ``create=False``: a missing SQLite file is an error; ``empty_ok``: an existing 0-byte
    file is made a board (``relboard init``; see ``connect``).
    """
    from relboard.integrity import refuse_unsound
    from relboard.migrations import migrate, require_current

    db = connect(spec, verify, read_only, create, empty_ok)
    database_proxy.initialize(db)
    where = str(db.file_path) if isinstance(db, GuardedSqliteDatabase) else mask_url(spec)
    try:
        db.connect(reuse_if_open=True)
        if verify and isinstance(db, GuardedSqliteDatabase):
            refuse_unsound(db)
        if read_only:
            require_current(db, where)
        else:
            migrate(db, where)
    except ImproperlyConfigured:
        close_database()
        package = "'psycopg[binary]'" if spec.startswith("psycopg3") else "psycopg2-binary"
        raise DatabaseSpecError(
            f"database: {where} needs the PostgreSQL driver, which is not installed; install "
            f"it where relboard runs: pip install {package}") from None
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        _close_refused(db)
        problem = translate_error(exc, db)
        if problem is not None:
            raise problem from None
        raise DatabaseSpecError(
            f"database: cannot open {where}: {_scrub(str(exc).strip(), spec)}") from None
    except BaseException:
        _close_refused(db)
        raise
    return db


def _close_refused(db: Database) -> None:
    """Close a database just refused; a viewer's leaves no ``-wal``/``-shm`` it made."""
    close_database()
    if isinstance(db, GuardedSqliteDatabase) and db.read_only:
        db.remove_side_files_made()


def close_database() -> None:
    """Close this thread's connection, if any."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def _is_busy(exc: Exception) -> bool:
    """Whether another writer made this attempt fail, so running it again can succeed:
    SQLite's locked or busy file; PostgreSQL's deadlock (one of two transactions that wait on
    each other's rows is stopped), serialization failure or a lock waited on past
    ``lock_timeout`` (another writer, ``_one_writer``)."""
    text = str(exc).lower()
    return any(word in text for word in ("locked", "busy", "deadlock detected",
                                         "could not serialize", "lock timeout"))


@contextmanager
def transaction() -> Iterator[None]:
    """One short write transaction (``BEGIN IMMEDIATE`` on SQLite); nested calls are savepoints."""
    with database_proxy.atomic():
        yield


class WriteListener(Protocol):
    """Told when an outermost write transaction starts (each attempt) and when it committed."""

    def begin(self) -> None:
        """A new attempt: forget what the last one noted."""

    def commit(self) -> None:
        """The attempt's changes are stored."""


WRITE_LISTENERS: list[WriteListener] = []
"""Listeners of every outermost ``write`` (the undo journal keeps only committed changes)."""


def write(fn: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``fn`` inside a write transaction, retrying while the database is busy.

    Each attempt already waits up to the busy timeout; after ``attempts`` tries the caller gets
    a ``BusyError`` and nothing of ``fn`` is kept. Inside an outer transaction ``fn`` simply
    runs in it (a savepoint), so services compose.
    """
    db = database_proxy.obj
    if getattr(db, "read_only", False):
        raise ReadOnlyBoardError("this board is open read-only (a viewer): nothing was "
                                 "changed")
    _verify(db)
    if db is not None and db.in_transaction():
        with db.atomic():
            return fn()
    reconnected = False
    attempt = 0
    while attempt < attempts:
        attempt += 1
        for listener in WRITE_LISTENERS:
            listener.begin()
        try:
            with database_proxy.atomic():
                _one_writer(db)
                result = fn()
            for listener in WRITE_LISTENERS:
                listener.commit()
            return result
        except (DatabaseError, InterfaceError, sqlite3.DatabaseError) as exc:
            if connection_lost(exc):  # the server restarted: once more on a new connection
                drop_connection(db)
                if not reconnected:
                    reconnected, attempt = True, attempt - 1
                    continue
                raise ServerUnreachableError() from exc
            busy = isinstance(exc, (OperationalError, sqlite3.OperationalError)) \
                and _is_busy(exc)
            if busy and attempt < attempts:
                time.sleep(0.05 * attempt + random.random() * 0.05)
                continue
            if busy:
                raise BusyError(
                    "the database is busy (another user is writing); nothing was saved — "
                    "try again in a moment"
                ) from exc
            problem = translate_error(exc, db)
            if problem is None:
                raise
            raise problem from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _one_writer(db: Database | None) -> None:
    """PostgreSQL: wait (up to the 5 s a SQLite writer waits) for the other writers, as
    SQLite's ``BEGIN IMMEDIATE`` does, by a transaction-scoped advisory lock.

    Why: the audit rows' ids come from a sequence as they are written, so two saves at once
    could commit out of their ids' order, and the other boards (which follow the newest audit
    id) missed the one that committed second with the lower id until the next save. One
    writer at a time makes the ids' order the commits' order, and two saves can no longer
    wait on each other's rows (a deadlock, one of them stopped). Saves are milliseconds; a
    writer that waits longer than the timeout is told the database is busy and keeps what it
    was saving, as on SQLite."""
    if db is not None and dialect(db) == "postgresql":
        db.execute_sql(f"SET LOCAL lock_timeout = {int(WRITE_WAIT_MS)}")
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))


def database_failure(exc: BaseException) -> ServiceError | None:
    """What a failed read or write of the open database means for a user (damaged, gone,
    full, read-only, the server not reachable) as one-line error, or None when ``exc`` is no
    such failure (a lost server connection is reopened by the next query: ``dbserver``)."""
    if isinstance(exc, ServerUnreachableError):
        return exc
    if connection_lost(exc):
        return ServerUnreachableError()
    if isinstance(exc, (DatabaseError, sqlite3.DatabaseError)):
        return translate_error(exc, database_proxy.obj)
    return None


def dialect(db: Database | None = None) -> str:
    """``"sqlite"`` or ``"postgresql"``: the kind of ``db`` (default: the open database). The
    one place that tells them apart; services ask it instead of checking classes."""
    db = database_proxy.obj if db is None else db
    return "postgresql" if isinstance(db, PostgresqlDatabase) else "sqlite"


def _verify(db: Database | None) -> None:
    """Raise ``DatabaseGoneError`` if the SQLite file was deleted or replaced (one stat)."""
    if isinstance(db, GuardedSqliteDatabase):
        db.verify_file()


def data_version() -> int:
    """A number that changes when another connection commits (cheap change polling).

    Raises ``DatabaseGoneError`` once the file is deleted or replaced, so a poll says so.
    """
    db = database_proxy.obj
    _verify(db)
    if db is not None and dialect(db) == "sqlite":
        return db.execute_sql("PRAGMA data_version").fetchone()[0]
    return 0
