"""A status update for the customer (issue 23 point 5): each section, the renegotiation trail
(baseline vs current, with the reason), nothing internal and nothing of another customer,
``relboard update`` in text and Markdown, and ``y`` on a profile."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.services import decisions, expectations, health, issues, records
from relboard.services import status_update as su
from tests import factories as f
from tests.config_files import for_the_command
from tests.conftest import NOW, TODAY, at
from tests.hostile import controls_in

pytestmark = pytest.mark.both_databases
DAY = dt.timedelta(days=1)


def _version(kind: str, record_id: int) -> int:
    return records.get(kind, record_id)["version"]


@pytest.fixture
def acme(db, ctx):
    """Acme with one record of each kind the update shows, SECRET in every internal field,
    and Bolt (another customer) with records of its own that must not show."""
    acme = f.customer(ctx, "Acme Rail", owner="alice", notes="SECRET customer note")
    health.set_rating(ctx, acme, _version("customer", acme), score=30,
                      note="SECRET rating note")
    raj = f.contact(ctx, acme, "Raj Patel")
    # expectations: agreed and renegotiated; proposed and withdrawn and long-met left out
    plan = f.expectation(ctx, acme, TODAY + 5 * DAY, "Pilot live in two depots",
                         status="agreed", owner="SECRETOWNER")
    expectations.renegotiate(ctx, plan, _version("expectation", plan),
                             reason="The vendor moved the test window", new_due=TODAY + 19 * DAY)
    f.expectation(ctx, acme, TODAY + 3 * DAY, "Proposed SECRET idea")
    gone = f.expectation(ctx, acme, TODAY + 3 * DAY, "Withdrawn SECRET wish", status="agreed")
    expectations.set_status(ctx, gone, _version("expectation", gone), "withdrawn")
    for due, statement in ((TODAY - 4 * DAY, "Training done"),
                           (TODAY - 90 * DAY, "Old SECRET kickoff")):
        met = f.expectation(at(ctx, NOW - 100 * DAY), acme, due, statement, status="agreed")
        expectations.set_status(ctx, met, _version("expectation", met), "met")
    # decisions: one taken with Raj, one without any of Acme's people
    decisions.create(ctx, {"customer": acme, "title": "Freeze new features",
                           "decided_on": TODAY - 2 * DAY, "rationale": "SECRET rationale",
                           "options": "SECRET options", "participants": "SECRET boss"},
                     [raj])
    decisions.create(ctx, {"customer": acme, "title": "Internal SECRET staffing",
                           "decided_on": TODAY - DAY})
    # issues: an open one (its description internal), a resolved one left out
    f.issue(ctx, acme, "Login fails for some users", severity="high",
            description="SECRET description", owner="SECRETOWNER")
    done = f.issue(ctx, acme, "Solved SECRET issue", severity="low")
    issues.resolve(ctx, done, _version("issue", done), "SECRET resolution")
    # risks: an open shared one (mitigation and contingency, its owner on Acme's side), one
    # the team keeps to itself (no customer-side owner) and a closed shared one left out
    records.create(ctx, "risk", {"customer": acme, "title": "Vendor slips again",
                                 "likelihood": 4, "impact": 5, "owner": "SECRETOWNER",
                                 "review_on": TODAY + 9 * DAY, "customer_owner": raj,
                                 "reviewed_with_customer_on": TODAY - 6 * DAY,
                                 "description": "SECRET risk description",
                                 "trigger": "SECRET trigger", "mitigation": "Weekly vendor call",
                                 "contingency": "Test against recorded messages"})
    records.create(ctx, "risk", {"customer": acme, "title": "Closed SECRET risk",
                                 "status": "closed", "customer_owner": raj})
    records.create(ctx, "risk", {"customer": acme, "title": "Internal SECRET risk",
                                 "likelihood": 5, "impact": 5, "owner": "alice",
                                 "review_on": TODAY + DAY})
    # touchpoints: an internal note's follow-up comes first but is no meeting
    f.touchpoint(ctx, acme, summary="SECRET internal note", channel="other", internal=True,
                 follow_up_on=TODAY + DAY)
    f.touchpoint(ctx, acme, [raj], summary="SECRET call summary", follow_up_on=TODAY + 4 * DAY)
    f.touchpoint(ctx, acme, summary="Earlier call", follow_up_on=TODAY - 2 * DAY,  # overdue
                 occurred_at=NOW - 9 * DAY)
    # Bolt: everything of another customer
    bolt = f.customer(ctx, "Bolt Freight", notes="SECRET")
    dana = f.contact(ctx, bolt, "Dana Bolt")
    f.expectation(ctx, bolt, TODAY + 2 * DAY, "Bolt promise", status="agreed")
    decisions.create(ctx, {"customer": bolt, "title": "Bolt decision",
                           "decided_on": TODAY - DAY}, [dana])
    f.issue(ctx, bolt, "Bolt issue", severity="critical")
    records.create(ctx, "risk", {"customer": bolt, "title": "Bolt risk", "customer_owner": dana})
    f.touchpoint(ctx, bolt, [dana], summary="Bolt call", follow_up_on=TODAY + 2 * DAY)
    return acme


def test_each_section_has_what_the_customer_may_read(acme, ctx):
    u = su.status_update(ctx, acme)
    assert u.customer_name == "Acme Rail" and u.today == TODAY
    assert [(a.statement, a.status) for a in u.agreed] == [
        ("Training done", "met"), ("Pilot live in two depots", "renegotiated")]
    [decision] = u.decisions
    assert (decision.title, decision.people) == ("Freeze new features", ("Raj Patel",))
    assert [(i.title, i.severity, i.status) for i in u.issues] == [
        ("Login fails for some users", "high", "new")]
    assert [(r.title, r.exposure, r.mitigation, r.their_owner, r.reviewed_on)
            for r in u.risks] == [
        ("Vendor slips again", "high", "Weekly vendor call", "Raj Patel", TODAY - 6 * DAY)]
    assert ("Vendor slips again — high exposure, open; mitigation: Weekly vendor call; "
            "contingency: Test against recorded messages; owner on your side: Raj Patel; "
            "last reviewed together 2026-11-17") in su.render(u)
    assert u.next_meeting == TODAY + 4 * DAY  # not the internal note's, not the overdue one


def test_a_renegotiated_expectation_shows_baseline_current_and_why(acme, ctx):
    pilot = su.status_update(ctx, acme).agreed[1]
    assert (pilot.baseline_due, pilot.current_due) == (TODAY + 5 * DAY, TODAY + 19 * DAY)
    [change] = pilot.renegotiations
    assert (change.on, change.old_due, change.new_due, change.reason) == (
        TODAY, TODAY + 5 * DAY, TODAY + 19 * DAY, "The vendor moved the test window")
    text = su.render(su.status_update(ctx, acme))
    assert ("Pilot live in two depots — renegotiated, baseline Sat 2026-11-28, now due "
            "Sat 2026-12-12") in text
    assert ("renegotiated 2026-11-23, due Sat 2026-11-28 → Sat 2026-12-12: The vendor moved "
            "the test window") in text


@pytest.mark.parametrize("fmt", su.FORMATS)
def test_nothing_internal_and_no_other_customer(acme, ctx, fmt):
    text = su.render(su.status_update(ctx, acme), fmt)
    assert "SECRET" not in text and "Bolt" not in text
    assert "health" not in text.lower() and "30" not in text  # neither score nor rating


def test_no_next_meeting_says_none_planned(db, ctx):
    quiet = f.customer(ctx, "Quiet Co")
    text = su.render(su.status_update(ctx, quiet))
    assert "Next meeting\n  none planned\n" in text
    assert "What was agreed\n  none\n" in text


def _config(tmp_path, db_spec) -> str:
    return for_the_command(tmp_path, db_spec)


def test_the_command_in_text_and_markdown(acme, db_spec, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    config = _config(tmp_path, db_spec)
    assert main(["--config", config, "update", "acme"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Status update: Acme Rail — Mon 2026-11-23\n")
    assert "Open issues\n  #" in out and "Login fails for some users — high, new" in out
    assert "Next meeting\n  Fri 2026-11-27\n" in out and "SECRET" not in out
    assert main(["--config", config, "update", "Acme", "--format", "markdown"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("# Status update: Acme Rail")
    assert "## Decisions taken together\n\n- Sat 2026-11-21: Freeze new features (with Raj" in out
    assert "  - renegotiated 2026-11-23" in out and "SECRET" not in out


def test_an_ambiguous_or_unknown_customer_is_refused(acme, ctx, db_spec, tmp_path, capsys):
    f.customer(ctx, "Acme Ports")
    config = _config(tmp_path, db_spec)
    assert main(["--config", config, "update", "Acme"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Acme Ports" in err and "Acme Rail" in err
    assert main(["--config", config, "update", "Nobody"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Nobody" in err


def test_hostile_text_is_escaped(db, ctx, db_spec, tmp_path, capsys):
    hostile = f.customer(ctx, "Hostile")
    f.issue(ctx, hostile, "Plain", severity="low")
    # stored past the services' checks, as an old or damaged file could hold them
    m.Customer.update(name="[@click=app.quit]x\x1b]0;t\x07").where(
        m.Customer.id == hostile).execute()
    m.Issue.update(title="[b]bold\x1b[2J *md* [x](y)").execute()
    config = _config(tmp_path, db_spec)
    assert main(["--config", config, "update", "click=app"]) == 0
    out, _ = capsys.readouterr()
    assert controls_in(out) == [] and "[@click=app.quit]x" in out and "[b]bold" in out
    assert main(["--config", config, "update", "click=app", "--format", "markdown"]) == 0
    out, _ = capsys.readouterr()
    assert controls_in(out) == [] and r"\[@click=app.quit\]x" in out
    assert "[x](y)" not in out and r"\*md\*" in out


async def test_y_on_a_profile_shows_the_update(acme, ctx):
    from textual.widgets import Static

    from tests.pilot import SIZE, make_app, settle

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(acme)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        shown = str(app.screen.query_one("#status-update-text", Static).render())
        assert shown.startswith("Status update: Acme Rail")
        assert "Vendor slips again — high exposure" in shown and "SECRET" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
