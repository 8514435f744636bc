"""The forms of a customer's own records (project, risk, decision, feedback, referral) at
80x24: create and edit through each, invalid input kept and explained, an edit that saves only
what changed, and another session's save shown as a conflict like the existing forms do."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import SelectionList

from relboard import models as m
from relboard.screens.conflict import ConflictDialog
from relboard.screens.decision_form import DecisionForm
from relboard.screens.feedback_form import FeedbackForm
from relboard.screens.record_form import kind_form
from relboard.screens.risk_form import RiskForm
from relboard.services import BusyError, decisions, records
from tests import factories as f
from tests.conftest import NOW, TODAY, at
from tests.form_harness import SIZE, FormApp, error_of, opened, settle

DAY = dt.timedelta(days=1)


def fill(form, values: dict) -> None:
    """Put values into the form's widgets (text, long text, choices, ticks)."""
    for name, value in values.items():
        widget = form.field(name)
        if isinstance(widget, SelectionList):
            widget.deselect_all()
            for item in value:
                widget.select(item)
        elif hasattr(widget, "text") and not hasattr(widget, "cursor_position"):
            widget.text = value
        else:
            widget.value = value


class Outcome:
    """What a form showed after a save: still open?, its error lines, its values."""

    def __init__(self, app, form) -> None:
        self.app, self.open = app, app.screen is form
        if not self.open:
            return
        self.errors = {f.name: error_of(form, f.name) for f in form.fields}
        self.general = str(form.query_one("#form-error").render())
        self.values = form.collect()


async def run_form(ctx, make, values: dict) -> Outcome:
    """Open ``make()``, fill ``values``, save; says what happened."""
    app = FormApp(ctx, make)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        fill(form, values)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        return Outcome(app, form)


KINDS = {
    "project": (kind_form("project"), {"name": "Phase 2", "phase": "planning",
                              "start_date": "2026-12-01", "end_date": "2027-03-31"},
                {"phase": "execution"},
                {"name": "Phase 2", "phase": "execution", "start_date": dt.date(2026, 12, 1),
                 "end_date": dt.date(2027, 3, 31)}),
    "risk": (RiskForm, {"title": "Vendor late", "likelihood": 4, "impact": 5,
                        "trigger": "No delivery note by Friday", "contingency": "Second vendor",
                        "review_on": "2026-11-30"},
             {"status": "mitigating", "mitigation": "Weekly call with the vendor"},
             {"title": "Vendor late", "likelihood": 4, "impact": 5, "status": "mitigating",
              "owner": "alice", "mitigation": "Weekly call with the vendor",
              "review_on": dt.date(2026, 11, 30)}),
    "feedback": (FeedbackForm, {"kind": "nps", "score": "7", "comment": "Fine"},
                 {"score": "10"},
                 {"kind": "nps", "score": 10, "comment": "Fine", "received_on": TODAY}),
    "referral": (kind_form("referral"), {"referred_name": "Globex",
                                         "notes": "Met at the expo"},
                 {"status": "won"},
                 {"referred_name": "Globex", "status": "won", "notes": "Met at the expo",
                  "referred_on": TODAY}),
}


@pytest.mark.parametrize("kind", list(KINDS))
async def test_create_then_edit_through_the_form(db, ctx, kind):
    form_class, new, change, expected = KINDS[kind]
    cid = f.customer(ctx)
    out = await run_form(ctx, lambda: form_class(cid), new)
    assert not out.open
    [rid] = out.app.results
    out = await run_form(ctx, lambda: form_class(cid, rid), change)
    assert not out.open and out.app.results == [rid]
    row = records.get(kind, rid)
    assert {k: row[k] for k in expected} == expected
    assert (row["customer"], row["version"]) == (cid, 2)
    edited = {a.field for a in m.Activity.select().where(
        (m.Activity.entity == kind) & (m.Activity.action == "update"))}
    assert edited == set(change)  # only what the edit changed was saved
    if kind == "risk":
        assert m.Risk.get_by_id(rid).score == 20


