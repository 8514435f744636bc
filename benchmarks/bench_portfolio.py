"""The Portfolio screen's figures at 100k against 1k: ``portfolio_kept.latest`` (what the
screen shows when it opens: the figures last worked out, kept on the board),
``portfolio.overview`` (today's figures, shown when worked out: a moment later),
``portfolio.over_time`` (its charts, worked out when `2` shows them),
and the JSON digest beside it (the same figures for every customer); the stakeholder
map's grid and first matrix window, and the credibility list's first two windows (the
records behind a figure, scrolled on).

Also the screen itself, headless at 80x24 (Today drawn, then ``p``): until its figures are
drawn (the kept ones), and until today's replace them (SCREEN_TIMES openings a run).

Run: ``python benchmarks/bench_portfolio.py``. Reads the cached benchmark boards
(``board.cached``: the 1k and 100k boards, built once; opened read-only here), each with
today's health snapshots as a board that has opened today has them, and the figures kept by
an earlier opening of the Portfolio (kept here before the timings when a board has none:
the only write to the cached boards). In each of three runs,
five timings of each board, interleaved (1k, 100k, 1k, ...); printed: each run's medians and
the ratio 100k / 1k, then the ratios' spread over the runs. Goal: the overview within 1.3x.
The digest's JSON lists every customer, so its size (and time) grows with the board.
"""

from __future__ import annotations

import asyncio
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
    portfolio_kept,
    portfolio_lists,
    stakeholders,
)
from relboard.services.context import Context  # noqa: E402

RUNS, TIMES = 3, 5
MEASURES: dict[str, Callable[[Context], object]] = {
    "portfolio opens": lambda ctx: _kept(ctx),
    "portfolio.overview": portfolio.overview,
    "portfolio.over_time": portfolio.over_time,
    "digest json": lambda ctx: digest.render(ctx, "json"),
    "stakeholder grid": lambda ctx: stakeholders.power_interest_grid(),
    "matrix, 1st window": lambda ctx: portfolio_lists.matrix_page(),
    "credibility, 2 wins": lambda ctx: _two_windows(ctx),
}


def _kept(ctx: Context) -> object:
    """The figures the screen opens on (refused if the board has none: nothing to time)."""
    kept = portfolio_kept.latest(ctx)
    if kept is None:
        raise SystemExit("no figures kept on the board (keep_figures did not run)")
    return kept


def keep_figures(path: str) -> None:
    """Keep the Portfolio's figures on the board at ``path`` as its first opening does (once:
    a board with figures kept is left as it is)."""
    open_database(path)
    try:
        ctx = Context(user="alex", now_override=board.NOW)
        if portfolio_kept.latest(ctx) is None:
            portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    finally:
        close_database()


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


async def _screen_once(path: str) -> tuple[float, float]:
    """Seconds from ``p`` until the Portfolio shows figures, and until they are today's."""
    from relboard.app import RelboardApp
    from relboard.config import Config

    open_database(path, read_only=True)
    app = RelboardApp(Config(database="unused.db", user="alex", animations=False),
                      ctx=Context(user="alex", now_override=board.NOW))
    try:
        async with app.run_test(size=(80, 24)):
            await _until(lambda: bool(app.screen.query("#today-list"))
                         and app.screen.query_one("#today-list").option_count > 0)
            await app.workers.wait_for_complete()
            start = time.perf_counter()
            app.simulate_key("p")  # pilot.press waits for an idle process: the worker's end
            await _until(lambda: bool(app.screen.query("#fig-health"))
                         and app.screen.query_one("#fig-health").row_count > 0)
            shown = time.perf_counter() - start
            await _until(lambda: getattr(app.screen, "current_of", None) is not None)
            return shown, time.perf_counter() - start
    finally:
        close_database()


async def _until(check: Callable[[], bool]) -> None:
    while not check():
        await asyncio.sleep(0.001)


SCREEN_TIMES = 9
"""Openings of the screen per board and run (they fall into a quick and a slow kind, ~80 and
~130 ms on this machine at either size: a median of few swings between them)."""


def screens(paths: dict[str, str]) -> None:
    """The screen's two moments at 1k and 100k, three runs of SCREEN_TIMES interleaved
    openings each: the medians and their ratio, then the quickest of each."""
    for run in range(1, RUNS + 1):
        got: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
        for _ in range(SCREEN_TIMES):
            for name, path in paths.items():
                got[name].append(asyncio.run(_screen_once(path)))
        for n, label in enumerate(("screen: p, figures", "screen: p, today's")):
            med = {k: statistics.median(t[n] for t in v) for k, v in got.items()}
            low = {k: min(t[n] for t in v) for k, v in got.items()}
            print(f"{label:<20} {run:>3} {med['1k'] * 1000:>7.1f}ms "
                  f"{med['100k'] * 1000:>8.1f}ms {med['100k'] / med['1k']:>6.2f}x "
                  f"(quickest {low['1k'] * 1000:.0f} / {low['100k'] * 1000:.0f} ms, "
                  f"{low['100k'] / low['1k']:.2f}x)")


def main() -> None:
    """Time each measure on both boards, three runs; print medians, ratios and spread."""
    paths = {"1k": board.cached(1), "100k": board.cached(100)}
    for path in paths.values():
        keep_figures(path)
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
    screens(paths)


if __name__ == "__main__":
    main()
