"""The config's ``commands:``: checked when the config is read; templates filled one argument
per item, never through a shell (a real program run with hostile values proves it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from relboard import models as m
from relboard.command_spec import FIELDS, NAMES, build_argv, missing, placeholders
from relboard.config import CommandConfig
from relboard.config_check import load_config
from relboard.domain import severity_name
from relboard.screens.commands import run_filled, run_program
from relboard.services.commands import record_fields
from relboard.services.errors import NotFoundError
from tests.config_files import errors_of, write

GOOD = """
commands:
  - key: M
    name: Mail the stakeholder
    screens: [today, issues]
    argv: [mail, -s, "{customer.name}", "{stakeholder.email}"]
  - {key: ctrl+o, name: Open, screens: issue, argv: [xdg-open, "x{{y}}"], read_only: true}
"""


def errors(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    return [e.replace(str(path), "FILE") for e in errors_of(path)]


def test_commands_are_read_in_order(tmp_path):
    config = load_config(write(tmp_path, GOOD), env={})
    assert config.commands == (
        CommandConfig("M", "Mail the stakeholder",
                      ("mail", "-s", "{customer.name}", "{stakeholder.email}"),
                      ("today", "issues"), read_only=False),
        CommandConfig("ctrl+o", "Open", ("xdg-open", "x{{y}}"), ("issue",), read_only=True),
    )


def test_no_commands_by_default(tmp_path):
    assert load_config(write(tmp_path, "user: alice\n"), env={}).commands == ()


def test_unknown_field_is_refused_with_the_near_name(tmp_path):
    found = errors(tmp_path, """
        commands:
          - {key: M, name: Mail, screens: [today], argv: [mail, "to {customer.nmae}"]}
        """)
    assert found == ["FILE:3:57: commands[0].argv[1]: unknown field {customer.nmae}; did you "
                     "mean 'customer.name'? (fields: customer.*, stakeholder.*, issue.*, "
                     "expectation.*, risk.*)"]


def test_bad_screen_name_non_list_argv_and_read_only_flag(tmp_path):
    from relboard.config_commands import screen_names

    assert {"today", "issues", "customer", "status_update"} <= set(screen_names())
    found = errors(tmp_path, """
        commands:
          - key: M
            name: Mail
            screens: [today, isues]
            argv: "mail {customer.name}"
            read_only: yes
          - {key: M, name: Again, screens: today, argv: [echo, "a{"]}
          - just text
          - {name: No key, screens: today, argv: [true]}
        """)
    assert found == [
        "FILE:5:22: commands[0].screens: unknown screen 'isues'; did you mean 'issues'? "
        f"(screens: {', '.join(screen_names())})",  # every screen of the registry, in order
        "FILE:6:11: commands[0].argv: expected a non-empty list of arguments (the program "
        "first), got 'mail {customer.name}'; it is never run through a shell",
        "FILE:7:16: commands[0].read_only: expected true or false, got 'yes'",
        "FILE:8:11: commands[1].key: 'M' is already the key of a command (at line 3)",
        "FILE:8:56: commands[1].argv[1]: a lone '{' (write '{{' for a brace)",
        "FILE:9:5: commands[2]: expected a mapping with key, name, screens and argv, "
        "got 'just text'",
        "FILE:10:5: commands[3]: missing 'key'",
        "FILE:10:43: commands[3].argv[0]: expected text, got true",
    ]


def test_commands_must_be_a_list_and_keys_one_key(tmp_path):
    assert errors(tmp_path, "commands: {key: M}\n") == [
        "FILE:1:11: commands: expected a list of commands, got a mapping"]
    assert errors(tmp_path, """
        commands:
          - {key: "a,b", name: Two, screens: [today], argv: [x], bogus: 1}
        """) == [
        "FILE:3:11: commands[0].key: expected one key (like M or ctrl+o), got 'a,b'",
        "FILE:3:58: commands[0].bogus: unknown key 'bogus'",
    ]


def test_the_fields_are_the_models_columns():
    models = {"customer": m.Customer, "stakeholder": m.Contact, "issue": m.Issue,
              "expectation": m.Expectation, "risk": m.Risk}
    for kind, names in FIELDS.items():
        assert set(names) <= set(models[kind]._meta.fields), kind


HOSTILE = {
    "customer.name": "$(touch x); rm -rf ~",
    "stakeholder.email": "--option=`touch y`",
    "issue.title": "; ls\nsecond line 'quoted' \"double\" {customer.name}",
}


def test_a_template_fills_each_argument_once_and_braces():
    argv = ("prog", "-s", "{customer.name}", "to: {stakeholder.email}", "{issue.title}", "{{x}}")
    assert placeholders("a {customer.name} b {{c}}") == (["customer.name"], None)
    assert missing(argv, {**HOSTILE, "stakeholder.email": " "}) == ["stakeholder.email"]
    assert build_argv(argv, HOSTILE) == [
        "prog", "-s", "$(touch x); rm -rf ~", "to: --option=`touch y`",
        "; ls\nsecond line 'quoted' \"double\" {customer.name}", "{x}"]


def test_hostile_values_reach_a_real_program_as_single_arguments(tmp_path, monkeypatch):
    """A tiny python program gets the filled argv: each value is one argument, intact, and no
    shell ran (``$(touch x)`` and the backticks made no file)."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "args.json"
    script = tmp_path / "echo_args.py"
    script.write_text("import json, sys\n"
                      f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
                      "sys.exit(3)\n")
    argv = build_argv((sys.executable, str(script), "{customer.name}", "{stakeholder.email}",
                       "{issue.title}"), HOSTILE)
    assert run_program(argv) == 3
    assert json.loads(out.read_text()) == [HOSTILE["customer.name"],
                                           HOSTILE["stakeholder.email"], HOSTILE["issue.title"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["args.json", "echo_args.py"]


@pytest.mark.both_databases
def test_record_fields_of_an_issue_a_stakeholder_and_a_customer(sample):
    issue = next(i for i in m.Issue.select().order_by(m.Issue.id) if i.raised_by_id)
    got = record_fields(sample, "issue", issue.id)
    assert got["issue.title"] == issue.title and got["issue.id"] == str(issue.id)
    assert got["issue.severity"] == severity_name(issue.severity)
    assert got["customer.name"] == issue.customer.name
    assert got["stakeholder.email"] == issue.raised_by.email
    assert set(got) == {n for n in NAMES if n.split(".")[0] in ("issue", "customer",
                                                                "stakeholder")}
    contact = issue.raised_by
    assert record_fields(sample, "contact", contact.id)["stakeholder.name"] == contact.name
    of_customer = record_fields(sample, "customer", issue.customer_id)
    assert not any(n.startswith("stakeholder.") for n in of_customer)
    with pytest.raises(NotFoundError):
        record_fields(sample, "issue", 999_999)


def test_a_key_the_screen_or_app_holds_is_left_out_and_said(ctx):
    from tests.pilot import make_app

    app = make_app(ctx, commands=(
        CommandConfig("q", "Quit?", ("x",), ("today",)),
        CommandConfig("M", "Mine?", ("x",), ("today",)),
        CommandConfig("banana", "Fruit", ("x",), ("today",)),
        CommandConfig("O", "Free", ("x",), ("today",))))
    assert app.startup_problems == [
        "commands[0] (Quit?): key 'q' clashes with app.quit (Quit) of the app; "
        "the command is left out",
        "commands[1] (Mine?): key 'M' clashes with today.mine (Mine/all) on today; "
        "the command is left out",
        "commands[2] (Fruit): key 'banana': 'banana' is not a key name (e.g. q, f2, escape, "
        "question_mark); the command is left out",
    ]
    bound = [b.id for _, b in app._bindings if (b.id or "").startswith("command.")]
    assert bound == ["command.3"]


def test_a_program_not_found_is_one_line():
    notes: list[str] = []

    class Board:
        command_runner = staticmethod(run_program)

        def notify(self, message: str, **options: object) -> None:
            notes.append(message)

    command = CommandConfig("O", "Mail", ("relboard-no-such-program",), ("today",))
    run_filled(Board(), command, ["relboard-no-such-program", "x"])
    assert notes == ["Mail: program 'relboard-no-such-program' not found"]
