"""The issue queue on screen: 20,000 issues open and scroll as fast as 200, side by side.

Run: ``python benchmarks/bench_queue.py``. For each size the board runs headless at 80x24
(Textual's test driver), switches to the issue queue and waits for the first window; then the
cursor moves 100 rows down. Prints medians and the ratio 20,000 / 200 (goal: about 1).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lists import NOW, build  # noqa: E402

from relboard.app import RelboardApp  # noqa: E402
from relboard.config import Config  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services.context import Context  # noqa: E402
from relboard.widgets.paged_table import PagedTable  # noqa: E402


async def one_run(path: str) -> tuple[float, float]:
    """Seconds to show the queue's first window, and to move the cursor 100 rows."""
    open_database(path)
    config = Config(database=path, user="pm1", animations=False)
    app = RelboardApp(config, ctx=Context(user="pm1", now_override=NOW))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()  # Today has loaded; now time the queue
            start = time.perf_counter()
            await pilot.press("i")
            table = app.screen.query_one(PagedTable)
            while table.row_count == 0:
                await asyncio.sleep(0.001)
            opened = time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(100):
                await pilot.press("j")
            await pilot.pause()
            moved = time.perf_counter() - start
            assert table.cursor_row == 100
    finally:
        close_database()
    return opened, moved


def main() -> None:
    """Build 200- and 20,000-issue databases, alternate runs, print the ratios."""
    with tempfile.TemporaryDirectory() as folder:
        small, large = str(Path(folder) / "small.db"), str(Path(folder) / "large.db")
        build(small, 200)
        build(large, 20_000)
        runs: dict[str, list[tuple[float, float]]] = {"small": [], "large": []}
        for _ in range(5):
            runs["small"].append(asyncio.run(one_run(small)))
            runs["large"].append(asyncio.run(one_run(large)))
        print(f"{'measure':<22} {'200 issues':>11} {'20,000 issues':>14} {'ratio':>6}")
        for index, name in enumerate(("open queue (1st window)", "100 cursor moves")):
            a = statistics.median(r[index] for r in runs["small"])
            b = statistics.median(r[index] for r in runs["large"])
            print(f"{name:<22} {a * 1000:>9.1f}ms {b * 1000:>12.1f}ms {b / a:>6.2f}")


if __name__ == "__main__":
    main()
