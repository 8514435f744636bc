"""The profile's record tabs driven by keys at 80x24: stakeholders edited and archived, an NPS
answer that moves the customer's figure and health explanation, a decision recorded with a
renegotiation, and the PM's own rating — asserting what is stored and what is shown."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static

from relboard import models as m
from relboard.screens.contact_form import ContactForm
from relboard.screens.customer import CustomerScreen
from relboard.screens.decision_form import DecisionForm
from relboard.screens.feedback_form import FeedbackForm
from relboard.screens.rating_form import RatingForm
from relboard.screens.renegotiate_form import RenegotiateForm
from relboard.services import decisions, expectations, records
from relboard.widgets.paged_table import PagedTable
from tests import factories as f
from tests.conftest import TODAY
from tests.pilot import SIZE, make_app, rows, settle, until

DAY = dt.timedelta(days=1)


def text_of(screen, selector: str) -> str:
    """What a Static shows."""
    return str(screen.query_one(selector, Static).render())


def stakeholder_rows(screen) -> list[list[str]]:
    table = screen.query_one("#stakeholders", DataTable)
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


async def open_profile(app, pilot, customer_id: int, tab: str = "overview") -> CustomerScreen:
    await settle(pilot)
    app.open_customer(customer_id, tab=tab)
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


async def test_editing_a_stakeholders_desired_engagement_shows_the_new_gap(db, ctx):
    cid = f.customer(ctx, "Northwind")
    kid = f.contact(ctx, cid, "Dana", role="CIO", preferred_channel="video",
                    engagement_current="neutral", engagement_desired="supportive")
    f.contact(ctx, cid, "Eve", role="CFO")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        profile = await open_profile(app, pilot, cid)
        dana = stakeholder_rows(profile)[0]
        assert dana[0] == "Dana" and dana[2] == "video" and dana[-1] == "▲1"
        profile.query_one("#stakeholders", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm) and form.record_id == kid
        form.field("engagement_desired").value = "leading"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is profile
        stored = records.get("contact", kid)
        assert (stored["engagement_desired"], stored["version"]) == ("leading", 2)
        dana = stakeholder_rows(profile)[0]
        assert dana[-2] == "neutral → leading" and dana[-1] == "▲2"
        # archive the other one: asks, then it leaves the profile
        await pilot.press("down", "delete")
        await settle(pilot)
        await pilot.press("y")
        # the archive and the profile's re-read are two threads one after the other: on a
        # loaded machine three settles were not always enough
        await until(pilot, 10, lambda: len(stakeholder_rows(profile)) == 1)
        assert [row[0] for row in stakeholder_rows(profile)] == ["Dana"]
        assert m.Contact.get(m.Contact.name == "Eve").archived is True


async def test_an_nps_answer_moves_the_figure_and_the_health_explanation(db, ctx):
    cid = f.customer(ctx, "Northwind", cadence_days=14)
    kid = f.contact(ctx, cid, "Dana")
    f.touchpoint(ctx, cid, summary="Kick-off", occurred_at=ctx.now() - 2 * DAY)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        profile = await open_profile(app, pilot, cid)
        await pilot.press("6")
        await settle(pilot)
        assert "NPS: no answers" in text_of(profile, "#health-figures")
        signals = text_of(profile, "#health-signals")
        assert "no CSAT or NPS answers in the last 90 days" in signals
        await pilot.press("F")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FeedbackForm)
        form.field("kind").value = "nps"
        form.field("contact").value = kid
        form.field("score").focus()
        await pilot.press("9")
        form.field("comment").text = "Happy with the pilot"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is profile
        answer = m.Feedback.get()
        assert (answer.kind, answer.score, answer.contact_id, answer.received_on,
                answer.comment) == ("nps", 9, kid, TODAY, "Happy with the pilot")
        assert "NPS +100 (1 answer)" in text_of(profile, "#health-figures")
        signals = text_of(profile, "#health-signals")
        assert "NPS +100 (1 answer): no deduction" in signals
        assert "Satisfaction 100/100" in signals
        await pilot.press("9")  # the Feedback tab lists it
        await settle(pilot)
        row = profile.query_one("#feedback-table", PagedTable).current_row()
        assert (row["kind"], row["score"], row["contact_name"]) == ("nps", 9, "Dana")


async def test_a_decision_recorded_with_a_renegotiation_shows_in_trail_and_decision(db, ctx):
    cid = f.customer(ctx, "Northwind")
    eid = f.expectation(ctx, cid, TODAY + 5 * DAY, "Pilot live", status="agreed")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_expectation(eid)
        await settle(pilot)
        detail = app.screen
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RenegotiateForm)
        form.field("new_due").value = (TODAY + 20 * DAY).isoformat()
        form.field("reason").text = "Customer asked for a second test round"
        form.field("new_decision").value = "Add a second UAT round"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        decision = m.Decision.get()
        change = m.ExpectationChange.select().order_by(m.ExpectationChange.id.desc()).get()
        assert (decision.title, decision.customer_id, decision.decided_on,
                decision.expectation_id) == ("Add a second UAT round", cid, TODAY, eid)
        assert (change.decision_id, change.new_due) == (decision.id, TODAY + 20 * DAY)
        assert "decision: Add a second UAT round" in text_of(detail, "#exp-trail")

        # a second renegotiation names the decision already recorded
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        form.field("new_due").value = (TODAY + 25 * DAY).isoformat()
        form.field("reason").text = "Same decision, one more week"
        form.field("decision").value = decision.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c["decision"] for c in expectations.trail(eid)][-2:] == [decision.id] * 2
        assert m.Decision.select().count() == 1

        # the decision shows the changes it caused
        await pilot.press("escape")
        app.open_customer(cid, tab="decisions")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionForm)
        info = text_of(app.screen, "#form-info")
        assert "Caused 2 expectation changes" in info and "“Pilot live”" in info
        assert f"→ {TODAY + 25 * DAY}" in info


async def test_renegotiation_refuses_both_a_new_and_a_picked_decision(db, ctx):
    cid = f.customer(ctx, "Northwind")
    eid = f.expectation(ctx, cid, TODAY + 5 * DAY, "Pilot live", status="agreed")
    did = decisions.create(ctx, {"customer": cid, "title": "Phase it", "decided_on": TODAY})
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_expectation(eid)
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        form.field("reason").text = "Because"
        form.field("decision").value = did
        form.field("new_decision").value = "Another one"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        line = form.query_one("#err-new_decision", Static)
        assert "not both" in str(line.render())
        assert form.collect()["new_decision"] == "Another one"
    assert m.Decision.select().count() == 1 and len(expectations.trail(eid)) == 1


async def test_the_pms_rating_is_set_and_shown_beside_the_score(db, ctx):
    cid = f.customer(ctx, "Northwind")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        profile = await open_profile(app, pilot, cid, tab="health")
        assert "Your rating: none" in text_of(profile, "#health-head")
        await pilot.press("n")  # on Health, n rates
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RatingForm)
        form.field("score").value = "40"
        form.field("note").text = "Sponsor is leaving"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is profile
        row = records.get("customer", cid)
        assert (row["health_rating"], row["health_rating_band"],
                row["health_rating_note"]) == (40, "red", "Sponsor is leaving")
        assert "Your rating: 40/100 · red — Sponsor is leaving" in text_of(profile,
                                                                          "#health-head")


async def test_n_adds_the_kind_of_the_tab_and_enter_edits_the_row(db, ctx):
    cid = f.customer(ctx, "Northwind")
    kid = f.contact(ctx, cid, "Dana")
    ids = {
        "risks": records.create(ctx, "risk", {"customer": cid, "title": "Vendor late"}),
        "decisions": decisions.create(ctx, {"customer": cid, "title": "Phase it",
                                            "decided_on": TODAY}, [kid]),
        "feedback": records.create(ctx, "feedback", {"customer": cid, "kind": "csat",
                                                     "score": 4, "received_on": TODAY}),
        "projects": records.create(ctx, "project", {"customer": cid, "name": "Pilot"}),
        "referrals": records.create(ctx, "referral", {"customer": cid, "referred_name": "Acme",
                                                      "referred_on": TODAY}),
    }
    forms = {"risks": "RiskForm", "decisions": "DecisionForm", "feedback": "FeedbackForm",
             "projects": "ProjectForm", "referrals": "ReferralForm"}
    keys = {"risks": "7", "decisions": "8", "feedback": "9", "projects": "0",
            "referrals": "0"}
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        profile = await open_profile(app, pilot, cid)
        for kind, form_name in forms.items():
            await pilot.press(keys[kind])
            await settle(pilot)
            if kind == "referrals":
                profile.query_one("#referrals-table").focus()
            await pilot.press("n")
            await settle(pilot)
            assert type(app.screen).__name__ == form_name and app.screen.record_id is None
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert type(app.screen).__name__ == form_name, kind
            assert app.screen.record_id == ids[kind]
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is profile


async def test_a_viewer_can_open_a_record_but_not_save_it(db, ctx):
    cid = f.customer(ctx, "Northwind")
    kid = f.contact(ctx, cid, "Dana")
    rid = records.create(ctx, "risk", {"customer": cid, "title": "Vendor late"})
    app = make_app(ctx, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        profile = await open_profile(app, pilot, cid)
        for key in ("n", "P", "C", "F", "U", "H", "delete"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is profile, key
        profile.query_one("#stakeholders", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm) and not form.query_one("#form-save").display
        form.field("name").value = "Mallory"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert await app.run_action("screen.save") is False
    assert records.get("contact", kid)["version"] == 1
    assert records.get("risk", rid)["version"] == 1 and m.Decision.select().count() == 0


async def test_a_desired_engagement_edited_in_its_form_moves_the_gap_in_the_matrix(db, ctx):
    cid = f.customer(ctx, "Northwind")
    kid = f.contact(ctx, cid, "Dana", role="CIO", engagement_current="neutral",
                    engagement_desired="supportive")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G")  # the portfolio's stakeholder map: the matrix
        await settle(pilot)
        assert [(r[0], r[4]) for r in rows(app.screen.table)] == [("Dana", "+1 ▲")]
        profile = await open_profile(app, pilot, cid)
        profile.query_one("#stakeholders", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm) and app.screen.record_id == kid
        app.screen.field("engagement_desired").value = "leading"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # back to the map: read again on return
        await settle(pilot)
        assert [(r[0], r[4]) for r in rows(app.screen.table)] == [("Dana", "+2 ▲")]
