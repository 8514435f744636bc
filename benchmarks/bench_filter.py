"""The word filters of the issue queue and the expectation register, from 1k to 1M records.

Run: ``python benchmarks/bench_filter.py [--sizes 1k,100k,1M] [--postgres 1k,100k] [--runs 3]``.

On the cached benchmark boards (``board.cached``, as ``bench_scale.py``; PostgreSQL: a
throwaway server, each board copied by ``relboard migrate-to``'s service), each run times
the first page (200 rows) of the "Open" queue and of the register filtered by a word, as the
screens ask for it at every key typed: a word few records hold (``54321``: a few titles,
none at 1k), one some hold (``123``: titles and customer names), the word every title
holds (``Issue`` / ``Promise``), and an owner's name (``priya``: a sixth of the records, none
of the first severity). Wall milliseconds, the median of ``--calls`` calls after two to warm
up; then each figure's median over the runs and its ratio to the 1k board's (the median and
spread of the runs' own ratios). Only public tools are used.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import _sizes, _spread, boards, options  # noqa: E402
from board import NOW  # noqa: E402

from relboard.db import close_database, open_database  # noqa: E402
from relboard.domain import OPEN_ISSUE_STATUSES  # noqa: E402
from relboard.services import lists  # noqa: E402
from relboard.services.context import Context  # noqa: E402

WORDS = {"issues": ("54321", "123", "Issue", "priya"),
         "expectations": ("54321", "123", "Promise", "priya")}


def _page(kind: str, ctx: Context, word: str) -> int:
    if kind == "issues":
        return len(lists.issues_page(ctx, status=list(OPEN_ISSUE_STATUSES), search=word).rows)
    return len(lists.expectations_page(ctx, search=word).rows)


def _time(spec: str, calls: int) -> dict[tuple[str, str], float]:
    """Median wall milliseconds of each list and word on ``spec``."""
    ctx = Context(user="alex", now_override=NOW)
    out = {}
    open_database(spec)
    try:
        for kind, words in WORDS.items():
            for word in words:
                for _ in range(2):
                    _page(kind, ctx, word)
                samples = []
                for _ in range(calls):
                    started = time.perf_counter()
                    _page(kind, ctx, word)
                    samples.append(time.perf_counter() - started)
                out[(kind, word)] = statistics.median(samples) * 1000
    finally:
        close_database()
    return out


def main() -> None:
    """Find or build the boards, measure, print."""
    args = options(__doc__.split("\n\n")[0], calls=5)
    sizes = _sizes(args.sizes)
    with boards(sizes, _sizes(args.postgres)) as specs:
        _measure(args, sizes, specs)


def _measure(args, sizes: list[str], specs: dict) -> None:
    figures: dict[tuple, list[float]] = defaultdict(list)
    ratios: dict[tuple, list[float]] = defaultdict(list)
    for run in range(args.runs):
        got = {}
        for (db, size), spec in specs.items():
            if db == "sqlite" and size not in sizes:
                continue
            for (kind, word), ms in _time(spec, args.calls).items():
                got[(db, size, kind, word)] = ms
        for (db, size, kind, word), ms in got.items():
            figures[(db, size, kind, word)].append(ms)
            base = got.get((db, "1k", kind, word))
            if size != "1k" and base:
                ratios[(db, size, kind, word)].append(ms / base)
        print(f"run {run + 1} of {args.runs} done", flush=True)
    print(f"\n{'database':10} {'size':>5} {'list':12} {'word':8} {'ms':>9}  ratio to 1k")
    for key, values in sorted(figures.items()):
        db, size, kind, word = key
        print(f"{db:10} {size:>5} {kind:12} {word:8} {statistics.median(values):9.2f}  "
              f"{_spread(ratios.get(key, []))}")


if __name__ == "__main__":
    main()
