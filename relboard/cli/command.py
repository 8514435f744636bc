"""What a command of the command line is (``Command``) and what it is given (``Invocation``).

Exit codes: 0 ok, 1 a problem found (``check``) or the database stayed busy, 2 bad input.
A command returns its exit code; bad input may also raise, and ``relboard.__main__`` says it
in one line with exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # argparse (and gettext) are not loaded for the board
    import argparse

    Arguments = argparse.Namespace
    """A command's parsed arguments (the board's, read without the parser, are a
    ``SimpleNamespace`` of the same attributes: ``relboard.__main__._parse``)."""

EXIT_OK, EXIT_PROBLEM, EXIT_BAD_INPUT = 0, 1, 2
GLOBAL_OPTIONS = ("--config", "--demo", "--read-only", "--create", "--mine")
"""The options the board takes and, where they mean something, the commands too
(``Command.global_options``); ``cli.registry.common_options`` defines them."""


class Invocation:
    """One run of a command: the parsed ``args``, the settings and the open database.

    ``config`` (the config file with the command line's flags) and ``ctx`` are read when first
    asked for: a command that opens no database (``init --shared``) may never read them.
    """

    def __init__(self, args: Arguments) -> None:
        self.args = args
        self.demo: bool = bool(getattr(args, "demo", False))
        """A ``--demo`` run: a temporary database loaded with the sample portfolio."""
        self.db: Any = None
        """The open database (``relboard.db``'s); None for a command that opens none."""

    @cached_property
    def config(self) -> Any:
        """``relboard.config.Config`` with ``--read-only`` and ``--mine`` applied."""
        from relboard.config_check import load_config
        from relboard.launch import with_flags

        return with_flags(load_config(getattr(self.args, "config", None)), self.args)

    @cached_property
    def ctx(self) -> Any:
        """The services' ``Context`` for ``config``."""
        from relboard.services.context import Context

        return Context.from_config(self.config)


def refused_user(call: Invocation) -> bool:
    """Whether ``--user NAME`` names nobody on the board (said in one line on standard error,
    with the near names): ``digest`` and ``calendar`` refuse it rather than show nothing."""
    if call.args.user is None:
        return False
    import sys

    from relboard.services.team import user_problem

    if problem := user_problem(call.ctx, call.args.user):
        print(f"relboard: --user: {problem}", file=sys.stderr)
        return True
    return False


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command without options or arguments of its own."""


class Command:
    """A command: how it is called, what it needs, and what it does.

    ``name``: as typed, ``digest``, or two words for a verb of a group (``issue add``);
    ``help``: its line in ``relboard --help``; ``run``: does it, returns the exit code;
    ``add_arguments``: adds its options and arguments to its parser (the common ones are
    there already); ``group_help``: for ``issue add``, the group's (``issue``) help line.

    What it needs: ``opens_database`` (the configured database, or ``--demo``'s, is open
    while ``run`` runs: ``call.db``); ``verify_on_open`` (opening refuses bad sharing
    permissions and a failed integrity check; ``check`` reports them instead); ``writes``
    (refused on a read-only board before anything is opened); ``with_demo`` (works on
    ``--demo``; otherwise refused: it works on the configured database); ``before_open``
    (runs before the database is opened; an exit code ends the command there).

    A plain class, not a dataclass: ``relboard --help`` need not import ``dataclasses``.
    """

    __slots__ = ("name", "help", "run", "add_arguments", "group_help", "opens_database",
                 "verify_on_open", "writes", "with_demo", "before_open", "options")

    def __init__(self, name: str, help: str, run: Callable[[Invocation], int],
                 add_arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments,
                 *, group_help: str = "", opens_database: bool = True,
                 verify_on_open: bool = True, writes: bool = False, with_demo: bool = True,
                 before_open: Callable[[Invocation], int | None] | None = None,
                 options: tuple[str, ...] | None = None) -> None:
        self.name, self.help, self.run, self.add_arguments = name, help, run, add_arguments
        self.group_help, self.opens_database = group_help, opens_database
        self.verify_on_open, self.writes, self.with_demo = verify_on_open, writes, with_demo
        self.before_open, self.options = before_open, options

    @property
    def global_options(self) -> tuple[str, ...]:
        """The global options that mean something for this command: ``--config`` always;
        for one that opens the database ``--create``, ``--demo`` if it works on a demo
        board, ``--read-only`` unless it writes. ``options`` overrides (``--mine``: the board
        and the digest; none for ``help`` and ``completion``)."""
        if self.options is not None:
            return self.options
        if not self.opens_database:
            return ("--config",)
        return tuple(o for o, means in (("--config", True), ("--demo", self.with_demo),
                                        ("--read-only", not self.writes),
                                        ("--create", True)) if means)

    def why_not(self, option: str) -> str:
        """Why ``option`` (one of ``GLOBAL_OPTIONS`` it does not take) means nothing here,
        in the words of an argparse error."""
        name = self.name or "the board"
        if option == "--config":
            return f"{name} reads no config"
        if option == "--mine":
            return f"{name} has no 'my view' (only the board and digest have one)"
        if option == "--demo" and not self.with_demo:
            return f"{name} works on the configured database, not on a demo one"
        if option == "--read-only" and self.writes:
            return f"{name} writes; a read-only board refuses it"
        return f"{name} opens no database"

    def __repr__(self) -> str:
        return f"Command({self.name!r})"
