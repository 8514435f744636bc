"""Every form's Save is on screen at every size (issue 21 point 7): at 70x20 the fields
scroll and the buttons stay docked at the bottom of the dialog; at 80x24, 160x48 and 240x60
too. Every form of the app, new and edit, on the sample portfolio."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Button

from relboard import models as m
from relboard.screens.contact_form import ContactForm
from relboard.screens.customer_form import CustomerForm
from relboard.screens.decision_form import DecisionForm
from relboard.screens.expectation_form import ExpectationForm
from relboard.screens.feedback_form import FeedbackForm
from relboard.screens.issue_form import IssueForm
from relboard.screens.playbook_form import PlaybookForm
from relboard.screens.rating_form import RatingForm
from relboard.screens.record_form import kind_form
from relboard.screens.renegotiate_form import RenegotiateForm
from relboard.screens.risk_form import RiskForm
from relboard.screens.touchpoint_edit import TouchpointEditForm
from relboard.screens.touchpoint_form import TouchpointForm
from relboard.services.kinds import RECORD_KINDS
from tests.form_harness import FormApp, opened

SIZES = [(70, 20), (80, 24), (160, 48), (240, 60)]


def first(model) -> int:
    return model.select(model.id).order_by(model.id).scalar()


def every_form() -> dict[str, object]:
    """Each form of the app, new and edit, as a maker (read once the sample is loaded)."""
    cust = first(m.Customer)
    interaction = m.Interaction.select().order_by(m.Interaction.id).get()
    forms = {
        "new customer": lambda: CustomerForm(), "edit customer": lambda: CustomerForm(cust),
        "new contact": lambda: ContactForm(cust),
        "edit contact": lambda: ContactForm(cust, first(m.Contact)),
        "new issue": lambda: IssueForm(), "edit issue": lambda: IssueForm(None, first(m.Issue)),
        "new expectation": lambda: ExpectationForm(),
        "edit expectation": lambda: ExpectationForm(None, first(m.Expectation)),
        "renegotiate": lambda: RenegotiateForm(first(m.Expectation)),
        "rating": lambda: RatingForm(cust),
        "new touchpoint": lambda: TouchpointForm(cust),
        "playbook step touchpoint": lambda: TouchpointForm(cust, step=(1, 1, "Check-in")),
        "apply playbook": lambda: PlaybookForm(cust, [("onboarding (3 steps)", "onboarding")],
                                               "2026-11-23"),
        "edit touchpoint": lambda: TouchpointEditForm(interaction.customer_id, interaction.id),
    }
    for declared in RECORD_KINDS:  # project, risk, decision, feedback, referral, ...
        if declared.form is None:
            continue
        form_class = kind_form(declared.name)
        row = declared.model.select(declared.model.id, declared.model.customer).first()
        forms[f"new {declared.name}"] = (lambda c: lambda: c(cust))(form_class)
        if row is not None:
            forms[f"edit {declared.name}"] = (lambda c, r: lambda: c(r.customer_id, r.id))(
                form_class, row)
    return forms


def test_the_kinds_forms_are_the_screens_they_name():
    assert kind_form("risk") is RiskForm and kind_form("decision") is DecisionForm
    assert kind_form("feedback") is FeedbackForm


def test_every_form_file_is_here():
    """A new form module must join the list above."""
    import pathlib

    import relboard.screens as screens

    names = {p.stem for p in pathlib.Path(screens.__file__).parent.glob("*_form.py")}
    assert names == {"contact_form", "customer_form", "decision_form", "expectation_form",
                     "feedback_form", "issue_form", "playbook_form", "rating_form",
                     "record_form", "renegotiate_form", "risk_form", "touchpoint_form"}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_form_shows_its_save_button(sample, size):
    ctx = sample
    cut = []
    for name, make in every_form().items():
        app = FormApp(ctx, make)
        async with app.run_test(size=size) as pilot:
            form = await opened(app, pilot)
            screen = Region(0, 0, *size)
            for button in ("#form-save", "#form-cancel"):
                region = form.query_one(button, Button).region
                if not region or not screen.contains_region(region) or (
                        form.query_one("#form-dialog").region.bottom > size[1]):
                    cut.append(f"{name} {button} {region}")
    assert cut == [], "\n".join(cut)
