"""The portfolio overview counted in SQL agrees with the Python computation it replaced.

``tests/portfolio_reference.py`` keeps the former computation: every customer's health worked
out (bands, the lowest), every open issue's SLA state by ``sla_of``, every stakeholder loaded.
On random portfolios (issues moved through their statuses, waits and pauses, issues exactly
at a threshold, the odd shapes only an import makes, archived customers, a week-old health
history, customers added after the day was scored) both must give the same figures, for
everyone and for each PM's view, now and as the clocks move on.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from relboard import models as m
from relboard.config import SlaConfig, SlaTarget
from relboard.services import (
    clocks,
    credibility,
    expectations,
    healthhistory,
    issues,
    portfolio,
    portfolio_lists,
    records,
    risks,
    stakeholders,
)
from tests import factories as f
from tests import portfolio_reference as reference
from tests.conftest import NOW, at
from tests.plans import fill, query_plans

pytestmark = pytest.mark.both_databases


def every_row(fetch) -> list[dict]:
    """Every row of a paged list, window after window."""
    rows, after = [], None
    while True:
        page = fetch(after)
        rows += page.rows
        if page.after is None:
            return rows
        after = page.after


D, H = dt.timedelta(days=1), dt.timedelta(hours=1)
MOVES = {"new": ("acknowledged", "in_progress", "waiting_on_customer", "resolved"),
         "acknowledged": ("in_progress", "waiting_on_customer", "resolved"),
         "in_progress": ("waiting_on_customer", "resolved", "acknowledged"),
         "waiting_on_customer": ("in_progress", "acknowledged", "resolved"),
         "resolved": ("in_progress",)}
OWNERS = ("alice", "bob", "")
LEVELS = m.ENGAGEMENT + ("unheard-of",)


def _issues(ctx, rnd: random.Random, customers: list[int], active: list[int]) -> None:
    for n in range(60):
        raised = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 10))
        iid = f.issue(at(ctx, raised), rnd.choice(customers), f"Issue {n}",
                      severity=rnd.randint(1, 4), raised_at=raised, owner=rnd.choice(OWNERS))
        when, status, version = raised, "new", 1
        for _ in range(rnd.randint(0, 4)):
            when = when + dt.timedelta(minutes=rnd.randrange(1, 60 * 30))
            if when >= NOW:
                break
            status = rnd.choice(MOVES[status])
            version = issues.set_status(at(ctx, when), iid, version, status, "fixed")
    # Exactly at a threshold (critical: near at 48 minutes, breached at 1 hour; low
    # resolution 168 hours), a second either side, and raised in the future.
    for minutes in (47.99, 48, 48.01, 60, 60.01, 59.99, -5):
        raised = NOW - dt.timedelta(minutes=minutes)
        f.issue(at(ctx, min(raised, NOW)), rnd.choice(customers), f"Edge {minutes}",
                severity=1, raised_at=raised, owner=rnd.choice(OWNERS))
    i = m.Issue
    # Only an import makes these: new though answered, waiting though never answered,
    # paused less than nothing, open with both clocks stopped, waiting from tomorrow.
    shapes = [dict(first_response_at=NOW - 30 * H),
              dict(waiting_since=NOW - 2 * H),
              dict(paused_seconds=-7200, status="acknowledged"),
              dict(status="in_progress", first_response_at=NOW - 9 * D,
                   resolved_at=NOW - 5 * D),
              dict(status="waiting_on_customer", first_response_at=NOW - 9 * D,
                   waiting_since=NOW + D),
              dict(status="waiting_on_customer", first_response_at=NOW - 9 * D,
                   waiting_since=NOW - 3 * D, paused_seconds=3600)]
    for n, values in enumerate(shapes):
        raised = NOW - dt.timedelta(days=rnd.randint(1, 9))
        iid = f.issue(at(ctx, raised), rnd.choice(active), f"Odd {n}",
                      severity=rnd.randint(1, 4), raised_at=raised, owner=rnd.choice(OWNERS))
        i.update(**values).where(i.id == iid).execute()
        clocks.refresh_issue(iid)


def _expectations(ctx, rnd: random.Random, customers: list[int]) -> None:
    """Promises agreed, moved, met through the app (on, before and after the baseline),
    met as recorded (no trail), missed, withdrawn; some owned by someone else."""
    e = m.Expectation
    for n in range(30):
        c = rnd.choice(customers)
        due = NOW.date() + rnd.randint(-20, 20) * D
        eid = f.expectation(at(ctx, NOW - 30 * D), c, due, f"Promise {n}",
                            owner=rnd.choice(OWNERS), status=rnd.choice(("proposed", "agreed")))
        version = records.get("expectation", eid)["version"]
        if rnd.random() < 0.3:
            version = expectations.renegotiate(at(ctx, NOW - 25 * D), eid, version,
                                               reason="moved",
                                               new_due=due + rnd.choice((-5, -1, 2, 9)) * D)
        step = rnd.random()
        when = at(ctx, NOW - rnd.randint(0, 24) * D - rnd.randint(0, 23) * H)
        if step < 0.3 and records.get("expectation", eid)["status"] != "proposed":
            expectations.set_status(when, eid, version, "met")
        elif step < 0.4:
            e.update(status="met").where(e.id == eid).execute()  # recorded as met
        elif step < 0.5:
            e.update(status="missed").where(e.id == eid).execute()
        elif step < 0.55:
            e.update(status="withdrawn").where(e.id == eid).execute()


def _portfolio(ctx, seed: int) -> None:
    rnd = random.Random(seed)
    customers = [f.customer(ctx, f"{rnd.choice(('Acme', 'acme', 'Zeta', 'Émile'))} {n:02}",
                            owner=rnd.choice(OWNERS), cadence_days=rnd.choice((None, 7, 30)))
                 for n in range(16)]
    k = m.Contact
    for c in customers:
        for n in range(rnd.randint(0, 3)):
            kid = f.contact(ctx, c, f"Person {c}-{n}")
            k.update(engagement_current=rnd.choice(LEVELS), archived=n == 2,  # an import's
                     engagement_desired=rnd.choice(LEVELS)).where(k.id == kid).execute()
    for n in range(30):
        when = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 60))
        f.touchpoint(at(ctx, when), rnd.choice(customers), occurred_at=when,
                     sentiment=rnd.randint(-2, 2), summary=f"Call {n}")
    archived = rnd.sample(customers, 3)
    _issues(ctx, rnd, customers, [c for c in customers if c not in archived])
    for n in range(20):
        records.create(ctx, "project", {"customer": rnd.choice(customers), "name": f"P{n}"})
    m.Referral.insert_many([{"customer": rnd.choice(customers), "referred_name": f"R{n}",
                             "referred_on": NOW.date(),
                             "status": rnd.choice(m.REFERRAL_STATUSES + ("odd",)),
                             "created_at": NOW, "created_by": "t", "updated_at": NOW,
                             "updated_by": "t"}
                            for n in range(12)]).execute()
    _expectations(ctx, rnd, customers)
    for _ in range(24):  # answers of every customer, the archived ones' too
        kind = rnd.choice(("nps", "csat"))
        records.create(ctx, "feedback", {
            "customer": rnd.choice(customers), "kind": kind,
            "score": rnd.randint(0, 10) if kind == "nps" else rnd.randint(1, 5),
            "received_on": NOW.date() - rnd.randint(0, 120) * D})
    for n in range(14):
        records.create(ctx, "risk", {
            "customer": rnd.choice(customers), "title": f"Risk {n}",
            "owner": rnd.choice(OWNERS),
            "likelihood": rnd.randint(1, 3), "impact": rnd.randint(1, 4),
            "review_on": NOW.date() + rnd.randint(-5, 5) * D,
            "status": rnd.choice(("open", "open", "closed"))})
    s = m.HealthSnapshot
    for back in (60, 59, 30, 12, 9, 8, 7, 3, 1):  # earlier weeks, as boards wrote them
        # (a band not known among them; not every customer every day)
        s.insert_many([{"customer": c, "day": NOW.date() - back * D, "score": 50,
                        "band": rnd.choice(m.HEALTH_BANDS + ("odd",)), "taken_at": NOW - back * D}
                       for c in rnd.sample(customers, 10)]).execute()
    for c in customers:  # renewals: passed, each quarter (its edges too), beyond, none
        day = rnd.choice((None, -40, -1, 0, 1, 8, 38, 39, 100, 129, 130, 220, 310, 311, 400))
        if day is not None:
            records.update(ctx, "customer", c, records.get("customer", c)["version"],
                           {"renews_on": NOW.date() + day * D})
    for c in archived:
        records.set_archived(ctx, "customer", c, records.get("customer", c)["version"])
    healthhistory.record_snapshots(ctx)  # the day scored ...
    for n in range(2):  # ... then customers added: scored on the spot
        f.customer(ctx, f"Late {n}", owner=rnd.choice(OWNERS))


def _same(ctx, who=None) -> portfolio.Overview:
    """The overview against the reference (health: as scored when the day's snapshots were
    taken, which is now in these tests)."""
    o = portfolio.overview(ctx, who)
    bands, lowest = reference.bands_and_lowest(ctx, who)
    assert o.bands == bands
    assert o.lowest == lowest
    assert o.issues == reference.issue_grid(ctx, who)
    assert o.stakeholders == reference.gap_summary(who)
    assert o.loyalty == reference.portfolio_loyalty(who)
    assert o.credibility == reference.portfolio_credibility(ctx, who)
    assert credibility.by_customer(ctx, who=who) == reference.credibility_by_customer(ctx, who)
    assert credibility.by_owner(ctx, who) == reference.credibility_by_owner(ctx, who)
    assert portfolio.over_time(ctx, who).weeks == reference.weekly_bands(ctx, who)
    assert o.risks_review_due == len(risks.due_for_review(ctx, who))
    assert o.risks == reference.risks_by_band(ctx, who)
    assert o.satisfaction == reference.portfolio_satisfaction(ctx, who)
    assert o.renewals == reference.renewals_by_quarter(ctx, who)
    for band in portfolio.BAND_ORDER:  # the records behind each band, window by window
        assert every_row(lambda after, band=band: portfolio_lists.band_page(
            ctx, band, who, after=after, limit=3)) == reference.band_rows(ctx, band, who)
    return o


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_figures_match_the_python_reference(db, ctx, seed):
    _portfolio(ctx, seed)
    o = _same(ctx)
    assert sum(b.customers for b in o.bands) == 15  # 16 - 3 archived + 2 late
    assert sum(b.week_ago for b in o.bands) and o.lowest
    assert sum(1 for w in portfolio.over_time(ctx).weeks if w.total) >= 5
    assert sum(o.issues.values()) > 20 and o.issues_where(state="paused")
    assert {st for _, st in o.issues} - set(portfolio.SLA_STATES)  # an odd one: met/missed
    assert o.stakeholders["stakeholders"] > 5
    assert o.loyalty.repeat_customers and o.loyalty.referrals_total
    assert o.credibility.judged > o.credibility.met_on_baseline > 0
    assert o.credibility.renegotiated and o.risks_review_due
    assert [r.label for r in o.renewals] == ["passed", "Q4 2026", "Q1 2027", "Q2 2027",
                                             "Q3 2027"]
    assert sum(r.total for r in o.renewals) > 5 and sum(r.total - r.unscored for r in o.renewals)
    for who in ("alice", "bob", "nobody"):
        _same(ctx, who)
    for later in (NOW + 12 * dt.timedelta(minutes=1), NOW + 3 * H):  # the clocks moved on
        other = at(ctx, later)
        for who in (None, "bob"):
            assert portfolio.issue_grid(other, who) == reference.issue_grid(other, who)
    _same(at(ctx, NOW + 2 * D))  # a day nobody scored yet: every customer scored now


def test_settings_outside_the_usual_are_worked_out_row_by_row(db, ctx):
    _portfolio(ctx, 4)
    odd = SlaConfig(critical=SlaTarget(30, 8), near_breach=0.5)  # response longer
    for sla in (odd, SlaConfig(near_breach=1.5)):
        other = at(ctx, NOW).__class__(**{**vars(ctx), "sla": sla})
        assert portfolio.issue_grid(other) == reference.issue_grid(other)


def test_the_health_figures_are_todays_snapshots_once_the_day_is_scored(db, ctx):
    c = f.customer(ctx, "Quiet")  # no signal at all: no score, no snapshot
    d = f.customer(ctx, "Busy")
    f.touchpoint(ctx, d, occurred_at=NOW - 40 * D)
    healthhistory.record_snapshots(ctx)
    m.HealthSnapshot.update(score=10, band="red").where(m.HealthSnapshot.customer == d).execute()
    o = portfolio.overview(ctx)
    assert [(b.band, b.customers) for b in o.bands] == [
        ("red", 1), ("amber", 0), ("green", 0), (None, 1)]
    low, = o.lowest
    assert (low.health.customer_id, low.health.score, low.health.band) == (d, 10, "red")
    assert low.health.signals  # the reasons shown beside it are worked out now
    assert c not in {t.health.customer_id for t in o.lowest}


def test_the_gap_summary_counts_what_the_matrix_lists(db, ctx):
    _portfolio(ctx, 5)
    rows = stakeholders.engagement_matrix()
    got = stakeholders.gap_summary()
    assert got["stakeholders"] == len(rows)
    assert got["with_gap"] == sum(1 for s in rows if s.gap)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("analyze", [True, False])
def test_the_grid_counts_running_clocks_on_the_clock_index_alone(db, ctx, analyze):
    """The counts of first-response and resolution clocks read only the clock index (a
    SEARCH by clock, no table row): an IN over both clocks was planned as a scan of every
    issue, and a count that reads the table visits each open issue's row (0.2 s at 100k)."""
    fill(db, analyze=analyze)
    plans = [plan for sql, plan in query_plans(db, lambda: portfolio.issue_grid(ctx))
             if '"states"' in sql]
    assert len(plans) == 3  # first response, resolution, waiting
    for plan in plans[:2]:
        assert any(step.startswith("SEARCH") and "COVERING INDEX issue_clock_severity_"
                   in step for step in plan), plan  # a clock index: (..., clock_at ...) or
        # one PM's (..., owner, clock_at, ...), as SQLite likes: both hold what the CASE reads
        assert not any(step.startswith("SCAN") for step in plan), plan


