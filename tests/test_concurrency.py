"""Many PMs on one database (an SQLite file, a PostgreSQL server): no error reaches a caller,
every write is kept, no update is lost."""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import relboard.db
from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import records, touchpoints
from relboard.services.context import Context
from relboard.services.errors import ConflictError
from tests import factories as f

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


@contextmanager
def another_writer(kind: str, spec: str) -> Iterator[None]:
    """Another PM's connection in the middle of a write: SQLite's ``BEGIN IMMEDIATE``, or
    PostgreSQL's writers' lock (``db.WRITE_LOCK``) held."""
    if kind == "sqlite":
        import sqlite3

        lite = sqlite3.connect(spec, isolation_level=None)
        lite.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            lite.execute("ROLLBACK")
            lite.close()
        return
    import psycopg2

    from relboard.dburl import parse_database_spec

    server = psycopg2.connect(parse_database_spec(spec)[1])
    server.autocommit = True
    server.cursor().execute("SELECT pg_advisory_lock(%s)", (relboard.db.WRITE_LOCK,))
    try:
        yield
    finally:
        server.close()


def test_busy_database_retries_then_says_so_and_saves_nothing(db, db_spec, db_kind, ctx,
                                                              monkeypatch):
    from relboard.services.errors import BusyError

    db.execute_sql("PRAGMA busy_timeout = 50") if db_kind == "sqlite" else \
        monkeypatch.setattr(relboard.db, "WRITE_WAIT_MS", 50)
    with another_writer(db_kind, db_spec):
        with pytest.raises(BusyError, match="busy.*nothing was saved"):
            records.create(ctx, "customer", {"name": "Blocked"})
    assert m.Customer.select().count() == 0
    assert records.create(ctx, "customer", {"name": "Later"})


@pytest.mark.postgresql_only  # SQLite's BEGIN IMMEDIATE does the same with its file lock
def test_two_saves_run_one_after_the_other_so_neither_waits_on_the_others_rows(db, ctx):
    """Two saves that take the same two rows in opposite orders: the second waits for the
    whole first one (PostgreSQL used to start both, then stop one as a deadlock and run it
    again); both land, each run once, the second last."""
    from relboard.db import write

    one = records.create(ctx, "customer", {"name": "One"})
    two = records.create(ctx, "customer", {"name": "Two"})
    first_holds_one, release = threading.Event(), threading.Event()
    attempts = {"a": 0, "b": 0}
    failures = []

    def writer(name: str, order: tuple[int, int]) -> None:
        def change() -> None:
            attempts[name] += 1
            for n, customer in enumerate(order):
                m.Customer.update(industry=name).where(m.Customer.id == customer).execute()
                if n == 0 and name == "a":
                    first_holds_one.set()
                    release.wait(10)

        try:
            write(change)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            failures.append(exc)
        finally:
            close_database()

    first = threading.Thread(target=writer, args=("a", (one, two)))
    first.start()
    assert first_holds_one.wait(10)
    second = threading.Thread(target=writer, args=("b", (two, one)))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first save, not holding row two meanwhile
    with db.atomic():  # nobody holds row two: the second save has not started
        assert len(m.Customer.select().where(m.Customer.id == two)
                   .for_update(nowait=True)) == 1
    release.set()
    for thread in (first, second):
        thread.join(30)
    assert failures == []
    assert attempts == {"a": 1, "b": 1}
    assert {c.industry for c in m.Customer.select()} == {"b"}


def test_a_save_that_commits_second_is_seen_whatever_its_audit_ids(db, ctx):
    """One PM's save has written its audit rows but not committed when a second PM saves:
    the other boards (which follow the audit rows after the newest they read) must see both.
    On PostgreSQL the ids come from a sequence, so the second save could commit first with
    the higher ids and the first one's rows, committed later below them, were never seen."""
    from relboard.db import write
    from relboard.services import changes

    acme = records.create(ctx, "customer", {"name": "Acme"})
    globex = records.create(ctx, "customer", {"name": "Globex"})  # no row of the first's
    mark = changes.latest()
    written, release = threading.Event(), threading.Event()

    def first_save() -> None:
        def change() -> None:
            touchpoints.log_touchpoint(ctx, {"customer": acme, "channel": "call",
                                             "summary": "Kick-off"})
            written.set()
            release.wait(10)

        try:
            write(change)
        finally:
            close_database()

    def second_save() -> None:
        try:
            f.issue(ctx, globex, "Export fails")
        finally:
            close_database()

    first = threading.Thread(target=first_save)
    first.start()
    assert written.wait(10)
    second = threading.Thread(target=second_save)
    second.start()
    second.join(0.5)
    mark, seen = changes.since(mark)  # another board's poll while the first is not committed
    release.set()
    for thread in (first, second):
        thread.join(30)
    mark, later = changes.since(mark)
    assert (seen or set()) | (later or set()) >= {"interaction", "issue"}
    assert changes.since(mark) == (mark, set())
