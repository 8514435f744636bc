"""A team board of a given size for benchmarks: 1k and 100k records in the same proportions.

At ``scale=100`` (the "100k board"): 10,000 customers, 20,000 stakeholders, 100,000 touchpoints,
100,000 issues (most resolved, as on a board that has run for years), 20,000 expectations.
``scale=1`` is the 1k board. ``busy_customer=True`` also gives customer 1 a long history: 100 x
``scale`` touchpoints in all (10,000 on the 100k board), added after everything else so the
rest of the board is unchanged. Everything is inserted in bulk with fixed pseudo-random data, so
two builds are identical.

A board as a user's is: what relboard's own writes keep beside the records is kept here by the
same services, after the bulk insert (an import does the same): the SLA clocks and last-contact
times (``clocks.rebuild``), and the health history — a week of earlier snapshots (as the boards
of the days before wrote them) and today's, written by ``healthhistory.record_snapshots``, so
customers whose band fell this week are marked. Risks with review dates (a third of them
shared with the customer), renewal dates on a quarter of the customers and satisfaction
answers are part of it, so **every group of Today holds items** at every scale
(``tests/test_benchmark_board.py`` checks it on the 1k board).

Run ``python benchmarks/board.py PATH SCALE`` to build one by hand. ``cached(scale)`` gives a
board kept between runs in ``~/.cache/relboard-benchmarks`` (the 1M board takes minutes to
build), keyed by this file and the schema: a change to either builds it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from relboard import models as m  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import account_owners, clocks, healthhistory  # noqa: E402
from relboard.services.context import Context  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, 0)
CHUNK = 5000
OWNERS = ("alex", "priya", "sam", "jo", "kim", "lee")


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        model.insert_many(rows[start:start + CHUNK]).execute()


def build(path: str, scale: int, busy_customer: bool = False) -> None:
    """Create the board at ``path`` (a new SQLite file) with ``scale`` x the 1k proportions
    (and, with ``busy_customer``, customer 1 with 100 x ``scale`` touchpoints)."""
    rnd = random.Random(42)
    open_database(path)
    stamp = {"created_at": NOW, "created_by": "bench", "updated_at": NOW, "updated_by": "bench"}
    customers, contacts = 100 * scale, 200 * scale
    try:
        with m.database_proxy.atomic():
            _insert(m.Customer, [{"name": f"Customer {n:06}", "owner": OWNERS[n % 6],
                                  "cadence_days": (7, 14, 30, None)[n % 4],
                                  "renews_on": (NOW.date() + dt.timedelta(days=(n * 37) % 430
                                                                          - 30)
                                                if n % 4 == 0 else None), **stamp}
                                 for n in range(customers)])
            _insert(m.Contact, [{"customer": 1 + n % customers, "name": f"Contact {n}",
                                 "cadence_days": (None, None, 21)[n % 3], **stamp}
                                for n in range(contacts)])
            _insert(m.Interaction, [{
                "customer": 1 + rnd.randrange(customers), "channel": "call",
                "occurred_at": NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 720)),
                "summary": f"Call number {n} about the rollout", "sentiment": rnd.randint(-2, 2),
                "follow_up_on": (NOW.date() + dt.timedelta(days=rnd.randint(-30, 30))
                                 if n % 10 == 0 else None), **stamp}
                for n in range(1000 * scale)])
            issues = []
            for n in range(1000 * scale):
                raised = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 720))
                if n % 50 == 1:  # raised this morning: some still inside their first clock
                    raised = NOW - dt.timedelta(minutes=n % 97)
                open_ = n % 10 < 3
                status = rnd.choice(("new", "acknowledged", "in_progress")) if open_ else "resolved"
                issues.append({
                    "customer": 1 + rnd.randrange(customers), "title": f"Issue {n}",
                    "severity": 1 + n % 4, "status": status, "owner": OWNERS[n % 6],
                    "raised_at": raised,
                    "first_response_at": (None if status == "new"
                                          else raised + dt.timedelta(hours=1)),
                    "resolved_at": None if open_ else raised + dt.timedelta(hours=20), **stamp})
            _insert(m.Issue, issues)
            _insert(m.Expectation, [{
                "customer": 1 + rnd.randrange(customers), "statement": f"Promise {n}",
                "owner": OWNERS[n % 6],
                "baseline_due": NOW.date() + dt.timedelta(days=rnd.randint(-200, 200)),
                "current_due": NOW.date() + dt.timedelta(days=rnd.randint(-200, 200)),
                "status": rnd.choice(("proposed", "agreed", "met", "met", "at_risk")), **stamp}
                for n in range(200 * scale)])
            risks = [{
                "customer": 1 + rnd.randrange(customers), "title": f"Risk {n}",
                "likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5,
                "score": (1 + n % 5) * (1 + (n // 5) % 5), "owner": OWNERS[n % 6],
                "review_on": NOW.date() + dt.timedelta(days=rnd.randint(-60, 60)),
                "status": ("open", "open", "closed")[n % 3], "customer_owner": None,
                "reviewed_with_customer_on": None, **stamp}
                for n in range(50 * scale)]
            for n, risk in enumerate(risks):  # a third shared with the customer: contact
                if n % 3 == 1:                # #c is one of customer #c's stakeholders
                    risk["customer_owner"] = risk["customer"]
                    risk["reviewed_with_customer_on"] = (
                        NOW.date() - dt.timedelta(days=(n * 7) % 90) if n % 4 else None)
            _insert(m.Risk, risks)
            _insert(m.Feedback, [{
                "customer": 1 + rnd.randrange(customers), "kind": ("csat", "nps")[n % 2],
                "score": rnd.randint(1, 5) if n % 2 == 0 else rnd.randint(0, 10),
                "received_on": NOW.date() - dt.timedelta(days=rnd.randrange(360)), **stamp}
                for n in range(100 * scale)])
            if busy_customer:
                _busy_customer(scale, stamp)
            clocks.rebuild()
            _health_history(customers)
        # no ANALYZE: relboard never runs it on SQLite, so a user's board has no statistics and
        # its plans are the ones chosen without (tests/test_query_plans.py holds them)
    finally:
        close_database()


def _health_history(customers: int) -> None:
    """A week of earlier snapshots, every customer green, as earlier boards wrote them; then
    today's, by the service every board runs: whoever is amber or red today fell this week."""
    day = NOW.date()
    rows = [{"customer": c, "day": day - dt.timedelta(days=back), "score": 85, "band": "green",
             "taken_at": NOW - dt.timedelta(days=back)}
            for back in (7, 3) for c in range(1, customers + 1)]
    _insert(m.HealthSnapshot, rows)
    healthhistory.record_snapshots(Context(user="bench", now_override=NOW))
    account_owners.refresh(kinds=(m.HealthSnapshot,))  # the earlier ones went in raw