async def test_a_decision_with_stakeholders_and_free_text_participants(db, ctx):
    cid = f.customer(ctx)
    dana, lee = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Lee")
    out = await run_form(ctx, lambda: DecisionForm(cid), {
        "title": "Phase the rollout", "options": "Big bang, or by region",
        "rationale": "Less risk", "contacts": [dana], "participants": "their auditor"})
    [did] = out.app.results
    row = decisions.decision(did)
    assert (row["title"], row["decided_on"], row["participants"], row["contacts"]) == (
        "Phase the rollout", TODAY, "their auditor", [(dana, "Dana")])
    await run_form(ctx, lambda: DecisionForm(cid, did), {"contacts": [dana, lee]})
    row = decisions.decision(did)
    assert [c for c, _ in row["contacts"]] == [dana, lee] and row["title"] == "Phase the rollout"


async def test_invalid_input_is_kept_and_explained(db, ctx):
    cid = f.customer(ctx)
    app = FormApp(ctx, lambda: FeedbackForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        fill(form, {"score": "9", "comment": "Loved it"})  # CSAT is 1-5
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "score") == "Answer a CSAT score is 1-5"
        assert (form.collect()["score"], form.collect()["comment"]) == ("9", "Loved it")
        fill(form, {"score": "lots"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "score") == "Answer must be a whole number"
    assert m.Feedback.select().count() == 0 and app.results == []

    out = await run_form(ctx, lambda: kind_form("project")(cid), {
        "name": "Phase 2", "start_date": "2027-01-10", "end_date": "2027-01-01"})
    assert out.open and out.errors["end_date"] == "Ends on is before the start date"
    assert out.values["start_date"] == "2027-01-10"
    out = await run_form(ctx, lambda: DecisionForm(cid), {
        "title": "Later", "decided_on": (TODAY + DAY).isoformat()})
    assert out.open and "in the future" in out.errors["decided_on"]
    out = await run_form(ctx, lambda: RiskForm(cid), {"mitigation": "Plan B"})
    assert out.open and out.errors["title"] == "Title is required"
    assert out.values["mitigation"] == "Plan B"
    assert m.Project.select().count() + m.Decision.select().count() \
        + m.Risk.select().count() == 0


async def test_a_busy_database_keeps_the_typing(db, ctx, monkeypatch):
    def busy(*args, **kwargs):
        raise BusyError("the database stayed busy (another user is writing); try again")

    cid = f.customer(ctx)
    monkeypatch.setattr(records, "create", busy)
    out = await run_form(ctx, lambda: kind_form("referral")(cid), {"referred_name": "Acme"})
    assert out.open and "busy" in out.general
    assert out.values["referred_name"] == "Acme"


async def test_a_risk_changed_by_someone_else_asks_which_to_keep(db, ctx):
    cid = f.customer(ctx)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor late",
                                       "review_on": "2026-12-07"})  # red once impact is 5
    app = FormApp(ctx, lambda: RiskForm(cid, rid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        bob = at(ctx, NOW + dt.timedelta(hours=1), "bob")
        records.update(bob, "risk", rid, 1, {"title": "Vendor very late", "owner": "bob"})
        fill(form, {"title": "Vendor late again", "impact": 5})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        shown = str(dialog.query_one("#dialog-fields").render())
        assert "Vendor very late" in shown and "Vendor late again" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and form.collect()["title"] == "Vendor late again"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
    row = records.get("risk", rid)
    assert (row["title"], row["impact"], row["owner"]) == ("Vendor late again", 5, "bob")


async def test_decision_stakeholders_changed_by_both_sessions_conflict(db, ctx):
    cid = f.customer(ctx)
    dana, lee = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Lee")
    did = decisions.create(ctx, {"customer": cid, "title": "Phase it", "decided_on": TODAY},
                           [dana])
    app = FormApp(ctx, lambda: DecisionForm(cid, did))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        decisions.update(at(ctx, NOW, "bob"), did, 1, {}, contacts=[lee])
        fill(form, {"contacts": [dana, lee]})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("r")  # reload: their stakeholders
        await settle(app, pilot)
        assert app.screen is form and form.collect()["contacts"] == [lee]
