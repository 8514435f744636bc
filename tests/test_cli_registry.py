"""One convention for the command line's commands (``relboard.cli``): each is a ``Command``
in ``cli.registry.COMMANDS``, the parser is built from that list, and ``cli.run`` acts on
its flags alike for all: every write refused on a read-only board before anything is opened.
Each command takes only the global options that mean something for it (issue 24 point 5):
its ``--help`` and its completion list those, and any other is an argparse error naming it."""

from __future__ import annotations

import argparse

import pytest

from relboard.__main__ import main
from relboard.cli.command import GLOBAL_OPTIONS
from relboard.cli.completion import tree
from relboard.cli.registry import BY_NAME, COMMANDS, parser

WRITES = {"log": ["Acme", "a call"], "issue add": ["Acme", "Broken", "--severity", "high"],
          "expect": ["Acme", "A plan", "--due", "+3d"], "import": ["{dir}/in.yaml"],
          "playbook apply": ["onboarding", "Acme"]}
ARGUMENTS = {**WRITES, "brief": ["Acme"], "update": ["Acme"], "migrate-to": ["postgresql://u@127.0.0.1:1/x"],
             "backup": ["{dir}/copy.db"], "restore": ["{dir}/copy.db"],
             "completion": ["bash"]}
"""What each command needs besides options (the others need nothing)."""
TAKES = {
    "digest": ["--config", "--demo", "--read-only", "--create", "--mine"],
    "check": ["--config", "--demo", "--read-only", "--create"],
    "import": ["--config", "--demo", "--create"],
    "export": ["--config", "--demo", "--read-only", "--create"],
    "migrate-to": ["--config", "--demo", "--read-only", "--create"],
    "log": ["--config", "--demo", "--create"],
    "issue add": ["--config", "--demo", "--create"],
    "expect": ["--config", "--demo", "--create"],
    "brief": ["--config", "--demo", "--read-only", "--create"],
    "update": ["--config", "--demo", "--read-only", "--create"],
    "playbook apply": ["--config", "--demo", "--create"],
    "calendar": ["--config", "--demo", "--read-only", "--create"],
    "serve": ["--config", "--demo", "--read-only", "--mine"],
    "init": ["--config"], "backup": ["--config"], "restore": ["--config"],
    "help": [], "completion": [],
}
"""The global options each command takes: what they mean for it (the rest mean nothing)."""


def _choices(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_the_parser_offers_every_registered_command_and_nothing_else():
    names = [command.name for command in COMMANDS]
    offered = []
    for name, sub in _choices(parser()).items():
        verbs = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        offered += [f"{name} {verb}" for verb in verbs[0].choices] if verbs else [name]
    assert offered == names
    assert len(set(names)) == len(names) == 18


@pytest.fixture
def board(tmp_path, isolated_env):
    """A config naming a database file that does not exist (nothing may make it)."""
    config = tmp_path / "c.yaml"
    config.write_text(f"database: {tmp_path / 'b.db'}\nuser: ann\n")
    return tmp_path, config


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_is_refused_on_a_read_only_board_in_the_same_words(board, name, capsys):
    folder, config = board
    assert {c.name for c in COMMANDS if c.writes} == set(WRITES)
    config.write_text(config.read_text() + "read_only: true\n")
    args = [a.format(dir=folder) for a in WRITES[name]]
    assert main(["--config", str(config), *name.split(), *args]) == 2
    assert capsys.readouterr().err == (
        f"relboard: {name}: this board is read-only (--read-only or read_only: true in the "
        "config); nothing was recorded\n")
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]


def _subparser(top: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    found = top
    for word in name.split():
        found = _choices(found)[word]
    return found


def test_each_command_takes_the_global_options_that_mean_something_for_it():
    """Its parser, its --help and its completion list them, and no other."""
    assert {c.name: list(c.global_options) for c in COMMANDS} == TAKES
    top = parser()
    assert [o for o in GLOBAL_OPTIONS if o in top.format_help()] == list(GLOBAL_OPTIONS)
    completed = tree(top)["commands"]
    for command in COMMANDS:
        sub = _subparser(top, command.name)
        offered = [o for a in sub._actions for o in a.option_strings if o in GLOBAL_OPTIONS]
        assert offered == TAKES[command.name], command.name
        shown = sub.format_help()
        assert [o for o in GLOBAL_OPTIONS if f"[{o}" in shown] == TAKES[command.name]
        name, _, verb = command.name.partition(" ")
        options = completed[name]["verbs"][verb] if verb else completed[name]["options"]
        assert [o["name"] for o in options if o["name"] in GLOBAL_OPTIONS] == TAKES[
            command.name]


MEANINGLESS = [(c.name, o) for c in COMMANDS for o in GLOBAL_OPTIONS
               if o not in c.global_options]


@pytest.mark.parametrize(("name", "option"), MEANINGLESS, ids=lambda x: x)
def test_a_global_option_where_it_means_nothing_is_an_error_naming_it(board, name, option,
                                                                      capsys):
    """Before the command or after it: argparse's exit 2 in the command's usage, with why;
    nothing is opened or made."""
    folder, config = board
    value = [str(config)] if option == "--config" else []
    args = [a.format(dir=folder) for a in ARGUMENTS.get(name, [])]
    for argv in ([option, *value, *name.split(), *args], [*name.split(), *args, option, *value]):
        with pytest.raises(SystemExit) as refused:
            main(argv)
        assert refused.value.code == 2
        err = capsys.readouterr().err.splitlines()
        assert err[-1] == f"relboard {name}: error: argument {option}: " \
            f"{BY_NAME[name].why_not(option)}"
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]


def test_the_reasons_say_why(capsys):
    assert BY_NAME["init"].why_not("--demo") == (
        "init works on the configured database, not on a demo one")
    assert BY_NAME["log"].why_not("--read-only") == "log writes; a read-only board refuses it"
    assert BY_NAME["brief"].why_not("--mine") == (
        "brief has no 'my view' (only the board and digest have one)")
    assert BY_NAME["help"].why_not("--config") == "help reads no config"
    assert BY_NAME["backup"].why_not("--create") == "backup opens no database"


def test_version_and_help_say_what_they_are_asked(capsys):
    """Issue 24: ``--version`` was exit 2; ``help [COMMAND]``; the top help says that a
    command does not open the board, the environment, the exit codes and examples."""
    from relboard import __version__
    from relboard.__main__ import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"relboard {__version__}\n"
    assert main(["help", "issue", "add"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: relboard issue add") and "--new-owner" in out
    assert main(["help", "nope"]) == 2
    assert "no command 'nope'; the commands: digest, check" in capsys.readouterr().err
    assert main(["help"]) == 0
    out = capsys.readouterr().out
    for words in ("With no command, relboard opens the board", "RELBOARD_CONFIG",
                  "exit codes:", "examples:"):
        assert words in out
