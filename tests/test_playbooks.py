"""Playbooks (issue 23 point 3): the config's ``playbooks:`` checked with positions, applied
once per customer (service and ``relboard playbook apply``), each step a planned follow-up on
Today when due, done by the touchpoint logged for it (a repeating one planned again), moved
by a snooze, its progress on the profile, and runs and steps in the export and import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml

from relboard import models as m
from relboard.__main__ import main
from relboard.config import PlaybookConfig, PlaybookStepConfig
from relboard.config_check import load_config
from relboard.db import close_database, open_database
from relboard.services import export, playbooks, profiles, records, today, touchpoints, transfer
from relboard.services.errors import ValidationError
from relboard.services.today.board import attention
from tests import factories as f
from tests.config_files import errors_of, for_the_command, write
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases
D = dt.timedelta(days=1)
ONBOARDING = PlaybookConfig("onboarding", (
    PlaybookStepConfig("Kickoff call", after_days=0),
    PlaybookStepConfig("Check-in", after_days=14),
    PlaybookStepConfig("Quarterly review", every_days=90)))
CONFIG = """
playbooks:
  onboarding:
    - {after_days: 0, do: "Kickoff call"}
    - {after_days: 14, do: Check-in}
    - {every_days: 90, do: "Quarterly review"}
"""


@pytest.fixture
def pctx(ctx):
    """Alice's context with the onboarding playbook configured."""
    return dataclasses.replace(ctx, playbooks=(ONBOARDING,))


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    return [e.replace(str(path), "FILE") for e in errors_of(path)]


# -- the config ----------------------------------------------------------------------------

def test_the_config_reads_playbooks_in_order(tmp_path):
    assert load_config(write(tmp_path, CONFIG), env={}).playbooks == (ONBOARDING,)
    assert load_config(write(tmp_path, "user: a\n"), env={}).playbooks == ()


def test_each_mistake_is_one_line_with_its_position(tmp_path):
    assert _errors(tmp_path, """
        playbooks:
          onboarding:
            - {after_dasy: 0, do: Kickoff}
            - {after_days: 3, every_days: 7, do: Both}
            - {after_days: -2, do: Early}
            - {every_days: 0, do: Never}
            - {after_days: 1, do: "  "}
            - {after_days: 1}
          "bad name": [{after_days: 1, do: x}]
          empty: []
        """) == [
        "FILE:4:7: playbooks.onboarding[0]: give exactly one of after_days (once, N days "
        "after the start) or every_days (repeating), got neither",
        "FILE:4:8: playbooks.onboarding[0].after_dasy: unknown key 'after_dasy'; did you "
        "mean 'after_days'?",
        "FILE:5:7: playbooks.onboarding[1]: give exactly one of after_days (once, N days "
        "after the start) or every_days (repeating), not both",
        "FILE:6:20: playbooks.onboarding[2].after_days: must not be negative, got -2",
        "FILE:7:20: playbooks.onboarding[3].every_days: must be between 1 and 3650, got 0",
        "FILE:8:27: playbooks.onboarding[4].do: expected what to do (text), got '  '",
        "FILE:9:7: playbooks.onboarding[5]: missing 'do' (what to do, e.g. do: Kickoff call)",
        "FILE:10:3: playbooks.bad name: a playbook's name is letters, digits, - and _ (up to "
        "40, starting with a letter or digit), got 'bad name'",
        "FILE:11:10: playbooks.empty: expected a non-empty list of steps, got an empty list",
    ]
    assert _errors(tmp_path, "playbook: {}\n") == [
        "FILE:1:1: playbook: unknown key 'playbook'; did you mean 'playbooks'?"]
    assert _errors(tmp_path, "playbooks: [a]\n") == [
        "FILE:1:12: playbooks: expected a mapping of playbook names to lists of steps, got "
        "a list"]


def test_a_bad_config_is_exit_2_on_the_command_line(tmp_path, capsys):
    path = write(tmp_path, "playbooks: {onboarding: [{every_days: -1, do: x}]}\n")
    assert main(["--config", str(path), "playbook", "apply", "onboarding", "Acme"]) == 2
    assert "playbooks.onboarding[0].every_days: must not be negative, got -1" in \
        capsys.readouterr().err


