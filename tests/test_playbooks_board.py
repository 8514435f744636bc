"""Playbooks on the board (issue 23 point 3): ``L`` on a profile applies one (which, from
when), its due step is on Today with the follow-ups, ``l`` (or ``d``) there opens the
touchpoint form with what to do and saving it marks the step done, and the profile shows the
progress. A second run is refused under its field; a board without playbooks says how to add
them; a read-only board has no ``L``."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Static

from relboard import models as m
from relboard.config import PlaybookConfig, PlaybookStepConfig
from relboard.screens.customer import CustomerScreen
from relboard.screens.playbook_form import PlaybookForm
from relboard.screens.touchpoint_form import TouchpointForm
from relboard.services import playbooks
from tests import factories as f
from tests.pilot import SIZE, footer_text, highlight, make_app, settle, today_options

pytestmark = pytest.mark.both_databases
ONBOARDING = PlaybookConfig("onboarding", (
    PlaybookStepConfig("Kickoff call", after_days=0),
    PlaybookStepConfig("Check-in", after_days=14),
    PlaybookStepConfig("Quarterly review", every_days=90)))


@pytest.fixture
def pctx(db, ctx):
    """Alice with the onboarding playbook configured."""
    return dataclasses.replace(ctx, playbooks=(ONBOARDING,))


def _overview(app) -> str:
    return str(app.screen.query_one("#overview-text", Static).render())


async def test_apply_from_the_profile_then_do_the_step_from_today(pctx):
    acme = f.customer(pctx, "Acme Rail", owner="alice")
    app = make_app(pctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_customer(acme)
        await settle(pilot)
        assert "Playbook" not in _overview(app)
        assert "Playbook (L)" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("L")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PlaybookForm)
        assert form.collect() == {"playbook": "onboarding", "started_on": "2026-11-23"}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert "Playbook onboarding: 0 of 3 steps done, next: Kickoff call on 2026-11-23" in \
            _overview(app)
        await pilot.press("L")  # again: refused under the field, nothing stored
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlaybookForm)
        said = str(app.screen.query_one("#err-playbook", Static).render())
        assert "onboarding is already applied to Acme Rail" in said
        await pilot.press("escape")
        await settle(pilot)
        assert m.PlaybookRun.select().count() == 1
        await pilot.press("escape")
        await settle(pilot)
        # Today: the kickoff is due today, the check-in (in 14 days) is not listed yet
        shown = today_options(app)
        assert any("Kickoff call" in line for line in shown)
        assert not any("Check-in" in line for line in shown)
        step = m.PlaybookStep.get(m.PlaybookStep.position == 1)
        highlight(app, f"step:{step.id}")
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TouchpointForm)
        assert form.collect()["summary"] == "Kickoff call"
        await pilot.press("end", *" with Raj: scope agreed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TouchpointForm)
        assert not any("Kickoff call" in line for line in today_options(app))
        assert any("playbook step done" in n.message for n in app._notifications)
        app.open_customer(acme)
        await settle(pilot)
        assert "Playbook onboarding: 1 of 3 steps done, next: Check-in on 2026-12-07" in \
            _overview(app)
    done = m.PlaybookStep.get_by_id(step.id)
    logged = m.Interaction.get_by_id(done.done_interaction_id)
    assert logged.summary == "Kickoff call with Raj: scope agreed" and done.done_at is not None


async def test_d_on_a_step_opens_the_touchpoint_form_too(pctx):
    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "onboarding")
    first = playbooks.steps_of(run)[0]
    app = make_app(pctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"step:{first['id']}")
        await settle(pilot)
        assert "Done" in footer_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointForm)
        await pilot.press("escape")
        await settle(pilot)
    assert m.PlaybookStep.get_by_id(first["id"]).done_at is None  # cancelled: still open


async def _l_on_the_profile(app, customer_id: int) -> tuple[object, list[str]]:
    """Open the customer's profile, press ``L``: the screen then and the notices shown."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(customer_id)
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        return app.screen, [n.message for n in app._notifications]


async def test_without_playbooks_l_says_how_to_add_them_and_read_only_has_no_l(db, ctx):
    acme = f.customer(ctx, "Acme Rail")
    screen, notices = await _l_on_the_profile(make_app(ctx), acme)
    assert isinstance(screen, CustomerScreen)
    assert any("No playbooks are configured" in n for n in notices)
    viewer = make_app(dataclasses.replace(ctx, playbooks=(ONBOARDING,)), read_only=True)
    screen, _ = await _l_on_the_profile(viewer, acme)
    assert isinstance(screen, CustomerScreen)
    assert m.PlaybookRun.select().count() == 0


async def test_a_hostile_step_shows_as_plain_text_on_today_and_the_profile(pctx):
    """A step's words written straight into the database (the services refuse control
    characters on the way in) reach the screen as plain, cleaned text."""
    from tests.hostile import controls_in

    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "onboarding")
    first = playbooks.steps_of(run)[0]
    m.PlaybookStep.update(do="[@click=app.quit]Go\x1b[31m\u202e").where(
        m.PlaybookStep.id == first["id"]).execute()
    app = make_app(pctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = [line for line in today_options(app) if "Go" in line]
        assert shown and "[@click=app.quit]Go" in shown[0] and controls_in(shown[0]) == []
        app.open_customer(acme)
        await settle(pilot)
        text = _overview(app)
        assert "next: [@click=app.quit]Go" in text and controls_in(text) == []
        assert app.is_running
