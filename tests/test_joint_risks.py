"""Risks worked out jointly with the customer (issue 23 point 6): a customer-side owner (one of
the customer's stakeholders) and the day it was last gone through with the customer; Today's
"Shared risks to go through with the customer" against an independent reference, its index
walk, ``d`` on it (the review with the customer), and the new fields' rules."""

from __future__ import annotations

import datetime as dt
import random

import peewee
import pytest

from relboard import models as m
from relboard.migrations.m0015_risk_keys import JOINT_INDEX
from relboard.migrations.m0016_never_shared import NEVER_INDEX
from relboard.services import attention, records, risk_review
from relboard.services.errors import ValidationError
from tests import factories as f
from tests.conftest import NOW, at
from tests.pilot import SIZE, highlight, make_app, settle, today_options, until
from tests.plans import plan_of, selects

pytestmark = pytest.mark.both_databases

D = dt.timedelta(days=1)
TODAY = NOW.date()
OPEN = ("open", "mitigating", "occurred")  # every status but closed


def reference(ctx, who: str | None = None, days: int = 30) -> list[tuple[int, str]]:
    """The group worked out in Python from every risk, one at a time: (risk id, reason start),
    the longest ago first. Shared: a customer-side owner; open; the customer not archived, the
    risk not snoozed; "my view": owned by ``who`` or nobody, or of a customer ``who`` owns."""
    cutoff = TODAY - dt.timedelta(days=days)
    snoozed = {s.entity_id for s in m.Snooze.select().where(
        (m.Snooze.entity == "risk") & (m.Snooze.until > TODAY))}
    found = []
    for r in m.Risk.select():
        customer = m.Customer.get_by_id(r.customer_id)
        if (r.customer_owner_id is None or r.status not in OPEN or customer.archived
                or r.id in snoozed):
            continue
        if who is not None and r.owner not in (who, "") and customer.owner != who:
            continue
        since = r.reviewed_with_customer_on or ctx.local(r.created_at).date()
        if since > cutoff:
            continue
        owner = m.Contact.get_by_id(r.customer_owner_id).name
        said = ("never gone through with" if r.reviewed_with_customer_on is None
                else "last gone through with")
        found.append(((since, r.id), (r.id, f"{said} {owner} (their side)")))
    return [row for _, row in sorted(found)]


def _risk(ctx, recorded: dt.datetime, values: dict) -> int:
    """A risk recorded at ``recorded``; gone through with the customer since (as of today)
    when ``values`` says so: a review date cannot be after the day it is typed."""
    reviewed = values.pop("reviewed_with_customer_on", None)
    rid = records.create(at(ctx, recorded), "risk", values)
    if reviewed is not None:
        records.update(ctx, "risk", rid, 1, {"reviewed_with_customer_on": reviewed})
    return rid


def _portfolio(ctx, seed: int) -> None:
    rnd = random.Random(seed)
    owners = ("alice", "bob", "")
    for n in range(10):
        cid = f.customer(ctx, f"Customer {n}", owner=rnd.choice(owners))
        people = [f.contact(ctx, cid, f"Person {n}-{k}") for k in range(2)]
        for k in range(6):
            recorded = NOW - rnd.randrange(90) * D
            shared = rnd.random() < 0.6
            reviewed = TODAY - rnd.randrange(80) * D if rnd.random() < 0.6 else None
            _risk(ctx, recorded, {
                "customer": cid, "title": f"Risk {n}-{k}", "owner": rnd.choice(owners),
                "likelihood": rnd.randint(1, 3), "impact": rnd.randint(1, 4),
                "status": rnd.choice(("open", "open", "mitigating", "closed", "occurred")),
                "customer_owner": rnd.choice(people) if shared else None,
                "reviewed_with_customer_on": reviewed})
        if n == 9:
            records.set_archived(ctx, "customer", cid, records.get("customer", cid)["version"])