# -- applying, Today, done, snooze ---------------------------------------------------------

def test_apply_plans_each_step_as_a_follow_up_and_refuses_a_second_run(db, pctx):
    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "Onboarding", TODAY - 3 * D)  # any case
    assert [(s["position"], s["do"], s["due_on"], s["every_days"])
            for s in playbooks.steps_of(run)] == [
        (1, "Kickoff call", TODAY - 3 * D, None), (2, "Check-in", TODAY + 11 * D, None),
        (3, "Quarterly review", TODAY + 87 * D, 90)]
    with pytest.raises(ValidationError) as twice:
        playbooks.apply(pctx, acme, "onboarding")
    assert twice.value.errors == {"playbook": "onboarding is already applied to Acme Rail "
                                              "(started 2026-11-20); a playbook runs once "
                                              "per customer"}
    with pytest.raises(ValidationError) as unknown:
        playbooks.apply(pctx, acme, "onbaording")
    assert unknown.value.errors == {"playbook": "no playbook 'onbaording'; did you mean "
                                                "'onboarding'? (playbooks: onboarding)"}
    assert m.PlaybookRun.select().count() == 1 and m.PlaybookStep.select().count() == 3


def test_a_step_shows_on_today_when_due_and_not_before(db, pctx):
    acme = f.customer(pctx, "Acme Rail", owner="bob")
    playbooks.apply(pctx, acme, "onboarding", TODAY - 14 * D + D)  # check-in due tomorrow
    steps = [(it.kind, it.title, it.reason) for it in attention(pctx) if it.kind == "step"]
    assert steps == [("step", "Kickoff call", "playbook step overdue by 13 days (onboarding)")]
    ahead = dataclasses.replace(pctx, attention=dataclasses.replace(
        pctx.attention, follow_ups_ahead_days=1))
    assert [it.title for it in attention(ahead) if it.kind == "step"] == \
        ["Kickoff call", "Check-in"]
    assert [it.title for it in attention(pctx, "bob") if it.kind == "step"] == ["Kickoff call"]
    assert [it.title for it in attention(pctx, "carol") if it.kind == "step"] == []  # bob's


def test_logging_the_touchpoint_marks_the_step_done_in_one_transaction(db, pctx):
    acme = f.customer(pctx, "Acme Rail")
    other = f.customer(pctx, "Bolt")
    run = playbooks.apply(pctx, acme, "onboarding", TODAY - 100 * D)
    kickoff, checkin, review = playbooks.steps_of(run)
    with pytest.raises(ValidationError):  # another customer's touchpoint: nothing stored
        touchpoints.log_touchpoint(pctx, {"customer": other, "summary": "Kickoff call"},
                                   step=(kickoff["id"], 1))
    assert m.Interaction.select().count() == 0
    tp = touchpoints.log_touchpoint(pctx, {"customer": acme, "summary": "Kickoff call"},
                                    step=(kickoff["id"], 1))
    row = m.PlaybookStep.get_by_id(kickoff["id"])
    assert (row.done_at, row.done_interaction_id) == (NOW, tp)
    with pytest.raises(ValidationError, match="already done"):
        touchpoints.log_touchpoint(pctx, {"customer": acme, "summary": "again"},
                                   step=(kickoff["id"], 2))
    assert m.Interaction.select().count() == 1  # the refused one rolled back whole
    # a repeating step done: its next occurrence keeps the schedule, after today
    playbooks.complete(pctx, review["id"], 1)
    assert [(s["do"], s["due_on"], s["done_at"] is not None)
            for s in playbooks.steps_of(run) if s["position"] == 3] == [
        ("Quarterly review", TODAY - 10 * D, True), ("Quarterly review", TODAY + 80 * D, False)]
    assert [p.text() for p in playbooks.progress(acme)] == [
        "onboarding: 2 of 3 steps done, next: Check-in on 2026-08-29"]
    assert profiles.customer_profile(pctx, acme).playbooks == (
        "onboarding: 2 of 3 steps done, next: Check-in on 2026-08-29",)
    assert [it.title for it in attention(pctx) if it.kind == "step"] == ["Check-in"]


