"""The board on a database full of hostile text: no control character in anything it renders.

One tour, driven with keys at 80x24, opens every screen, form, dialog, filter, suggestion and
notification over ``tests/hostile.py``'s portfolio, and after each step looks at every segment
the compositor renders and at every Input and TextArea's contents. A last check asserts the
tour really met every kind of screen, so a new screen cannot slip past unvisited.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, TextArea

from relboard import models as m
from relboard.screens import all_screen_classes
from relboard.services import expectations, issues, records, today
from relboard.services.attention import AttentionItem
from relboard.services.context import Context
from relboard.text import safe
from relboard.widgets import live
from tests import hostile
from tests.conftest import NOW, TODAY
from tests.pilot import SIZE, make_app, settle

FORMS_AND_DIALOGS = {
    "CustomerForm", "ContactForm", "TouchpointForm", "ExpectationForm", "IssueForm",
    "RenegotiateForm", "PromptDialog", "ConfirmDialog", "ConflictDialog", "CommandPalette",
    "ProjectForm", "RiskForm", "DecisionForm", "FeedbackForm", "ReferralForm", "RatingForm",
    "TouchpointEditForm",
}


class Tour:
    """Keys in, checks after every step; remembers which screens it saw."""

    def __init__(self, app, pilot) -> None:
        self.app, self.pilot = app, pilot
        self.seen: set[str] = set()
        self.found: list[str] = []

    async def press(self, *keys: str, where: str = "") -> None:
        """Press ``keys`` one by one, letting the board settle and checking after each."""
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot)
            self.check(where or key)

    def check(self, where: str) -> None:
        """Every rendered segment and every editable widget's text, for the top screen."""
        screen = self.app.screen
        name = type(screen).__name__
        self.seen.add(name)
        for y, strip in enumerate(screen._compositor.render_strips()):
            for segment in strip:
                if bad := hostile.controls_in(segment.text):
                    self.found.append(f"{where}: {name} line {y}: {bad} in {segment.text[:40]!r}")
        for widget in screen.query(Input):
            texts = (widget.value, widget.placeholder, widget._suggestion)
            if bad := hostile.controls_in("".join(texts)):
                self.found.append(f"{where}: {name} input #{widget.id}: {bad}")
        for widget in screen.query(TextArea):
            if bad := hostile.controls_in(widget.text):
                self.found.append(f"{where}: {name} text area #{widget.id}: {bad}")


@pytest.fixture
def portfolio(db, ctx, monkeypatch):
    """The hostile portfolio; live refresh slowed so background saves make real conflicts."""
    monkeypatch.setattr(live, "POLL_SECONDS", 3600)
    return hostile.seed(ctx, TODAY)


def _typable_owner() -> str:
    """A stored owner that starts with a letter and holds a control character."""
    owners = [o for (o,) in m.Customer.select(m.Customer.owner).tuples()] + [
        o for (o,) in m.Issue.select(m.Issue.owner).tuples()]
    return next(o for o in owners if o[:1].isalpha() and hostile.controls_in(o))


