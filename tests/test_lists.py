"""The list queries behind the screens: search ignores case, keyset pages cover every row once."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.services import expectations, issues, lists, lookups, records
from tests import factories as f
from tests.conftest import at, every_id

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def test_customer_search_ignores_case(db, ctx):
    for name in ("ACME Corp", "acme ltd", "Globex", "Northacmesoft"):
        f.customer(ctx, name)
    found = {row["name"] for row in lists.customers_page(ctx, search="Acme").rows}
    assert found == {"ACME Corp", "acme ltd", "Northacmesoft"}
    assert {name for name, _ in lookups.customer_choices("aCmE")} == found


def test_customer_pages_cover_every_customer_once(db, ctx):
    names = [f"{prefix}{n}" for n in range(5) for prefix in ("Beta ", "alpha ", "Alpha ")]
    ids = {f.customer(ctx, name, owner=f"pm{len(name) % 3}") for name in names}
    for sort in ("name", "owner"):
        seen = every_id(lambda after, sort=sort: lists.customers_page(ctx, sort=sort, after=after,
                                                                      limit=4))
        assert sorted(seen) == sorted(ids) and len(seen) == len(ids), sort


def test_issue_queue_pages_and_filters(db, ctx):
    cid = f.customer(ctx, "Queue Co")
    made = []
    for n in range(9):
        later = at(ctx, ctx.now() - dt.timedelta(hours=n))
        made.append(f.issue(later, cid, f"Issue {n}",
                            severity=("critical", "low", "medium")[n % 3]))
    issues.assign(ctx, made[0], 1)
    for sort in lists.ISSUE_SORTS:
        seen = every_id(lambda after, sort=sort: lists.issues_page(ctx, sort=sort, after=after,
                                                                   limit=2))
        assert sorted(seen) == sorted(made) and len(seen) == 9, sort
    mine = lists.issues_page(ctx, owner="me", status=["new", "acknowledged"]).rows
    assert [row["id"] for row in mine] == [made[0]]
    critical = lists.issues_page(ctx, severity=["critical"], customer_search="queue").rows
    assert {row["title"] for row in critical} == {"Issue 0", "Issue 3", "Issue 6"}
    assert all(row["age_hours"] >= 0 for row in critical)


def test_customer_list_counts_and_last_contact(db, ctx):
    cid = f.customer(ctx, "Counted", cadence_days=7)
    f.touchpoint(ctx, cid, occurred_at=ctx.now() - dt.timedelta(days=3))
    f.issue(ctx, cid)
    promise = f.expectation(ctx, cid, ctx.today() + dt.timedelta(days=5))
    version = expectations.set_status(ctx, promise, 1, "agreed")
    expectations.set_status(ctx, promise, version, "at_risk", reason="slipping")
    row, = lists.customers_page(ctx).rows
    assert (row["open_issues"], row["at_risk"], row["days_since_contact"], row["overdue"]) == \
        (1, 1, 3, False)


def test_slash_filters_over_the_visible_columns_word_by_word(db, ctx):
    north = f.customer(ctx, "Northwind Health", owner="priya", tier="strategic")
    acme = f.customer(ctx, "Acme Freight", owner="sam", tier="standard")
    login = f.issue(ctx, north, "Login fails on Safari", owner="sam")
    export = f.issue(ctx, acme, "Export is slow")
    other = f.issue(ctx, acme, "Invoice totals wrong", owner="priya")

    def found(text):
        return {row["id"] for row in lists.issues_page(ctx, search=text).rows}

    assert found("login") == {login}  # the title
    assert found("acme") == {export, other}  # the customer
    assert found("priya") == {other}  # the owner, not the customer's
    assert found("SAM safari") == {login}  # every word, in any column, any case
    assert found("northwind export") == set()
    names = {row["name"] for row in lists.customers_page(ctx, search="strategic").rows}
    assert names == {"Northwind Health"}  # the tier
    assert {row["name"] for row in lists.customers_page(ctx, search="sam").rows} == \
        {"Acme Freight"}  # the owner


def test_customers_by_last_contact_page_through_never_then_oldest(db, ctx):
    ids = [f.customer(ctx, f"C{n}") for n in range(7)]
    for n, days in ((1, 30), (3, 2), (4, 10), (6, 10)):  # 0, 2, 5 never contacted
        f.touchpoint(ctx, ids[n], occurred_at=ctx.now() - dt.timedelta(days=days))
    expected = [ids[0], ids[2], ids[5], ids[1], ids[4], ids[6], ids[3]]
    for limit in (1, 2, 3, 7, 50):
        seen = every_id(lambda after, limit=limit: lists.customers_page(
            ctx, sort="contact", after=after, limit=limit))
        assert seen == expected, limit


def test_issues_by_sla_time_left_page_through_every_clock_in_order(db, ctx):
    from relboard.services import issues as issue_service

    cid = f.customer(ctx, "Acme")
    made = []
    for n, (severity, hours_ago, move) in enumerate([
            ("critical", 30, None), ("low", 5, None), ("high", 20, "acknowledged"),
            ("medium", 50, "acknowledged"), ("high", 3, "waiting_on_customer"),
            ("low", 90, "waiting_on_customer"), ("medium", 7, "resolved"),
            ("critical", 2, "in_progress"), ("medium", 1, None), ("high", 60, "closed")]):
        raised = ctx.now() - dt.timedelta(hours=hours_ago, minutes=n)
        iid = f.issue(ctx, cid, f"Issue {n}", severity=severity, raised_at=raised)
        if move:
            later = at(ctx, raised + dt.timedelta(minutes=30))
            issue_service.set_status(later, iid, 1, move,
                                     resolution="fixed" if move in ("resolved", "closed")
                                     else None)
        made.append(iid)

    def left(row):  # the queue's own SLA words: hours left on the deciding clock
        state = issue_service.issue_sla(ctx, row["id"])
        running = state.state not in ("met", "missed", "none")
        return (0, state.urgent_clock.remaining_hours, row["id"]) if running \
            else (1, 0, row["id"])

    rows = lists.issues_page(ctx, limit=50).rows
    expected = [r["id"] for r in sorted(rows, key=left)]
    for limit in (1, 2, 3, 50):
        seen = every_id(lambda after, limit=limit: lists.issues_page(
            ctx, sort="sla", after=after, limit=limit))
        assert seen == expected, limit
    assert sorted(expected) == sorted(made)
    by_severity = [r["id"] for r in lists.issues_page(ctx, limit=50).rows]
    assert expected != by_severity and expected[-3:] == sorted(expected[-3:])  # done: last


def test_customers_by_tier_and_by_how_overdue_page_through_in_order(db, ctx):
    spec = [("Alpha", "standard", None, None), ("Bravo", "key", 7, 3),
            ("Charlie", "strategic", 30, 20), ("Delta", "key", None, 40),
            ("Echo", "strategic", 7, 30), ("Foxtrot", "standard", 14, None),
            ("Golf", "key", None, 1)]  # name, tier, cadence, days since contact
    ids = {}
    for name, tier, cadence, days in spec:
        ids[name] = f.customer(ctx, name, tier=tier, cadence_days=cadence)
        if days is not None:
            f.touchpoint(ctx, ids[name], occurred_at=ctx.now() - dt.timedelta(days=days))
    by_tier = ["Charlie", "Echo", "Bravo", "Delta", "Golf", "Alpha", "Foxtrot"]
    # never contacted by id, then by due date: Echo 23 days late, Delta 26 (default 14),
    # Bravo due in 4, Charlie in 10, Golf in 13
    overdue = ["Alpha", "Foxtrot", "Delta", "Echo", "Bravo", "Charlie", "Golf"]
    for limit in (1, 2, 3, 7, 50):
        for sort, names in (("tier", by_tier), ("overdue", overdue)):
            seen = every_id(lambda after, sort=sort, limit=limit: lists.customers_page(
                ctx, sort=sort, after=after, limit=limit))
            assert seen == [ids[n] for n in names], (sort, limit)


def test_words_filter_the_risk_register_decision_log_and_stakeholder_map(db, ctx):
    from relboard.services import decisions, portfolio_lists, risks

    north, acme = f.customer(ctx, "Northwind Health"), f.customer(ctx, "Acme Freight")
    vendor = records.create(ctx, "risk", {"customer": north, "title": "Vendor late",
                                          "owner": "priya"})
    budget = records.create(ctx, "risk", {"customer": acme, "title": "Budget cut"})
    phase = decisions.create(ctx, {"customer": north, "title": "Phase the rollout",
                                   "decided_on": ctx.today()})
    decisions.create(ctx, {"customer": acme, "title": "Keep the vendor",
                           "decided_on": ctx.today()})
    f.contact(ctx, north, "Dana Ruiz", role="CIO")
    f.contact(ctx, acme, "Sam Lee", role="Finance lead")

    def ids(page):
        return {row["id"] for row in page.rows}

    assert ids(risks.register_page(ctx, search="vendor")) == {vendor}  # a title
    assert ids(risks.register_page(ctx, search="acme")) == {budget}  # a customer
    assert ids(risks.register_page(ctx, search="PRIYA late")) == {vendor}  # owner and title
    assert ids(decisions.log_page(ctx, search="northwind rollout")) == {phase}
    names = {r["name"] for r in portfolio_lists.matrix_page(search="finance").rows}
    assert names == {"Sam Lee"}  # a role


def test_column_widths_share_the_room_by_weight_squeeze_when_narrow_and_cap():
    from relboard.widgets.paged_table import Column, column_widths

    specs = [Column("sev", "Sev", 4), Column("owner", "Owner", 7, squeeze=2),
             Column("customer", "Customer", 12, flex=True, squeeze=6, cap=30),
             Column("title", "Issue", 14, flex=True, weight=3)]
    assert column_widths(specs, 37) == {"sev": 4, "owner": 7, "customer": 12, "title": 14}
    narrow = column_widths(specs, 30)  # 7 short: owner gives 2, the customer 5
    assert narrow == {"sev": 4, "owner": 5, "customer": 7, "title": 14}
    wide = column_widths(specs, 77)  # 40 spare: 10 to the customer, 30 to the title
    assert wide == {"sev": 4, "owner": 7, "customer": 22, "title": 44}
    huge = column_widths(specs, 237)  # the customer stops at its cap, the title takes the rest
    assert huge["customer"] == 30 and sum(huge.values()) == 237


def test_search_words_are_text_not_patterns(db, ctx):
    """Search words are bound into SQL written once per shape: a ``%``, ``_`` or ``\\`` in a
    word matches itself, on every run of the same shape."""
    acme = f.customer(ctx, "Acme")
    titles = ("50% off invoices", "500 errors", "a_b report", "axb report", "path C:\\x",
              "path C:x")
    for title in titles:
        f.issue(ctx, acme, title=title)

    def found(search: str) -> set[str]:
        return {row["title"] for row in lists.issues_page(ctx, search=search).rows}

    assert found("50%") == {"50% off invoices"}
    assert found("a_b") == {"a_b report"}
    assert found("C:\\x") == {"path C:\\x"}
    assert found("report") == {"a_b report", "axb report"}  # the same shape, a new word
    assert found("PATH c:") == {"path C:\\x", "path C:x"}


def test_a_prepared_value_left_out_of_the_slots_is_caught(db, ctx):
    """The tests run with ``prepared.CHECK``: a value written into a cached query's SQL
    instead of a slot would be the first run's for ever, and is caught on the next run."""
    from relboard import models as m
    from relboard.services import prepared

    f.customer(ctx, "Acme")
    f.customer(ctx, "Globex")
    c = m.Customer

    def named(name: str, key: tuple) -> list[dict]:
        return prepared.rows(key, lambda: c.select(c.name).where(c.name == name), {})

    assert named("Acme", ("test-frozen",)) == [{"name": "Acme"}]
    with pytest.raises(AssertionError, match="missing from the key or the slots"):
        named("Globex", ("test-frozen",))
    rows = prepared.rows(("test-slot",), lambda: c.select(c.name).where(
        c.name == prepared.slot("name")), {"name": "Globex"})
    assert rows == [{"name": "Globex"}]


def test_columns_fit_what_the_rows_hold_and_the_rest_goes_after_the_last():
    """Measured values: a fixed column shrinks to its widest value (a status wider than its
    declared width grows to it), titles share the rest up to their own widest value, and room
    left over goes to the last column so the columns stay together."""
    from relboard.widgets.column_fit import Column, column_widths

    specs = [Column("sev", "Sev", 4), Column("owner", "Owner", 8, squeeze=2),
             Column("customer", "Customer", 12, flex=True, squeeze=6, cap=30),
             Column("title", "Issue", 14, flex=True, weight=3), Column("status", "Status", 9)]
    seen = {"sev": 4, "owner": 5, "customer": 25, "title": 60, "status": 10}
    assert column_widths(specs, 40, seen) == \
        {"sev": 4, "owner": 5, "customer": 7, "title": 14, "status": 10}
    assert column_widths(specs, 60, seen) == \
        {"sev": 4, "owner": 5, "customer": 15, "title": 26, "status": 10}
    roomy = column_widths(specs, 200, seen)
    assert roomy == {"sev": 4, "owner": 5, "customer": 25, "title": 60, "status": 106}