def test_a_snooze_moves_the_step_and_it_leaves_today_until_then(db, pctx):
    acme = f.customer(pctx, "Acme Rail")
    playbooks.apply(pctx, acme, "onboarding", TODAY)
    item = next(it for it in attention(pctx) if it.kind == "step")
    today.snooze(pctx, item, (TODAY + 2 * D).isoformat())
    assert m.PlaybookStep.get_by_id(item.record_id).due_on == TODAY + 2 * D
    assert [it for it in attention(pctx) if it.kind == "step"] == []
    later = at(pctx, NOW + 2 * D)
    assert [it.title for it in attention(later) if it.kind == "step"] == ["Kickoff call"]
    assert records.history("playbook_step", item.record_id)[0]["field"] == "due_on"


# -- the command line ----------------------------------------------------------------------

def _config(tmp_path, db_spec) -> str:
    return for_the_command(tmp_path, db_spec, CONFIG)


def test_the_command_applies_once_and_says_the_steps(db, ctx, db_spec, tmp_path, capsys,
                                                     monkeypatch):
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    f.customer(ctx, "Acme Rail")
    f.customer(ctx, "Bolt Freight")
    config = _config(tmp_path, db_spec)
    assert main(["--config", config, "playbook", "apply", "onboarding", "acme",
                 "--from", "-2w"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out == (
        "Applied onboarding to Acme Rail from Mon 2026-11-09: 3 steps\n"
        "  Mon 2026-11-09  Kickoff call\n"
        "  Mon 2026-11-23  Check-in\n"
        "  Sun 2027-02-07  Quarterly review (then every 90 days)\n")
    assert main(["--config", config, "playbook", "apply", "onboarding", "Acme"]) == 2
    assert capsys.readouterr() == ("", "relboard: NAME: onboarding is already applied to "
                                       "Acme Rail (started 2026-11-09); a playbook runs once "
                                       "per customer\n")
    assert main(["--config", config, "playbook", "apply", "onbording", "Bolt"]) == 2
    assert capsys.readouterr().err == ("relboard: NAME: no playbook 'onbording'; did you "
                                       "mean 'onboarding'? (playbooks: onboarding)\n")
    assert main(["--config", config, "playbook", "apply", "onboarding", "Nobody"]) == 2
    assert capsys.readouterr().err.startswith("relboard: CUSTOMER: ")
    assert main(["--config", config, "playbook", "apply", "onboarding", "Bolt",
                 "--from", "2026-02-30"]) == 2
    assert capsys.readouterr().err.startswith("relboard: --from: must be a date")
    assert main(["--config", config, "playbook", "apply", "onboarding", "Bolt",
                 "--from", "2026-12-01"]) == 0
    assert "from Tue 2026-12-01" in capsys.readouterr().out
    open_database(db_spec)
    assert [(r.customer.name, r.started_on) for r in
            m.PlaybookRun.select().order_by(m.PlaybookRun.id)] == [
        ("Acme Rail", TODAY - 14 * D), ("Bolt Freight", dt.date(2026, 12, 1))]


# -- files -------------------------------------------------------------------------------

def test_runs_and_steps_round_trip_through_the_export(db, pctx, tmp_path, new_db_spec):
    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "onboarding", TODAY - 20 * D)
    first = playbooks.steps_of(run)[0]
    touchpoints.log_touchpoint(pctx, {"customer": acme, "summary": "Kickoff"},
                               step=(first["id"], 1))
    out = io.StringIO()
    export.export_yaml(out)
    text = out.getvalue()
    data = yaml.safe_load(text)
    assert [r["name"] for r in data["playbook_runs"]] == ["onboarding"]
    assert [(s["do"], s.get("done_interaction") is not None) for s in data["playbook_steps"]] == [
        ("Kickoff call", True), ("Check-in", False), ("Quarterly review", False)]
    path = tmp_path / "export.yaml"
    path.write_text(text)
    close_database()
    open_database(new_db_spec("second"))
    transfer.import_file(pctx, path)
    again = io.StringIO()
    export.export_yaml(again)
    assert again.getvalue() == text
    assert [p.text() for p in playbooks.progress(acme)] == [
        "onboarding: 1 of 3 steps done, next: Check-in on 2026-11-17"]


def test_an_import_refuses_a_step_of_a_run_it_does_not_hold(db, ctx, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text("relboard: 1\ncustomers: [{id: 1, name: Acme}]\n"
                    "playbook_steps: [{run: 7, customer: 1, position: 1, do: x, "
                    "due_on: 2026-11-01}]\n")
    with pytest.raises(transfer.ImportFileError, match="run: no playbook_run with id 7"):
        transfer.import_file(ctx, path)
    assert m.Customer.select().count() == 0


def test_an_import_refuses_a_step_filed_under_another_customer_than_its_run(db, ctx, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text("relboard: 1\ncustomers: [{id: 1, name: Acme}, {id: 2, name: Bolt}]\n"
                    "playbook_runs: [{id: 1, customer: 1, name: onboarding, "
                    "started_on: 2026-11-01}]\n"
                    "playbook_steps: [{run: 1, customer: 2, position: 1, do: x, "
                    "due_on: 2026-11-01}]\n")
    with pytest.raises(transfer.ImportFileError, match="run: belongs to another customer"):
        transfer.import_file(ctx, path)
    assert m.Customer.select().count() == 0 and m.PlaybookStep.select().count() == 0


def test_the_preview_pane_says_the_step_and_its_playbook(db, pctx):
    from relboard.services.today.preview import preview

    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "onboarding", TODAY - 14 * D)
    kickoff, checkin, _ = playbooks.steps_of(run)
    playbooks.complete(pctx, kickoff["id"], 1)
    shown = preview(pctx, "step", checkin["id"], acme)
    assert shown.title == "Playbook step: Check-in"
    assert shown.facts == (("Due on", "Mon 2026-11-23"), ("Repeats", "once"),
                           ("Playbook", "onboarding, started Mon 2026-11-09"))
    assert shown.sections[0].lines == ("Mon 2026-11-09  Kickoff call (done 2026-11-23)",
                                       "Mon 2026-11-23  Check-in",
                                       "Sun 2027-02-07  Quarterly review")


def test_undo_takes_back_the_touchpoint_and_opens_the_step_again(db, pctx):
    from relboard.services import undo
    from relboard.services.journal import Journal, recording

    acme = f.customer(pctx, "Acme Rail")
    run = playbooks.apply(pctx, acme, "onboarding", TODAY)
    kickoff = playbooks.steps_of(run)[0]
    journal = Journal()
    with recording(journal):
        tp = touchpoints.log_touchpoint(pctx, {"customer": acme, "summary": "Kickoff call"},
                                        step=(kickoff["id"], 1))
    said = undo.undo(pctx, journal)
    assert said == "2 records"  # the touchpoint and the step it did
    row = m.PlaybookStep.get_by_id(kickoff["id"])
    assert (row.done_at, row.done_interaction_id) == (None, None)
    assert not m.Interaction.select().where(m.Interaction.id == tp).exists()
    assert [it.title for it in attention(pctx) if it.kind == "step"] == ["Kickoff call"]


def test_a_config_command_on_a_step_gets_its_customer(db, pctx):
    from relboard.services.commands import record_fields

    acme = f.customer(pctx, "Acme Rail")
    step = playbooks.steps_of(playbooks.apply(pctx, acme, "onboarding"))[0]
    assert record_fields(pctx, "step", step["id"])["customer.name"] == "Acme Rail"


def test_the_calendar_has_the_open_steps_on_their_days(db, pctx):
    from relboard.services.dated import dated_work

    acme = f.customer(pctx, "Acme Rail", owner="alice")
    run = playbooks.apply(pctx, acme, "onboarding", TODAY)
    playbooks.complete(pctx, playbooks.steps_of(run)[0]["id"], 1)
    events = [e for e in dated_work(pctx, "alice", 100) if e.categories == "playbook step"]
    assert [(e.summary, e.day) for e in events] == [
        ("Check-in (Acme Rail)", TODAY + 14 * D), ("Quarterly review (Acme Rail)", TODAY + 90 * D)]
    assert "Playbook: onboarding" in events[1].description
    assert "Repeats: every 90 days" in events[1].description
    assert not any(e.categories == "playbook step" for e in dated_work(pctx, "bob", 100))
