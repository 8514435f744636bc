"""Keyset paging stays flat: the issue queue with 20,000 issues against 200, run side by side.

Run: ``python benchmarks/bench_lists.py``. Prints the time of a 50-row window (first, from the
middle, the owner's queue) at both sizes, and the ratio large/small. The
goal is a ratio near 1 for pages (index-ordered, LIMIT-bounded) — not an absolute time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from relboard import models as m  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import lists  # noqa: E402
from relboard.services.context import Context  # noqa: E402
from relboard.services.issues import OPEN_STATUSES  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, 0)


def build(path: str, issues: int) -> None:
    """A database with ``issues`` issues over 50 customers."""
    open_database(path)
    stamp = {"created_at": NOW, "created_by": "b", "updated_at": NOW, "updated_by": "b"}
    with m.database_proxy.atomic():
        m.Customer.insert_many([{"name": f"Customer {n:02}", **stamp} for n in range(50)]).execute()
        rows = [{"customer": 1 + n % 50, "title": f"Issue {n}", "severity": 1 + n % 4,
                 "status": OPEN_STATUSES[n % 4], "owner": f"pm{n % 6}",
                 "raised_at": NOW - dt.timedelta(minutes=7 * n), **stamp} for n in range(issues)]
        for start in range(0, len(rows), 2000):
            m.Issue.insert_many(rows[start:start + 2000]).execute()
    m.database_proxy.execute_sql("ANALYZE")
    close_database()


def timed(fn, repeat: int = 15) -> float:
    """Median seconds of ``fn`` over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(path: str) -> dict[str, float]:
    """Timings of a 50-row window: the first, one from the middle, and the owner's queue."""
    open_database(path)
    ctx = Context(user="pm1", now_override=NOW)
    try:
        total = m.Issue.select().count()
        # the cursor after the first half (severity rank, raised_at, id: the service's own)
        middle = lists.issues_page(ctx, status=OPEN_STATUSES, limit=total // 2).after
        return {
            "first page": timed(lambda: lists.issues_page(ctx, status=OPEN_STATUSES, limit=50)),
            "middle page": timed(lambda: lists.issues_page(ctx, status=OPEN_STATUSES,
                                                           after=middle, limit=50)),
            "mine": timed(lambda: lists.issues_page(ctx, owner="me", status=OPEN_STATUSES,
                                                    limit=20)),
        }
    finally:
        close_database()


def main() -> None:
    """Build both databases, measure them alternately, print ratios."""
    with tempfile.TemporaryDirectory() as folder:
        small, large = str(Path(folder) / "small.db"), str(Path(folder) / "large.db")
        build(small, 200)
        build(large, 20_000)
        results = {"small": [], "large": []}
        for _ in range(3):  # alternate so machine noise hits both alike
            results["small"].append(measure(small))
            results["large"].append(measure(large))
        print(f"{'query':<12} {'200 issues':>12} {'20,000 issues':>14} {'ratio':>7}")
        for key in results["small"][0]:
            a = statistics.median(r[key] for r in results["small"])
            b = statistics.median(r[key] for r in results["large"])
            print(f"{key:<12} {a * 1000:>10.2f}ms {b * 1000:>12.2f}ms {b / a:>7.2f}")


if __name__ == "__main__":
    main()
