"""Editing what can be created, from each record's detail (E), with the conflict handling of
every form; assigning with known users suggested and a new name asked about (issue 9 point 5)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from textual.widgets import Static

from relboard import models as m
from relboard.screens.confirm import ConfirmDialog
from relboard.screens.conflict import ConflictDialog
from relboard.screens.expectation import ExpectationScreen
from relboard.screens.expectation_form import ExpectationForm
from relboard.screens.issue import IssueScreen
from relboard.screens.issue_form import IssueForm
from relboard.screens.prompt import PromptDialog
from relboard.screens.touchpoint import TouchpointScreen
from relboard.screens.touchpoint_edit import TouchpointEditForm
from relboard.services import records
from tests import factories as f
from tests.conftest import NOW, TODAY, at
from tests.pilot import SIZE, make_app, settle

pytestmark = pytest.mark.both_databases


def shown(widget: Static) -> str:
    return str(widget.render())


async def _edit(app, pilot, open_record):
    """Open a record's detail (``open_record()``), press E, return the edit form."""
    await settle(pilot)
    open_record()
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    return app.screen


async def test_edit_a_touchpoint_from_its_detail(db, ctx):
    cid = f.customer(ctx)
    tid = f.touchpoint(ctx, cid, summary="Weekly call", sentiment=0,
                       follow_up_on=TODAY + dt.timedelta(days=2))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(cid, tab="touchpoints", select=tid)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointScreen)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TouchpointEditForm)
        assert form.field("summary").text == "Weekly call"  # filled with the stored values
        assert form.collect()["sentiment"] == 0 and form.collect()["follow_up_done"] is False
        assert app.focused is form.field("summary")
        form.field("summary").text = "Weekly call: budget agreed"
        form.field("sentiment").value = 2
        form.field("follow_up_done").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointScreen)
        text = shown(app.screen.query_one("#touchpoint-text", Static))
        assert "Weekly call: budget agreed" in text and "very positive" in text
        assert "done 2026-11-23" in text
    row = records.get("interaction", tid)
    assert (row["summary"], row["sentiment"], row["version"]) == (
        "Weekly call: budget agreed", 2, 2)
    assert row["follow_up_done_at"] is not None and row["follow_up_on"] is not None


async def test_edit_an_expectation_statement_keeps_its_due_date(db, ctx):
    cid = f.customer(ctx)
    due = TODAY + dt.timedelta(days=10)
    eid = f.expectation(ctx, cid, due, statement="Pilot live", owner="alice")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit(app, pilot, lambda: app.open_expectation(eid))
        assert isinstance(form, ExpectationForm)
        assert form.field("statement").text == "Pilot live"
        assert "current_due" not in {fl.name for fl in form.fields}
        form.field("statement").text = "Pilot live for two wards"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExpectationScreen)
        assert "Pilot live for two wards" in shown(app.screen.query_one("#exp-facts", Static))
    row = records.get("expectation", eid)
    assert (row["statement"], row["current_due"], row["owner"]) == (
        "Pilot live for two wards", due, "alice")


async def test_edit_an_issue_title_from_its_detail(db, ctx):
    cid = f.customer(ctx)
    iid = f.issue(ctx, cid, "Export fails", description="CSV export", severity="high")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit(app, pilot, lambda: app.open_issue(iid))
        assert isinstance(form, IssueForm)
        values = form.collect()
        assert (values["title"], values["description"], values["severity"]) == (
            "Export fails", "CSV export", "high")
        form.field("title").value = "Export fails for large files"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        assert "Export fails for large files" in shown(app.screen.query_one("#issue-title"))
    row = records.get("issue", iid)
    assert (row["title"], row["description"], row["severity"], row["status"]) == (
        "Export fails for large files", "CSV export", "high", "new")


async def test_an_issue_title_changed_by_another_session_asks_which_to_keep(db, ctx):
    cid = f.customer(ctx)
    iid = f.issue(ctx, cid, "Export fails")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit(app, pilot, lambda: app.open_issue(iid))
        bob = at(ctx, NOW + dt.timedelta(minutes=5), "bob")
        records.update(bob, "issue", iid, 1, {"title": "Export broken", "description": "bob"})
        form.field("title").value = "Export fails at night"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        fields = shown(dialog.query_one("#dialog-fields"))
        assert "Export broken" in fields and "Export fails at night" in fields
        await pilot.press("o")  # overwrite: mine wins on the title, bob's description stays
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
    row = records.get("issue", iid)
    assert (row["title"], row["description"], row["version"]) == (
        "Export fails at night", "bob", 3)


