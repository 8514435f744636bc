"""The benchmarks' board is a board as a user's is: built through the services that keep the
stored clocks and the health history, so every group of Today holds items (a board missing a
group would leave its cost out of every figure measured on it)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from relboard.db import close_database, open_database
from relboard.services import clocks
from relboard.services.attention import board
from relboard.services.context import Context
from relboard.services.today.groups import GROUPS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import board as bench_board  # noqa: E402


def test_every_today_group_holds_items_on_the_1k_board(tmp_path):
    path = str(tmp_path / "bench.db")
    bench_board.build(path, 1)
    open_database(path)
    try:
        ctx = Context(user="alex", now_override=bench_board.NOW)
        today = board(ctx)
        empty = [g.name for g in GROUPS if today.totals[g.name] == 0]
        assert not empty, f"Today groups with nothing in them on the benchmark board: {empty}"
        assert clocks.stale() == (0, 0, 0)  # the stored clocks are the services' own
        mine = board(Context(user="alex", now_override=bench_board.NOW), who="alex")
        assert 0 < mine.total < today.total
    finally:
        close_database()
    assert bench_board.NOW.date() == dt.date(2026, 11, 23)
