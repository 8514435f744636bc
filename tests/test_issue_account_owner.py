"""An issue's stored account owner (schema 22): the owner of its customer, kept by every way
an issue or a customer's owner changes, and one PM's walk of others' issues for their
customers read by it, a range of an index keyed by it (no lookup of each issue's customer)."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.services import account_owners, attention, clocks, records
from relboard.services.csvimport import import_csv
from relboard.services.today import streams
from relboard.services.transfer import import_file
from tests import factories as f
from tests.owner_race import during_new_owner
from tests.plans import fill, plan_of, selects

pytestmark = pytest.mark.both_databases


def _owners() -> dict[int, str]:
    i = m.Issue
    return dict(i.select(i.id, i.account_owner).tuples())


def test_an_issue_holds_its_customers_owner_through_every_change(db, ctx):
    mine = f.customer(ctx, "Mine", owner="alice")
    nobodys = f.customer(ctx, "Nobody's")
    first = f.issue(ctx, mine, "Outage", owner="bob")
    second = f.issue(ctx, nobodys, "Slow")
    assert _owners() == {first: "alice", second: ""}
    records.change(ctx, "customer", mine, records.get("customer", mine)["version"],
                   {"owner": "carol"})
    assert _owners() == {first: "carol", second: ""}
    records.change(ctx, "issue", first, records.get("issue", first)["version"],
                   {"customer": nobodys})  # moved to another customer
    assert _owners() == {first: "", second: ""}
    records.change(ctx, "customer", nobodys, records.get("customer", nobodys)["version"],
                   {"owner": "dan"})
    assert _owners() == {first: "dan", second: "dan"}
    # out of step (a raw write): counted by the check, set again by the repair
    m.Issue.update(account_owner="zed").where(m.Issue.id == second).execute()
    assert account_owners.stale() == 1
    clocks.rebuild()
    assert account_owners.stale() == 0 and _owners()[second] == "dan"


def test_an_import_sets_its_issues_and_stakeholders_account_owners(db, ctx, tmp_path):
    stored = f.customer(ctx, "Stored", owner="erin")
    path = tmp_path / "board.yaml"
    path.write_text(
        "customers:\n"
        "  - {id: 11, name: Filed, owner: frank}\n"
        "  - {id: 12, name: Unowned}\n"
        "issues:\n"
        "  - {customer: 11, title: Crash, raised_at: 2026-11-20 09:00}\n"
        "  - {customer: 12, title: Typo, raised_at: 2026-11-20 09:00}\n")
    import_file(ctx, str(path))
    named = {title: owner for title, owner in m.Issue.select(
        m.Issue.title, m.Issue.account_owner).tuples()}
    assert named == {"Crash": "frank", "Typo": ""}
    csv = tmp_path / "issues.csv"
    csv.write_text("customer,title,raised_at\nStored,From CSV,2026-11-21 10:00\n")
    import_csv(ctx, str(csv), "issue")
    assert m.Issue.get(m.Issue.title == "From CSV").account_owner == "erin"
    # a stakeholder from a CSV file too (it was left as nobody's: in erin's view, missing)
    people = tmp_path / "people.csv"
    people.write_text("customer,name\nStored,Dana\n")
    import_csv(ctx, str(people), "contact")
    assert m.Contact.get(m.Contact.name == "Dana").account_owner == "erin"
    assert account_owners.stale() == 0
    # a merge that gives a customer a new owner: its issues follow (the merge saves it)
    path.write_text(f"customers:\n  - {{id: {stored}, name: Stored, owner: gina}}\n")
    import_file(ctx, str(path), merge=True)
    named = {title: owner for title, owner in m.Issue.select(
        m.Issue.title, m.Issue.account_owner).tuples()}
    assert named == {"Crash": "frank", "Typo": "", "From CSV": "gina"}
    assert records.get("customer", stored)["owner"] == "gina"


def test_others_issues_for_a_pms_customers_are_walked_by_their_customers_owner(
        db, ctx, monkeypatch):
    """With many customers (``streams.FEW`` passed), one PM's view walks others' issues for
    them on ``issue(clock, severity, account_owner, ...)`` and, the new ones, on
    ``issue_new_account_clock``: each issue's customer is no longer sought."""
    import peewee
    from peewee import fn

    fill(db)
    ids = [c for (c,) in m.Customer.select(m.Customer.id).order_by(m.Customer.id).tuples()]
    for k in range(3):
        m.Customer.update(owner=f"u{k}").where(m.Customer.id.in_(ids[k::3])).execute()
    m.Issue.update(status="new", first_response_at=None).where(
        fn.MOD(m.Issue.id, 2) == 0).execute()
    clocks.rebuild()  # the stored clocks and account owners of the raw rows
    monkeypatch.setattr(streams, "FEW", 10 ** 6)  # sought from u1's customers instead:
    theirs = attention.board(ctx, "u1", per_group=2)  # each one's owner read as it is now
    monkeypatch.setattr(streams, "FEW", 0)  # u1's customers are "many": others' walked
    board, sent = selects(db, lambda: attention.board(ctx, "u1", per_group=2))
    assert board.totals["unacknowledged"] > 0
    assert board.totals == theirs.totals  # the same issues, by the stored owner
    assert [(i.kind, i.record_id) for i in board.items] == \
        [(i.kind, i.record_id) for i in theirs.items]
    issue_walks = [(sql, params) for sql, params in sent if '"issue"' in sql]
    plans = [step for sql, params in issue_walks for step in plan_of(db, sql, params)]
    if isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase):
        assert any("Index Cond" in s and "account_owner" in s for s in plans), plans
        return
    assert any("issue_clock_severity_account_owner" in s for s in plans), plans
    assert any("issue_new_account_clock" in s for s in plans), plans


