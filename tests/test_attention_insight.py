"""Today's insight groups: a customer whose health band fell this week, risks to review."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import attention, health, healthhistory, records, today
from tests import factories as f
from tests.conftest import NOW, at
from tests.pilot import SIZE, make_app, settle, today_options

pytestmark = pytest.mark.both_databases

D = dt.timedelta(days=1)


def _slipping(ctx, name: str = "Acme", owner: str = "alice") -> int:
    """A customer that was green all week and is red today: three critical issues past their
    SLA, no contact for two months, detractors in the latest survey."""
    cid = f.customer(ctx, name, cadence_days=7, owner=owner)
    f.touchpoint(at(ctx, NOW - 60 * D), cid, occurred_at=NOW - 60 * D)
    for n in range(3):
        f.issue(at(ctx, NOW - 2 * D), cid, f"Down {n}", severity="critical",
                raised_at=NOW - 2 * D)
    for score in (0, 1, 2):
        records.create(ctx, "feedback", {"customer": cid, "kind": "nps", "score": score,
                                         "received_on": NOW.date() - D})
    s = m.HealthSnapshot
    for days in (6, 3, 1):
        s.create(customer=cid, day=NOW.date() - days * D, score=82, band="green",
                 taken_at=NOW - days * D)
    return cid


def test_a_customer_whose_band_fell_this_week_is_on_today(db, ctx):
    cid = _slipping(ctx)
    steady = f.customer(ctx, "Steady", cadence_days=30)
    f.touchpoint(ctx, steady, occurred_at=NOW - D)
    now = health.customer_health(ctx, cid)
    assert now.band == "red"
    assert healthhistory.ensure_today(ctx) == 2  # both scored, once a day
    assert healthhistory.ensure_today(ctx) == 0
    snap = m.HealthSnapshot.get((m.HealthSnapshot.customer == cid)
                                & (m.HealthSnapshot.day == NOW.date()))
    assert (snap.band, snap.dropped_from) == ("red", "green")
    items = [it for it in attention.attention(ctx) if it.group == "health"]
    assert [(it.kind, it.record_id, it.customer, it.reason) for it in items] == [
        ("health", cid, "Acme", f"health fell from green to red this week (score {now.score})")]
    assert attention.board(ctx, "bob").totals["health"] == 0  # Alice's customer
    assert attention.board(ctx, "alice").totals["health"] == 1
    today.snooze(ctx, items[0], NOW.date() + D)
    assert attention.board(ctx).totals["health"] == 0


def test_risks_due_for_review_and_new_red_ones_are_on_today(db, ctx):
    cid = f.customer(ctx, "Acme")
    due = records.create(at(ctx, NOW - 20 * D), "risk", {
        "customer": cid, "title": "Vendor slips", "likelihood": 3, "impact": 3,
        "review_on": NOW.date() - 2 * D})
    red = records.create(at(ctx, NOW - 1 * D), "risk", {
        "customer": cid, "title": "Key user leaves", "likelihood": 4, "impact": 5,
        "review_on": NOW.date() + 10 * D, "owner": "bob"})
    records.create(at(ctx, NOW - 30 * D), "risk", {  # red, but old and not due: not listed
        "customer": cid, "title": "Old red", "likelihood": 5, "impact": 5,
        "review_on": NOW.date() + 10 * D, "owner": "bob"})
    records.create(ctx, "risk", {"customer": cid, "title": "Closed", "likelihood": 5,
                                 "impact": 5, "status": "closed",
                                 "review_on": NOW.date() - D})
    got = [(it.record_id, it.title, it.reason) for it in attention.attention(ctx)
           if it.group == "risk"]
    assert got == [
        (due, "Vendor slips", "amber 9 (likelihood 3 x impact 3); review overdue by 2 days"),
        (red, "Key user leaves",
         "new red risk, recorded yesterday; red 20 (likelihood 4 x impact 5)"),
    ]


async def test_today_shows_the_drop_and_the_risk_review(db, ctx):
    cid = _slipping(ctx)
    records.create(ctx, "risk", {"customer": cid, "title": "Vendor slips", "likelihood": 3,
                                 "impact": 3, "review_on": NOW.date()})
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = today_options(app)
        assert any(t.startswith("Risks to review (1)") for t in texts)
        assert any("review due today" in t for t in texts)
        assert any("health fell from green to red this week" in t for t in texts)


async def test_a_small_portfolio_is_scored_before_the_first_paint(db, ctx, monkeypatch):
    """The day's health is scored before Today is first shown when that is cheap (a few
    customers), so the first paint is the whole board: no group arrives later and moves the
    list. A big portfolio is scored after the first paint, on a thread of its own."""
    from relboard.screens.today import TodayScreen

    _slipping(ctx)
    painted: list[list[str]] = []
    show = TodayScreen._show

    def spy(self, found, *args):
        show(self, found, *args)
        painted.append(today_options(self.app))

    monkeypatch.setattr(TodayScreen, "_show", spy)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.4)
        await settle(pilot)
    assert painted and any(t.startswith("Health dropped this week (1)") for t in painted[0])
    assert len(painted) == 1, painted  # nothing came later

    monkeypatch.setattr(healthhistory, "FEW_CUSTOMERS", 0)  # "big": scored after the paint
    m.HealthSnapshot.delete().where(m.HealthSnapshot.day == NOW.date()).execute()
    painted.clear()
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(20):
            if any(t.startswith("Health dropped this week (1)") for t in today_options(app)):
                break
            await pilot.pause(0.1)
            await settle(pilot)
    assert not any(t.startswith("Health dropped") for t in painted[0])
    assert any(t.startswith("Health dropped this week (1)") for t in painted[-1])


def test_the_digest_adds_satisfaction_health_and_red_risks(db, ctx):
    import json

    from relboard.services import digest

    cid = _slipping(ctx)  # green all week, red today; NPS 0, 1, 2 yesterday
    calm = f.customer(ctx, "Calm Co", cadence_days=30)
    f.touchpoint(ctx, calm, occurred_at=NOW - D)
    for score in (9, 10):
        records.create(ctx, "feedback", {"customer": calm, "kind": "nps", "score": score,
                                         "received_on": NOW.date() - 3 * D})
    records.create(ctx, "feedback", {"customer": calm, "kind": "csat", "score": 5,
                                     "received_on": NOW.date() - 200 * D})  # out of period
    records.create(ctx, "risk", {"customer": cid, "title": "Key user leaves", "likelihood": 5,
                                 "impact": 4, "owner": "bob", "review_on": NOW.date() + 9 * D})
    data = json.loads(digest.render(ctx, "json"))
    # 2 promoters, 3 detractors of 5 answers: 40% - 60%
    assert data["portfolio"]["nps"] == {"score": -20.0, "answers": 5, "period_days": 90}
    assert data["portfolio"]["csat"] == {"score": None, "answers": 0, "period_days": 90}
    assert data["portfolio"]["red_risks"] == 1
    by_name = {c["name"]: c for c in data["customers"]}
    acme_health = health.customer_health(ctx, cid)
    assert by_name["Acme"]["health"] == {"score": acme_health.score, "band": "red"}
    assert by_name["Calm Co"]["nps"] == {"score": 100.0, "answers": 2, "period_days": 90}
    assert by_name["Calm Co"]["csat"] == {"score": None, "answers": 0, "period_days": 90}
    # nobody opened a board today: the digest works the drop out itself, writing nothing
    assert [it["customer"] for it in data["items"] if it["group"] == "health"] == ["Acme"]
    assert m.HealthSnapshot.select().where(m.HealthSnapshot.day == NOW.date()).count() == 0
    text = digest.render(ctx, "text")
    assert "  Satisfaction: NPS -20 (5 answers, last 90 days); CSAT: no answers in the last " \
           "90 days" in text
    assert "  Red risks open: 1\n    Acme: Key user leaves (score 20)" in text
    assert "Health dropped this week (1)\n  • Acme\n      health fell from green to red" in text


async def test_enter_on_the_drop_and_the_risk_opens_their_tab(db, ctx):
    from textual.widgets import TabbedContent

    from tests.pilot import highlight

    cid = _slipping(ctx)
    risk = records.create(ctx, "risk", {"customer": cid, "title": "Vendor slips",
                                        "likelihood": 3, "impact": 3,
                                        "review_on": NOW.date()})
    healthhistory.record_snapshots(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"health:{cid}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "health"
        await pilot.press("escape")
        await settle(pilot)
        highlight(app, f"risk:{risk}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "risks"
        table = app.screen.query_one("#risks-table")
        await settle(pilot)
        assert table.current_key() == str(risk)


def test_the_digest_says_the_score_as_it_is_now_not_the_mornings(db, ctx):
    """Issue 21: the board scored the day in the morning; feedback since changed the score,
    and the digest's "health dropped" line said the morning's score all the same."""
    import json

    from relboard.services import digest

    cid = _slipping(ctx)
    healthhistory.ensure_today(ctx)  # a board opened this morning
    morning = health.customer_health(ctx, cid).score
    for _ in range(3):  # promoters since
        records.create(ctx, "feedback", {"customer": cid, "kind": "nps", "score": 10,
                                         "received_on": NOW.date()})
    now = health.customer_health(ctx, cid)
    assert now.score != morning and now.band == "red"
    text = digest.render(ctx, "text")
    assert f"health fell from green to red this week (score {now.score})" in text
    assert f"(score {morning})" not in text
    data = json.loads(digest.render(ctx, "json"))
    assert [it["reason"] for it in data["items"] if it["group"] == "health"] == [
        f"health fell from green to red this week (score {now.score})"]


def test_the_digest_leaves_out_a_drop_that_recovered_since_the_morning(db, ctx):
    from relboard.services import digest

    cid = _slipping(ctx)
    healthhistory.ensure_today(ctx)
    s = m.HealthSnapshot
    s.update(score=10, band="red").where((s.customer == cid) & (s.day != NOW.date())).execute()
    assert health.customer_health(ctx, cid).band == "red"  # no drop now: red all week
    assert "Health dropped" not in digest.render(ctx, "text")


def test_each_digest_item_carries_its_facts_as_fields(sample):
    """Issue 21 point 9: status, owner, severity and due are fields, not only words."""
    import json

    from relboard.services import digest

    data = json.loads(digest.render(sample, "json", per_group=None))
    by = {(it["kind"], it["id"]): it for it in data["items"]}
    issue = next(it for it in data["items"] if it["kind"] == "issue")
    stored = records.get("issue", issue["id"])
    assert (issue["status"], issue["owner"], issue["severity"], issue["due"]) == (
        stored["status"], stored["owner"] or "", stored["severity"], None)
    promise = next(it for it in data["items"] if it["kind"] == "expectation")
    stored = records.get("expectation", promise["id"])
    assert (promise["status"], promise["owner"], promise["due"], promise["severity"]) == (
        stored["status"], stored["owner"] or "", stored["current_due"].isoformat(), None)
    follow = next(it for it in data["items"] if it["kind"] == "interaction")
    assert follow["due"] == records.get("interaction", follow["id"])["follow_up_on"].isoformat()
    assert follow["with"]  # the sample's follow-ups were all with someone
    for it in by.values():  # every item says whose it is ("" nobody's)
        assert isinstance(it["owner"], str)


def test_the_digest_reads_the_days_snapshots_and_scores_only_the_rest(db, ctx):
    """Once a board scored the day, the digest's customers' health is the day's snapshot (one
    read, not every signal of every customer); a customer added since is scored on the spot;
    with no snapshot taken the digest scores everyone, the same figures."""
    import json

    from relboard.services import digest

    cid = _slipping(ctx)
    calm = f.customer(ctx, "Calm Co", cadence_days=30)
    f.touchpoint(ctx, calm, occurred_at=NOW - D)
    live = {h.customer_id: (h.score, h.band) for h in health.health_of(ctx).values()}

    def reported() -> dict[int, tuple]:
        data = json.loads(digest.render(ctx, "json"))
        return {c["id"]: (c["health"]["score"], c["health"]["band"]) for c in data["customers"]}

    assert reported() == live  # nobody scored today: computed
    healthhistory.record_snapshots(ctx)
    assert reported() == live  # the snapshots say the same
    s = m.HealthSnapshot
    s.update(score=1).where((s.customer == cid) & (s.day == NOW.date())).execute()
    assert reported()[cid] == (1, "red")  # read from the snapshot, not computed again
    late = f.customer(ctx, "Late Ltd", cadence_days=30)
    f.touchpoint(ctx, late, occurred_at=NOW - D)
    assert reported()[late] == (health.customer_health(ctx, late).score,
                                health.customer_health(ctx, late).band)