async def test_every_screen_form_dialog_and_notice_renders_hostile_text_safely(portfolio, ctx):
    mallory = Context(user=hostile.HOSTILE[2], now_override=NOW)
    expectations.renegotiate(ctx, portfolio["expectation"],  # the trail names a decision
                             records.get("expectation", portfolio["expectation"])["version"],
                             reason="Decided", decision_id=portfolio["decision"],
                             new_due=TODAY + dt.timedelta(days=9))
    for kind in ("contact", "expectation"):  # the snoozed list shows their hostile names
        today.snooze(ctx, AttentionItem("contact", kind, portfolio[kind], portfolio["customer"],
                                        "", "", "", 0.0, 1), TODAY + dt.timedelta(days=4))
    app = make_app(ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        tour = Tour(app, pilot)
        await settle(pilot)
        tour.check("start")
        await tour.press("question_mark", "escape")
        await tour.press("ctrl+p", *"pwned", "escape", where="palette")
        await tour.press("j", "z", "escape", "l", "escape", "n", "escape", where="today")

        await tour.press("c", "slash", "o", "escape", "escape", where="customers")
        await tour.press("slash", *"pwned", "enter", "enter", where="customers filtered")
        for tab in "12345":
            await tour.press(tab, where=f"profile tab {tab}")
        await tour.press("2", "enter", "E", "escape", "escape", where="touchpoint and its edit")
        await tour.press("3", "enter", "escape", "4", "enter", "escape", where="profile rows")
        await tour.press("1", "S", "escape", "X", "escape", "I", "escape", "l", "escape",
                         where="profile forms")
        await tour.press("1", "enter", "escape", where="stakeholder form")
        await tour.press("6", "n", "escape", where="health tab and rating form")
        await tour.press("b", "end", where="meeting brief")
        assert type(app.screen).__name__ == "BriefScreen"
        await tour.press("escape", where="back from the brief")
        await tour.press("y", "end", where="status update")
        assert type(app.screen).__name__ == "StatusUpdateScreen"
        await tour.press("escape", where="back from the status update")
        for tab in "7890":  # risks, decisions, feedback, loyalty: edit one, then add one
            await tour.press(tab, "enter", "escape", "n", "escape", where=f"profile tab {tab}")
        await tour.press("tab", "enter", "escape", "n", "escape", where="referral form")

        await tour.press("E", where="customer form")
        owner = _typable_owner()
        form = app.screen
        form.field("owner").value = ""
        form.field("owner").focus()
        await tour.press(owner[0], where="owner suggestion")
        assert form.field("owner")._suggestion, "a stored owner is suggested"
        records.update(mallory, "customer", portfolio["customer"],
                       records.get("customer", portfolio["customer"])["version"],
                       {"owner": "mallory"})  # the field this form changes too
        await tour.press("ctrl+s", where="owner off the team question")
        assert type(app.screen).__name__ == "ConfirmDialog"  # one letter typed: not a name
        await tour.press("y", where="conflict dialog")
        assert type(app.screen).__name__ == "ConflictDialog"
        await tour.press("escape", "escape", where="discard changes")
        assert type(app.screen).__name__ == "ConfirmDialog"
        await tour.press("y", "escape", where="back to customers")

        await tour.press("e", "slash", *"pwned", where="register filter")
        await tour.press("escape", "slash", where="register filter pre-filled")
        stored = m.Customer.get_by_id(portfolio["customer"]).name
        assert app.screen.query_one("#exps-customer", Input).value == safe(stored).strip()
        assert app.screen.customer_id == portfolio["customer"]  # the filter still holds
        await tour.press("escape", "enter", "R", "escape", "E", "escape", "escape",
                         where="expectation")

        await tour.press("i", "A", "escape", "d", "escape", "z", "escape", "slash", "x",
                         "escape", "escape", "enter", "E", "escape", "escape", where="issues")
        issue = records.get("issue", portfolio["issue"])
        issues.assign(mallory, portfolio["issue"], issue["version"], "mallory")
        await tour.press("m", where="take-over question")  # the row shows another owner: asks
        await tour.press("y", where="triage conflict notice")  # assign to me: same field
        assert any("changed" in n.message.lower() for n in app._notifications)

        await tour.press("Z", where="snoozed list")
        assert type(app.screen).__name__ == "SnoozedScreen" and app.screen.table.row_count == 2
        await tour.press("z", "escape", where="un-snoozed")
        await tour.press("p", "enter", "escape", "tab", "enter", "escape", where="overview")
        await tour.press("K", "down", "B", "O", "x", "escape", "slash", "H", "escape",
                         "escape", where="risk register")
        await tour.press("D", "down", "escape", where="decision log")
        await tour.press("G", "2", "enter", "escape", "escape", where="stakeholder map")
        await tour.press("tab", "tab", "tab", "right", "enter", "escape", "K",
                         where="issues of a figure, register by its key")
        await tour.press("ctrl+f", *"evil", where="search")
        await pilot.pause(0.3)  # the pause after typing, then the query
        await settle(pilot)
        tour.check("search hits")
        assert len(app.screen.hits) > 3
        await tour.press("down", "enter", "escape", "escape", where="search hits")

    assert tour.found == []
    expected = {cls.__name__ for cls in all_screen_classes()} | FORMS_AND_DIALOGS
    assert expected <= tour.seen, f"not visited: {sorted(expected - tour.seen)}"


async def edit_customer(app, pilot, customer_id: int) -> None:
    """Open the customer's profile, then its edit form (E)."""
    await settle(pilot)
    app.open_customer(customer_id)
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)


async def test_editing_one_field_keeps_the_others_as_stored(db, ctx):
    """Only what the user changed is saved: a C1 character in the name survives a cadence edit."""
    name = "O\x92Brien \u202eLtd"
    cid = records.create(ctx, "customer", {"name": "placeholder", "notes": "line one"})
    m.Customer.update(name=name, notes="tab\there \x1b[31m").where(m.Customer.id == cid).execute()
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await edit_customer(app, pilot, cid)
        form = app.screen
        assert form.field("name").value == "O\ufffdBrien \ufffdLtd"  # shown cleaned
        form.field("cadence_days").value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
    row = m.Customer.get_by_id(cid)
    assert (row.name, row.notes, row.cadence_days) == (name, "tab\there \x1b[31m", 9)
    changed = [a.field for a in m.Activity.select().where(
        (m.Activity.entity == "customer") & (m.Activity.action == "update"))]
    assert changed == ["cadence_days"]


async def test_an_edit_with_nothing_changed_stores_nothing(db, ctx):
    cid = records.create(ctx, "customer", {"name": "placeholder"})
    m.Customer.update(name="Bad\x1bName").where(m.Customer.id == cid).execute()
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await edit_customer(app, pilot, cid)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
    row = m.Customer.get_by_id(cid)
    assert (row.name, row.version) == ("Bad\x1bName", 1)
