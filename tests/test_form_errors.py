"""No lost typing (issue 9 point 3): every field error at once, the cursor on the first with
its text selected so the correction replaces it, and each error gone once its field is valid."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.screens.touchpoint_form import TouchpointForm
from tests import factories as f
from tests.form_harness import FormApp, error_of, opened, settle

SIZE = (80, 24)


@pytest.fixture
def customer(db, ctx):
    return f.customer(ctx)


async def test_two_invalid_fields_show_both_errors_and_the_correction_replaces(customer, ctx):
    app = FormApp(ctx, lambda: TouchpointForm(customer))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*"Called about the invoice")
        form.field("occurred_at").value = "yesterday-ish"
        form.field("follow_up_on").value = "soon"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "occurred_at").startswith("When must be a date and time")
        assert error_of(form, "follow_up_on").startswith("Follow up on must be a date")
        when = form.field("occurred_at")
        assert app.focused is when and when.selected_text == "yesterday-ish"
        await pilot.press(*"2026-11-22 15:30")
        await settle(app, pilot)
        assert when.value == "2026-11-22 15:30"  # replaced, not appended
        assert error_of(form, "occurred_at") == ""  # cleared as soon as it is valid
        assert error_of(form, "follow_up_on") != ""  # the other one stays until fixed
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        follow = form.field("follow_up_on")
        assert app.focused is follow and follow.selected_text == "soon"
        await pilot.press(*"2026-11-30")
        await settle(app, pilot)
        assert follow.value == "2026-11-30" and error_of(form, "follow_up_on") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
    row = m.Interaction.get_by_id(app.results[0])
    assert (row.summary, str(row.follow_up_on)) == ("Called about the invoice", "2026-11-30")


async def test_a_text_area_with_an_error_gets_its_text_selected(customer, ctx):
    app = FormApp(ctx, lambda: TouchpointForm(customer))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*"   ")  # blank: the summary is required
        form.field("follow_up_on").focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        summary = form.field("summary")
        assert error_of(form, "summary") == "Summary is required"
        assert app.focused is summary and summary.selected_text == "   "
        await pilot.press(*"Fine")
        await settle(app, pilot)
        assert summary.text == "Fine" and error_of(form, "summary") == ""


async def test_on_the_board_the_correction_replaces_the_selected_text(customer, ctx):
    """The same through the board, where typed characters go to the field in bursts."""
    from tests.pilot import make_app
    from tests.pilot import settle as board_settle

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await board_settle(pilot)
        app.push_screen(TouchpointForm(customer))
        await board_settle(pilot)
        form = app.screen
        await pilot.press(*"Called")
        form.field("follow_up_on").value = "next week"
        await pilot.press("ctrl+s")
        await board_settle(pilot)
        follow = form.field("follow_up_on")
        assert app.focused is follow and follow.selected_text == "next week"
        assert error_of(form, "follow_up_on").startswith("Follow up on must be a date")
        await pilot.press(*"2026-11-30")
        await board_settle(pilot)
        assert follow.value == "2026-11-30" and error_of(form, "follow_up_on") == ""