def _busy_customer(scale: int, stamp: dict) -> None:
    """Top customer 1 up to 100 x ``scale`` touchpoints (own random stream: the rest of the
    board stays as without it)."""
    rnd = random.Random(7)
    have = m.Interaction.select().where(m.Interaction.customer == 1).count()
    _insert(m.Interaction, [{
        "customer": 1, "channel": ("call", "email", "meeting")[n % 3],
        "occurred_at": NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 720)),
        "summary": f"Touchpoint {n} with the busy customer", "sentiment": rnd.randint(-2, 2),
        **stamp} for n in range(100 * scale - have)])


def cached(scale: int, busy_customer: bool = False) -> str:
    """The path of a board of ``scale`` kept between runs (built now if missing or out of
    date: its name holds a digest of how it is built — this file above ``cached`` — and the
    schema version). Old boards are left (other checkouts may use them): delete the folder
    to reclaim the space. Benchmarks copy a board before they write to it."""
    from relboard.migrations import LATEST

    source = Path(__file__).read_text()
    recipe = source[:source.index("def cached(")]
    stamp = hashlib.sha256((recipe + repr(LATEST)).encode()).hexdigest()[:12]
    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / \
        "relboard-benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"board-{scale}{'-busy' if busy_customer else ''}-{stamp}.db"
    path = folder / name
    if not path.exists():
        partial = folder / f".{name}.part"
        partial.unlink(missing_ok=True)
        build(str(partial), scale, busy_customer)
        shutil.move(str(partial), str(path))
    return str(path)


if __name__ == "__main__":
    build(sys.argv[1], int(sys.argv[2]))
