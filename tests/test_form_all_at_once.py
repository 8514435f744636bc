"""Forms say every error at once (issue 21 point 8): the form's own checks and the service's
(field rules and cross-field checks) in one save, so a second save never reveals a new one."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.screens.customer_form import CustomerForm
from relboard.screens.expectation_form import ExpectationForm
from relboard.screens.issue_form import IssueForm
from relboard.screens.risk_form import RiskForm
from relboard.services import ValidationError, records
from tests import factories as f
from tests.form_harness import SIZE, FormApp, error_of, opened, settle

LONG = "N" * 484


async def save_once(ctx, make_form, values: dict) -> tuple[object, dict[str, str]]:
    """Type ``values`` into the form, press ctrl+s once; the form and its error lines."""
    app = FormApp(ctx, make_form)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        for name, value in values.items():
            form.field(name).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # not saved
        return app, {field.name: error_of(form, field.name) for field in form.fields}


async def test_a_new_customer_shows_both_errors_on_the_first_save(db, ctx):
    app, errors = await save_once(ctx, CustomerForm, {"name": LONG, "cadence_days": "abc"})
    assert errors["name"] == "Name is too long (484 characters; at most 200)"
    assert errors["cadence_days"] == "Cadence (days) must be a whole number"
    assert app.results == [] and m.Customer.select().count() == 0


async def test_a_new_issue_shows_the_missing_customer_and_the_long_title(db, ctx):
    f.customer(ctx)
    _, errors = await save_once(ctx, IssueForm, {"title": LONG})
    assert errors["customer"] == "Customer is required"
    assert errors["title"].startswith("Title is too long (484 characters")
    assert m.Issue.select().count() == 0


async def test_a_new_expectation_shows_the_bad_due_date_and_the_long_owner(db, ctx):
    customer = f.customer(ctx)
    _, errors = await save_once(ctx, lambda: ExpectationForm(customer),
                                {"statement": "Pilot live", "current_due": "soon",
                                 "owner": LONG})
    assert errors["current_due"].startswith("Due must be a date")
    assert errors["owner"].startswith("Owner is too long (484 characters; at most 64)")


async def test_a_risk_edit_shows_the_bad_review_date_and_the_long_title(db, ctx):
    customer = f.customer(ctx)
    risk = records.create(ctx, "risk", {"customer": customer, "title": "Vendor late",
                                        "likelihood": 2, "impact": 2})
    _, errors = await save_once(ctx, lambda: RiskForm(customer, risk),
                                {"title": LONG, "review_on": "someday"})
    assert errors["review_on"].startswith("Review on must be a date")
    assert errors["title"].startswith("Title is too long (484 characters; at most 300)")
    assert m.Risk.get_by_id(risk).title == "Vendor late"


@pytest.mark.both_databases
def test_the_service_names_field_and_cross_field_problems_together(db, ctx):
    customer = f.customer(ctx)
    with pytest.raises(ValidationError) as caught:
        records.create(ctx, "project", {"customer": customer, "name": LONG,
                                        "start_date": "2026-12-10", "end_date": "2026-12-01"})
    assert set(caught.value.errors) == {"name", "end_date"}


@pytest.mark.both_databases
def test_problems_says_everything_and_stores_nothing(db, ctx):
    customer = f.customer(ctx)
    risk = records.create(ctx, "risk", {"customer": customer, "title": "Vendor late"})
    found = records.problems(ctx, "risk", {"title": LONG, "impact": 5, "review_on": "soon",
                                           "not_a_field": 1}, risk)
    assert set(found) == {"title", "review_on", "owner"}  # owner: red once impact is 5
    assert found["owner"] == "is required for a red risk (score 15)"
    assert records.problems(ctx, "risk", {"title": "Fine"}, risk) == {}
    row = m.Risk.get_by_id(risk)
    assert (row.title, row.impact, row.version) == ("Vendor late", 3, 1)
