"""Search everything on the 100k board: the search service against a ``LIKE '%word%'`` scan of
the touchpoint summaries, in the same run.

Run: ``python benchmarks/bench_search.py [PATH]`` (PATH: a board to reuse; built with
``benchmarks/board.py`` at scale 100 if missing: 100,000 touchpoints among 250,000 records).
One touchpoint's summary gets a word of its own ("zeppelin"); the benchmark times, median of
15 runs each after a warm-up:

* the search service (``services.search.search``: FTS5 query, bm25 ranking, snippets, the
  customer's name and archived flags, 50 hits at most) for that word, for a touchpoint's
  number (a word of one summary, as built), and for "rollout", a word of every summary
  (ranked among the newest ``RANKED_WINDOW`` matches);
* the baseline: ``SELECT id, customer_id, summary FROM interaction WHERE summary LIKE
  '%word%'`` on the same connection (no ranking, touchpoints only).

The goal (issue 9 point 6): a word of one touchpoint summary found in under 50 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from board import NOW, build  # noqa: E402

from relboard import models as m  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import search  # noqa: E402
from relboard.services.context import Context  # noqa: E402

RUNS = 15
MARKED = 54_321  # the touchpoint whose summary gets the word of its own
WORDS = (("zeppelin", "a word of one summary (added)"),
         ("54321", "a word of one summary (its number)"),
         ("rollout", "a word of all 100,000 summaries"))


def timed(fn) -> float:
    """Median milliseconds of ``fn`` over ``RUNS`` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main(path: str | None = None) -> None:
    """Build (or reuse) the board, mark one touchpoint, time both ways, print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        path = path or os.path.join(tmp, "board100k.db")
        if not os.path.exists(path):
            start = time.perf_counter()
            build(path, 100)
            print(f"built the 100k board in {time.perf_counter() - start:.1f} s "
                  "(the search index kept by triggers while inserting)")
        db = open_database(path)
        try:
            i = m.Interaction
            if not i.select().where(i.summary.contains("zeppelin")).exists():
                i.update(summary=i.summary.concat(" and the zeppelin hangar")).where(
                    i.id == MARKED).execute()
            count = i.select().count()
            size = os.path.getsize(path) / 2**20
            print(f"board: {count:,} touchpoints, {size:.0f} MB file; median of {RUNS} runs")
            ctx = Context(user="bench", now_override=NOW)
            rows = []
            for word, what in WORDS:
                hits = search.search(ctx, word)
                matched = db.execute_sql("SELECT count(*) FROM interaction WHERE summary "
                                         "LIKE ?", (f"%{word}%",)).fetchone()[0]
                fts = timed(lambda word=word: search.search(ctx, word))
                like = timed(lambda word=word: db.execute_sql(
                    "SELECT id, customer_id, summary FROM interaction WHERE summary LIKE ?",
                    (f"%{word}%",)).fetchall())
                rows.append((word, what, len(hits), matched, fts, like))
        finally:
            close_database()
    print("| word | what | search hits (max 50) | LIKE rows | search service | "
          "LIKE scan | search / LIKE |")
    print("|---|---|---|---|---|---|---|")
    for word, what, hits, matched, fts, like in rows:
        print(f"| {word} | {what} | {hits} | {matched:,} | {fts:.2f} ms | {like:.2f} ms | "
              f"{fts / like:.3f}x |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