def _reasons(items) -> list[tuple[int, str]]:
    out = []
    for record_id, reason in items:
        out.append((record_id, reason.split(" (their side)")[0] + " (their side)"))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_today_lists_the_shared_risks_the_reference_finds(db, ctx, seed):
    _portfolio(ctx, seed)
    items = [it for it in attention.attention(ctx) if it.group == "joint_risk"]
    assert items, "the random portfolio has shared risks to go through"
    ours = _reasons((it.record_id, it.reason) for it in items)
    assert ours == reference(ctx)
    for who in ("alice", "bob", "nobody"):
        mine = [it for it in attention.attention(ctx, who) if it.group == "joint_risk"]
        assert _reasons((it.record_id, it.reason) for it in mine) == reference(ctx, who)
    assert attention.board(ctx).totals["joint_risk"] == len(items)
    first = items[0]
    from relboard.services import today
    today.snooze(ctx, first, TODAY + D)
    assert [rid for rid, _ in reference(ctx)] == [
        it.record_id for it in attention.attention(ctx) if it.group == "joint_risk"]
    assert first.record_id not in [rid for rid, _ in reference(ctx)]


def test_the_cadence_is_the_configured_one(db, ctx, monkeypatch):
    cid = f.customer(ctx, "Acme")
    ines = f.contact(ctx, cid, "Ines Ortega")
    rid = _risk(ctx, NOW - 60 * D, {
        "customer": cid, "title": "Data migration slips", "customer_owner": ines,
        "reviewed_with_customer_on": TODAY - 20 * D, "likelihood": 4, "impact": 4,
        "owner": "alice", "review_on": TODAY + 10 * D})
    assert [it.record_id for it in attention.attention(ctx) if it.group == "joint_risk"] == []
    short = dataclasses_replace(ctx, 14)
    [item] = [it for it in attention.attention(short) if it.group == "joint_risk"]
    assert item.record_id == rid
    assert item.reason == ("last gone through with Ines Ortega (their side) 20 days ago "
                           "(every 14 days); red 16 (likelihood 4 x impact 4)")
    assert item.when == "with them 20 days ago"


def dataclasses_replace(ctx, days: int):
    """``ctx`` with ``attention.joint_review_days`` set to ``days``."""
    import dataclasses

    return dataclasses.replace(ctx, attention=dataclasses.replace(ctx.attention,
                                                                  joint_review_days=days))


def test_a_risk_never_gone_through_counts_from_when_it_was_recorded(db, ctx):
    cid = f.customer(ctx, "Acme")
    ines = f.contact(ctx, cid, "Ines Ortega")
    old = records.create(at(ctx, NOW - 31 * D), "risk", {"customer": cid, "title": "Old",
                                                         "customer_owner": ines})
    records.create(at(ctx, NOW - 29 * D), "risk", {"customer": cid, "title": "Recent",
                                                   "customer_owner": ines})
    records.create(at(ctx, NOW - 90 * D), "risk", {"customer": cid, "title": "Ours alone"})
    items = [it for it in attention.attention(ctx) if it.group == "joint_risk"]
    assert [(it.record_id, it.reason.split(";")[0]) for it in items] == [
        (old, "never gone through with Ines Ortega (their side)")]


def test_the_customer_side_owner_is_one_of_the_customers_stakeholders(db, ctx):
    acme, bolt = f.customer(ctx, "Acme"), f.customer(ctx, "Bolt")
    dana = f.contact(ctx, bolt, "Dana")
    with pytest.raises(ValidationError) as err:
        records.create(ctx, "risk", {"customer": acme, "title": "R", "customer_owner": dana})
    assert "customer_owner" in err.value.errors
    assert m.Risk.select().count() == 0


def test_a_review_with_the_customer_is_recorded_and_not_in_the_future(db, ctx):
    cid = f.customer(ctx, "Acme")
    ines = f.contact(ctx, cid, "Ines")
    rid = records.create(at(ctx, NOW - 40 * D), "risk", {"customer": cid, "title": "R",
                                                         "customer_owner": ines})
    draft = risk_review.review_draft(ctx, rid, with_customer=True)
    assert draft["reviewed_with_customer_on"] == TODAY
    assert risk_review.review_draft(ctx, rid)["reviewed_with_customer_on"] is None
    with pytest.raises(ValidationError) as err:
        risk_review.review(ctx, rid, 1, {"review_on": TODAY + 14 * D,
                                         "reviewed_with_customer_on": TODAY + D})
    assert err.value.errors == {"reviewed_with_customer_on": "cannot be after today"}
    risk_review.review(ctx, rid, 1, {"review_on": TODAY + 14 * D,
                                     "reviewed_with_customer_on": TODAY})
    assert m.Risk.get_by_id(rid).reviewed_with_customer_on == TODAY
    assert [it for it in attention.attention(ctx) if it.group == "joint_risk"] == []


