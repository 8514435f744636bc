"""Every command of the command line, in ``relboard --help`` order, and the parser built
from them. Adding a command: one line in ``COMMANDS`` (its ``Command`` lives beside its
function in a module of this package)."""

from __future__ import annotations

import argparse

from relboard.cli import admin, capture, check, digest, transfer
from relboard.cli.command import Command

COMMANDS: tuple[Command, ...] = (
    digest.DIGEST,
    check.CHECK,
    transfer.IMPORT,
    transfer.EXPORT,
    transfer.MIGRATE_TO,
    capture.LOG,
    capture.ISSUE_ADD,
    capture.EXPECT,
    capture.BRIEF,
    admin.INIT,
    admin.BACKUP,
    admin.RESTORE,
)
BY_NAME = {command.name: command for command in COMMANDS}


def command_of(args: argparse.Namespace) -> Command:
    """The command ``args`` were parsed for (``args.command``, and ``args.verb`` in a
    group)."""
    verb = getattr(args, "verb", None)
    return BY_NAME[f"{args.command} {verb}" if verb else args.command]


def common_options() -> argparse.ArgumentParser:
    """The options every command takes, and the board too (a parent parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (default: $RELBOARD_CONFIG, else the user config dir)")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="use a fresh temporary database loaded with the sample portfolio")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="a viewer: open the database read-only, hide every write action")
    common.add_argument("--create", action="store_true", default=argparse.SUPPRESS,
                        help="make the database file if it does not exist (otherwise a "
                             "missing file is an error, except the default one on first run)")
    common.add_argument("--mine", action="store_true", default=argparse.SUPPRESS,
                        help="Today and the digest in my view: my customers, my issues and "
                             "expectations, and unowned ones")
    return common


def parser() -> argparse.ArgumentParser:
    """``relboard``'s parser: the board's options and one subcommand per ``COMMANDS``."""
    common = common_options()
    top = argparse.ArgumentParser(
        prog="relboard", parents=[common],
        description="A keyboard-driven board for customer relationships while projects run.")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for command in COMMANDS:
        name, _, verb = command.name.partition(" ")
        if not verb:
            command.add_arguments(sub.add_parser(name, parents=[common], help=command.help))
            continue
        if name not in groups:
            group = sub.add_parser(name, parents=[common], help=command.group_help)
            groups[name] = group.add_subparsers(dest="verb", metavar="VERB", required=True)
        command.add_arguments(groups[name].add_parser(verb, parents=[common],
                                                      help=command.help))
    return top
