"""``.`` on Customers: the archived customers too, after the active ones, and back; the list
still pages on index walks (issue 21, point 6)."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.services import lists, records
from tests import factories as f
from tests.conftest import every_id
from tests.pilot import SIZE, make_app, open_list, settle
from tests.plans import fill as _fill
from tests.plans import temporary_sorts

both = pytest.mark.both_databases  # on SQLite and on PostgreSQL


def archive(ctx, customer_id: int) -> None:
    """Archive a customer as the profile's ctrl+d does."""
    records.set_archived(ctx, "customer", customer_id, records.get("customer", customer_id)[
        "version"])


@both
async def test_full_stop_shows_the_archived_customers_too_and_back(sample):
    gone = m.Customer.select().order_by(m.Customer.name).first()
    archive(sample, gone.id)
    active = m.Customer.select().where(m.Customer.archived == False).count()  # noqa: E712
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot, "c")
        status = app.screen.query_one("#customers-status")
        names = lambda: [str(table.get_row_at(n)[0]) for n in range(table.row_count)]  # noqa: E731
        assert str(status.render()).startswith(f"{active} customers · sort name")
        assert f"{gone.name} (archived)" not in names()
        await pilot.press("full_stop")
        await settle(pilot)
        assert str(status.render()) == f"{active + 1} customers · sort name · archived too"
        assert names()[-1] == f"{gone.name} (archived)"  # after the active ones
        assert len(names()) == active + 1
        await pilot.press("full_stop")
        await settle(pilot)
        assert str(status.render()) == f"{active} customers · sort name"
        assert f"{gone.name} (archived)" not in names()


@both
@pytest.mark.parametrize("sort", ["name", "owner", "tier", "contact", "overdue"])
def test_archived_too_pages_cover_every_customer_once(db, ctx, sort):
    ids = [f.customer(ctx, f"{'ab'[n % 2]}{n:02}", owner=f"pm{n % 3}",
                      tier=("strategic", "key", "standard")[n % 3]) for n in range(13)]
    for cid in ids[::3]:
        archive(ctx, cid)
    seen = every_id(lambda after: lists.customers_page(ctx, sort=sort, include_archived=True,
                                                       after=after, limit=4))
    assert sorted(seen) == sorted(ids)
    archived = set(ids[::3])
    assert [i in archived for i in seen] == sorted(i in archived for i in seen)
    active = every_id(lambda after: lists.customers_page(ctx, sort=sort, after=after, limit=4))
    assert seen[:len(active)] == active


@pytest.mark.parametrize("sort", ["name", "owner", "tier", "contact", "overdue"])
def test_archived_too_does_not_sort_in_a_temporary_tree(db, ctx, sort):
    """SQLite's plans (as ``test_query_plans``): each part walks its index."""
    _fill(db)
    m.Customer.update(archived=True).where(m.Customer.name.endswith('7')).execute()
    assert temporary_sorts(db, lambda: lists.customers_page(
        ctx, sort=sort, include_archived=True, limit=350)) == []
