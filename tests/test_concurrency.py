"""Many PMs on one database file: no lost writes, no "database is locked" errors."""

from __future__ import annotations

import multiprocessing as mp

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import records, touchpoints
from relboard.services.context import Context

PROCESSES, CALLS = 8, 200


def _worker(path: str, n: int, customer_id: int, contact_id: int) -> int:
    """One PM: read the customer, log a touchpoint; every 10th call edit their stakeholder."""
    open_database(path)
    ctx = Context(user=f"pm{n}")
    try:
        for k in range(CALLS):
            customer = records.get("customer", customer_id)
            touchpoints.log_touchpoint(
                ctx, {"customer": customer["id"], "summary": f"p{n}-{k}"}, [contact_id])
            if k % 10 == 0:
                mine = records.get("contact", contact_id)
                records.update(ctx, "contact", contact_id, mine["version"],
                               {"role": f"r{k}"})
    finally:
        close_database()
    return n


def test_eight_processes_two_hundred_calls_each(tmp_path, ctx):
    path = str(tmp_path / "shared.db")
    open_database(path)
    customer_id = records.create(ctx, "customer", {"name": "Shared"})
    contacts = [records.create(ctx, "contact", {"customer": customer_id, "name": f"K{n}"})
                for n in range(PROCESSES)]
    close_database()
    spawn = mp.get_context("spawn")
    with spawn.Pool(PROCESSES) as pool:
        done = pool.starmap(_worker, [(path, n, customer_id, contacts[n])
                                      for n in range(PROCESSES)])
    assert sorted(done) == list(range(PROCESSES))
    open_database(path)
    try:
        summaries = {s for (s,) in m.Interaction.select(m.Interaction.summary).tuples()}
        assert summaries == {f"p{n}-{k}" for n in range(PROCESSES) for k in range(CALLS)}
        assert m.InteractionContact.select().count() == PROCESSES * CALLS
        versions = {c.name: (c.version, c.role) for c in m.Contact.select()}
        assert versions == {f"K{n}": (1 + CALLS // 10, f"r{CALLS - 10}")
                            for n in range(PROCESSES)}
        assert m.Activity.select().count() == 1 + PROCESSES + PROCESSES * (CALLS + CALLS // 10)
    finally:
        close_database()


def test_busy_database_retries_then_says_so_and_saves_nothing(db, ctx, tmp_path):
    import sqlite3

    import pytest

    from relboard.services.errors import BusyError

    db.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(tmp_path / "relboard.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError, match="busy.*nothing was saved"):
            records.create(ctx, "customer", {"name": "Blocked"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert m.Customer.select().count() == 0
    assert records.create(ctx, "customer", {"name": "Later"})
