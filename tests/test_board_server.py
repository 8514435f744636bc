"""A board that outlives its database server: PostgreSQL stopped and started again under it."""

from __future__ import annotations

import asyncio

import pytest

from relboard.services import records
from relboard.services.context import Context
from relboard.widgets import live
from tests import factories as f
from tests.pilot import open_queue, settle, watch_notices

pytestmark = [pytest.mark.both_databases, pytest.mark.postgresql_only]

AWAY = "database server not reachable: retrying"


async def test_stopped_then_started_server_the_board_says_so_then_works_again(
        db, ctx, pg_server, monkeypatch):
    monkeypatch.setattr(live, "POLL_SECONDS", 0.1)
    cid = f.customer(ctx, "Server Co")
    issue_id = f.issue(ctx, cid, "Outlives the server", severity="medium")
    async with open_queue(ctx) as (app, pilot, table):
        assert table.current_key() == str(issue_id)
        notices = watch_notices(app)
        await asyncio.to_thread(pg_server.pause)
        try:
            await pilot.press("2")  # a key while the server is away
            await settle(pilot)
            await asyncio.sleep(0.3)  # the live poll meets the server away too
            await settle(pilot)
        finally:
            await asyncio.to_thread(pg_server.resume)
        away = [text for text, _ in notices]
        assert away and all(AWAY in text and "\n" not in text for text in away), away
        notices.clear()
        await pilot.press("1")  # the first action after the server is back works
        await settle(pilot)
        assert records.get("issue", issue_id)["severity"] == "critical"
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await pilot.press(*"Kept Ltd")
        await asyncio.to_thread(pg_server.pause)
        try:
            await pilot.press("ctrl+s")  # a save while the server is away: the form stays
            await settle(pilot)
            assert app.screen is form
            assert AWAY in str(form.query_one("#form-error").render())
            assert form.field("name").value == "Kept Ltd"
        finally:
            await asyncio.to_thread(pg_server.resume)
        await pilot.press("ctrl+s")  # and saves once the server is back
        await settle(pilot)
        assert app.screen is not form
        assert [text for text, o in notices if o.get("severity") == "error"
                and AWAY not in text] == []
        await pilot.press("i")
        await settle(pilot)
        bob = Context(user="bob", now_override=ctx.now())  # live refresh resumes too
        new_id = await asyncio.to_thread(f.issue, bob, cid, "Raised after the restart")
        for _ in range(100):
            await asyncio.sleep(0.1)
            await settle(pilot)
            if str(new_id) in table.rows_by_key:
                break
        assert str(new_id) in table.rows_by_key
    assert [name for name, _ in __import__("relboard.services.lookups", fromlist=["x"])
            .customer_choices("Kept")] == ["Kept Ltd"]
