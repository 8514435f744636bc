"""Today in use at 100k against 1k: one triage key, and an idle board while another PM writes.

Run: ``python benchmarks/bench_live.py``. Builds a 1k and a 100k board (benchmarks/board.py)
in a temp folder, then, interleaved, in a fresh child process per measure:

1. **triage key**: Today open headless at 80x24; the first follow-up is highlighted and ``d``
   (done) sent as a key event; timed until the follow-up is stored as done *and* gone from
   the list on screen, the cursor on the next item (median of ``KEYS`` keys per run);
2. **idle with a writer**: Today open and settled; another process, as another PM, saves 4
   times ``GAP`` seconds apart (a touchpoint, an acknowledged issue, a touchpoint, an
   expectation at risk); the board's CPU time over the window / the window's wall time. The
   same window with no writer is printed too (the board's own timers).

Prints medians and the ratio 100k / 1k. Goals of the scale issue: triage key <= 50 ms at
100k; idle CPU with a writer <= 2%.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from board import NOW, build  # noqa: E402

ROUNDS = 3
KEYS = 5
GAP = 2.5
WINDOW = 4 * GAP + 2.0

WRITER = """
import datetime as dt, time
from relboard.db import open_database
from relboard.services import expectations, issues, lists, records, touchpoints
from relboard.services.context import Context
open_database({path!r})
bob = Context(user="bob", now_override=dt.datetime(2026, 11, 23, 10, 0))
first = lists.issues_page(bob, status=["new"], limit=1).rows[0]
promise = lists.expectations_page(bob, status=["agreed"], limit=1).rows[0]
steps = [
    lambda: touchpoints.log_touchpoint(bob, {{"customer": 5, "summary": "Quick call"}}),
    lambda: issues.acknowledge(bob, first["id"], first["version"]),
    lambda: touchpoints.log_touchpoint(bob, {{"customer": 7, "summary": "Status mail",
                                              "channel": "email"}}),
    lambda: expectations.set_status(bob, promise["id"], promise["version"], "at_risk"),
]
for step in steps:
    time.sleep({gap})
    step()
"""


def _app(path: str):
    from relboard.app import RelboardApp
    from relboard.config import Config
    from relboard.db import open_database
    from relboard.services.context import Context

    open_database(path)
    ctx = Context(user="alex", now_override=NOW)
    return RelboardApp(Config(database="unused.db", user="alex", animations=False), ctx=ctx)


async def _settled(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()


async def triage(path: str) -> list[float]:
    """Seconds from ``d`` on a follow-up to it stored as done and gone from the list."""
    from relboard.services import records

    app = _app(path)
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not (app.screen.query("#today-list")
                   and app.screen.query_one("#today-list").option_count):
            await asyncio.sleep(0.005)
        await _settled(app, pilot)
        listing = app.screen.query_one("#today-list")
        for _ in range(KEYS):
            key = next(k for k in app.screen.items if k.startswith("interaction:"))
            listing.highlighted = listing.get_option_index(key)
            await pilot.pause()
            start = time.perf_counter()
            app.simulate_key("d")  # as the terminal would send it (no test-harness waits)
            while key in app.screen.items or app.screen.query_one(
                    "#today-list").highlighted_option.id == key:
                await asyncio.sleep(0.0005)
            times.append(time.perf_counter() - start)
            assert records.get("interaction", int(key.split(":")[1]))["follow_up_done_at"]
            await _settled(app, pilot)
    return times


async def idle(path: str, writer: bool) -> float:
    """The board's CPU share over WINDOW seconds, with or without another PM writing."""
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        while not (app.screen.query("#today-list")
                   and app.screen.query_one("#today-list").option_count):
            await asyncio.sleep(0.005)
        await _settled(app, pilot)
        await asyncio.sleep(1.5)
        other = None
        if writer:
            code = textwrap.dedent(WRITER.format(path=path, gap=GAP))
            other = subprocess.Popen([sys.executable, "-c", code])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0, wall0 = usage.ru_utime + usage.ru_stime, time.perf_counter()
        await asyncio.sleep(WINDOW)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime - cpu0
        share = cpu / (time.perf_counter() - wall0)
        if other is not None and other.wait(timeout=60) != 0:
            raise SystemExit("the writer failed")
    return share


def child(measure: str, path: str) -> None:
    """(In a child process) one measure, printed as JSON."""
    if measure == "triage":
        print(json.dumps(asyncio.run(triage(path))))
    else:
        print(json.dumps(asyncio.run(idle(path, measure == "writer"))))


def run_child(measure: str, path: str) -> object:
    """One measure in a fresh process (its own imports, caches and connection)."""
    done = subprocess.run([sys.executable, __file__, "--child", measure, path],
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Build both boards, measure alternately, print the table."""
    with tempfile.TemporaryDirectory() as folder:
        sizes = {"1k": str(Path(folder) / "1k.db"), "100k": str(Path(folder) / "100k.db")}
        started = time.perf_counter()
        build(sizes["1k"], 1)
        build(sizes["100k"], 100)
        print(f"boards built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        got = {s: {"triage": [], "writer": [], "quiet": []} for s in sizes}
        for n in range(ROUNDS):
            for size, path in sizes.items():
                got[size]["triage"] += run_child("triage", path)
                got[size]["writer"].append(run_child("writer", path))
                got[size]["quiet"].append(run_child("quiet", path))
            print(f"round {n + 1}/{ROUNDS} done at {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    med = statistics.median
    print(f"| measure (median of {ROUNDS} runs) | 1k | 100k | 100k / 1k |")
    print("|---|---|---|---|")
    a, b = med(got["1k"]["triage"]), med(got["100k"]["triage"])
    print(f"| triage key (d on a follow-up) to stored and repainted | {a * 1000:.1f} ms "
          f"| {b * 1000:.1f} ms | {b / a:.2f}x |")
    for name, label in (("writer", "idle CPU, another PM saving 4 times"),
                        ("quiet", "idle CPU, nobody saving")):
        a, b = med(got["1k"][name]), med(got["100k"][name])
        print(f"| {label} ({WINDOW:.0f} s) | {a * 100:.2f}% | {b * 100:.2f}% "
              f"| {b / a:.2f}x |")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
