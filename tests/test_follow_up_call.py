"""A follow-up done by talking (issue 21 point 4): `l` on a follow-up on Today opens the
touchpoint form with its customer and the stakeholders it was with, the cursor in the summary;
saving logs the call and closes the follow-up (a box, ticked by default)."""

from __future__ import annotations

import pytest

from relboard.screens.touchpoint_form import TouchpointForm
from relboard.services import attention, records, touchpoints
from tests.pilot import SIZE, highlight, make_app, settle, today_options

pytestmark = pytest.mark.both_databases


def _follow_up(ctx, words: str):
    return next(it for it in attention.attention(ctx)
                if it.kind == "interaction" and words in it.title)


async def test_a_follow_up_is_handled_by_a_call_in_two_keys_and_the_summary(sample):
    item = _follow_up(sample, "Reviewed PAS interface error logs")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"interaction:{item.record_id}")
        keys = ["l"]
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TouchpointForm)
        assert app.focused is form.field("summary")  # the first field, in reading order
        title = str(form.query_one("#form-title").render())
        assert "Northgate Health Partners" in title
        ticked = form.collect()
        assert ticked["contacts"] == [p["id"] for p in touchpoints.participants(item.record_id)]
        assert ticked["close_follow_up"] is True
        await pilot.press(*"Walked Raj through the fixed message types")
        keys.append("ctrl+s")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TouchpointForm)
        assert not any("Reviewed PAS interface error logs" in t for t in today_options(app))
        assert any("follow-up done" in n.message for n in app._notifications)
    assert len(keys) <= 6
    answered = records.get("interaction", item.record_id)
    assert answered["follow_up_done_at"] is not None
    logged = max(r["id"] for r in touchpoints_of(item.customer_id))
    assert records.get("interaction", logged)["summary"] == \
        "Walked Raj through the fixed message types"
    assert [p["name"] for p in touchpoints.participants(logged)] == ["Raj Patel"]


async def test_unticking_the_box_leaves_the_follow_up_open(sample):
    item = _follow_up(sample, "Reviewed PAS interface error logs")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"interaction:{item.record_id}")
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        form.field("close_follow_up").focus()
        await pilot.press("space")
        form.field("summary").focus()
        await pilot.press(*"Left a voicemail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Reviewed PAS interface error logs" in t for t in today_options(app))
    assert records.get("interaction", item.record_id)["follow_up_done_at"] is None


def touchpoints_of(customer_id: int) -> list[dict]:
    """The customer's touchpoints (newest first), as the profile lists them."""
    from relboard.services import lists

    return lists.touchpoints_page(customer_id, limit=200).rows