async def test_a_touchpoint_edit_merges_with_another_sessions_other_field(db, ctx):
    cid = f.customer(ctx)
    tid = f.touchpoint(ctx, cid, summary="Weekly call")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit(app, pilot, lambda: app.push_screen(TouchpointScreen(tid)))
        records.update(at(ctx, NOW, "bob"), "interaction", tid, 1, {"sentiment": -1})
        form.field("summary").text = "Weekly call, minutes sent"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointScreen)
    row = records.get("interaction", tid)
    assert (row["summary"], row["sentiment"]) == ("Weekly call, minutes sent", -1)


async def test_assign_suggests_known_users_and_asks_about_a_new_name(db, ctx):
    ctx = dataclasses.replace(ctx, team=("bob", "carol"))  # the config's team: roster
    cid = f.customer(ctx, owner="bob")
    f.customer(ctx, "Other Co", owner="carol")
    iid = f.issue(ctx, cid, "Export fails")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_issue(iid)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("c", "a")
        await settle(pilot)
        field = app.screen.query_one("#prompt-value")
        assert field._suggestion == "carol"
        await pilot.press("right", "enter")  # take the suggestion: a known name, no question
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        assert records.get("issue", iid)["owner"] == "carol"

        await pilot.press("A")
        await settle(pilot)
        await pilot.press(*"zed", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "“zed” is a new name; assign anyway?" in shown(
            app.screen.query_one("#dialog-message"))
        await pilot.press("n")
        await settle(pilot)
        assert records.get("issue", iid)["owner"] == "carol"
        await pilot.press("A")
        await settle(pilot)
        await pilot.press(*"zed", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert records.get("issue", iid)["owner"] == "zed"
    assert m.Activity.select().where(m.Activity.new == "zed").count() == 1


async def test_the_touchpoint_edit_changes_when_and_who_took_part(db, ctx):
    """Issue 21: the edit form (E) could not change when it happened or who took part."""
    cid = f.customer(ctx)
    dana = f.contact(ctx, cid, "Dana Ruiz")
    raj = f.contact(ctx, cid, "Raj Patel")
    tid = f.touchpoint(at(ctx, NOW - dt.timedelta(hours=1)), cid, [dana],
                       occurred_at=NOW - dt.timedelta(hours=1))
    assert m.Contact.get_by_id(raj).last_contact_at is None
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(cid, tab="touchpoints", select=tid)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TouchpointEditForm)
        assert form.collect()["contacts"] == [dana]
        form.field("occurred_at").focus()
        await pilot.press("ctrl+u", *"2026-11-20 15:30")  # clear, then type the moment
        people = form.field("contacts")
        people.focus()
        await pilot.press("space", "down", "space")  # untick Dana, tick Raj
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointScreen)
        text = shown(app.screen.query_one("#touchpoint-text", Static))
        assert "Raj Patel" in text and "Dana Ruiz" not in text and "2026-11-20 15:30" in text
    row = records.get("interaction", tid)
    assert ctx.local(row["occurred_at"]).strftime("%Y-%m-%d %H:%M") == "2026-11-20 15:30"
    assert row["version"] == 3  # the fields, then who took part
    fields = {h["field"]: (h["old"], h["new"]) for h in records.history("interaction", tid)}
    assert fields["contacts"] == ("Dana Ruiz", "Raj Patel")
    assert m.Contact.get_by_id(raj).last_contact_at is not None  # the clocks follow
    assert m.Contact.get_by_id(dana).last_contact_at is None


def test_another_pms_change_of_who_took_part_is_a_conflict(db, ctx):
    from relboard.services import touchpoints
    from relboard.services.errors import ConflictError

    cid = f.customer(ctx)
    dana, raj = f.contact(ctx, cid, "Dana Ruiz"), f.contact(ctx, cid, "Raj Patel")
    tid = f.touchpoint(ctx, cid, [dana])
    bob = dataclasses.replace(ctx, user="bob")
    assert touchpoints.edit_touchpoint(ctx, tid, 1, {"contacts": [dana, raj]}) == 2
    with pytest.raises(ConflictError):  # Bob read version 1: Alice changed who since
        touchpoints.edit_touchpoint(bob, tid, 1, {"contacts": [raj]})
    assert touchpoints.edit_touchpoint(bob, tid, 1, {"summary": "Call"}) == 3  # merges
    assert [p["name"] for p in touchpoints.participants(tid)] == ["Dana Ruiz", "Raj Patel"]