@pytest.mark.parametrize("analyze", [True, False])
def test_the_lowest_the_odd_unanswered_and_the_gaps_are_read_from_indexes(db, ctx, analyze,
                                                                          db_kind):
    """The overview's lowest-scored customers walk the day's snapshots in score order, the
    grid finds the odd unanswered issues in their partial index, and the engagement gaps
    are counted from an index in their pairs' order (schema 19): no sort of every
    customer's snapshot, no read of every unanswered issue's or stakeholder's row (~60, ~117
    and ~112 ms at 1M records)."""
    fill(db, analyze=analyze or db_kind == "postgresql")  # PostgreSQL plans from statistics
    plans = query_plans(db, lambda: portfolio.overview(ctx))
    lowest = [plan for sql, plan in plans if 'ORDER BY "t1"."score"' in sql
              and "OFFSET" in sql]
    odd = [plan for sql, plan in plans if "COALESCE(\"t1\".\"paused_seconds\", 0) < 0" in sql]
    assert len(lowest) == 1 and len(odd) == 1, [sql for sql, _ in plans]
    assert any("health_snapshot_day_score_customer_id" in step for step in lowest[0]), lowest
    assert not any("TEMP B-TREE" in step or "Sort" in step for step in lowest[0]), lowest
    assert any("issue_odd_unanswered" in step for step in odd[0]), odd
    gaps = [plan for sql, plan in plans if 'GROUP BY "t1"."engagement_current"' in sql]
    assert len(gaps) == 1 and any(
        "contact_archived_engagement_current_engagement_desired" in step
        for step in gaps[0]), gaps
    assert not any("TEMP B-TREE" in step for step in gaps[0]), gaps


