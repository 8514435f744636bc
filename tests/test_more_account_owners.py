"""The stored account owner of touchpoints, risks and health snapshots (schema 23): the owner
of their customer, kept by every way a record or a customer's owner changes, and one PM's
follow-ups, health drops and risks walked by it (ranges of indexes keyed by it, or an index
read alone), with no lookup of each record's customer."""

from __future__ import annotations

import datetime as dt
import re

import peewee
import pytest

from relboard import models as m
from relboard.services import account_owners, attention, clocks, healthhistory, records
from relboard.services.csvimport import import_csv
from relboard.services.migrate_to import analyze
from relboard.services.prepared_pg import written
from relboard.services.today import streams
from relboard.services.transfer import import_file
from tests import factories as f
from tests.conftest import NOW
from tests.owner_race import during_new_owner
from tests.plans import fill, plan_of, selects

pytestmark = pytest.mark.both_databases

KINDS = (m.Interaction, m.Risk, m.HealthSnapshot)
WALKED = r'FROM "(interaction|risk|health_snapshot)" AS "t\d+"'
"""A walk of one of them (not a subquery of another table's walk)."""


def _owners() -> dict[str, set[str]]:
    """The stored owners of each kind's records."""
    return {model.__name__: {o for (o,) in model.select(model.account_owner).tuples()}
            for model in KINDS}


def _risk(ctx, customer: int, title: str = "Late data", **values) -> int:
    return records.create(ctx, "risk", {"customer": customer, "title": title, **values})


def _pg(db) -> bool:
    return isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase)


def test_touchpoints_risks_and_snapshots_hold_their_customers_owner_through_every_change(
        db, ctx):
    acme, other = f.customer(ctx, "Acme", owner="alice"), f.customer(ctx, "Other")
    call = f.touchpoint(ctx, acme, follow_up_on=NOW.date())
    risk = _risk(ctx, acme)
    assert healthhistory.record_snapshots(ctx, [acme]) == 1  # the day's, as a board writes
    assert _owners() == {"Interaction": {"alice"}, "Risk": {"alice"},
                         "HealthSnapshot": {"alice"}}
    records.change(ctx, "customer", acme, records.get("customer", acme)["version"],
                   {"owner": "bob"})
    assert _owners() == {"Interaction": {"bob"}, "Risk": {"bob"}, "HealthSnapshot": {"bob"}}
    # the day scored again: its row replaced with the owner read then, and no UPDATE of
    # the customers' rows (a customer has one a day, for years)
    m.HealthSnapshot.update(account_owner="zed").execute()
    _, sent = _as_sent(db, lambda: healthhistory.record_snapshots(ctx, [acme]))
    assert _owners()["HealthSnapshot"] == {"bob"}
    assert not any(sql.lstrip().upper().startswith("UPDATE") for sql, _ in sent), sent
    for kind, record in (("interaction", call), ("risk", risk)):  # moved to another customer
        records.change(ctx, kind, record, records.get(kind, record)["version"],
                       {"customer": other})
    assert _owners() == {"Interaction": {""}, "Risk": {""}, "HealthSnapshot": {"bob"}}
    # out of step (raw writes): counted by the check, set again by the repair
    for model in KINDS:
        model.update(account_owner="zed").execute()
    assert account_owners.stale() == 3
    clocks.rebuild()
    assert account_owners.stale() == 0
    assert _owners() == {"Interaction": {""}, "Risk": {""}, "HealthSnapshot": {"bob"}}


def test_undo_of_a_customers_new_owner_gives_its_records_the_old_one(db, ctx):
    from relboard.services.journal import Journal, recording
    from relboard.services.undo import undo

    acme = f.customer(ctx, "Acme", owner="alice")
    f.touchpoint(ctx, acme)
    _risk(ctx, acme)
    healthhistory.record_snapshots(ctx, [acme])
    journal = Journal()
    with recording(journal):
        records.update(ctx, "customer", acme, records.get("customer", acme)["version"],
                       {"owner": "bob"})
    assert all(owners == {"bob"} for owners in _owners().values())
    undo(ctx, journal)
    assert all(owners == {"alice"} for owners in _owners().values())


