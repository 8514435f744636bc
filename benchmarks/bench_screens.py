"""Every screen at 100k against 1k: opening time, service call against raw SQL, peak memory.

Run: ``python benchmarks/bench_screens.py``. Builds a 1k and a 100k board (benchmarks/board.py,
with one customer holding 100 / 10,000 touchpoints) in a temp folder, then, interleaved:

1. each screen opened headless at 80x24 until its first rows are shown: Today (from the start
   of ``run_test`` until the list has options), the issue queue (``i``), customers (``c``),
   the expectation register (``e``) and the busiest customer's touchpoints tab;
2. each screen's service call, and the SQL it sends (captured from Peewee's log during one
   call) run by a plain ``sqlite3`` connection and fetched: as the driver's tuples of text,
   as dicts with dates and times made Python values (what the service returns, less its
   own work: SLA clocks, days since contact), and, for the issue queue and the customers,
   as those dicts given the same per-row facts by the service's own functions (the same
   result as the service's);
3. peak memory (``ru_maxrss``) of a child process that opens Today.

Prints medians, and the ratio 100k / 1k (and service / raw SQL). A service's ratio to its raw
SQL is the median of the ratios within each repeat (``REPEAT`` per round, each side measured
right after the other): this machine's speed swings by a quarter from minute to minute, and a
ratio of two medians taken at different moments swings with it. Goals of the scale issue:
every screen <= 1.2x, peak memory <= 1.3x, service <= 1.5x its raw SQL.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import logging
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from board import NOW, build  # noqa: E402

from relboard.app import RelboardApp  # noqa: E402
from relboard.config import DEFAULT_QUEUES, Config  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import attention, lists  # noqa: E402
from relboard.services.context import Context  # noqa: E402
from relboard.services.expectations import OPEN_STATUSES as OPEN_EXPECTATIONS  # noqa: E402
from relboard.services.today.items import FIRST_PAGE  # noqa: E402

ROUNDS = 9
REPEAT = 10
"""Service calls (and their raw SQL) timed per round and board size."""
BUSY = 1  # the customer board.build(busy_customer=True) gives 100 x scale touchpoints
SCREENS = ("Today", "issue queue (i)", "customers (c)", "expectations (e)",
           "profile touchpoints")


def make_app(ctx: Context) -> RelboardApp:
    """The board on the already-open database, as tests/test_board.py builds it."""
    return RelboardApp(Config(database="unused.db", user=ctx.user, animations=False), ctx=ctx)


async def _until(check) -> None:
    while not check():
        await asyncio.sleep(0.001)


def _rows(app, selector: str):
    """A check: the current screen's table ``selector`` shows rows."""
    def check() -> bool:
        tables = app.screen.query(selector)
        return bool(tables) and tables.first().row_count > 0
    return check


async def open_screens(path: str) -> list[float]:
    """Seconds until each of SCREENS shows its first rows (a new app per run)."""
    open_database(path)
    app = make_app(Context(user="alex", now_override=NOW))
    times = []
    try:
        start = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(lambda: bool(app.screen.query("#today-list"))
                         and app.screen.query_one("#today-list").option_count > 0)
            times.append(time.perf_counter() - start)
            for key, table in (("i", "PagedTable"), ("c", "#customers-table"),
                               ("e", "PagedTable")):
                await pilot.pause()
                await app.workers.wait_for_complete()
                start = time.perf_counter()
                await pilot.press(key)
                await _until(_rows(app, table))
                times.append(time.perf_counter() - start)
            await pilot.pause()
            await app.workers.wait_for_complete()
            start = time.perf_counter()
            app.open_customer(BUSY, tab="touchpoints")
            await _until(_rows(app, "#touchpoints-table"))
            times.append(time.perf_counter() - start)
            await pilot.pause()
            await app.workers.wait_for_complete()
    finally:
        close_database()
    return times


