"""Reviewing a risk from Today in two keys (issue 21 point 8; 12 keys before, 8 of them Tab):
``d`` on a risk to review opens a small review dialog with the next review date proposed
(today + the risk's usual interval, else +14d) and its status and owner; enter saves. The
review date moves, an audit row says "review", and the item leaves Today."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.screens.risk_review import RiskReviewForm
from relboard.services import attention, records, risk_review
from relboard.services.errors import ValidationError
from tests import factories as f
from tests.conftest import TODAY
from tests.pilot import SIZE, footer_text, highlight, make_app, settle

MOST_KEYS = 4


async def review_from_today(ctx, item) -> list[str]:
    """Highlight ``item`` on Today, review it with the keys a PM presses; the keys."""
    keys = ["d", "enter"]
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        key = f"risk:{item.record_id}"
        assert key in app.screen.items
        highlight(app, key)
        await settle(pilot)
        assert "d Done" in footer_text(app)  # offered on a risk: it reviews it
        await pilot.press(keys[0])
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskReviewForm)
        assert form.field("review_on").value == str(TODAY + dt.timedelta(days=14))
        await pilot.press(*keys[1:])
        await settle(pilot)
        assert not isinstance(app.screen, RiskReviewForm)
        assert key not in app.screen.items  # it left Today
    return keys


@pytest.mark.parametrize("group", ["due", "red"])
async def test_a_risk_to_review_is_reviewed_in_two_keys(sample, group):
    items = [it for it in attention.attention(sample) if it.kind == "risk"]
    item = next(it for it in items if ("new red risk" in it.reason) == (group == "red"))
    before = m.Risk.get_by_id(item.record_id)
    keys = await review_from_today(sample, item)
    assert len(keys) <= MOST_KEYS
    after = m.Risk.get_by_id(item.record_id)
    assert after.review_on == TODAY + dt.timedelta(days=14) != before.review_on
    assert (after.status, after.owner, after.version) == (
        before.status, before.owner, before.version + 1)
    audit = list(m.Activity.select().where(
        (m.Activity.entity == "risk") & (m.Activity.entity_id == item.record_id)
        & (m.Activity.action == "review")).dicts())
    assert [(a["field"], a["old"], a["new"], a["user"]) for a in audit] == [
        ("review_on", str(before.review_on), str(after.review_on), sample.user)]
    assert all(it.record_id != item.record_id or it.kind != "risk"
               for it in attention.attention(sample))


def test_the_next_date_follows_the_risks_usual_interval(db, ctx):
    cid = f.customer(ctx)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor",
                                       "review_on": TODAY - dt.timedelta(days=1)})
    assert risk_review.review_draft(ctx, rid)["review_on"] == TODAY + dt.timedelta(days=14)
    records.update(ctx, "risk", rid, 1, {"review_on": TODAY + dt.timedelta(days=6)})
    draft = risk_review.review_draft(ctx, rid)
    assert (draft["review_on"], draft["interval"]) == (TODAY + dt.timedelta(days=7), 7)


def test_a_review_must_name_a_later_day(db, ctx):
    cid = f.customer(ctx)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor"})
    for day, reason in ((TODAY, "must be after today"), ("", "is required: when to look at "
                                                            "it again")):
        with pytest.raises(ValidationError) as refused:
            risk_review.review(ctx, rid, 1, {"review_on": day})
        assert refused.value.errors == {"review_on": reason}
    risk_review.review(ctx, rid, 1, {"review_on": "+3d", "status": "mitigating"})
    row = m.Risk.get_by_id(rid)
    assert (row.review_on, row.status) == (TODAY + dt.timedelta(days=3), "mitigating")


async def test_d_on_the_risk_register_reviews_the_highlighted_risk(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        first = app.screen.table.current_row()
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, RiskReviewForm)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RiskReviewForm)
    assert m.Risk.get_by_id(first["id"]).review_on == TODAY + dt.timedelta(days=14)
