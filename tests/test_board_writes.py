"""One board's own writes: in the order their keys were pressed, each on the one before, never
a conflict with itself; a key that changes nothing writes nothing (Pilot, both databases)."""

from __future__ import annotations

import asyncio

import pytest

from relboard import models as m
from relboard.services import records
from tests import factories as f
from tests.contention import LockHolder
from tests.pilot import open_queue, settle, watch_notices

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


async def test_twenty_quick_severity_keys_land_in_order_while_another_holds_the_lock(
        db, db_kind, db_spec, ctx):
    cid = f.customer(ctx, "Keys Co")
    issue_id = f.issue(ctx, cid, "Pressed fast", severity="medium")
    async with open_queue(ctx) as (app, pilot, table):
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
    async with open_queue(ctx) as (app, pilot, _):
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