class _Capture(logging.Handler):
    """Collects the (sql, params) Peewee logs for each statement it runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            self.statements.append((record.msg[0], tuple(record.msg[1] or ())))


def service_calls(ctx: Context) -> dict[str, callable]:
    """Each screen's first service call, with the screen's default filters."""
    return {
        "board (Today)": lambda: attention.board(ctx, None, FIRST_PAGE),
        "issues_page": lambda: lists.issues_page(ctx, status=DEFAULT_QUEUES[0].filter.status,
                                                 limit=200),
        "customers_page": lambda: lists.customers_page(ctx, limit=200),
        "expectations_page": lambda: lists.expectations_page(
            ctx, status=tuple(OPEN_EXPECTATIONS), limit=200),
        "touchpoints_page": lambda: lists.touchpoints_page(BUSY, limit=200),
    }


FACTS = {
    "issues_page": lambda ctx, rows: lists.issue_facts(ctx.pinned(), rows),
    "customers_page": lambda ctx, rows: lists.customer_facts(ctx.pinned(), rows),
}
"""The service's own work on each row (SLA clocks, days since contact), done on the raw
rows too for the "same result" baseline; the other lists return their columns as they are."""


def today_words(ctx: Context) -> callable:
    """Today's own work on each item it shows (its reason and title in words, from the rows):
    recorded from one call of the service, and done again by the returned function, so the
    "same result" baseline for Today is its SQL read as typed dicts plus these words."""
    from relboard.services.today.sources import SOURCES

    recorded = []
    real = {name: source.item for name, source in SOURCES.items()}
    for name, source in SOURCES.items():
        source.item = lambda *args, real=real[name]: recorded.append((real, args)) or real(*args)
    try:
        attention.board(ctx, None, FIRST_PAGE)
    finally:
        for name, source in SOURCES.items():
            source.item = real[name]
    return lambda: [item(*args) for item, args in recorded]


WORDS = {"board (Today)": today_words}
"""Per-result work done once all the rows are read (Today's words for each item shown)."""


def captured_sql(call) -> list[tuple[str, tuple]]:
    """The statements Peewee sends for one ``call``."""
    logger = logging.getLogger("peewee")
    handler, level = _Capture(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        call()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return [(sql, params) for sql, params in handler.statements
            if sql.lstrip().upper().startswith("SELECT")]


def _raw_params(params: tuple) -> tuple:
    """Values as sqlite3 would store them (dates and datetimes as ISO text, like Peewee)."""
    return tuple(str(p) if hasattr(p, "isoformat") else p for p in params)


def _moment(value: bytes) -> _dt.datetime:
    return _dt.datetime.fromisoformat(value.decode())


def _day(value: bytes) -> _dt.date:
    return _dt.date.fromisoformat(value.decode())


def typed_connection(path: str) -> sqlite3.Connection:
    """A plain sqlite3 connection that returns DATETIME and DATE columns as Python values
    (its own converters, run by sqlite3 per value), as hand-written code would."""
    sqlite3.register_converter("DATETIME", _moment)
    sqlite3.register_converter("DATE", _day)
    return sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES)


def typed_rows(conn: sqlite3.Connection, sql: str, params: tuple) -> list[dict]:
    """The rows of ``sql`` as dicts of Python values: the service's rows, minus its own work
    (SLA clocks, days since contact and such)."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


Samples = tuple[list[float], list[float], list[float], list[float]]


def _baselines(ctx: Context, statements: list, facts, words, raw: sqlite3.Connection,
               typed: sqlite3.Connection) -> tuple:
    """The service's SQL on plain connections: fetched, read as typed dicts, and the same
    result (typed dicts given the service's own per-row facts or per-item words)."""
    def fetched():
        for sql, params in statements:
            raw.execute(sql, params).fetchall()

    def as_dicts():
        for sql, params in statements:
            typed_rows(typed, sql, params)

    def same_result():
        for sql, params in statements:
            facts(ctx, typed_rows(typed, sql, params))
        words()

    return fetched, as_dicts, same_result


def _interleaved(runs: tuple, repeat: int) -> list[list[float]]:
    """Seconds of each of ``runs`` (a service and its same result first), ``repeat`` times:
    each pair one after the other, in turn first."""
    samples: list[list[float]] = [[] for _ in runs]
    for n in range(repeat):
        for index in (range(len(runs)) if n % 2 == 0 else (1, 0, 3, 2)):
            start = time.perf_counter()
            runs[index]()
            samples[index].append(time.perf_counter() - start)
    return samples


def time_services(path: str, repeat: int = REPEAT) -> dict[str, Samples]:
    """For each service call: samples of the call, of its SQL fetched on a plain connection,
    of its SQL read as typed dicts on a plain connection, and of those dicts given the
    service's own per-row facts or per-item words (the same result, where it adds any); the
    n-th sample of each list comes from the same repeat."""
    open_database(path)
    raw, typed = sqlite3.connect(path), typed_connection(path)
    ctx = Context(user="alex", now_override=NOW)
    out = {}
    try:
        for name, call in service_calls(ctx).items():
            statements = [(sql, _raw_params(p)) for sql, p in captured_sql(call)]
            facts = FACTS.get(name, lambda ctx, rows: None)
            words = WORDS[name](ctx) if name in WORDS else (lambda: None)
            fetched, as_dicts, same_result = _baselines(ctx, statements, facts, words, raw, typed)
            service, same, dicts, plain = _interleaved((call, same_result, as_dicts, fetched),
                                                       repeat)
            out[name] = (service, plain, dicts, same)
    finally:
        raw.close()
        typed.close()
        close_database()
    return out


def paired(samples: Samples) -> tuple[float, float, float]:
    """The service against its raw SQL, its typed dicts and the same result: each the median
    of the ratios of samples from the same repeat."""
    service, *others = samples
    return tuple(statistics.median(a / b for a, b in zip(service, other, strict=True))
                 for other in others)


def child_today(path: str) -> None:
    """(In a child process) open Today headless, print peak RSS in KiB."""
    asyncio.run(_today_only(path))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


async def _today_only(path: str) -> None:
    open_database(path)
    app = make_app(Context(user="alex", now_override=NOW))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(lambda: bool(app.screen.query("#today-list"))
                         and app.screen.query_one("#today-list").option_count > 0)
            await pilot.pause()
    finally:
        close_database()


# A child's ru_maxrss starts at its parent's (Linux keeps it across fork and exec), and this
# process grows while it builds and reads the boards: children are started by a small launcher
# process begun first, so what they report is their own peak.
LAUNCHER = """
import subprocess, sys
for line in sys.stdin:
    args = line.rstrip("\\n").split("\\t")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    print(out.split()[-1], flush=True)
"""


def start_launcher() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def peak_kib(launcher: subprocess.Popen, path: str) -> int:
    """Peak RSS (KiB) of a fresh process that opens Today on ``path``."""
    launcher.stdin.write("\t".join([sys.executable, __file__, "--child-today", path]) + "\n")
    launcher.stdin.flush()
    return int(launcher.stdout.readline())


def main() -> None:
    """Build both boards, measure alternately, print the table."""
    launcher = start_launcher()
    with tempfile.TemporaryDirectory() as folder:
        sizes = {"1k": str(Path(folder) / "1k.db"), "100k": str(Path(folder) / "100k.db")}
        started = time.perf_counter()
        build(sizes["1k"], 1, busy_customer=True)
        build(sizes["100k"], 100, busy_customer=True)
        print(f"boards built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        screens = {s: [] for s in sizes}
        services = {s: {} for s in sizes}
        memory = {s: [] for s in sizes}
        for n in range(ROUNDS):  # alternate so machine noise hits both alike
            for size, path in sizes.items():
                screens[size].append(asyncio.run(open_screens(path)))
                for name, samples in time_services(path).items():
                    got = services[size].setdefault(name, ([], [], [], []))
                    for into, more in zip(got, samples, strict=True):
                        into.extend(more)
                memory[size].append(peak_kib(launcher, path))
            print(f"round {n + 1}/{ROUNDS} done at {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    launcher.stdin.close()
    launcher.wait()

    med = statistics.median
    print(f"| measure (median of {ROUNDS} runs) | 1k | 100k | 100k / 1k |")
    print("|---|---|---|---|")
    for index, name in enumerate(SCREENS):
        a = med(r[index] for r in screens["1k"])
        b = med(r[index] for r in screens["100k"])
        print(f"| screen: {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {b / a:.2f}x |")
    for name in services["1k"]:
        a_svc, a_raw = (med(x) for x in services["1k"][name][:2])
        b_svc, b_raw = (med(x) for x in services["100k"][name][:2])
        a_ratio, b_ratio = (paired(services[size][name]) for size in ("1k", "100k"))
        print(f"| service: {name} | {a_svc * 1000:.2f} ms | {b_svc * 1000:.2f} ms "
              f"| {b_svc / a_svc:.2f}x |")
        print(f"| raw SQL: {name} | {a_raw * 1000:.2f} ms | {b_raw * 1000:.2f} ms "
              f"| {b_raw / a_raw:.2f}x |")
        print(f"| service / raw SQL: {name} | {a_ratio[0]:.2f}x | {b_ratio[0]:.2f}x | |")
        print(f"| service / raw SQL as typed dicts: {name} | {a_ratio[1]:.2f}x "
              f"| {b_ratio[1]:.2f}x | |")
        if name in FACTS or name in WORDS:
            what = "per-item words" if name in WORDS else "per-row facts"
            print(f"| service / raw SQL, typed dicts with the same {what}: {name} "
                  f"| {a_ratio[2]:.2f}x | {b_ratio[2]:.2f}x | |")
    a, b = med(memory["1k"]), med(memory["100k"])
    print(f"| peak memory, child opening Today | {a / 1024:.0f} MB | {b / 1024:.0f} MB "
          f"| {b / a:.2f}x |")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-today":
        child_today(sys.argv[2])
    else:
        main()
