"""A red risk needs an owner and a review date (issue 21 point 8): the service refuses an
open red risk (likelihood x impact >= 15) without them, naming both fields at once; the risk
form says so under those fields with the form's own errors; an import of older data keeps
its red risks as they were (a backup must restore), and the demo portfolio obeys the rule."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.screens.risk_form import RiskForm
from relboard.services import ValidationError, records, transfer
from relboard.services.sample import load_sample
from tests import factories as f
from tests.conftest import TODAY
from tests.form_harness import SIZE, FormApp, error_of, opened, settle

pytestmark = pytest.mark.both_databases

WHY = "is required for a red risk (score {})"


def test_a_red_risk_without_owner_and_review_date_is_refused_naming_both(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError) as refused:
        records.create(ctx, "risk", {"customer": cid, "title": "Vendor late",
                                     "likelihood": 4, "impact": 5, "owner": "  "})
    assert refused.value.errors == {"owner": WHY.format(20), "review_on": WHY.format(20)}
    assert m.Risk.select().count() == 0
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor late", "likelihood": 4,
                                       "impact": 5, "owner": "bob", "review_on": "+14d"})
    assert (m.Risk.get_by_id(rid).owner, str(m.Risk.get_by_id(rid).review_on)) == (
        "bob", "2026-12-07")
    records.create(ctx, "risk", {"customer": cid, "title": "Over", "likelihood": 5,
                                 "impact": 5, "status": "closed"})  # closed: nothing to watch
    records.create(ctx, "risk", {"customer": cid, "title": "Amber", "likelihood": 2,
                                 "impact": 3})  # 6: amber needs neither


def test_raising_a_risk_to_red_asks_for_the_review_date(db, ctx):
    cid = f.customer(ctx)
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor late", "owner": "bob"})
    with pytest.raises(ValidationError) as refused:
        records.update(ctx, "risk", rid, 1, {"impact": 5})  # 3 x 5 = 15
    assert refused.value.errors == {"review_on": WHY.format(15)}
    records.update(ctx, "risk", rid, 1, {"impact": 5, "review_on": TODAY})
    assert m.Risk.get_by_id(rid).impact == 5


@pytest.mark.sqlite_only
async def test_the_risk_form_says_every_missing_field_at_once(db, ctx):
    cid = f.customer(ctx)
    app = FormApp(ctx, lambda: RiskForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("likelihood").value = 5
        form.field("impact").value = 4
        form.field("owner").value = ""
        await pilot.press("ctrl+s")  # the title is missing too: the form's own check
        await settle(app, pilot)
        assert app.screen is form
        assert error_of(form, "title") == "Title is required"
        assert error_of(form, "owner") == "Owner " + WHY.format(20)
        assert error_of(form, "review_on") == "Review on " + WHY.format(20)
        form.field("title").value = "Vendor late"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "owner") == "Owner " + WHY.format(20)
        assert error_of(form, "review_on") == "Review on " + WHY.format(20)
        form.field("owner").value = "alice"  # on the team (the audit log's users)
        form.field("review_on").value = "+14d"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
    row = m.Risk.get_by_id(app.results[0])
    assert (row.owner, str(row.review_on), row.likelihood * row.impact) == (
        "alice", "2026-12-07", 20)


def test_an_import_of_older_data_keeps_its_unowned_red_risks(db, ctx, tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n"
                    "risks:\n  - {customer: 1, title: R, likelihood: 5, impact: 4}\n")
    transfer.import_file(ctx, path)
    row = m.Risk.get()
    assert (row.title, row.owner or "", row.review_on) == ("R", "", None)


def test_the_demo_portfolio_loads_and_its_open_red_risks_are_owned_and_dated(db, ctx):
    load_sample(ctx)
    red = [r for r in m.Risk.select() if r.likelihood * r.impact >= 15 and r.status != "closed"]
    assert red and all(r.owner and r.review_on for r in red)
