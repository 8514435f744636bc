"""A database server that goes away and comes back: a lost connection is noticed and reopened.

Peewee keeps one connection per thread. After a PostgreSQL restart each of them is dead (the
driver says "server closed the connection unexpectedly", then "connection already closed"
for ever), so a long-running board must notice it and open a new one: ``connection_lost``
tells such an error, ``drop_connection`` forgets this thread's connection (the next use opens
a new one), and a server database made by ``reconnecting`` runs a read again once on a fresh
connection. Writes are run again by ``db.write`` (a transaction is never silently resumed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from relboard.errors import DatabaseUnusableError, ServiceError

LOST_WORDS = ("server closed the connection", "connection already closed",
              "terminating connection", "the connection is closed", "the connection is lost",
              "connection to server", "could not connect to server", "is the server running",
              "connection refused", "no connection to the server", "ssl syscall error",
              "consuming input failed", "connection timed out", "could not receive data",
              "could not send data", "server conn crashed", "cannot connect now")
"""What psycopg2 and psycopg 3 say when the server went away or cannot be reached."""


class ServerUnreachableError(ServiceError, DatabaseUnusableError):
    """The database server cannot be reached (stopped, restarting, network): nothing was
    changed; the next action connects again."""

    def __init__(self) -> None:
        super().__init__("database server not reachable: retrying — nothing was changed; "
                         "the next action connects again")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    err: BaseException | None = exc
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` says the connection to the database server is gone or cannot be made
    (never true of SQLite's errors)."""
    for err in _chain(exc):
        if isinstance(err, (sqlite3.Error, ServiceError)):
            return False
        if type(err).__name__ in ("OperationalError", "InterfaceError", "ConnectionTimeout"):
            text = str(err).lower()
            if any(word in text for word in LOST_WORDS):
                return True
    return False


def drop_connection(db: Any) -> None:
    """Forget this thread's connection of ``db`` (closing it if it can): the next query opens
    a new one. Any transaction it had is gone with it."""
    if db is None or not hasattr(db, "_state"):
        return
    conn = db._state.conn
    if conn is not None:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a dead connection may refuse even to close
            pass
    db.dispose()


_CLASSES: dict[type, type] = {}


def reconnecting(db: Any) -> Any:
    """``db`` (a server database) made to reconnect: a query outside a transaction that finds
    its connection lost runs once more on a new connection (a board's reads after a server
    restart)."""
    base = type(db)
    if base not in _CLASSES:
        def execute_sql(self: Any, sql: str, params: Any = None) -> Any:
            try:
                return base.execute_sql(self, sql, params)
            except Exception as exc:
                if not connection_lost(exc) or self._state.transactions:
                    raise
                drop_connection(self)
                return base.execute_sql(self, sql, params)

        _CLASSES[base] = type(f"Reconnecting{base.__name__}", (base,),
                              {"execute_sql": execute_sql, "__module__": __name__})
    db.__class__ = _CLASSES[base]
    return db
