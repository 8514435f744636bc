"""``Back`` cursors: the lists ``end`` reads from their end walk the same index the other way,
give the same rows in the same order, and sort nothing (issue 21, point 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.services import issues, lists
from relboard.services.page import Back
from tests import factories as f
from tests.conftest import at, every_id, every_id_backward
from tests.plans import fill as _fill
from tests.plans import temporary_sorts


def _lists(ctx, customer: int):
    return {
        "queue by severity": lambda after: lists.issues_page(ctx, after=after, limit=4),
        "queue newest": lambda after: lists.issues_page(ctx, sort="newest", after=after,
                                                        limit=4),
        "queue oldest, open": lambda after: lists.issues_page(
            ctx, sort="oldest", status=issues.OPEN_STATUSES, after=after, limit=4),
        "customer issues": lambda after: lists.issues_page(ctx, customer_id=customer,
                                                           after=after, limit=4),
        "customers": lambda after: lists.customers_page(ctx, after=after, limit=4),
        "customers by owner": lambda after: lists.customers_page(ctx, sort="owner",
                                                                 after=after, limit=4),
        "register": lambda after: lists.expectations_page(ctx, after=after, limit=4),
        "timeline": lambda after: lists.touchpoints_page(customer, after=after, limit=4),
    }


@pytest.mark.both_databases
def test_backward_reads_the_same_rows_in_the_same_order(db, ctx):
    first = None
    for n in range(11):
        cid = f.customer(ctx, f"C{n % 4}{n:02}", owner=f"pm{n % 3}")
        first = first or cid
        later = at(ctx, ctx.now() - dt.timedelta(hours=n % 5))
        f.issue(later, first if n % 2 else cid, f"I{n}",
                severity=("critical", "low", "medium")[n % 3])
        f.expectation(ctx, cid, ctx.today() + dt.timedelta(days=n % 3), f"E{n}")
        f.touchpoint(later, first, summary=f"T{n}")
    for name, fetch in _lists(ctx, first).items():
        forward = every_id(fetch)
        assert len(forward) > 4, name
        assert every_id_backward(fetch) == forward, name


@pytest.mark.parametrize("name", ["queue by severity", "queue newest", "customer issues",
                                  "customers", "customers by owner", "register", "timeline"])
def test_backward_sorts_nothing(db, ctx, name):
    _fill(db)
    fetch = _lists(ctx, 3)[name]
    before = fetch(Back()).after  # the cursor of the window before the last
    assert before is not None
    assert temporary_sorts(db, lambda: fetch(Back()), lambda: fetch(before)) == []


@pytest.mark.both_databases
def test_the_register_pages_through_expectations_without_a_due_date(db, ctx):
    """An expectation with no due date (NULL, which no cursor comparison passes) is paged
    like the others, where the database puts it (first on SQLite, last on PostgreSQL):
    a page ending on one used to be the last page."""
    from relboard import models as m

    cid = f.customer(ctx, "Acme")
    for n in range(9):
        eid = f.expectation(ctx, cid, ctx.today() + dt.timedelta(days=n % 3), f"E{n}")
        if n % 2:
            m.Expectation.update(current_due=None).where(m.Expectation.id == eid).execute()
    e = m.Expectation
    native = [r.id for r in e.select(e.id).order_by(e.current_due, e.id)]
    assert len(native) == 9
    for limit in (1, 2, 4):
        def fetch(after, limit=limit):
            return lists.expectations_page(ctx, after=after, limit=limit)
        assert every_id(fetch) == native, limit
        assert every_id_backward(fetch) == native, limit
    words = lambda after: lists.expectations_page(ctx, search="E", after=after, limit=2)  # noqa: E731
    assert every_id(words) == every_id_backward(words) == native
