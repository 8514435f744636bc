"""Risk scores and bands, the register (filters, keyset pages on an index), review dates."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import records, risks
from tests import factories as f
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("score, band", [(1, "green"), (4, "green"), (5, "amber"),
                                         (14, "amber"), (15, "red"), (25, "red")])
def test_band_edges(score, band):
    assert risks.band_of(score) == band


def _risk(ctx, cid, title, likelihood, impact, **values):
    return records.create(ctx, "risk", {"customer": cid, "title": title,
                                        "likelihood": likelihood, "impact": impact, **values})


def test_score_is_kept_with_likelihood_and_impact(db, ctx):
    cid = f.customer(ctx)
    rid = _risk(ctx, cid, "Vendor", 2, 2)
    assert m.Risk.get_by_id(rid).score == 4
    records.update(ctx, "risk", rid, 1, {"impact": 5})
    assert m.Risk.get_by_id(rid).score == 10
    assert m.Risk.get_by_id(records.create(ctx, "risk", {"customer": cid, "title": "D"})).score \
        == 9  # the defaults, 3 x 3


def test_register_filters_and_pages(db, ctx):
    a = f.customer(ctx, "Alpha", owner="alice")
    b = f.customer(ctx, "Beta", owner="bob")
    ids = {
        "g4": _risk(ctx, a, "g4", 1, 4),
        "a5": _risk(ctx, a, "a5", 1, 5, owner="bob"),
        "a12": _risk(ctx, b, "a12", 3, 4, owner="bob", trigger="T", contingency="C"),
        "r15": _risk(ctx, b, "r15", 5, 3, owner="bob", review_on=TODAY + 30 * DAY),
        "r20": _risk(ctx, a, "r20", 4, 5, trigger="T", owner="carol",
                     review_on=TODAY + 30 * DAY),
        "r25closed": _risk(ctx, a, "r25closed", 5, 5, status="closed"),
    }
    page = risks.register_page(ctx)
    assert [(r["title"], r["score"], r["band"]) for r in page.rows] == [
        ("r20", 20, "red"), ("r15", 15, "red"), ("a12", 12, "amber"), ("a5", 5, "amber"),
        ("g4", 4, "green")]
    assert page.rows[0]["missing"] == ["contingency"]
    assert page.rows[1]["missing"] == ["trigger", "contingency"]
    assert page.rows[2]["missing"] == [] and page.rows[0]["customer_name"] == "Alpha"
    titles = lambda page: [r["title"] for r in page.rows]  # noqa: E731
    assert titles(risks.register_page(ctx, band=["amber"])) == ["a12", "a5"]
    assert titles(risks.register_page(ctx, band=["red", "green"])) == ["r20", "r15", "g4"]
    assert titles(risks.register_page(ctx, status=["closed"])) == ["r25closed"]
    assert titles(risks.register_page(ctx, status=())) == [
        "r25closed", "r20", "r15", "a12", "a5", "g4"]
    assert titles(risks.register_page(ctx, owner="bob")) == ["r15", "a12", "a5"]
    assert titles(risks.register_page(ctx, customer_id=b)) == ["r15", "a12"]
    assert titles(risks.register_page(ctx, who="alice")) == ["r20", "a5", "g4"]
    first = risks.register_page(ctx, limit=2)
    assert titles(first) == ["r20", "r15"] and first.after == (15, ids["r15"])
    second = risks.register_page(ctx, limit=2, after=first.after)
    assert titles(second) == ["a12", "a5"]
    assert titles(risks.register_page(ctx, limit=2, after=second.after)) == ["g4"]
    assert risks.counts_by_band(ctx) == {"red": 2, "amber": 2, "green": 1}


def test_due_for_review_and_new_red(db, ctx):
    cid = f.customer(ctx)
    _risk(ctx, cid, "today", 1, 1, review_on=TODAY)
    _risk(ctx, cid, "overdue", 1, 1, review_on=TODAY - 3 * DAY, status="mitigating")
    _risk(ctx, cid, "tomorrow", 1, 1, review_on=TODAY + DAY)
    _risk(ctx, cid, "closed", 1, 1, review_on=TODAY - DAY, status="closed")
    _risk(ctx, cid, "no date", 1, 1)
    assert [r["title"] for r in risks.due_for_review(ctx)] == ["overdue", "today"]
    assert all(r["review_due"] for r in risks.due_for_review(ctx))
    owned = {"owner": "bob", "review_on": TODAY + 9 * DAY}  # a red risk needs both
    _risk(at(ctx, NOW - 8 * DAY), cid, "old red", 5, 5, **owned)
    _risk(at(ctx, NOW - 6 * DAY), cid, "new red", 4, 4, **owned)
    _risk(ctx, cid, "new amber", 2, 2)
    assert [r["title"] for r in risks.new_red_risks(ctx)] == ["new red"]


@pytest.mark.sqlite_only
def test_register_walks_the_score_index(db, ctx):
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Customer.insert_many([{"name": f"C{n}", **stamp} for n in range(50)]).execute()
        m.Risk.insert_many([{"customer": 1 + n % 50, "title": "r", "likelihood": 1 + n % 5,
                             "impact": 1 + n % 3, "score": (1 + n % 5) * (1 + n % 3),
                             "status": m.RISK_STATUSES[n % 4], **stamp}
                            for n in range(2000)]).execute()
        m.Decision.insert_many([{"customer": 1 + n % 50, "title": "d",
                                 "decided_on": TODAY - n % 300 * DAY, **stamp}
                                for n in range(2000)]).execute()
    db.execute_sql("ANALYZE")
    from relboard.services import decisions
    from tests.plans import temporary_sorts

    calls = [lambda: risks.register_page(ctx), lambda: risks.register_page(ctx, customer_id=3),
             lambda: risks.register_page(ctx, band=["red"], owner="me"),
             lambda: decisions.log_page(ctx), lambda: decisions.log_page(ctx, customer_id=4)]
    assert temporary_sorts(db, *calls) == []
