"""One board's own writes: in the order their keys were pressed, each on the one before, never
a conflict with itself; a key that changes nothing writes nothing (Pilot, both databases)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from relboard import models as m
from relboard.services import records
from tests import factories as f
from tests.pilot import SIZE, make_app, open_list, settle, watch_notices

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


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


async def test_twenty_quick_severity_keys_land_in_order_while_another_holds_the_lock(
        db, db_kind, db_spec, ctx):
    cid = f.customer(ctx, "Keys Co")
    issue_id = f.issue(ctx, cid, "Pressed fast", severity="medium")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        assert table.current_key() == str(issue_id)
        notices = watch_notices(app)
        holder = LockHolder(db_kind, db_spec)
        holder.start()
        try:
            while not holder.held:
                await asyncio.sleep(0.01)
            keys = ["1" if n % 2 == 0 else "4" for n in range(20)]
            for key in keys:
                await pilot.press(key)
                await asyncio.sleep(0.05)
            await settle(pilot)  # every save ended (the workers complete)
        finally:
            holder.stop.set()
            await asyncio.to_thread(holder.join, 10)
        assert holder.held >= 2  # the writes really waited on the other connection
        problems = [(text, o) for text, o in notices if o.get("severity") == "error"
                    or "Changed by" in o.get("title", "") or "changed by" in text]
        assert problems == []
    a = m.Activity
    trail = list(a.select(a.new).where((a.entity == "issue") & (a.entity_id == issue_id)
                                       & (a.field == "severity")).order_by(a.id).tuples())
    assert [new for (new,) in trail] == ["critical" if k == "1" else "low" for k in keys]
    assert records.get("issue", issue_id)["severity"] == "low"  # the last key's
    assert records.get("issue", issue_id)["version"] == 21


async def test_the_severity_it_already_has_writes_nothing_and_says_so(db, ctx):
    cid = f.customer(ctx, "Same Co")
    issue_id = f.issue(ctx, cid, "Already high", severity="high")
    before = m.Activity.select().count()
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_list(pilot, "i")
        notices = watch_notices(app)
        await pilot.press("2")
        await settle(pilot)
        texts = [text for text, _ in notices]
        assert any(f"#{issue_id} is already high" in t for t in texts), texts
        assert not any("undo" in t for t in texts), texts
        await pilot.press("u")
        await settle(pilot)
    assert m.Activity.select().count() == before
    assert records.get("issue", issue_id)["version"] == 1
