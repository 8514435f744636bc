"""Credibility: promises met on or before their baseline, and the slip of renegotiated ones,
per customer and per owner, on a hand-built trail."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.services import credibility, expectations, transfer
from tests import factories as f
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _on(ctx, days_ago):
    return at(ctx, NOW - days_ago * DAY)


def _build(ctx):
    cid = f.customer(ctx, "Northwind", owner="alice")
    other = f.customer(ctx, "Contoso")
    c30 = _on(ctx, 30)

    def promise(due_days_ago, owner, customer=cid):
        return f.expectation(c30, customer, TODAY - due_days_ago * DAY, status="agreed",
                             owner=owner)

    e1 = promise(10, "alice")                        # met 2 days early: on baseline
    expectations.set_status(_on(ctx, 12), e1, 1, "met")
    e2 = promise(10, "alice")                        # moved +5, met after the baseline
    v = expectations.renegotiate(_on(ctx, 15), e2, 1, reason="Late data",
                                 new_due=TODAY - 5 * DAY)
    expectations.set_status(_on(ctx, 4), e2, v, "met")
    e3 = promise(8, "bob")                           # missed
    expectations.set_status(_on(ctx, 7), e3, 1, "missed")
    promise(-10, "bob")                              # not due yet: not judged
    e5 = promise(20, "")                             # moved +18, still open and past due
    expectations.renegotiate(_on(ctx, 25), e5, 1, reason="Scope", new_due=TODAY - 2 * DAY)
    e7 = promise(3, "")                              # brought forward 3 days, met then
    v = expectations.renegotiate(_on(ctx, 10), e7, 1, reason="Early",
                                 new_due=TODAY - 6 * DAY)
    expectations.set_status(_on(ctx, 6), e7, v, "met")
    f.expectation(c30, cid, TODAY - 9 * DAY)         # proposed, never agreed: not judged
    e9 = promise(9, "alice")                         # withdrawn: not judged
    expectations.set_status(_on(ctx, 20), e9, 1, "withdrawn")
    e10 = promise(4, "alice", customer=other)        # the other customer: on time
    expectations.set_status(_on(ctx, 4), e10, 1, "met")
    return cid, other


def test_per_customer_per_owner_and_portfolio(db, ctx):
    cid, other = _build(ctx)
    mine = credibility.customer_credibility(ctx, cid)
    # judged: e1 e2 e3 e5 e7; on baseline: e1 e7; slips: e2 +5, e5 +18, e7 -3
    assert (mine.judged, mine.met_on_baseline, mine.share) == (5, 2, 40.0)
    assert (mine.renegotiated, mine.average_slip_days) == (3, 6.7)
    assert [(c.name, c.judged, c.share) for c in credibility.by_customer(ctx)] == [
        ("Northwind", 5, 40.0), ("Contoso", 1, 100.0)]
    owners = {c.key: (c.judged, c.met_on_baseline, c.renegotiated, c.average_slip_days)
              for c in credibility.by_owner(ctx)}
    assert owners == {"alice": (3, 2, 1, 5.0), "bob": (1, 0, 0, None),
                      "": (2, 1, 2, 7.5)}
    assert [c.name for c in credibility.by_owner(ctx)] == ["bob", "(nobody)", "alice"]
    whole = credibility.portfolio_credibility(ctx)
    assert (whole.judged, whole.met_on_baseline, whole.share) == (6, 3, 50.0)
    # alice's view: her customer's and her own promises, and unowned ones
    assert credibility.portfolio_credibility(ctx, who="alice").judged == 6
    assert credibility.portfolio_credibility(ctx, who="bob").judged == 3  # e3, e5, e7


def test_nothing_judged_is_none(db, ctx):
    cid = f.customer(ctx)
    f.expectation(ctx, cid, TODAY + 3 * DAY, status="agreed")
    got = credibility.customer_credibility(ctx, cid)
    assert (got.judged, got.share, got.average_slip_days) == (0, None, None)


def test_recorded_as_met_counts_on_its_current_due_date(db, ctx, tmp_path):
    path = tmp_path / "met.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\nexpectations:\n"
                    "  - {customer: 1, statement: On time, status: met,"
                    " baseline_due: today-10, current_due: today-12}\n"
                    "  - {customer: 1, statement: Late, status: met,"
                    " baseline_due: today-10, current_due: today-8}\n")
    transfer.import_file(ctx, path)
    got = credibility.customer_credibility(ctx, 1)
    assert (got.judged, got.met_on_baseline, got.renegotiated) == (2, 1, 0)


def test_a_promise_moved_but_not_due_yet_is_renegotiated(db, ctx):
    """Issue 21: the portfolio said "Renegotiated 0" while the register showed 4 moved
    promises, all due later: a moved promise counts as renegotiated before it is judged."""
    cid = f.customer(ctx)
    later = f.expectation(ctx, cid, TODAY + 3 * DAY, status="agreed")
    expectations.renegotiate(ctx, later, 1, reason="Vendor late", new_due=TODAY + 10 * DAY)
    gone = f.expectation(ctx, cid, TODAY + 3 * DAY, status="agreed")
    v = expectations.renegotiate(ctx, gone, 1, reason="Moved", new_due=TODAY + 5 * DAY)
    expectations.set_status(ctx, gone, v, "withdrawn")  # withdrawn: not counted
    got = credibility.customer_credibility(ctx, cid)
    assert (got.judged, got.share, got.renegotiated, got.average_slip_days) == (
        0, None, 1, 7.0)
    assert [(c.name, c.renegotiated) for c in credibility.by_customer(ctx)] == [
        (got.name, 1)]


def test_the_demo_portfolio_counts_what_the_register_shows(sample, ctx):
    from relboard.services import lists

    moved = [row for row in lists.expectations_page(ctx, limit=500).rows
             if row["status"] == "renegotiated"]
    assert len(moved) == 4
    assert credibility.portfolio_credibility(ctx).renegotiated == len(moved)


def test_an_expectation_without_any_date_is_not_judged_and_breaks_nothing(db, ctx):
    """The schema lets an expectation hold no due date at all (a row written before the
    forms required one, or by another program): credibility leaves it unjudged instead of
    failing on the missing date."""
    from relboard import models as m

    cid = f.customer(ctx, "Undated Ltd")
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    for status in ("agreed", "met", "at_risk"):
        m.Expectation.insert(customer=cid, statement=f"Promise {status}", status=status,
                             **stamp).execute()
    found = credibility.customer_credibility(ctx, cid)
    assert found.met_on_baseline == 0
    assert credibility.portfolio_credibility(ctx).judged >= found.judged
