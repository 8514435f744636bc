"""Owners are people on the team (issue 21 point 5): the config's ``team:`` roster and the
users of the audit log back every owner field; a form asks before a name off the roster, with
the near ones."""

from __future__ import annotations

import dataclasses

import pytest

from relboard import models as m
from relboard.config_check import load_config
from relboard.screens.confirm import ConfirmDialog
from relboard.screens.issue_form import IssueForm
from relboard.services import team
from relboard.services.context import Context
from tests import factories as f
from tests.config_files import errors_of, write
from tests.pilot import SIZE, make_app, settle


def test_the_config_takes_a_team_roster(tmp_path):
    path = write(tmp_path, """\
        user: alice
        team: [priya, alex, " sam "]
        """)
    config = load_config(path, env={})
    assert config.team == ("priya", "alex", "sam")
    assert Context.from_config(config).team == ("priya", "alex", "sam")


def test_a_bad_roster_is_said_where_it_is(tmp_path):
    path = write(tmp_path, """\
        team:
          - priya
          - 12
          - ""
          - priya
        """)
    assert errors_of(path) == [f"{path}:3:5: team[1]: expected a name, got 12",
                               f"{path}:4:5: team[2]: expected a name, got ''",
                               f"{path}:5:5: team[3]: 'priya' is on the team twice"]
    other = write(tmp_path, "team: priya\n", "other.yaml")
    assert errors_of(other) == [f"{other}:1:7: team: expected a list of names, got 'priya'"]


@pytest.mark.both_databases
def test_the_roster_is_the_team_the_user_and_the_audit_log_not_stored_owners(db, ctx):
    ctx = dataclasses.replace(ctx, team=("priya",))
    f.customer(ctx, "Acme", owner="prya")  # a typo stored once does not vouch for itself
    assert team.known_users(ctx) == ["alice", "priya"]
    assert "did you mean priya?" in team.owner_problem(ctx, "prya")
    assert team.owner_problem(ctx, "priya") is None


@pytest.mark.both_databases
async def test_a_form_asks_before_an_owner_off_the_team(db, ctx):
    ctx = dataclasses.replace(ctx, team=("priya", "alex"))
    cid = f.customer(ctx, "Acme")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(IssueForm(customer_id=cid))
        await settle(pilot)
        form = app.screen
        form.field("title").focus()
        await pilot.press(*"Export fails")
        form.field("owner").focus()
        await pilot.press("ctrl+u", *"prya")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#dialog-message").render())
        assert "“prya” is not on the team (did you mean priya?); save anyway?" in question
        await pilot.press("n")  # back to the form, what was typed kept, nothing saved
        await settle(pilot)
        assert app.screen is form and form.field("owner").value == "prya"
        assert m.Issue.select().count() == 0
        form.field("owner").focus()
        await pilot.press("ctrl+u", *"priya", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmDialog, IssueForm))
    assert [i.owner for i in m.Issue.select()] == ["priya"]
