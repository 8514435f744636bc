"""The forms and dialogs at 80x24, driven by keys: they save through services, keep what the
user typed on every refusal, and handle a concurrent change."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, SelectionList, Static, TextArea

from relboard import models as m
from relboard.screens import form_choices
from relboard.screens.confirm import ConfirmDialog
from relboard.screens.conflict import ConflictDialog
from relboard.screens.contact_form import ContactForm
from relboard.screens.customer_form import CustomerForm
from relboard.screens.expectation_form import ExpectationForm
from relboard.screens.issue_form import IssueForm
from relboard.screens.prompt import PromptDialog
from relboard.screens.renegotiate_form import RenegotiateForm
from relboard.screens.touchpoint_form import TouchpointForm
from relboard.services import BusyError, expectations, lookups, records, touchpoints
from tests import factories as f
from tests.conftest import NOW, at
from tests.form_harness import SIZE, FormApp, error_of, opened, settle


def test_new_expectation_statuses_are_real_statuses():
    assert set(form_choices.NEW_EXPECTATION_STATUSES) <= set(m.EXPECTATION_STATUSES)


async def test_new_customer_is_saved(db, ctx):
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert app.focused is form.field("name")
        await pilot.press(*"A[b]")
        await pilot.press("tab", *"IT")
        form.field("cadence_days").value = "21"
        form.field("goals").text = "Go live in Q1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
    [new_id] = app.results
    row = records.get("customer", new_id)
    assert (row["name"], row["industry"], row["cadence_days"]) == ("A[b]", "IT", 21)
    assert (row["tier"], row["owner"], row["goals"]) == ("standard", "alice", "Go live in Q1")


async def test_invalid_fields_say_why_and_keep_the_typing(db, ctx):
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("industry").value = "Retail"
        form.field("cadence_days").value = "weekly"
        form.field("notes").text = "call on Mondays"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "name") == "Name is required"
        assert error_of(form, "cadence_days") == "Cadence (days) must be a whole number"
        assert app.focused is form.field("name")
        # the service is the authority: an out-of-range cadence comes back from it
        form.field("name").value = "Acme"
        form.field("cadence_days").value = "0"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "name") == ""
        assert "between 1 and 365" in error_of(form, "cadence_days")
        values = form.collect()
        assert (values["name"], values["industry"], values["cadence_days"],
                values["notes"]) == ("Acme", "Retail", "0", "call on Mondays")
    assert lookups.customer_choices() == [] and app.results == []

async def test_busy_database_keeps_the_data(db, ctx, monkeypatch):
    def busy(*args, **kwargs):
        raise BusyError("the database stayed busy (another user is writing); try again")

    monkeypatch.setattr(records, "create", busy)
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("name").value = "Acme"
        form.field("goals").text = "Stay friends"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        general = form.query_one("#form-error", Static)
        assert "busy" in str(general.render()) and not general.has_class("-empty")
        assert form.collect()["name"] == "Acme" and form.field("goals").text == "Stay friends"
    assert app.results == []


async def test_conflict_cancel_keeps_typing_and_overwrite_saves(db, ctx):
    cid = f.customer(ctx, "Northwind", industry="Health")
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert form.collect()["industry"] == "Health" and form.version == 1
        bob = at(ctx, NOW + dt.timedelta(hours=1, minutes=5), "bob")
        records.update(bob, "customer", cid, 1, {"name": "Northwind Group", "notes": "bob"})
        form.field("name").value = "Northwind Health"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.message == "Changed by bob at 2026-11-23 11:05 after you opened it"
        shown = str(dialog.query_one("#dialog-fields").render())
        assert "Name" in shown and "Northwind Group" in shown and "Northwind Health" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and form.collect()["name"] == "Northwind Health"
        assert records.get("customer", cid)["name"] == "Northwind Group"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("o")
        await settle(app, pilot)
    assert app.results == [cid]
    row = records.get("customer", cid)
    assert (row["name"], row["version"], row["updated_by"]) == ("Northwind Health", 3, "alice")
    assert row["notes"] == "bob"  # the field only bob changed is kept


async def test_saves_of_different_fields_merge_without_asking(db, ctx):
    cid = f.customer(ctx, "Northwind", industry="Health")
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        records.update(at(ctx, NOW, "bob"), "customer", cid, 1, {"notes": "bob was here"})
        form.field("industry").value = "Pharma"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictDialog)
    assert app.results == [cid]
    row = records.get("customer", cid)
    assert (row["industry"], row["notes"], row["version"]) == ("Pharma", "bob was here", 3)


async def test_conflict_reload_shows_the_stored_values(db, ctx):
    cid = f.customer(ctx, "Northwind")
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        records.update(at(ctx, NOW, "bob"), "customer", cid, 1,
                       {"industry": "Pharma", "name": "Theirs"})
        form.field("name").value = "Mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen is form
        assert (form.collect()["name"], form.collect()["industry"]) == ("Theirs", "Pharma")
        assert form.version == 2 and not form.changed


async def test_escape_on_a_changed_form_asks_first(db, ctx):
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*"Hi")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.collect()["name"] == "Hi"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is not form
    assert app.results == [None]


async def test_escape_on_an_unchanged_form_just_closes(db, ctx):
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        await opened(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_touchpoint_with_two_stakeholders(db, ctx):
    cid = f.customer(ctx)
    dana, lee = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Lee", role="CIO")
    f.contact(ctx, cid, "Sam")
    app = FormApp(ctx, lambda: TouchpointForm(cid, (dana, lee)))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert app.focused is form.field("summary")
        assert isinstance(app.focused, TextArea)
        assert sorted(form.query_one("#f-contacts", SelectionList).selected) == [dana, lee]
        await pilot.press(*"Agreed")
        form.field("sentiment").value = 1
        form.field("follow_up_on").value = "2026-11-30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    [tid] = app.results
    assert [p["name"] for p in touchpoints.participants(tid)] == ["Dana", "Lee"]
    row = records.get("interaction", tid)
    assert (row["summary"], row["channel"], row["sentiment"], row["follow_up_on"]) == (
        "Agreed", "call", 1, dt.date(2026, 11, 30))


async def test_contact_form_creates_a_stakeholder(db, ctx):
    cid = f.customer(ctx)
    app = FormApp(ctx, lambda: ContactForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("name").value = "Dana"
        form.field("influence").value = 5
        form.field("engagement_current").value = "resistant"
        await pilot.click("#form-save")
        await settle(app, pilot)
    row = records.get("contact", app.results[0])
    assert (row["customer"], row["influence"], row["interest"], row["engagement_current"],
            row["preferred_channel"]) == (cid, 5, 3, "resistant", "email")


async def test_issue_form_follows_the_chosen_customer(db, ctx):
    f.customer(ctx, "Acme")
    cid = f.customer(ctx, "Northwind")
    dana = f.contact(ctx, cid, "Dana")
    app = FormApp(ctx, IssueForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("customer").value = cid
        await settle(app, pilot)
        form.field("raised_by").value = dana
        form.field("title").value = "Export fails"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    row = records.get("issue", app.results[0])
    assert (row["customer"], row["raised_by"], row["severity"], row["owner"]) == (
        cid, dana, "medium", "alice")


async def test_expectation_new_and_edit_leave_the_due_date_alone(db, ctx):
    cid = f.customer(ctx)
    app = FormApp(ctx, lambda: ExpectationForm(customer_id=cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("statement").text = "Pilot live"
        form.field("current_due").value = "2026-12-01"
        form.field("status").value = "agreed"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    eid = app.results[0]
    row = records.get("expectation", eid)
    assert (row["status"], row["current_due"], row["baseline_due"]) == (
        "agreed", dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    app = FormApp(ctx, lambda: ExpectationForm(expectation_id=eid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert "current_due" not in form.collect()
        form.field("category").value = "scope"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert app.results == [eid]
    row = records.get("expectation", eid)
    assert (row["category"], row["current_due"], row["version"]) == (
        "scope", dt.date(2026, 12, 1), 2)


async def test_renegotiate_requires_a_reason_and_records_the_trail(db, ctx):
    cid = f.customer(ctx)
    eid = f.expectation(ctx, cid, dt.date(2026, 12, 1), status="agreed")
    app = FormApp(ctx, lambda: RenegotiateForm(eid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert form.collect()["new_due"] == "2026-12-01"
        assert "Pilot live" in str(form.query_one("#form-info", Static).render())
        form.field("new_due").value = "2026-12-15"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and error_of(form, "reason") == "Reason is required"
        assert len(expectations.trail(eid)) == 1
        form.field("new_due").value = "2026-12-01"
        form.field("reason").text = "Customer asked"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "is unchanged" in error_of(form, "new_due")  # service error, aliased
        form.field("new_due").value = "2026-12-15"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert app.results == [eid]
    last = expectations.trail(eid)[-1]
    assert (last["old_due"], last["new_due"], last["reason"], last["new_status"]) == (
        dt.date(2026, 12, 1), dt.date(2026, 12, 15), "Customer asked", "renegotiated")


@pytest.mark.parametrize("typed, expected", [("2026-12-01", "2026-12-01")])
async def test_prompt_validates_a_date(ctx, typed, expected):
    app = FormApp(ctx, lambda: PromptDialog("Snooze", "Until", kind="date", required=True))
    async with app.run_test(size=SIZE) as pilot:
        dialog = app.screen
        await pilot.press("enter")
        assert app.screen is dialog
        error = dialog.query_one("#prompt-error", Static)
        assert str(error.render()) == "Until is required"
        await pilot.press(*"soon", "enter")
        assert app.screen is dialog and "must be a date like" in str(error.render())
        dialog.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [expected]


async def test_prompt_longtext_submits_with_ctrl_s_and_escape_cancels(ctx):
    app = FormApp(ctx, lambda: PromptDialog("Resolve", "Resolution", kind="longtext"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter", "b", "ctrl+s")
        await pilot.pause()
    assert app.results == ["a\nb"]
    app = FormApp(ctx, lambda: PromptDialog("Assign", "Assign to", initial="bob"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_untrusted_names_are_not_markup(db, ctx):
    cid = f.customer(ctx, "[@click=app.quit]x[/]")
    f.contact(ctx, cid, "[/oops]")
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert "[@click=app.quit]x[/]" in str(form.query_one("#form-title", Static).render())
    app = FormApp(ctx, lambda: TouchpointForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        selection = form.query_one("#f-contacts", SelectionList)
        assert str(selection.get_option_at_index(0).prompt) == "[/oops]"


async def test_a_missing_record_says_so(db, ctx):
    app = FormApp(ctx, lambda: CustomerForm(999))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = app.screen
        assert not form.ready
        assert "customer #999 does not exist" in str(form.query_one("#form-error").render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_an_open_form_says_when_someone_else_saves_and_keeps_the_typing(db, ctx,
                                                                               monkeypatch):
    import asyncio

    from relboard.widgets import live

    monkeypatch.setattr(live, "POLL_SECONDS", 0.05)
    cid = f.customer(ctx, "Northwind")
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("industry").value = "Pharma"  # typing, not saved yet
        bob = at(ctx, NOW + dt.timedelta(minutes=7), "bob")
        await asyncio.to_thread(records.update, bob, "customer", cid, 1, {"notes": "bob's"})
        line = ""
        for _ in range(60):
            await asyncio.sleep(0.05)
            await settle(app, pilot)
            line = str(form.query_one("#form-stale", Static).render())
            if line:
                break
        assert line.startswith("Changed by bob at 2026-11-23 10:07 since you opened it")
        assert form.field("industry").value == "Pharma" and form.version == 1
        await pilot.press("ctrl+s")  # different fields: merged without asking
        await settle(app, pilot)
    row = records.get("customer", cid)
    assert (row["industry"], row["notes"], row["version"]) == ("Pharma", "bob's", 3)


async def test_ticked_and_unticked_boxes_differ_by_glyph_not_only_colour(db, ctx):
    cid = f.customer(ctx)
    dana, lee = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Lee")
    app = FormApp(ctx, lambda: TouchpointForm(cid, (dana,)))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        people = form.query_one("#f-contacts", SelectionList)

        def boxes() -> list[str]:
            return [people.render_line(n).text[:3] for n in range(2)]

        assert boxes() == ["▐✓▌", "▐ ▌"]  # Dana ticked, Lee not
        people.select(lee)
        await pilot.pause()
        assert boxes() == ["▐✓▌", "▐✓▌"]
        internal = form.field("internal")
        assert "▐ ▌" in internal.render().plain
        internal.value = True
        assert "▐✓▌" in internal.render().plain


async def test_a_cut_dialog_title_ends_in_an_ellipsis(db, ctx):
    from textual.geometry import Region

    long_title = "Snooze: Northgate Health Partners · Portal login fails for NHS numbers " \
                 "with a leading zero"
    app = FormApp(ctx, lambda: PromptDialog(long_title, "Until"))
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        title = app.screen.query_one("#dialog-title")
        line = title.render_lines(Region(0, 0, title.size.width, 1))[0].text.rstrip()
        assert line.endswith("…") and line[:-1] in long_title


async def test_a_new_customer_with_a_known_name_asks_first(db, ctx):
    first = records.create(ctx, "customer", {"name": "Acme"})
    app = FormApp(ctx, CustomerForm)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*" acme ")
        form.field("goals").text = "Second site"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.message == f"A customer named Acme exists (#{first}). Add another?"
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is form and app.focused is form.field("name")
        assert form.field("name").value == " acme " and form.field("goals").text == "Second site"
        assert error_of(form, "name") == "" and m.Customer.select().count() == 1
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is not form
    [new_id] = app.results
    assert new_id != first and records.get("customer", new_id)["goals"] == "Second site"
    assert m.Customer.select().count() == 2


async def test_editing_a_customer_never_asks_about_its_own_name(db, ctx):
    cid = records.create(ctx, "customer", {"name": "Acme"})
    records.create(ctx, "customer", {"name": "Beta"})
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("industry").value = "Retail"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
    assert app.results == [cid] and records.get("customer", cid)["industry"] == "Retail"


async def test_quitting_with_a_changed_form_asks_and_keeps_the_typing(db, ctx):
    from relboard.app import RelboardApp
    from relboard.config import Config

    app = RelboardApp(Config(database="unused.db", user=ctx.user, animations=False), ctx=ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(CustomerForm())
        await pilot.pause()
        form = app.screen
        form.field("name").value = "Half-typed Ltd"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # asks instead of quitting
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.field("name").value == "Half-typed Ltd"
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