def test_the_lowest_tied_at_the_cut_archived_and_one_pms_share(db, ctx):
    """The lowest of the day walked from the lowest score: a tie across the twelfth place is
    decided by name, an archived customer's snapshot never shows, and a PM's share is theirs
    (and nobody's) only."""
    ids, owner, name, score = [], {}, {}, {}
    for n in range(18):
        name_n = f"Cust {chr(ord('R') - n)}"  # later customers come first by name
        cid = f.customer(ctx, name_n, owner=("bob", "", "carol")[n % 3])
        f.touchpoint(ctx, cid, occurred_at=NOW - (n + 1) * D)
        ids.append(cid)
        owner[cid], name[cid] = ("bob", "", "carol")[n % 3], name_n
        score[cid] = 0 if n == 0 else (n if n < 8 else 40 if n < 16 else 90)  # 8..15 tie
    healthhistory.record_snapshots(ctx)
    for cid in ids:
        m.HealthSnapshot.update(score=score[cid]).where(
            (m.HealthSnapshot.customer == cid) & (m.HealthSnapshot.day == ctx.today())).execute()
    records.set_archived(ctx, "customer", ids[0], records.get("customer", ids[0])["version"])
    for who in (None, "bob", "carol"):
        mine = [cid for cid in ids[1:] if who is None or owner[cid] in (who, "")]
        expected = sorted(mine, key=lambda c: (score[c], name[c].lower(), c))[:portfolio.LOWEST]
        got = portfolio.overview(ctx, who).lowest
        assert [(t.health.customer_id, t.health.score) for t in got] == \
            [(c, score[c]) for c in expected], who
    lowest = portfolio.overview(ctx).lowest
    assert [t.health.score for t in lowest][-5:] == [40] * 5  # the tie, cut by name