def test_an_import_sets_the_account_owners_of_what_it_adds(db, ctx, tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text(
        "customers:\n"
        "  - {id: 11, name: Filed, owner: frank}\n"
        "  - {id: 12, name: Unowned}\n"
        "interactions:\n"
        "  - {customer: 11, occurred_at: 2026-11-20 09:00, summary: Call}\n"
        "  - {customer: 12, occurred_at: 2026-11-20 09:00, summary: Mail}\n"
        "risks:\n"
        "  - {customer: 11, title: Late}\n"
        "health_snapshots:\n"
        "  - {customer: 11, day: 2026-11-20, score: 40, band: red,"
        " taken_at: 2026-11-20 09:00}\n"
        "  - {customer: 12, day: 2026-11-20, score: 80, band: green,"
        " taken_at: 2026-11-20 09:00}\n")
    import_file(ctx, str(path))
    by_customer = {model.__name__: dict(model.select(model.customer, model.account_owner)
                                        .tuples()) for model in KINDS}
    assert by_customer == {"Interaction": {11: "frank", 12: ""}, "Risk": {11: "frank"},
                           "HealthSnapshot": {11: "frank", 12: ""}}
    assert account_owners.stale() == 0


def _board_of_three_pms(db) -> None:
    """The plan board, its customers split between three PMs, with shared risks, follow-ups
    due and health drops of today; the account owners as the saves keep them."""
    fill(db)
    ids = [c for (c,) in m.Customer.select(m.Customer.id).order_by(m.Customer.id).tuples()]
    for k in range(3):
        m.Customer.update(owner=f"u{k}").where(m.Customer.id.in_(ids[k::3])).execute()
    m.Customer.update(owner="").where(m.Customer.id.in_(ids[::10])).execute()  # nobody's
    i, r, s = m.Interaction, m.Risk, m.HealthSnapshot
    i.update(follow_up_on=NOW.date() - dt.timedelta(days=1)).where(
        peewee.fn.MOD(i.id, 3) == 0).execute()
    s.update(dropped_from="green", band="red").where(s.day == NOW.date()).execute()
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    contacts = m.Contact.insert_many([{"customer": c, "name": f"K{c}", **stamp} for c in ids])
    contacts.execute()
    people = dict(m.Contact.select(m.Contact.customer, m.Contact.id).tuples())
    r.insert_many([{"customer": ids[n % len(ids)], "title": f"R{n}", "status": "open",
                    "owner": f"u{(n + 1) % 4}" if n % 5 else "", "score": 9,
                    "review_on": NOW.date() - dt.timedelta(days=n % 9),
                    "customer_owner": people[ids[n % len(ids)]] if n % 2 else None,
                    "reviewed_with_customer_on": NOW.date() - dt.timedelta(days=40 + n % 30)
                    if n % 4 == 1 else None, **stamp} for n in range(1200)]).execute()
    account_owners.refresh()
    if _pg(db):
        db.execute_sql("ANALYZE")


def test_one_pms_follow_ups_drops_and_risks_are_walked_by_their_customers_owner(
        db, ctx, monkeypatch):
    """With many customers, one PM's follow-ups and health drops are each a range of their
    owner's (and nobody's) records, others' risks due for them too, and their shared risks
    are checked from the index alone: no statement reads a record's customer ("duty")."""
    _board_of_three_pms(db)
    monkeypatch.setattr(streams, "FEW", 0)  # u1's customers are "many"
    board, sent = selects(db, lambda: attention.board(ctx, "u1", per_group=2))
    for group in ("follow_up", "health", "risk", "joint_risk"):
        assert board.totals[group] > 0, (group, board.totals)
    walks = [(sql, params) for sql, params in sent if re.search(WALKED, sql)]
    arms = [arm for sql, _ in walks for arm in sql.split(" UNION ALL ")
            if re.search(WALKED, arm)]  # (a group's count walks its streams in one arm)
    assert walks and arms
    for arm in arms:
        assert '"duty"' not in arm, arm  # no customer's owner sought per record
    plans = [step for sql, params in walks for step in plan_of(db, sql, params)]
    if _pg(db):  # each table's walk a range of its owner (the index its planner's choice)
        for table in ("interaction", "health_snapshot", "risk"):
            of_table = [step for sql, params in walks if re.search(WALKED.replace(
                "(interaction|risk|health_snapshot)", table), sql)
                for step in plan_of(db, sql, params)]
            assert any("Index Cond" in s and "account_owner" in s for s in of_table), \
                (table, of_table)
            assert not any(f"Seq Scan on {table}" in s for s in of_table), (table, of_table)
        return
    for index in ("interaction_follow_up_done_at_account_owner",
                  "health_snapshot_day_dropped_from_account_owner",
                  "risk_status_account_owner_review_on"):
        assert any(index in s and "account_owner=?" in s for s in plans), (index, plans)
    counted = [step for sql, params in walks if "COUNT(*)" in sql
               for step in plan_of(db, sql, params)]  # (the rows shown are read whole)
    joint = [s for s in counted if "risk_joint_keys" in s or "risk_joint_never" in s]
    assert joint and all("COVERING INDEX" in s for s in joint), joint


@pytest.mark.parametrize("few", [0, 10 ** 6])
def test_one_pms_view_by_stored_owners_is_everyones_board_cut_to_their_customers(
        db, ctx, few, monkeypatch):
    """Whichever way each part goes (many customers, or few), one PM's follow-ups, drops
    and risks are those of everyone's board that are theirs: for their or nobody's customer
    (and risks they own or nobody owns), as each one's customer's owner says now."""
    _board_of_three_pms(db)
    monkeypatch.setattr(streams, "FEW", few)
    everyone = attention.board(ctx, None, per_group=10 ** 4)
    c = m.Customer
    owner_of = dict(c.select(c.id, c.owner).tuples())
    risk_owner = dict(m.Risk.select(m.Risk.id, m.Risk.owner).tuples())
    for who in ("u1", ""):
        mine = attention.board(ctx, who, per_group=10 ** 4)
        for group in ("follow_up", "health", "risk", "joint_risk"):
            want = sorted(it.record_id for it in everyone.items if it.group == group
                          and (owner_of[it.customer_id] in (who, "")
                               or (group in ("risk", "joint_risk")
                                   and risk_owner[it.record_id] in (who, ""))))
            got = sorted(it.record_id for it in mine.items if it.group == group)
            assert got == want and want, (who, group)


def test_the_upgrade_fills_the_owners_and_makes_the_shared_risks_indexes_again(db, ctx):
    from relboard.migrations import m0015_risk_keys, m0016_never_shared
    from relboard.migrations import m0023_more_account_owners as step

    acme = f.customer(ctx, "Acme", owner="alice")
    f.touchpoint(ctx, acme)
    _risk(ctx, acme)
    healthhistory.record_snapshots(ctx, [acme])
    for model in KINDS:
        model.update(account_owner="stale").execute()  # as a schema 22 board has nothing
    for table, columns in step.INDEXES:  # as a schema 22 board: none of the new indexes
        for index in db.get_indexes(table):
            if list(index.columns) == list(columns):
                db.execute_sql(f'DROP INDEX "{index.name}"')
    for name, _, _ in step.JOINT_INDEXES:  # schema 15's and 16's shapes
        db.execute_sql(f'DROP INDEX "{name}"')
    m0015_risk_keys.apply_joint_index(db)
    m0016_never_shared.apply_never_index(db)
    step.apply(db)
    step.apply(db)  # a half-run step runs again: the same
    assert all(owners == {"alice"} for owners in _owners().values())
    found = {i.name: i for i in db.get_indexes("risk")}
    for name, columns, where in step.JOINT_INDEXES:
        assert list(found[name].columns) == list(columns) and columns[-1] == "account_owner"
        assert _condition(found[name].sql) == _condition(f"WHERE {where}"), found[name].sql
    for table, columns in step.INDEXES:
        assert list(columns) in [list(i.columns) for i in db.get_indexes(table)], table


def _condition(sql: str) -> str:
    """The WHERE of a partial index's definition, in words alone (either database's way of
    writing it: quotes, brackets, case)."""
    return " ".join(re.sub(r"[^a-z_ ]", "", sql[sql.upper().index("WHERE") + 5:].lower())
                    .split())


@pytest.mark.postgresql_only
def test_a_touchpoint_added_while_its_customer_gets_a_new_owner_takes_the_new_one(
        db, db_spec, ctx):
    """As for issues (schema 22): a touchpoint added for a customer whose new owner is being
    saved by another PM waits for that save and takes the new owner."""
    acme = f.customer(ctx, "Acme", owner="alice")
    during_new_owner(db_spec, acme, "bob", (), lambda: f.touchpoint(ctx, acme))
    assert _owners()["Interaction"] == {"bob"}
    assert account_owners.stale() == 0


@pytest.mark.postgresql_only
def test_a_snapshot_written_while_its_customer_gets_a_new_owner_takes_the_new_one(
        db, db_spec, ctx):
    """The day's snapshots are written by whichever board scores the day first: written
    while another PM saves the customer's new owner, they wait for that save and take the
    new owner (they kept the old one: that PM's Today missed the drop)."""
    acme = f.customer(ctx, "Acme", owner="alice")
    f.touchpoint(ctx, acme)
    written = during_new_owner(db_spec, acme, "bob", ("interaction", "health_snapshot"),
                               lambda: healthhistory.record_snapshots(ctx, [acme]))
    assert written == 1 and _owners()["HealthSnapshot"] == {"bob"}
    assert account_owners.stale() == 0


def test_an_import_sets_again_the_owners_of_customers_whose_owner_changed_meanwhile(
        db, ctx, tmp_path, monkeypatch):
    """An import reads each stored customer's owner once; another PM's save of a new owner
    after that (its refresh run before the import's rows were there to see) is caught at the
    end of the import and its rows set again."""
    acme = f.customer(ctx, "Acme", owner="alice")
    settle = account_owners.settle

    def meanwhile(read):  # the other PM's save, committed between the read and the end
        m.Customer.update(owner="bob").where(m.Customer.id == acme).execute()
        settle(read)

    monkeypatch.setattr(account_owners, "settle", meanwhile)
    path = tmp_path / "calls.csv"  # a CSV file names stored customers
    path.write_text("customer,occurred_at,summary\nAcme,2026-11-20 09:00,Call\n")
    import_csv(ctx, str(path), "interaction")
    assert _owners()["Interaction"] == {"bob"}
    m.Customer.update(owner="alice").where(m.Customer.id == acme).execute()
    clocks.rebuild()
    merged = tmp_path / "merge.yaml"  # and a merge of a YAML file, which may name them too
    version = records.get("customer", acme)["version"]
    merged.write_text(f"customers:\n  - {{id: {acme}, name: Acme, owner: alice, "
                      f"version: {version}}}\n"
                      f"risks:\n  - {{customer: {acme}, title: Late}}\n")
    import_file(ctx, str(merged), merge=True)
    assert _owners()["Risk"] == {"bob"}
    assert account_owners.stale() == 0


@pytest.mark.postgresql_only
def test_an_import_during_a_customers_new_owner_being_saved_takes_the_new_one(
        db, db_spec, ctx, tmp_path):
    """On PostgreSQL the import waits at its end for a new owner being saved for a stored
    customer it wrote records of, then sets them to it (they kept the old owner)."""
    acme = f.customer(ctx, "Acme", owner="alice")
    path = tmp_path / "calls.csv"
    path.write_text("customer,occurred_at,summary\nAcme,2026-11-20 09:00,Call\n")
    during_new_owner(db_spec, acme, "bob", (),
                     lambda: import_csv(ctx, str(path), "interaction"))
    assert _owners()["Interaction"] == {"bob"} and account_owners.stale() == 0


def test_the_follow_ups_capped_count_walks_in_the_index_order(db, ctx):
    """PostgreSQL's kept plan of the follow-ups' capped count, unordered under its LIMIT,
    read the 100k benchmark board's touchpoints in table order (the follow-ups due are 5% of
    them): it found the 100th after thousands of rows, 1.4 ms against 0.07 ms walked in the
    index's order (``Stream.in_order``). The count now walks in that order on both databases
    (SQLite walked the same index either way) in every view."""
    _board_of_three_pms(db)  # the customers shared by three PMs and nobody
    i = m.Interaction
    rows = [{"customer": 1 + n % 300, "summary": "s", "occurred_at": NOW,
             "follow_up_on": NOW.date() + dt.timedelta(days=n % 61 - 30)
             if n % 10 == 0 else None,  # one in ten with a follow-up, as a real log
             "created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
            for n in range(30000)]
    with db.atomic():
        for start in range(0, len(rows), 3000):
            i.insert_many(rows[start:start + 3000]).execute()
    account_owners.refresh()
    analyze(db.obj if hasattr(db, "obj") else db)  # as relboard leaves a board it loaded
    for who in (None, "u1", ""):
        for _ in range(3):  # on PostgreSQL prepared once outside a transaction, then kept
            attention.board(ctx, who, per_group=2)
        board, sent = _as_sent(db, lambda who=who: attention.board(ctx, who, per_group=2))
        assert board.totals["follow_up"] > 2, board.totals
        counted = [(sql, params, text) for sql, params in sent
                   for text in [(written(sql, params) or ("",))[0]]
                   if "COUNT(*)" in text and re.search(r'FROM "interaction" AS "t\d+"', text)]
        assert counted, who
        for _, _, text in counted:
            arm = next(part for part in text.split(" UNION ALL ")
                       if re.search(r'FROM "interaction" AS "t\d+"', part))
            assert re.search(r'ORDER BY "t\d+"\."follow_up_done_at"', arm), arm


def _as_sent(db, call):
    """``call()`` and the statements it sent, as sent (on PostgreSQL a kept statement is an
    ``EXECUTE`` of its name)."""
    real, sent = db.execute_sql, []

    def spy(sql, params=None, *args, **kwargs):
        sent.append((sql, params))
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        return call(), sent
    finally:
        db.execute_sql = real


@pytest.mark.postgresql_only
def test_a_merge_and_a_new_owner_saved_meanwhile_end_right_neither_stopped(
        db, db_spec, ctx, tmp_path, monkeypatch):
    """A merge import that changes a stored touchpoint holds its row to its end, where it
    share-locks the customers it read; another PM's save of the customer's new owner sets
    that customer's touchpoints. The owner save waits for the import, neither is stopped
    (no deadlock: the import locks a record's customer before writing the record), and the
    touchpoint ends with the new owner."""
    import threading

    import psycopg2

    acme = f.customer(ctx, "Acme", owner="alice")
    call = f.touchpoint(ctx, acme)
    row = records.get("interaction", call)
    path = tmp_path / "merge.yaml"
    path.write_text(
        f"customers:\n  - {{id: {acme}, name: Acme, owner: alice, "
        f"version: {records.get('customer', acme)['version']}}}\n"
        f"interactions:\n  - {{id: {call}, customer: {acme}, occurred_at: "
        f"{row['occurred_at']:%Y-%m-%d %H:%M}, summary: Changed, version: {row['version']}}}\n")
    at_end, go = threading.Event(), threading.Event()
    settle, ends = account_owners.settle, []

    def paused(read):  # the import's records written, its transaction still open
        ends.append(read)
        at_end.set()
        go.wait(20)
        settle(read)

    monkeypatch.setattr(account_owners, "settle", paused)
    errors: list[str] = []

    def run(what, call):
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - what a user would see, kept for the assert
            errors.append(f"{what}: {exc!r}")

    importing = threading.Thread(target=run, args=(
        "import", lambda: import_file(ctx, str(path), merge=True)))
    importing.start()
    assert at_end.wait(20)
    other = psycopg2.connect(db_spec)  # the other PM's save: the customer, then its rows
    cur = other.cursor()

    def save():
        cur.execute("UPDATE customer SET owner = 'bob', version = version + 1 WHERE id = %s",
                    (acme,))
        cur.execute("UPDATE interaction SET account_owner = 'bob' WHERE customer_id = %s",
                    (acme,))
        other.commit()

    saving = threading.Thread(target=run, args=("owner save", save))
    saving.start()
    saving.join(0.5)
    assert saving.is_alive()  # waiting for the import
    go.set()
    importing.join(20)
    saving.join(20)
    other.close()
    assert errors == [] and len(ends) == 1  # neither stopped (the import was run again)
    assert records.get("interaction", call)["summary"] == "Changed"
    assert _owners()["Interaction"] == {"bob"} and account_owners.stale() == 0
