"""A database file damaged under a running board: every key says so in one line, with the
advice to restore it, and the board goes on (SQLite: the file itself)."""

from __future__ import annotations

import os
import random

from relboard.db import close_database
from tests import factories as f
from tests.pilot import SIZE, make_app, settle, watch_notices


def damage(path: str) -> None:
    """Random bytes over the file's pages after the first, then cut short (same inode)."""
    size = os.path.getsize(path)
    with open(path, "r+b") as file:
        file.seek(4096)
        file.write(random.Random(5).randbytes(size - 4096))
        file.truncate(4096 + (size - 4096) // 2)


async def test_keys_on_a_file_damaged_under_the_board_say_restore_and_the_board_goes_on(
        db, db_spec, ctx):
    cid = f.customer(ctx, "Damaged Co")
    f.issue(ctx, cid, "Before the damage")
    f.touchpoint(ctx, cid)
    for n in range(40):  # enough pages that the damage reaches the tables
        f.customer(ctx, f"Filler {n:02d}", notes="x" * 400)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        notices = watch_notices(app)
        damage(db_spec)
        for key in ("l", "escape", "enter", "escape", "i", "t", "c", "n"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running, key
        texts = [text for text, _ in notices]
        assert texts and any("relboard restore" in t for t in texts), texts
        assert all("\n" not in t and "Traceback" not in t for t in texts), texts
        assert not any("unexpected database error" in t for t in texts), texts
    assert app.return_code in (0, None)
    close_database()
