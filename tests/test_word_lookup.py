"""The word filters of the issue queue and the expectation register look a rare word up in
trigram indexes and read only the records that may hold it; what they keep is what the walk
of every row keeps (``services.word_lookup``, schema 18)."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.migrations import m0018_trigrams
from relboard.services import expectations, issues, lists, records, word_lookup
from tests import factories as f
from tests.conftest import at, every_id_backward
from tests.plans import plan_of, selects

pytestmark = pytest.mark.both_databases

WORDS = ("Login", "export", "invoice", "Rollout", "SSO", "ÉCOLE", "école", "50%", "off_by",
         'say "hi"', "Straße", "quartz", "Kiwi", "NEAR(x)", "\U0001f642" * 4)
OWNERS = ("alice", "bob", "Chandra", "", "dana_ops")
PROBES = ("login", "LOGIN", "ogi", "xport", "quartz", "QUARTZ", "école", "ÉCOLE", "cole",
          "50%", "0%", "off_by", "f_b", '"hi"', "raße", "kiwi", "andra", "ops", "bob",
          "nothing-like-it", "lo", "%", "_", "Acme", "cme", "wind", "1", "Ki", "login quartz",
          "ssO rollout", "ice export", '"""', "NEAR(", "*OR*", "\U0001f642" * 3, "a:b")


def _board(ctx, rnd: random.Random) -> None:
    """Customers, issues and expectations with words that test the edges of matching."""
    names = ["Acme Corp", "Northwind", "Globex École", "Kiwi_Farm 50%", "Initech"]
    customers = [f.customer(ctx, name, owner=rnd.choice(OWNERS)) for name in names]
    for n in range(60):
        title = " ".join(rnd.sample(WORDS, 2)) + f" {n}"
        later = at(ctx, ctx.now() - dt.timedelta(hours=n))
        iid = f.issue(later, rnd.choice(customers), title,
                      severity=("critical", "high", "medium", "low")[n % 4])
        if n % 3:
            issues.assign(ctx, iid, 1, owner=rnd.choice(OWNERS) or None)
    for n in range(40):
        f.expectation(ctx, rnd.choice(customers), ctx.today() + dt.timedelta(days=n % 9),
                      " ".join(rnd.sample(WORDS, 2)) + f" {n}", owner=rnd.choice(OWNERS),
                      category=("scope", "timeline", "deliverable", "quality")[n % 4])


def _every(page, **filters) -> list[int]:
    seen, after = [], None
    while True:
        got = page(after=after, limit=7, **filters)
        seen += [row["id"] for row in got.rows]
        if got.after is None:
            return seen
        after = got.after


def test_a_word_filter_keeps_what_the_walk_keeps(db, ctx, monkeypatch):
    """Every probe, both lists, a few filters and sorts, paged: the same rows in the same
    order with the lookups as with the walk of every row; a rare word was looked up."""
    _board(ctx, random.Random(5))
    customer = f.customer(ctx, "Umbrella")
    for n in range(19):  # an owner with more than CAP records, all of low severity; and
        # three records whose own text holds "andra", one of them the owner's
        title, owner = (f"Weekly chore {n}", "Chandra") if n < 16 else \
            (f"Sandra's laptop {n}", ("Chandra", "bob", "")[n - 16])
        iid = f.issue(ctx, customer, title, severity="low")
        if owner:
            issues.assign(ctx, iid, 1, owner=owner)
        f.expectation(ctx, customer, ctx.today() + dt.timedelta(days=n % 5), title,
                      owner=owner)
    monkeypatch.setattr(word_lookup, "CAP", 12)  # small, so common words overflow here too
    monkeypatch.setattr(word_lookup, "CUSTOMERS", 2)
    calls = [
        lambda **k: lists.issues_page(ctx, **k),
        lambda **k: lists.issues_page(ctx, status=["new", "acknowledged"], sort="oldest", **k),
        lambda **k: lists.issues_page(ctx, sort="sla", **k),
        lambda **k: lists.expectations_page(ctx, **k),
        lambda **k: lists.expectations_page(ctx, status=["proposed"], **k),
    ]
    looked_up, split = [], []
    real = word_lookup.candidates

    def spy(lookup, words):
        found = real(lookup, words)
        looked_up.append(found is not None)
        split.append(isinstance(found, word_lookup.Split))
        return found

    for probe in PROBES:
        for call in calls:
            monkeypatch.setattr(word_lookup, "candidates", spy)
            got = _every(call, search=probe)
            backward = got if call is calls[2] else every_id_backward(  # sla: no end key
                lambda after, call=call, probe=probe: call(after=after, limit=7,
                                                           search=probe))
            monkeypatch.setattr(word_lookup, "candidates", lambda lookup, words: None)
            assert got == backward == _every(call, search=probe), probe
    assert any(looked_up) and not all(looked_up)  # rare words looked up, common ones walked
    assert any(split)  # "andra": Chandra's records along the owner index, merged with the
    # others that hold it