def test_the_walk_uses_the_shared_risks_index(db, ctx):
    """Each of the group's statements walks the partial index of the shared risks: on SQLite
    no table scan of risk and no sort, without statistics; on PostgreSQL, with the statistics
    its autovacuum keeps, no sequential scan of risk (the planner told to avoid one where an
    index can serve: a small test table would be read whole). A count reads the index alone
    (schema 15: the index holds what each row is checked against). The ones never gone
    through walk their own partial index, by recording time (schema 16)."""
    stamp = {"created_at": NOW - 90 * D, "created_by": "t", "updated_at": NOW,
             "updated_by": "t"}
    with db.atomic():
        m.Customer.insert_many([{"name": f"C{n}", **stamp} for n in range(50)]).execute()
        m.Contact.insert_many([{"customer": 1 + n, "name": f"P{n}", **stamp}
                               for n in range(50)]).execute()
        m.Risk.insert_many([
            {"customer": 1 + n % 50, "title": f"R{n}", "status": OPEN[n % 2],
             "customer_owner": (1 + n % 50) if n % 5 == 0 else None,
             "reviewed_with_customer_on": TODAY - (n % 60) * D if n % 3 else None, **stamp}
            for n in range(2000)]).execute()
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("ANALYZE")  # what autovacuum (and relboard after an import) does
    sent = selects(db, lambda: (attention.board(ctx), attention.board(ctx, "alice")))[1]
    seen = [(sql, params) for sql, params in sent if "reviewed_with_customer_on" in sql]
    assert attention.board(ctx).totals["joint_risk"] > 0 and seen
    for sql, params in seen:
        plan = plan_of(db, sql, params)
        index = NEVER_INDEX if '"created_at" <=' in sql else JOINT_INDEX  # never gone through
        if isinstance(db, peewee.PostgresqlDatabase):
            assert not any("Seq Scan on risk" in s for s in plan), (sql, plan)
            assert any(JOINT_INDEX in s or NEVER_INDEX in s for s in plan), (sql, plan)
            continue
        assert not any(s.startswith("SCAN") and "risk" in s and "INDEX" not in s
                       for s in plan), (sql, plan)
        assert not any("TEMP B-TREE" in s for s in plan), (sql, plan)
        assert any(JOINT_INDEX in s or NEVER_INDEX in s for s in plan), (sql, plan)
        if sql.startswith("SELECT COUNT"):  # the index alone: no risk row read per key
            assert any(f"COVERING INDEX {index}" in s for s in plan), (sql, plan)


async def _go_through_the_shared_one(app, pilot) -> None:
    """Down from the top until the shared risk's item is highlighted (reading the screen's
    own item), ``d``: the form offers today as the joint review, ``enter`` saves it."""
    for _ in range(12):
        current = app.screen.current()
        if current is not None and current.group == "joint_risk":
            break
        await pilot.press("j")
        await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert app.screen.query_one("#f-reviewed_with_customer_on").value == TODAY.isoformat()
    await pilot.press("enter")


async def test_d_on_today_goes_through_it_with_the_customer(db, ctx):
    cid = f.customer(ctx, "Acme Rail")
    ines = f.contact(ctx, cid, "Ines Ortega")
    rid = _risk(ctx, NOW - 50 * D, {
        "customer": cid, "title": "Depot data arrives late", "customer_owner": ines,
        "reviewed_with_customer_on": TODAY - 45 * D})
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = today_options(app)
        assert any(t.startswith("Shared risks to go through with the customer (1)")
                   for t in texts), texts
        assert any("with them 45 days ago — their side: Ines Ortega" in t
                   for t in texts), texts
        await _go_through_the_shared_one(app, pilot)
        await settle(pilot)
        texts = today_options(app)
        assert not any(t.startswith("Shared risks") for t in texts), texts
    risk = m.Risk.get_by_id(rid)
    assert risk.reviewed_with_customer_on == TODAY and risk.review_on > TODAY


def _shared_and_due(ctx) -> int:
    """A risk shared with the customer (Ines Ortega their side), recorded 50 days ago and
    never gone through with them, its review date two days past: in both groups."""
    cid = f.customer(ctx, "Acme Rail")
    ines = f.contact(ctx, cid, "Ines Ortega")
    return _risk(ctx, NOW - 50 * D, {
        "customer": cid, "title": "Depot data arrives late", "customer_owner": ines,
        "likelihood": 2, "impact": 3, "review_on": TODAY - 2 * D})


