"""One convention for the command line's commands (``relboard.cli``): each is a ``Command``
in ``cli.registry.COMMANDS``, the parser is built from that list, and ``cli.run`` acts on
its flags alike for all: every write refused on a read-only board, every command of the
configured database only refused on ``--demo``, each before anything is opened."""

from __future__ import annotations

import argparse

import pytest

from relboard.__main__ import main
from relboard.cli.registry import COMMANDS, parser

WRITES = {"log": ["Acme", "a call"], "issue add": ["Acme", "Broken", "--severity", "high"],
          "expect": ["Acme", "A plan", "--due", "+3d"]}
NOT_DEMO = {"init": [], "backup": ["{dir}/copy.db"], "restore": ["{dir}/copy.db"]}


def _choices(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_the_parser_offers_every_registered_command_and_nothing_else():
    names = [command.name for command in COMMANDS]
    offered = []
    for name, sub in _choices(parser()).items():
        verbs = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        offered += [f"{name} {verb}" for verb in verbs[0].choices] if verbs else [name]
    assert offered == names
    assert len(set(names)) == len(names) == 15


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
    code = main(["--read-only", "--config", str(config), *name.split(), *WRITES[name]])
    assert code == 2
    assert capsys.readouterr().err == (
        f"relboard: {name}: this board is read-only (--read-only or read_only: true in the "
        "config); nothing was recorded\n")
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]


@pytest.mark.parametrize("name", list(NOT_DEMO))
def test_every_command_of_the_configured_database_refuses_demo_in_the_same_words(
        board, name, capsys):
    folder, config = board
    assert {c.name for c in COMMANDS if not c.with_demo} == set(NOT_DEMO)
    args = [a.format(dir=folder) for a in NOT_DEMO[name]]
    assert main([name, "--demo", "--config", str(config), *args]) == 2
    assert capsys.readouterr().err == (
        f"relboard: {name} works on the configured database, not on --demo; leave --demo "
        "out\n")
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]


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