def test_a_rare_word_reads_its_records_by_key(db, ctx, db_kind):
    """The issue queue filtered by a word one issue holds: the query reads the issues by
    their keys (SQLite: from the JSON list; PostgreSQL: the primary key), not the queue's
    index walked in its order."""
    cid = f.customer(ctx, "Acme")
    for n in range(30):
        f.issue(ctx, cid, f"Routine check {n}")
    wanted = f.issue(ctx, cid, "Quartz sensor drift")
    page, sent = selects(db, lambda: lists.issues_page(ctx, search="sensor"))
    assert [row["id"] for row in page.rows] == [wanted]
    sql, params = next((s, p) for s, p in sent if "raised_at" in s and "LIMIT" in s)
    plan = " ".join(plan_of(db, sql, params))
    if db_kind == "sqlite":
        assert "json_each" in plan and "issue_severity_raised_at_id" not in plan, plan
    else:
        assert "ANY" in plan and "issue_pkey" in plan, plan


@pytest.mark.sqlite_only
def test_the_trigram_tables_follow_every_write(db, ctx):
    """Creates, renames, moves and deletes reach the trigram tables (their triggers), a
    table out of step is reported by the check, and the repair mends it."""
    cid = f.customer(ctx, "Acme")
    iid = f.issue(ctx, cid, "Printer jam")
    eid = f.expectation(ctx, cid, ctx.today(), "Weekly report", category="scope")
    hits = word_lookup._containing
    assert hits((m.Issue.title,), "jam", 9) == [iid]
    records.update(ctx, "issue", iid, 1, {"title": "Scanner fault"})
    assert hits((m.Issue.title,), "jam", 9) == [] and \
        hits((m.Issue.title,), "fault", 9) == [iid]
    records.update(ctx, "customer", cid, 1, {"name": "Globex"})
    assert hits((m.Customer.name,), "acme", 9) == [] and \
        hits((m.Customer.name,), "lobe", 9) == [cid]
    expectations.set_status(ctx, eid, 1, "agreed")
    m.Expectation.update(category="timeline").where(m.Expectation.id == eid).execute()
    assert hits((m.Expectation.statement,), "meline", 9) == [eid]
    assert lists.expectations_page(ctx, search="meline").rows[0]["id"] == eid
    m.Issue.delete().where(m.Issue.id == iid).execute()
    assert hits((m.Issue.title,), "fault", 9) == []
    assert word_lookup.problems() == []
    db.execute_sql("DELETE FROM customer_trigrams")
    problem, = word_lookup.problems()
    assert "customer 0 of 1 indexed" in problem and "check --repair" in problem
    word_lookup.rebuild()
    assert word_lookup.problems() == [] and hits((m.Customer.name,), "lobe", 9) == [cid]


@pytest.mark.sqlite_only
def test_without_the_trigram_tokenizer_the_filter_walks_until_a_repair_makes_the_index(
        tmp_path, ctx, monkeypatch):
    """An SQLite older than 3.34 has no trigram tokenizer: schema 18 makes no table, the
    writes work, and the filters walk every row as before; moved to a newer SQLite, check
    says the index is missing and the repair makes it."""
    monkeypatch.setattr(m0018_trigrams, "sqlite_has_trigrams", lambda: False)
    open_database(str(tmp_path / "old-sqlite.db"))
    try:
        assert not m.database_proxy.obj.table_exists("issue_trigrams")
        cid = f.customer(ctx, "Acme")
        wanted = f.issue(ctx, cid, "Quartz sensor drift")
        f.issue(ctx, cid, "Routine check")
        assert word_lookup.candidates(word_lookup.ISSUES, ["sensor"]) is None
        assert [r["id"] for r in lists.issues_page(ctx, search="sensor").rows] == [wanted]
        assert word_lookup.problems() == []
        monkeypatch.undo()  # the board moved to a machine whose SQLite has the tokenizer
        problem, = word_lookup.problems()
        assert "trigram index is missing" in problem and "check --repair" in problem
        word_lookup.rebuild()
        assert word_lookup.problems() == []
        assert word_lookup.candidates(word_lookup.ISSUES, ["sensor"]) == [wanted]
        assert [r["id"] for r in lists.issues_page(ctx, search="sensor").rows] == [wanted]
    finally:
        close_database()


@pytest.mark.sqlite_only
def test_an_older_board_gets_its_trigram_tables_filled(tmp_path, ctx):
    """A schema-17 board: opening it runs step 18, which indexes the rows already there."""
    path = tmp_path / "b.db"
    open_database(str(path))
    cid = f.customer(ctx, "Acme")
    iid = f.issue(ctx, cid, "Quartz sensor drift")
    close_database()
    con = sqlite3.connect(path)
    for sql in ("DROP TABLE issue_trigrams", "DROP TABLE customer_trigrams",
                "DROP TABLE expectation_trigrams", "DROP INDEX expectation_owner_current_due_id",
                "DELETE FROM schema_migration WHERE number >= 18"):
        con.execute(sql)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                               "name LIKE '%_trigrams_%'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    con.commit()
    con.close()
    open_database(str(path))
    try:
        assert word_lookup.candidates(word_lookup.ISSUES, ["sensor"]) == [iid]
        assert word_lookup.problems() == []
    finally:
        close_database()


@pytest.mark.postgresql_only
def test_postgresql_has_the_trigram_indexes(db):
    """On PostgreSQL schema 18 adds pg_trgm and a GIN index per matched column."""
    names = {r[0] for r in db.execute_sql("SELECT indexname FROM pg_indexes")}
    assert {"issue_title_trgm", "customer_name_trgm", "expectation_statement_trgm",
            "expectation_category_trgm"} <= names


def test_the_migrations_declarations_are_the_services():
    """Schema 18's frozen copy and ``word_lookup``'s declarations are the same."""
    assert m0018_trigrams.TRIGRAMS == word_lookup.TRIGRAMS