async def test_a_shared_risk_due_for_review_is_in_both_groups(db, ctx):
    """A shared risk not gone through with the customer whose review date has come is an
    item of "Risks to review" and of the shared risks: both on the list (each its own key:
    the list refused two options of one key and Today failed); ``d`` on the shared one acts
    on it (going through it with the customer reviews it too: both items leave)."""
    rid = _shared_and_due(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, 5, lambda: any(t.startswith("Shared risks")
                                          for t in today_options(app)))
        texts = today_options(app)
        assert any(t.startswith("Risks to review (1)") for t in texts), texts
        assert any(t.startswith("Shared risks to go through with the customer (1)")
                   for t in texts), texts
        assert sum("Depot data arrives late" in t for t in texts) == 2, texts
        await _go_through_the_shared_one(app, pilot)
        await settle(pilot)
        texts = today_options(app)  # gone through with them: reviewed too (next date set)
        assert not any("Depot data arrives late" in t for t in texts), texts
    risk = m.Risk.get_by_id(rid)
    assert risk.reviewed_with_customer_on == TODAY and risk.review_on > TODAY


async def test_reviewing_a_shared_risk_keeps_it_among_the_shared(db, ctx):
    """``d`` on the "Risks to review" item of a shared risk reviews it (our own review, not
    one with the customer): that item leaves, the shared one stays, before and after the
    refresh that follows."""
    rid = _shared_and_due(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, 5, lambda: f"joint_risk:risk:{rid}" in app.screen.items)
        highlight(app, f"risk:{rid}")
        await settle(pilot)
        await pilot.press("d", "enter")
        for _ in range(3):  # the item leaves at once, the refresh follows
            await settle(pilot)
            assert f"risk:{rid}" not in app.screen.items
            assert f"joint_risk:risk:{rid}" in app.screen.items
        texts = today_options(app)
        assert any(t.startswith("Shared risks to go through with the customer (1)")
                   for t in texts), texts
        assert not any(t.startswith("Risks to review") for t in texts), texts
    assert m.Risk.get_by_id(rid).review_on > TODAY


@pytest.mark.sqlite_only
async def test_the_risk_form_shares_a_risk_and_saves_only_what_changed(db, ctx):
    from relboard.screens.risk_form import RiskForm
    from tests.form_harness import SIZE as FORM_SIZE
    from tests.form_harness import FormApp, error_of, opened
    from tests.form_harness import settle as form_settle

    cid = f.customer(ctx, "Acme")
    ines = f.contact(ctx, cid, "Ines Ortega", role="Ops lead")
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Depot data arrives late"})
    app = FormApp(ctx, lambda: RiskForm(cid, rid))
    async with app.run_test(size=FORM_SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("customer_owner").value = ines
        form.field("reviewed_with_customer_on").value = "tomorrow"
        await pilot.press("ctrl+s")
        await form_settle(app, pilot)
        assert app.screen is form  # a review with the customer cannot be in the future
        assert "cannot be after today" in error_of(form, "reviewed_with_customer_on")
        assert form.field("reviewed_with_customer_on").value == "tomorrow"  # kept
        form.field("reviewed_with_customer_on").value = "today"
        await pilot.press("ctrl+s")
        await form_settle(app, pilot)
        assert app.screen is not form
    risk = m.Risk.get_by_id(rid)
    assert (risk.customer_owner_id, risk.reviewed_with_customer_on, risk.version) == (
        ines, TODAY, 2)
    fields = {a.field for a in m.Activity.select().where(
        (m.Activity.entity == "risk") & (m.Activity.version == 2))}
    assert fields == {"customer_owner", "reviewed_with_customer_on"}


def test_the_preview_names_their_side_and_the_last_joint_review(db, ctx):
    from relboard.services.today.preview import preview

    cid = f.customer(ctx, "Acme")
    ines = f.contact(ctx, cid, "Ines Ortega")
    shared = records.create(ctx, "risk", {"customer": cid, "title": "Shared",
                                          "customer_owner": ines,
                                          "reviewed_with_customer_on": TODAY - 3 * D})
    ours = records.create(ctx, "risk", {"customer": cid, "title": "Ours"})
    facts = dict(preview(ctx, "risk", shared, cid).facts)
    assert (facts["Their side"], facts["With them"]) == ("Ines Ortega", "Fri 2026-11-20")
    assert "Their side" not in dict(preview(ctx, "risk", ours, cid).facts)
