"""The Portfolio screen's figures from 1k to 1M records, on SQLite and PostgreSQL, in ratios
measured in one run: ``portfolio_kept.latest`` (what the screen shows when it opens: the
figures last worked out, kept on the board) and ``portfolio.overview`` (today's figures,
shown when worked out: a moment later) on every board; on the SQLite boards up to 100k also
``portfolio.over_time`` (its charts, worked out when `2` shows them), the JSON digest beside
it (the same figures for every customer), the stakeholder map's grid and first matrix window,
and the credibility list's first two windows (the records behind a figure, scrolled on).

Also the screen itself on the SQLite 1k and 100k boards, headless at 80x24 (Today drawn, then
``p``): until its figures are drawn (the kept ones), and until today's replace them
(SCREEN_TIMES openings a run).

Run: ``python benchmarks/bench_portfolio.py [--sizes 1k,100k,1M] [--postgres 1k,100k]
[--runs 3] [--calls 5]``. The boards are ``bench_scale.boards``': the cached benchmark boards
(``board.cached``, built once), each with today's health snapshots as a board that has opened
today has them, copied into a throwaway PostgreSQL server for ``--postgres``; each gets the
figures an earlier opening of the Portfolio keeps (kept here before the timings when a board
has none: the only write to the cached boards). Each measure is timed ``--calls`` times a
board per run, the boards interleaved, after one warm-up each (wall time: on PostgreSQL the
server works in its own process); printed: each run's medians, then the ratios — a board
against the 1k board of the same database, PostgreSQL against SQLite at the same size — as
the median and spread of the runs' own. Goal: the Portfolio opens at 100k within 1.3x of 1k.
The digest's JSON lists every customer, so its size (and time) grows with the board.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale  # noqa: E402
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
EVERY_BOARD: dict[str, Callable[[Context], object]] = {
    "portfolio opens": lambda ctx: _kept(ctx),
    "portfolio.overview": portfolio.overview,
}
"""Timed on every board, 1M and PostgreSQL too."""
MEASURES: dict[str, Callable[[Context], object]] = {
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


def one_run(paths: dict[Any, str], measure: Callable[[Context], object],
            times: int = TIMES) -> dict[Any, float]:
    """Median seconds per board over ``times`` interleaved calls (after one warm-up each)."""
    for path in paths.values():
        timed(path, measure)
    got: dict[Any, list[float]] = {name: [] for name in paths}
    for _ in range(times):
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


def screens(paths: dict[str, str], runs: int = RUNS) -> None:
    """The screen's two moments at 1k and 100k, three runs of SCREEN_TIMES interleaved
    openings each: the medians and their ratio, then the quickest of each."""
    for run in range(1, runs + 1):
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


def _ratios(med: dict[tuple[str, str], float]) -> dict[str, float]:
    """A run's ratios: each board against the 1k board of its database, PostgreSQL against
    SQLite at the same size."""
    out = {}
    for (kind, size), value in med.items():
        base = med.get((kind, "1k"))
        if size != "1k" and base:
            out[f"{kind} {size} / 1k"] = value / base
        lite = med.get(("sqlite", size))
        if kind == "postgresql" and lite:
            out[f"PostgreSQL / SQLite at {size}"] = value / lite
    return out


def measure_all(specs: dict[tuple[str, str], str], runs: int, calls: int) -> None:
    """Every measure on its boards, ``runs`` runs; each run's medians, then the ratios."""
    small = {key: spec for key, spec in specs.items()
             if key[0] == "sqlite" and key[1] in ("1k", "100k")}
    for label, measure in {**EVERY_BOARD, **MEASURES}.items():
        boards = specs if label in EVERY_BOARD else small
        ratios: dict[str, list[float]] = {}
        for run in range(1, runs + 1):
            med = one_run(boards, measure, calls)
            shown = "  ".join(f"{kind[:2]} {size} {value * 1000:.1f}ms"
                              for (kind, size), value in med.items())
            print(f"{label:<20} run {run}: {shown}", flush=True)
            for name, ratio in _ratios(med).items():
                ratios.setdefault(name, []).append(ratio)
        for name, values in ratios.items():
            print(f"{label:<20} {name:<28} {bench_scale._spread(values)}")


def main() -> None:
    """Find or build the boards, keep their figures, measure, print."""
    args = bench_scale.options(__doc__.split("\n\n")[0], calls=TIMES)
    sizes, on_pg = bench_scale._sizes(args.sizes), bench_scale._sizes(args.postgres)
    with bench_scale.boards(sizes, on_pg) as found:
        specs = {key: spec for key, spec in found.items()
                 if key[0] == "postgresql" or key[1] in sizes}
        for spec in specs.values():
            keep_figures(spec)
        measure_all(specs, args.runs, args.calls)
        small = {size: specs[("sqlite", size)] for size in ("1k", "100k")
                 if ("sqlite", size) in specs}
        if len(small) == 2:
            screens(small, args.runs)


if __name__ == "__main__":
    main()
