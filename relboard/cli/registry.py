"""Every command of the command line, in ``relboard --help`` order, and the parser built
from them. Adding a command: one line in ``COMMANDS`` (its ``Command`` lives beside its
function in a module of this package)."""

from __future__ import annotations

import argparse
import sys

from relboard.cli import (
    admin,
    calendar,
    capture,
    check,
    completion,
    digest,
    playbook,
    serve,
    transfer,
)
from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, GLOBAL_OPTIONS, Command, Invocation

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
    capture.UPDATE,
    playbook.PLAYBOOK_APPLY,
    calendar.CALENDAR,
    admin.INIT,
    admin.BACKUP,
    admin.RESTORE,
    serve.SERVE,
)
def _help_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", metavar="COMMAND", nargs="*",
                        help="a command (two words for a verb: issue add)")


def _help(call: Invocation) -> int:
    """Print the help asked for; an unknown command is one line with the known ones."""
    top = parser()
    words = list(call.args.topic)
    if not words:
        top.print_help()
        return EXIT_OK
    found = top
    for word in words:
        actions = [a for a in found._actions if isinstance(a, argparse._SubParsersAction)]
        chosen = actions[0].choices.get(word) if actions else None
        if chosen is None:
            names = ", ".join(dict.fromkeys(c.name.split()[0] for c in COMMANDS))
            print(f"relboard: help: no command {' '.join(words)!r}; the commands: {names}",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        found = chosen
    found.print_help()
    return EXIT_OK


HELP = Command("help", "the help of the board or of one command (relboard help issue add)",
               _help, _help_arguments, opens_database=False, options=())
"""``relboard help [COMMAND]``: as ``relboard COMMAND --help`` prints it (here: it reads the
parser the registry builds)."""
def _completion(call: Invocation) -> int:
    """Print the completion script of the shell asked."""
    sys.stdout.write(completion.script(call.args.shell, parser()))
    return EXIT_OK


COMPLETION = Command("completion", "print a completion script for bash, zsh or fish",
                     _completion, completion.arguments, opens_database=False, options=())
"""``relboard completion bash|zsh|fish`` (``cli/completion``; here: it reads the parser)."""
COMMANDS += (HELP, COMPLETION)
BY_NAME = {command.name: command for command in COMMANDS}


def command_of(args: argparse.Namespace) -> Command:
    """The command ``args`` were parsed for (``args.command``, and ``args.verb`` in a
    group)."""
    verb = getattr(args, "verb", None)
    return BY_NAME[f"{args.command} {verb}" if verb else args.command]


EPILOG = """\
environment:
  RELBOARD_CONFIG     the config file (else the user config folder's config.yaml)
  RELBOARD_DATABASE   the database, over the config's (a path or a URL)
  RELBOARD_TODAY      pin "today" as YYYY-MM-DD (demos, tests)
  NO_COLOR            draw without colour
  TEXTUAL_FPS         the board's frames a second at most (default 120; fewer on a slow link)

exit codes:
  0 ok; 1 a problem found (check) or the database stayed busy; 2 bad input (config,
  database, file, arguments); 130 interrupted; 141 the reader of the output went away

examples:
  relboard --demo                         the board on the sample portfolio
  relboard digest --format markdown       today's attention list, for a mail
  relboard log acme "Weekly call" --follow-up friday
  relboard issue add acme "Export fails" --severity high --owner priya
"""
"""The end of ``relboard --help``: the environment, the exit codes, examples."""


def common_options(only: tuple[str, ...] = GLOBAL_OPTIONS) -> argparse.ArgumentParser:
    """The global options (a parent parser): all of them for the board, ``only`` the ones
    that mean something for a command (``Command.global_options``)."""
    common = argparse.ArgumentParser(add_help=False)
    for option, kwargs in _GLOBAL.items():
        if option in only:
            common.add_argument(option, default=argparse.SUPPRESS, **kwargs)
    return common


_GLOBAL: dict[str, dict] = {
    "--config": {"metavar": "PATH", "help": "config file (default: $RELBOARD_CONFIG, else the "
                                            "user config dir)"},
    "--demo": {"action": "store_true",
               "help": "use a fresh temporary database loaded with the sample portfolio"},
    "--read-only": {"action": "store_true",
                    "help": "a viewer: open the database read-only, hide every write action"},
    "--create": {"action": "store_true",
                 "help": "make the database file if it does not exist (otherwise a missing "
                         "file is an error, except the default one on first run)"},
    "--mine": {"action": "store_true",
               "help": "Today and the digest in my view: my customers, my issues and "
                       "expectations, and unowned ones"},
}
"""Each of ``GLOBAL_OPTIONS``' argparse settings (every default: absent unless given)."""


class _Parser(argparse.ArgumentParser):
    """relboard's parser: a global option given (before the command or after it) to a
    command it means nothing for is an error naming it, in the command's usage."""

    commands: dict[str, argparse.ArgumentParser] | None = None
    """On the top parser only: each command's parser, by the command's name."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        """``ArgumentParser.parse_known_args``, then the global options checked."""
        parsed, extras = super().parse_known_args(args, namespace)
        if self.commands is not None and getattr(parsed, "command", None):
            command = command_of(parsed)
            given = [o for o in GLOBAL_OPTIONS if hasattr(parsed, o[2:].replace("-", "_"))]
            given += [w.split("=", 1)[0] for w in extras
                      if w.split("=", 1)[0] in GLOBAL_OPTIONS]
            for option in given:
                if option not in command.global_options:
                    self.commands[command.name].error(
                        f"argument {option}: {command.why_not(option)}")
        return parsed, extras


def parser() -> argparse.ArgumentParser:
    """``relboard``'s parser: the board's options and one subcommand per ``COMMANDS``, each
    with the global options that mean something for it."""
    common = common_options()
    from relboard import __version__

    top = _Parser(
        prog="relboard", parents=[common],
        description="A keyboard-driven board for customer relationships while projects run. "
                    "With no command, relboard opens the board; every command below runs and "
                    "ends without opening it.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"relboard {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND",
                             parser_class=argparse.ArgumentParser)
    groups: dict[str, argparse._SubParsersAction] = {}
    top.commands = {}
    for command in COMMANDS:
        name, _, verb = command.name.partition(" ")
        own = common_options(command.global_options)
        if not verb:
            top.commands[name] = sub.add_parser(name, parents=[own], help=command.help)
            command.add_arguments(top.commands[name])
            continue
        if name not in groups:
            verbs = {o for c in COMMANDS if c.name.startswith(f"{name} ")
                     for o in c.global_options}
            group = sub.add_parser(name, parents=[common_options(tuple(verbs))],
                                   help=command.group_help)
            groups[name] = group.add_subparsers(dest="verb", metavar="VERB", required=True)
        top.commands[command.name] = groups[name].add_parser(verb, parents=[own],
                                                             help=command.help)
        command.add_arguments(top.commands[command.name])
    return top
