"""Another PM's connection holding the database's write lock while the board under test writes
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an exclusive lock of the issue table)."""

from __future__ import annotations

import threading
import time


class LockHolder(threading.Thread):
    """Another PM's connection that holds the write lock for ``hold`` s at a time, with a
    short gap between (SQLite: BEGIN IMMEDIATE; PostgreSQL: an exclusive lock of the table)."""

    def __init__(self, kind: str, spec: str, hold: float = 1.0, gap: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.kind, self.spec, self.hold, self.gap = kind, spec, hold, gap
        self.stop = threading.Event()
        self.held = 0

    def run(self) -> None:
        if self.kind == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.spec, isolation_level=None, timeout=10)
            begin, end = ["BEGIN IMMEDIATE"], "COMMIT"
        else:
            import psycopg2

            from relboard.dburl import parse_database_spec

            conn = psycopg2.connect(parse_database_spec(self.spec)[1])
            conn.autocommit = True
            begin, end = ["BEGIN", "LOCK TABLE issue IN EXCLUSIVE MODE"], "COMMIT"
        try:
            while not self.stop.is_set():
                for statement in begin:
                    conn.cursor().execute(statement)
                self.held += 1
                self.stop.wait(self.hold)
                conn.cursor().execute(end)
                time.sleep(self.gap)
        finally:
            conn.close()
