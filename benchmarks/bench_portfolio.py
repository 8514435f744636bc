"""The Portfolio screen's figures at 100k against 1k: ``portfolio.overview`` (what the screen
shows when it opens), ``portfolio.over_time`` (its charts, worked out when `2` shows them),
and the JSON digest beside it (the same figures for every customer); the stakeholder
map's grid and first matrix window, and the credibility list's first two windows (the
records behind a figure, scrolled on).

Run: ``python benchmarks/bench_portfolio.py``. Reads the cached benchmark boards
(``board.cached``: the 1k and 100k boards, built once; opened read-only here), each with
today's health snapshots as a board that has opened today has them. In each of three runs,
five timings of each board, interleaved (1k, 100k, 1k, ...); printed: each run's medians and
the ratio 100k / 1k, then the ratios' spread over the runs. Goal: the overview within 1.3x.
The digest's JSON lists every customer, so its size (and time) grows with the board.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import board  # noqa: E402

from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import (  # noqa: E402
    digest,
    portfolio,
    portfolio_lists,
    stakeholders,
)
from relboard.services.context import Context  # noqa: E402

RUNS, TIMES = 3, 5
MEASURES: dict[str, Callable[[Context], object]] = {
    "portfolio.overview": portfolio.overview,
    "portfolio.over_time": portfolio.over_time,
    "digest json": lambda ctx: digest.render(ctx, "json"),
    "stakeholder grid": lambda ctx: stakeholders.power_interest_grid(),
    "matrix, 1st window": lambda ctx: portfolio_lists.matrix_page(),
    "credibility, 2 wins": lambda ctx: _two_windows(ctx),
}


def _two_windows(ctx: Context) -> object:
    """The credibility list's first window and the next one (scrolling on)."""
    first = portfolio_lists.credibility_page(ctx)
    return portfolio_lists.credibility_page(ctx, after=first.after)


def timed(path: str, measure: Callable[[Context], object]) -> float:
    """Seconds of one call of ``measure`` on the board at ``path`` (opened before, untimed)."""
    open_database(path, read_only=True)
    try:
        ctx = Context(user="alex", now_override=board.NOW)
        start = time.perf_counter()
        measure(ctx)
        return time.perf_counter() - start
    finally:
        close_database()


def one_run(paths: dict[str, str], measure: Callable[[Context], object]) -> dict[str, float]:
    """Median seconds per board over TIMES interleaved calls (after one warm-up each)."""
    for path in paths.values():
        timed(path, measure)
    got: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(TIMES):
        for name, path in paths.items():
            got[name].append(timed(path, measure))
    return {name: statistics.median(times) for name, times in got.items()}


def main() -> None:
    """Time each measure on both boards, three runs; print medians, ratios and spread."""
    paths = {"1k": board.cached(1), "100k": board.cached(100)}
    print(f"{'measure':<20} {'run':>3} {'1k':>9} {'100k':>10} {'ratio':>7}")
    for label, measure in MEASURES.items():
        ratios = []
        for run in range(1, RUNS + 1):
            med = one_run(paths, measure)
            ratio = med["100k"] / med["1k"]
            ratios.append(ratio)
            print(f"{label:<20} {run:>3} {med['1k'] * 1000:>7.1f}ms {med['100k'] * 1000:>8.1f}ms"
                  f" {ratio:>6.2f}x")
        print(f"{label:<20} ratio {min(ratios):.2f}x .. {max(ratios):.2f}x "
              f"(median {statistics.median(ratios):.2f}x)")


if __name__ == "__main__":
    main()