def test_undo_of_a_customers_new_owner_gives_its_issues_the_old_one(db, ctx):
    from relboard.services.journal import Journal, recording
    from relboard.services.undo import undo

    acme = f.customer(ctx, "Acme", owner="alice")
    issue = f.issue(ctx, acme, "Outage")
    journal = Journal()
    with recording(journal):
        records.update(ctx, "customer", acme, records.get("customer", acme)["version"],
                       {"owner": "bob"})
    assert _owners() == {issue: "bob"}
    undo(ctx, journal)
    assert records.get("customer", acme)["owner"] == "alice" and _owners() == {issue: "alice"}


def test_the_upgrade_fills_every_issues_account_owner_and_its_indexes(db, ctx):
    from relboard.migrations import m0022_issue_account_owner as step

    acme, nobodys = f.customer(ctx, "Acme", owner="alice"), f.customer(ctx, "Nobody's")
    first, second = f.issue(ctx, acme, "Outage"), f.issue(ctx, nobodys, "Slow")
    m.Issue.update(account_owner="stale").execute()  # as a schema 21 board has nothing
    db.execute_sql(f'DROP INDEX "{step.NEW_ACCOUNT_INDEX}"')
    step.apply(db)
    step.apply(db)  # a half-run step runs again: the same
    assert _owners() == {first: "alice", second: ""}
    names = {i.name for i in db.get_indexes("issue")}
    columns = [list(i.columns) for i in db.get_indexes("issue")]
    assert step.NEW_ACCOUNT_INDEX in names and list(step.COLUMNS) in columns


@pytest.mark.postgresql_only
def test_an_issue_added_while_its_customer_gets_a_new_owner_takes_the_new_one(db, db_spec,
                                                                             ctx):
    """PostgreSQL runs two PMs' saves at once: an issue added for a customer whose new owner
    is being saved (its issues set in that transaction, which cannot see the new issue) waits
    for that save and takes the new owner; it kept the old one."""
    acme = f.customer(ctx, "Acme", owner="alice")
    f.issue(ctx, acme, "First")
    during_new_owner(db_spec, acme, "bob", ("issue",), lambda: f.issue(ctx, acme, "Second"))
    assert _owners() == {i: "bob" for i in _owners()}
    assert account_owners.stale() == 0


def test_a_merge_that_updates_and_adds_records_imports_them_all(db, ctx, tmp_path):
    """A merge saves each record it updates the way a form does (an audit row each) and
    writes what it adds in batches: the batches' ids were counted on from before the saves,
    and on SQLite the next audit row took a used id ("UNIQUE constraint failed")."""
    a, b = f.customer(ctx, "A", owner="alice"), f.customer(ctx, "B", owner="bob")
    f.issue(ctx, a, "Old A")
    old_b = f.issue(ctx, b, "Old B")
    version = records.get("customer", a)["version"]
    path = tmp_path / "merge.yaml"
    path.write_text(
        "customers:\n"
        f"  - {{id: {a}, name: A, owner: zed, version: {version}}}\n"
        "  - {id: 50, name: New, owner: nina}\n"
        "issues:\n"
        f"  - {{id: {old_b}, customer: 50, title: Old B, raised_at: 2026-11-20 09:00,"
        f" version: {records.get('issue', old_b)['version']}}}\n"
        f"  - {{customer: {a}, title: New A, raised_at: 2026-11-20 09:00}}\n")
    import_file(ctx, str(path), merge=True)
    named = {title: owner for title, owner in m.Issue.select(
        m.Issue.title, m.Issue.account_owner).tuples()}
    assert named == {"Old A": "zed", "Old B": "nina", "New A": "zed"}
    assert account_owners.stale() == 0
