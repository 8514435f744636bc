"""List and attention queries walk an index in their ORDER BY: no temporary B-tree sorts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from relboard.services import attention, issues, lists
from relboard.services.prepared_pg import written
from tests.conftest import NOW
from tests.plans import fill as _fill
from tests.plans import plan_of, query_plans, selects, sent, temporary_sorts

D = dt.timedelta(days=1)

CALLS = {
    "queue": lambda ctx: lists.issues_page(ctx, status=issues.OPEN_STATUSES),
    "queue next page": lambda ctx: lists.issues_page(
        ctx, status=issues.OPEN_STATUSES, after=(2, NOW, 10)),
    "queue mine": lambda ctx: lists.issues_page(ctx, owner="me", status=["new"]),
    "queue newest": lambda ctx: lists.issues_page(ctx, sort="newest", owner="u1"),
    "queue oldest critical": lambda ctx: lists.issues_page(ctx, sort="oldest",
                                                           severity=["critical"]),
    "customer issues": lambda ctx: lists.issues_page(ctx, customer_id=3),
    "queue by SLA time left": lambda ctx: lists.issues_page(ctx, sort="sla",
                                                            status=issues.OPEN_STATUSES),
    "queue by SLA, next page": lambda ctx: lists.issues_page(
        ctx, sort="sla", after=(0, NOW, NOW, 10)),
    "customers": lambda ctx: lists.customers_page(ctx, search="C0"),
    "customers by owner": lambda ctx: lists.customers_page(ctx, sort="owner", after=("", "C", 1)),
    "customers by contact": lambda ctx: lists.customers_page(ctx, sort="contact"),
    "customers by tier": lambda ctx: lists.customers_page(ctx, sort="tier", after=(1, "C", 3)),
    "customers by overdue": lambda ctx: lists.customers_page(ctx, sort="overdue", after=(1,)),
    "customers by renewal": lambda ctx: lists.customers_page(ctx, sort="renewal"),
    "customers by renewal, undated": lambda ctx: lists.customers_page(
        ctx, sort="renewal", after=(1, "C", 3)),
    "customers by contact, contacted": lambda ctx: lists.customers_page(
        ctx, sort="contact", after=(1, NOW, 5)),
    "register": lambda ctx: lists.expectations_page(ctx, status=["agreed", "at_risk"]),
    "register of a customer": lambda ctx: lists.expectations_page(ctx, customer_id=4),
    "register due soon": lambda ctx: lists.expectations_page(ctx, due_within=7),
    "timeline": lambda ctx: lists.touchpoints_page(5),
    "timeline external": lambda ctx: lists.touchpoints_page(5, include_internal=False),
    "history": lambda ctx: lists.activity_page(entity="issue", entity_id=1),
    "attention": attention.attention,
    "today": attention.board,
    "today mine": lambda ctx: attention.board(ctx, "u1"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_no_temporary_sort(db, ctx, name):
    _fill(db)
    assert temporary_sorts(db, lambda: CALLS[name](ctx)) == []


@pytest.mark.parametrize("name", ["attention", "today", "today mine"])
def test_today_walks_indexes_without_statistics(db, ctx, name):
    """Without ANALYZE statistics, as on a real board (relboard never runs ANALYZE), each
    of Today's statements still walks an index in its order: none reads a table row by row
    or sorts. The issues marked new though answered were read in id order: a scan of every
    issue (13 ms on the 100k board, a third of Today's time there) or, here, a sort."""
    _fill(db, analyze=False)
    bad = [(sql, plan) for sql, plan in query_plans(db, lambda: CALLS[name](ctx))
           if any((step.startswith("SCAN") and "INDEX" not in step
                   and f"CO-ROUTINE {step.split()[1]}" not in plan) or "TEMP B-TREE" in step
                  for step in plan)]
    assert bad == []


def test_today_reads_its_issue_walks_in_one_statement(db, ctx):
    """Today's sixteen issue walks (per severity: two running clocks, the waiting ones, the
    new ones) go to the database as one UNION ALL: each walk a subquery with its own index
    range and limit (read as it comes, "CO-ROUTINE"), not sixteen statements. The running
    clocks' walks read their index alone (the keys that order them; the rows of the issues
    shown are read afterwards by id), not an issue's row for each key they pass."""
    _fill(db, analyze=False)
    plans = [(sql, plan) for sql, plan in query_plans(db, lambda: attention.board(ctx))
             if sql.startswith("SELECT 0 AS arm") and 'FROM "issue"' in sql]
    assert len(plans) == 1
    sql, plan = plans[0]
    assert sql.count("UNION ALL") == 15
    assert sum(step.startswith("CO-ROUTINE u") for step in plan) == 16
    walks = [s for s in plan if s.startswith(("SEARCH", "SCAN")) and not s.startswith("SCAN u")]
    assert sum(" INDEX issue_" in s for s in walks) >= 16
    assert all("USING INDEX" in s or "USING COVERING INDEX" in s for s in walks), walks
    running = [s for s in walks if "clock_at<" in s]  # past the near bound: SLA items
    assert len(running) == 8 and all("COVERING INDEX" in s for s in running), walks


@pytest.mark.parametrize("name", list(CALLS))
def test_no_temporary_sort_without_statistics(db, ctx, name):
    """No list sorts without statistics either (the queue by SLA time left sorted every
    closed issue before its last windows)."""
    _fill(db, analyze=False)
    assert temporary_sorts(db, lambda: CALLS[name](ctx)) == []



@pytest.mark.both_databases
@pytest.mark.parametrize("mine", [False, True])
def test_open_playbook_steps_walk_their_index(db, ctx, mine, monkeypatch):
    """Today's playbook steps (with the follow-ups): the open steps due by the horizon read
    from ``playbook_step(done_at, due_on, id, customer)`` in its order, and counted up to the
    cap by a walk of it: on SQLite no table read row by row and no sort, on PostgreSQL no
    sequential scan of the steps (the planner told to avoid one where an index serves)."""
    import peewee

    from relboard.services.today import streams
    from relboard.services.today.follow_ups import step_stream

    _fill(db, analyze=False)
    monkeypatch.setattr(streams, "COUNT_CAP", 5)
    stream = step_stream(ctx, "u1" if mine else None)

    def fetch():
        with streams.counting(5) as count:
            rows, read = stream.fetch(2)
        totals = {stream.name: read}
        count.settle(totals)  # as a board does, once every stream was read
        return rows, totals[stream.name]

    (rows, total), seen = selects(db, fetch)
    assert len(rows) == 2 and total == 5  # counted up to the cap
    assert [r["due_on"] for r in rows] == sorted(r["due_on"] for r in rows)
    assert len(seen) == 2  # the rows, the capped count
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for sql, params in seen:
        plan = plan_of(db, sql, params)
        if postgres:
            assert not any("Seq Scan on playbook_step" in step for step in plan), plan
        else:
            assert not any("TEMP B-TREE" in step or (step.startswith("SCAN")
                           and "INDEX" not in step and not step.startswith("SCAN walk"))
                           for step in plan), plan
        assert any("playbook_step_done_at_due_on_id_customer" in step for step in plan), plan


@pytest.mark.both_databases
@pytest.mark.parametrize("who", [None, "u1"])
def test_renewals_ahead_walk_their_date_indexes(db, ctx, who):
    """Renewals ahead read customers by ``customer(archived, renews_on, id)`` and projects by
    ``project(archived, end_date, id)``, each band one seek in ``health_snapshot(customer,
    day)`` (the counts read none): on SQLite no table read row by row and no sort; on
    PostgreSQL no sequential scan of a table (with the planner told to avoid one where an
    index can serve: a small test table would otherwise be read whole, as it should be), the
    same indexes (in my view the customers by ``customer(archived, owner, renews_on, id)``:
    the PM's range, then nobody's)."""
    import peewee

    _fill(db, analyze=False)
    shown, sent = selects(db, lambda: attention.board(ctx, who, per_group=3,
                                                      groups={"renewal"}))
    seen = [(sql, params) for sql, params in sent
            if '"renews_on"' in sql or '"end_date"' in sql]
    assert shown.totals["renewal"] > 3  # rows of each kind (red and the rest in one
    counts = [sql for sql, _ in seen if 'COUNT(*) AS "n"' in sql]  # statement), counts
    assert len(counts) == 1  # (one statement for all)
    assert sum("UNION ALL" in sql for sql, _ in seen if sql not in counts) == 2, seen
    for sql, params in seen:
        customers = "customer_archived_renews_on_id" if who is None else \
            "customer_archived_owner_renews_on_id"  # my view: the PM's, then nobody's
        indexes = [index for table, index in (("customer", customers),
                                              ("project", "project_archived_end_date_id"))
                   if f'FROM "{table}" AS "t1"' in sql]
        plan = plan_of(db, sql, params)
        if isinstance(db, peewee.PostgresqlDatabase):
            assert not any("Seq Scan" in step for step in plan), (sql, plan)
        else:
            assert not any((s.startswith("SCAN") and "INDEX" not in s
                            and not s.startswith(("SCAN walk", "SCAN u"))) or "TEMP B-TREE" in s
                           for s in plan), (sql, plan)
        assert indexes and all(any(index in step for step in plan) for index in indexes), \
            (sql, plan)
        if sql not in counts:  # a count reads no band (red or not: all)
            assert any("health_snapshot_customer_id_day" in step for step in plan), (sql, plan)


@pytest.mark.both_databases
@pytest.mark.postgresql_only
def test_never_contacted_stakeholders_come_in_index_order_on_postgresql(db, ctx):
    """The never-contacted stakeholders of a cadence are read in the order of
    ``contact(archived, cadence_days, last_contact_at, id, ...)``: PostgreSQL takes ``IS
    NULL`` for no equality, so an order without the last contact made it sort every one of
    them (6,666 on the 100k board, 3 ms) for the first 50."""
    import peewee

    from relboard import models as m
    from tests import factories as f

    cid = f.customer(ctx, "Northwind")
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Contact.insert_many([{"customer": cid, "name": f"P{n}", "cadence_days": 21,
                                **stamp} for n in range(3000)]).execute()
    db.execute_sql("ANALYZE")
    shown, sent = selects(db, lambda: attention.board(ctx, per_group=50, groups={"contact"}))
    assert shown.totals["contact"] >= 100 and len(shown.items) == 50
    seen = [(sql, params) for sql, params in sent
            if 'FROM "contact"' in sql and '"last_contact_at" IS NULL' in sql
            and not sql.startswith("SELECT COUNT")]
    assert seen and isinstance(db, peewee.PostgresqlDatabase)
    for sql, params in seen:
        plan = plan_of(db, sql, params)
        assert not any("Sort" in step for step in plan), (sql, plan)


@pytest.mark.both_databases
def test_my_view_walks_only_my_share_of_the_contacts_and_renewals(db, ctx):
    """One PM's view of "Overdue for contact" and "Renewals ahead" walks that PM's range of
    an owner-keyed index (and nobody's), not every customer or stakeholder of a cadence
    checked one by one: 3,000 stakeholders of other PMs' customers, none of the PM's due, are
    not read (schema 17: ``contact.account_owner``). No sort, no table scan, on both
    databases."""
    import peewee

    from relboard import models as m
    from tests import factories as f

    theirs = [f.customer(ctx, f"Theirs {n}", owner="u2", cadence_days=7,
                         renews_on=NOW.date() + n * D) for n in range(1, 4)]
    mine = f.customer(ctx, "Mine", owner="u1", cadence_days=7, renews_on=NOW.date() + 9 * D)
    nobodys = f.customer(ctx, "Nobody's", cadence_days=7)
    f.contact(ctx, mine, "Mira", cadence_days=21)
    f.contact(ctx, nobodys, "Nico", cadence_days=21)
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Contact.insert_many([{"customer": theirs[n % 3], "name": f"P{n}", "cadence_days": 21,
                                "account_owner": "u2", **stamp} for n in range(3000)]).execute()
    if isinstance(db, peewee.PostgresqlDatabase):  # a SQLite board has no statistics (see
        db.execute_sql("ANALYZE")                   # tests/plans.py: relboard runs none)
    shown, sent = selects(db, lambda: attention.board(ctx, "u1", per_group=50,
                                                      groups={"contact", "renewal"}))
    assert sorted(it.title for it in shown.items if it.group == "contact") == \
        ["Mine", "Mira", "Nico", "Nobody's"]
    assert [(it.kind, it.record_id) for it in shown.items if it.group == "renewal"] == \
        [("renewal", mine)]
    assert shown.totals["contact"] == 4 and shown.totals["renewal"] == 1
    walks = {"contact": "contact_archived_cadence_days_account_owner_last_contact",
             "customer": "customer_archived_cadence_days_owner_last_contact_at_id",
             "renewal": "customer_archived_owner_renews_on_id"}
    seen = {name: [(sql, params) for sql, params in sent if f'FROM "{table}" AS "t1"' in sql
                   and column in sql]
            for name, table, column in (("contact", "contact", '"cadence_days" ='),
                                        ("customer", "customer", '"cadence_days" ='),
                                        ("renewal", "customer", '"renews_on" <='))}
    for name, statements in seen.items():
        assert statements, name
        for sql, params in statements:
            plan = plan_of(db, sql, params)
            assert any(walks[name] in step for step in plan), (name, plan)
            if isinstance(db, peewee.PostgresqlDatabase):
                assert not any("Sort" in s or "Seq Scan" in s for s in plan), (name, plan)
            else:
                assert not any("TEMP B-TREE" in s or (s.startswith("SCAN") and "INDEX" not in s
                                                      and not s.startswith(("SCAN walk",
                                                                            "SCAN u")))
                               for s in plan), (name, plan)


@pytest.mark.both_databases
def test_my_view_reads_each_walked_rows_customer_by_its_key(db, ctx):
    """In one PM's view a walk checks the owner of each row's customer with one seek by key:
    no statement builds the list of the PM's customers (an IN: 16,000 customers at 1M
    records, built again by each walk, 38x the 1k board's Today) nor, on PostgreSQL, a hash
    of them (what it makes of an EXISTS: 2 ms a walk at 100k)."""
    import peewee

    from relboard import models as m

    _fill(db)
    ids = [c.id for c in m.Customer.select(m.Customer.id).order_by(m.Customer.id)]
    for k in range(5):  # five PMs' customers
        m.Customer.update(owner=f"u{k}").where(m.Customer.id.in_(ids[k::5])).execute()
    pg = isinstance(db, peewee.PostgresqlDatabase)
    if pg:
        db.execute_sql("ANALYZE")
    listing = re.compile(r'(IN|EXISTS) ?\(SELECT "(\w+)"\.\S+ FROM "customer" AS "\2" WHERE '
                         r'.{0,80}?"\2"\."owner"')
    for sql, plan in query_plans(db, lambda: attention.board(ctx, "u1")):
        assert not listing.search(sql), sql  # the PM's customers as a list (or a hash)
        if pg:  # every read of the customer's owner ("duty") a seek of its primary key
            reads = [s for s in plan if "on customer duty" in s]
            assert all("using customer_pkey on customer duty" in s for s in reads), (sql, plan)
        else:
            listed = [after for before, after in zip(plan, plan[1:], strict=False)
                      if before.startswith("LIST SUBQUERY")]
            assert not any("owner" in step for step in listed), (sql, plan)
            assert all("INTEGER PRIMARY KEY" in s for s in plan if s.startswith("SEARCH duty")), \
                (sql, plan)


NEW_INDEXES = ("issue_new_clock", "issue_new_owner_clock", "issue_new_account_clock")


@pytest.mark.both_databases
def test_new_issues_are_walked_on_the_index_of_new_issues(db, ctx):
    """Today's walks of new issues (and their counts) go along ``issue_new_clock`` (schema
    21: new issues alone, every column the walk reads), and one PM's own and nobody's along
    ``issue_new_owner_clock`` (the same, by owner), others' for the PM's customers along
    ``issue_new_account_clock`` (by the customer's owner, schema 22), from the index alone,
    "new" written in the SQL (a bound value makes SQLite prepare the statement again on
    every run). On
    PostgreSQL the plan the server keeps for the prepared statement is checked: it read the
    clock's whole range from the table and sorted it, or ANDed in a bitmap of every new issue
    of ``issue(customer_id, status)`` (one PM's view: 49 ms a board at 1M records, 15 after).
    Everyone's view and one PM's (who owns many customers)."""
    import peewee
    from peewee import fn

    from relboard import models as m
    from relboard.services import clocks

    _fill(db)
    ids = [c.id for c in m.Customer.select(m.Customer.id).order_by(m.Customer.id)]
    for k in range(3):
        m.Customer.update(owner=f"u{k}").where(m.Customer.id.in_(ids[k::3])).execute()
    m.Issue.update(status="new", first_response_at=None).where(
        fn.MOD(m.Issue.id, 2) == 0).execute()
    clocks.rebuild()  # the rows changed raw: their stored clocks as the services keep them
    pg = isinstance(db, peewee.PostgresqlDatabase)
    if pg:
        db.execute_sql("ANALYZE")
    for who in (None, "u1"):
        for _ in range(2):  # the first board prepares its statements, the second runs them
            shown = attention.board(ctx, who)
        assert shown.totals["unacknowledged"] > 0
        _, statements = sent(db, lambda who=who: attention.board(ctx, who))
        walks = [(sql, params) for sql, params in statements
                 if "\"status\" = 'new'" in (written(sql, params) or ("",))[0]]
        assert walks, who
        used = set()
        for sql, params in walks:
            if pg:  # the plan kept for the EXECUTE
                plan = [row[0] for row in db.execute_sql("EXPLAIN " + sql, params)]
                used |= {n for n in NEW_INDEXES if any(f"using {n} on issue" in s for s in plan)}
                assert not any("Index Cond: ((status)::text = 'new'" in s for s in plan), plan
            else:
                plan = plan_of(db, sql, params)
                used |= {n for n in NEW_INDEXES if any(f"COVERING INDEX {n} " in s for s in plan)}
                assert not any("USING INDEX issue_new" in s for s in plan), plan  # the table
        if who is None:
            assert "issue_new_clock" in used
        elif not pg:  # the PM's own and nobody's by owner, others' for the PM's customers by
            # the customer's owner (schema 22): no walk of everyone's new issues
            assert used == {"issue_new_owner_clock", "issue_new_account_clock"}, used
        else:  # PostgreSQL weighs its own
            assert used & {"issue_new_owner_clock", "issue_new_account_clock"}, used

