"""Today's board from 1k to 1M records, on SQLite and PostgreSQL, in ratios measured in one run.

Run: ``python benchmarks/bench_scale.py [--sizes 1k,100k,1M] [--postgres 1k,100k] [--runs 3]``.

The boards are ``board.cached(scale)``: built as a user's is (the stored SLA clocks and last
contacts kept by the services, a week of health history and today's snapshots, risks,
feedback), every Today group full, kept between runs in ``~/.cache/relboard-benchmarks`` (the
1M board takes minutes to build once). For PostgreSQL, a throwaway server (the tests' own,
``tests/pgserver.py``: the distribution's binaries, a Unix socket) gets each board listed by
``relboard migrate-to``'s service, which ends with VACUUM ANALYZE as an import does.

Each run measures, interleaved so machine noise hits them alike: Today's service as the
screen calls it (``attention.board`` with ``FIRST_PAGE`` items per group, everyone's and one
PM's view) on every board, the median of ``--calls``
calls after five to warm up — CPU time of this process for SQLite, wall time for both (on
PostgreSQL the server works in its own process) — and ``digest --format json`` (every
customer's health from the day's snapshots) on the SQLite boards up to 100k. It prints each
figure's median over the runs, and the ratios — a board against the 1k board of the same
database, PostgreSQL against SQLite at the same size — as the median and the spread (lowest
to highest) of the runs' own ratios; then the statements one board sends each database and,
on PostgreSQL, the tables a plan kept on the server scans in table order. Only public tools
are used.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from board import NOW, cached  # noqa: E402

from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import digest  # noqa: E402
from relboard.services.attention import board  # noqa: E402
from relboard.services.context import Context  # noqa: E402
from relboard.services.today.items import FIRST_PAGE  # noqa: E402

SCALES = {"1k": 1, "100k": 100, "1M": 1000}


def _sizes(text: str) -> list[str]:
    names = [s.strip() for s in text.split(",") if s.strip()]
    for name in names:
        if name not in SCALES:
            raise SystemExit(f"bench_scale: unknown size {name!r} (one of {', '.join(SCALES)})")
    return names


def _time(spec: str, calls: int, who: str | None) -> tuple[float, float]:
    """Median wall and CPU milliseconds of Today's service on ``spec``."""
    open_database(spec)
    try:
        ctx = Context(user="alex", now_override=NOW)
        for _ in range(5):
            board(ctx, who, FIRST_PAGE)
        wall, cpu = [], []
        for _ in range(calls):
            w, c = time.perf_counter(), time.process_time()
            board(ctx, who, FIRST_PAGE)
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
        return statistics.median(wall) * 1000, statistics.median(cpu) * 1000
    finally:
        close_database()


def _digest(spec: str) -> float:
    """Wall milliseconds of the JSON digest (the best of two)."""
    open_database(spec)
    try:
        ctx = Context(user="alex", now_override=NOW)
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            digest.render(ctx, "json")
            best = min(best, time.perf_counter() - start)
        return best * 1000
    finally:
        close_database()


def _sent(spec: str) -> tuple[int, list[str]]:
    """What one everyone's board sends ``spec`` once warm: its statements, and on PostgreSQL
    the tables a kept plan (``EXPLAIN EXECUTE``) scans in table order rather than by an
    index (under a LIMIT or an EXISTS such a scan stops at the rows it needs), beyond the
    small ones (the snoozes and the activity log: a handful of rows on these boards)."""
    from relboard import models as m

    open_database(spec)
    try:
        ctx = Context(user="alex", now_override=NOW)
        for _ in range(5):
            board(ctx, None, FIRST_PAGE)
        db = m.database_proxy.obj
        sent: list[tuple[str, object]] = []
        real = db.execute_sql

        def spy(sql, params=None, *args, **kwargs):
            sent.append((sql, params))
            return real(sql, params, *args, **kwargs)

        db.execute_sql = spy
        try:
            board(ctx, None, FIRST_PAGE)
        finally:
            db.execute_sql = real
        whole = []
        for sql, params in sent:
            if sql.startswith("EXECUTE"):
                for (line,) in db.execute_sql("EXPLAIN " + sql, params).fetchall():
                    if "Seq Scan on " in line:
                        table = line.split("Seq Scan on ")[1].split()[0]
                        if table not in ("snooze", "activity"):
                            whole.append(table)
        return len(sent), whole
    finally:
        close_database()


