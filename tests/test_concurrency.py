"""Many PMs on one database (an SQLite file, a PostgreSQL server): no error reaches a caller,
every write is kept, no update is lost."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import records, touchpoints
from relboard.services.context import Context
from relboard.services.errors import ConflictError

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL

PROCESSES, CALLS = 16, 160  # sixteen writers at once: the overlap, not the length, tests it
EDIT_EVERY = 10


def _append_note(ctx: Context, customer_id: int, token: str) -> int:
    """Read the shared customer, append ``token`` to its notes and save at the version read;
    when someone saved first (a conflict), read again and redo — as a PM reloading would.
    Returns how many conflicts it met."""
    conflicts = 0
    while True:
        shared = records.get("customer", customer_id)
        try:
            records.update(ctx, "customer", customer_id, shared["version"],
                           {"notes": (shared["notes"] + " " + token).strip()})
            return conflicts
        except ConflictError:
            conflicts += 1


def _worker(spec: str, n: int, customer_id: int, contact_id: int) -> tuple[int, int]:
    """One PM: read the customer, log a touchpoint; every 10th call edit their own
    stakeholder and add a line to the customer everyone shares. Returns (n, conflicts)."""
    open_database(spec)
    ctx = Context(user=f"pm{n}")
    conflicts = 0
    try:
        for k in range(CALLS):
            customer = records.get("customer", customer_id)
            touchpoints.log_touchpoint(
                ctx, {"customer": customer["id"], "summary": f"p{n}-{k}"}, [contact_id])
            if k % EDIT_EVERY == 0:
                mine = records.get("contact", contact_id)
                records.update(ctx, "contact", contact_id, mine["version"],
                               {"role": f"r{k}"})
                conflicts += _append_note(ctx, customer_id, f"p{n}-{k}")
    finally:
        close_database()
    return n, conflicts


def test_sixteen_processes_writing_at_once_keep_every_write(db, db_spec, ctx):
    customer_id = records.create(ctx, "customer", {"name": "Shared"})
    contacts = [records.create(ctx, "contact", {"customer": customer_id, "name": f"K{n}"})
                for n in range(PROCESSES)]
    close_database()
    spawn = mp.get_context("spawn")
    with spawn.Pool(PROCESSES) as pool:
        done = pool.starmap(_worker, [(db_spec, n, customer_id, contacts[n])
                                      for n in range(PROCESSES)])
    assert sorted(n for n, _ in done) == list(range(PROCESSES))
    open_database(db_spec)
    edits = CALLS // EDIT_EVERY
    summaries = [s for (s,) in m.Interaction.select(m.Interaction.summary).tuples()]
    expected = {f"p{n}-{k}" for n in range(PROCESSES) for k in range(CALLS)}
    assert len(summaries) == len(expected) and set(summaries) == expected
    assert m.InteractionContact.select().count() == PROCESSES * CALLS
    versions = {c.name: (c.version, c.role) for c in m.Contact.select()}
    assert versions == {f"K{n}": (1 + edits, f"r{CALLS - EDIT_EVERY}")
                        for n in range(PROCESSES)}
    shared = m.Customer.get_by_id(customer_id)  # every appended line is there: none lost
    assert sorted(shared.notes.split()) == sorted(
        f"p{n}-{k}" for n in range(PROCESSES) for k in range(0, CALLS, EDIT_EVERY))
    assert shared.version == 1 + PROCESSES * edits
    assert m.Activity.select().count() == \
        1 + PROCESSES + PROCESSES * (CALLS + 2 * edits)


@pytest.mark.sqlite_only  # SQLite's file lock; PostgreSQL locks rows, not the database
def test_busy_database_retries_then_says_so_and_saves_nothing(db, db_spec, ctx):
    import sqlite3

    from relboard.services.errors import BusyError

    db.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_spec, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError, match="busy.*nothing was saved"):
            records.create(ctx, "customer", {"name": "Blocked"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert m.Customer.select().count() == 0
    assert records.create(ctx, "customer", {"name": "Later"})


@pytest.mark.postgresql_only  # PostgreSQL locks rows, so two writers can wait on each other
def test_a_deadlock_is_retried_and_both_writes_land(db, ctx):
    import threading

    from relboard.db import write

    one = records.create(ctx, "customer", {"name": "One"})
    two = records.create(ctx, "customer", {"name": "Two"})
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = {"a": 0, "b": 0}
    failures = []

    def writer(name: str, order: tuple[int, int]) -> None:
        def change() -> None:
            attempts[name] += 1
            for n, customer in enumerate(order):
                m.Customer.update(industry=name).where(m.Customer.id == customer).execute()
                if n == 0 and attempts[name] == 1:
                    both_hold_one.wait()  # each holds one row and then asks for the other's

        try:
            write(change)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            failures.append(exc)
        finally:
            close_database()

    threads = [threading.Thread(target=writer, args=("a", (one, two))),
               threading.Thread(target=writer, args=("b", (two, one)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL stopped one; it ran again
    industries = {c.industry for c in m.Customer.select()}
    assert len(industries) == 1 and industries <= {"a", "b"}  # the one that ran last wins
