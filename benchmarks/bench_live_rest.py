"""An open Portfolio (or a list it opens) while another PM saves: the board's CPU share, 1k
to 1M records.

Run: ``python benchmarks/bench_live_rest.py [--sizes 1k,100k,1M] [--runs 3]
[--gap 1.0] [--window 12] [--screens portfolio,credibility]``. Each size's cached benchmark
board (``board.cached``, built once) is copied into a temporary folder (the measure writes to
it). Then, interleaved, in a fresh child process per measure: the board opens headless at
80x24 as alex and shows the screen — ``portfolio``: ``p``, until today's figures are drawn;
``credibility``: the list behind the Portfolio's Credibility figure (credibility per customer,
worked out whole), until its first window is in — and another process (bob) logs a touchpoint
every ``--gap`` seconds for ``--window`` seconds; the board's CPU time over the window / its
wall time is the share of a core the open screen costs, and what it worked out meanwhile is
counted (``portfolio.overview`` or the list's first windows).

Two arms a screen and size, in the same run: the board as it is (others' saves wait for the
rest after each computation, ``widgets/one_at_a_time.REST``) and, as the baseline, the same
with no rest (``REST = 0``: every poll that sees a save works it out again, as before the
rest). Prints the medians of the runs and the ratio of the two arms, with the spread of the
runs' own ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from board import NOW, cached  # noqa: E402

SCALES = {"1k": 1, "100k": 100, "1M": 1000}
WRITER = """
import datetime as dt, time
from relboard.db import open_database
from relboard.services import touchpoints
from relboard.services.context import Context
open_database({path!r})
bob = Context(user="bob", now_override=dt.datetime(2026, 11, 23, 10, 0))
end = time.monotonic() + {window}
n = 0
while time.monotonic() < end:
    time.sleep({gap})
    touchpoints.log_touchpoint(bob, {{"customer": 1 + n % 50, "summary": "Quick call"}})
    n += 1
"""


async def _until(condition, seconds: float = 600) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("the board did not get there in time")
        await asyncio.sleep(0.01)


async def measure(path: str, screen: str, rest: bool, gap: float, window: float
                  ) -> dict[str, float]:
    """(In a child process) the board's CPU share and what it worked out meanwhile."""
    from relboard.app import RelboardApp
    from relboard.config import Config
    from relboard.db import open_database
    from relboard.screens import drilldown
    from relboard.services import portfolio, portfolio_lists
    from relboard.services.context import Context
    from relboard.widgets import one_at_a_time

    if not rest:
        one_at_a_time.REST = 0.0
    worked = [0]
    module, name = ((portfolio, "overview") if screen == "portfolio"
                    else (portfolio_lists, "credibility_page"))
    real = getattr(module, name)

    def counted(*args, **kwargs):
        if kwargs.get("after") is None:
            worked[0] += 1
        return real(*args, **kwargs)

    setattr(module, name, counted)
    open_database(path)
    app = RelboardApp(Config(database="unused.db", user="alex", animations=False),
                      ctx=Context(user="alex", now_override=NOW))
    async with app.run_test(size=(80, 24)):
        await _until(lambda: bool(app.screen.query("#today-list"))
                     and app.screen.query_one("#today-list").option_count > 0)
        await app.workers.wait_for_complete()
        if screen == "portfolio":
            app.simulate_key("p")
            await _until(lambda: getattr(app.screen, "current_of", None) is not None)
        else:
            drilldown.open_credibility(app, None)
            await _until(lambda: worked[0] == 1 and bool(app.screen.query("#breakdown-table"))
                         and app.screen.query_one("#breakdown-table").row_count > 0)
        await asyncio.sleep(1.0)
        code = textwrap.dedent(WRITER.format(path=path, gap=gap, window=window))
        writer = subprocess.Popen([sys.executable, "-c", code])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0, wall0, worked0 = usage.ru_utime + usage.ru_stime, time.perf_counter(), worked[0]
        await asyncio.sleep(window)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        share = (usage.ru_utime + usage.ru_stime - cpu0) / (time.perf_counter() - wall0)
        if writer.wait(timeout=120) != 0:
            raise SystemExit("the writer failed")
        return {"share": share, "worked": worked[0] - worked0}


def run_child(path: str, screen: str, rest: bool, gap: float, window: float
              ) -> dict[str, float]:
    """One measure in a fresh process (its own imports, caches and connection)."""
    done = subprocess.run([sys.executable, __file__, "--child", path, screen, str(int(rest)),
                           str(gap), str(window)],
                          capture_output=True, text=True, check=True, timeout=900)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Copy the boards, measure both arms interleaved, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1k,100k,1M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gap", type=float, default=1.0)
    parser.add_argument("--window", type=float, default=12.0)
    parser.add_argument("--screens", default="portfolio,credibility")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    screens = [s.strip() for s in args.screens.split(",") if s.strip()]
    med = statistics.median
    with tempfile.TemporaryDirectory(prefix="relboard-bench-") as folder:
        paths = {}
        for size in sizes:
            paths[size] = str(Path(folder) / f"{size}.db")
            shutil.copyfile(cached(SCALES[size]), paths[size])
        got: dict[tuple[str, str, bool], list[dict[str, float]]] = {
            (v, s, r): [] for v in screens for s in sizes for r in (True, False)}
        for n in range(args.runs):
            for screen in screens:
                for size in sizes:
                    for rest in (True, False):
                        got[(screen, size, rest)].append(
                            run_child(paths[size], screen, rest, args.gap, args.window))
            print(f"run {n + 1}/{args.runs} done", file=sys.stderr, flush=True)
    print(f"An open screen, another PM saving every {args.gap:g} s for {args.window:g} s "
          f"(median of {args.runs} runs)")
    print("| screen, board | with the rest: CPU | worked out | without: CPU | worked out "
          "| with / without |")
    print("|---|---|---|---|---|---|")
    for screen, size in ((v, s) for v in screens for s in sizes):
        rested, eager = got[(screen, size, True)], got[(screen, size, False)]
        ratios = [a["share"] / b["share"] for a, b in zip(rested, eager, strict=True)]
        print(f"| {screen}, {size} | {med(r['share'] for r in rested) * 100:.1f}% "
              f"| {med(r['worked'] for r in rested):g} "
              f"| {med(r['share'] for r in eager) * 100:.1f}% "
              f"| {med(r['worked'] for r in eager):g} "
              f"| {med(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}) |")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        print(json.dumps(asyncio.run(measure(sys.argv[2], sys.argv[3], sys.argv[4] == "1",
                                             float(sys.argv[5]), float(sys.argv[6])))))
    else:
        main()