def _spread(values: list[float]) -> str:
    return (f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"
            if values else "-")


def options(description: str, calls: int) -> argparse.Namespace:
    """The options of a benchmark over the boards: --sizes, --postgres, --runs, --calls."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default="1k,100k,1M")
    parser.add_argument("--postgres", default="1k,100k",
                        help="sizes also measured on PostgreSQL ('' for none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=calls)
    return parser.parse_args()


def main() -> None:
    """Build or find the boards, measure, print."""
    args = options(__doc__.split("\n\n")[0], calls=15)
    sizes, on_pg = _sizes(args.sizes), _sizes(args.postgres)
    with boards(sizes, on_pg) as specs:
        _measure(args, sizes, on_pg, specs)


@contextmanager
def boards(sizes: list[str], on_pg: list[str]) -> Iterator[dict[tuple[str, str], str]]:
    """The cached SQLite board of each size (found or built) and, for ``on_pg``, each copied
    into a throwaway PostgreSQL server (stopped after): ``{(kind, size): spec}``."""
    specs: dict[tuple[str, str], str] = {}
    for size in dict.fromkeys(sizes + on_pg):
        started = time.perf_counter()
        specs[("sqlite", size)] = cached(SCALES[size])
        print(f"board {size}: {specs[('sqlite', size)]} "
              f"({time.perf_counter() - started:.0f} s to find or build)", flush=True)
    server = None
    if on_pg:
        from relboard.services.migrate_to import migrate_to
        from tests.pgserver import PgServer

        server = PgServer().start()
    try:
        for size in on_pg:
            url = server.url(server.create_database(migrated=False))  # type: ignore[union-attr]
            source = open_database(specs[("sqlite", size)])
            started = time.perf_counter()
            try:
                migrate_to(source, url)
            finally:
                close_database()
            specs[("postgresql", size)] = url
            print(f"board {size} copied into PostgreSQL in {time.perf_counter() - started:.0f} s",
                  flush=True)
        yield specs
    finally:
        if server is not None:
            server.stop()


def _measure(args, sizes: list[str], on_pg: list[str], specs: dict) -> None:
    figures: dict[tuple, list[float]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    for run in range(args.runs):
        got: dict[tuple, float] = {}
        for (kind, size), spec in specs.items():
            if kind == "sqlite" and size not in sizes:
                continue
            for view, who in (("everyone", None), ("alex", "alex")):
                wall, cpu = _time(spec, args.calls, who)
                got[(kind, size, view, "wall")] = wall
                got[(kind, size, view, "cpu")] = cpu
            if kind == "sqlite" and size != "1M":
                got[(kind, size, "digest", "wall")] = _digest(spec)
        for key, value in got.items():
            figures[key].append(value)
        for (kind, size, view, clock), value in got.items():
            base = got.get((kind, "1k", view, clock))
            if size != "1k" and base:
                ratios[f"{kind} {view} {clock}: {size} / 1k"].append(value / base)
            if kind == "postgresql" and clock == "wall" and view != "digest":
                lite = got.get(("sqlite", size, view, "wall"))
                if lite:
                    ratios[f"{view} wall at {size}: PostgreSQL / SQLite"].append(value / lite)
        print(f"run {run + 1} of {args.runs} done", flush=True)
    print("\nmedians over the runs (ms)")
    for (kind, size, view, clock), values in sorted(figures.items()):
        print(f"  {kind:10} {size:>5} {view:8} {clock:4} {statistics.median(values):9.2f}")
    print("\nratios: median of the runs' own (lowest-highest)")
    for name, values in ratios.items():
        print(f"  {name:45} {_spread(values)}")
    print("\nwhat one everyone's board sends (warm)")
    for (kind, size), spec in specs.items():
        if kind == "sqlite" and size not in sizes:
            continue
        count, whole = _sent(spec)
        tables = ", ".join(f"{t} x{whole.count(t)}" for t in sorted(set(whole))) or "none"
        read = f"; sequential scans in kept plans: {tables}" if kind == "postgresql" else ""
        print(f"  {kind:10} {size:>5} {count} statements{read}")


if __name__ == "__main__":
    main()
