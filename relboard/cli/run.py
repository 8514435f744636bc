"""The one way a command runs (the board too): refuse what it cannot do here, open what it
needs, call it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from relboard.cli.command import EXIT_BAD_INPUT, Command, Invocation

if TYPE_CHECKING:
    from relboard.cli.command import Arguments


def command_for(args: Arguments) -> Command:
    """The board for no command, else the registry's command for ``args``."""
    if args.command is None:  # the board does not load the commands' modules
        from relboard.cli.board import BOARD

        return BOARD
    from relboard.cli.registry import command_of

    return command_of(args)


def run(args: Arguments) -> int:
    """Run the board or the command of ``args``; the exit code."""
    command = command_for(args)
    call = Invocation(args)
    if call.demo and not command.with_demo:
        print(f"relboard: {command.name} works on the configured database, not on --demo; "
              "leave --demo out", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not command.opens_database:
        return command.run(call)
    call.ctx  # noqa: B018 - the config's problems are said before anything is opened
    if command.writes and call.config.read_only:
        print(f"relboard: {command.name}: this board is read-only (--read-only or "
              "read_only: true in the config); nothing was recorded", file=sys.stderr)
        return EXIT_BAD_INPUT
    if command.before_open is not None and (code := command.before_open(call)) is not None:
        return code
    from relboard.launch import may_create

    with _database(call.config, call.demo, verify=command.verify_on_open,
                   create=may_create(call.config, args)) as call.db:
        return command.run(call)


@contextlib.contextmanager
def _database(config, demo: bool, verify: bool = True,
              create: bool = True) -> Iterator[object]:
    """Open the configured database, or a temporary demo one with the sample data.

    ``verify``: refuse a shared file's bad permissions and a failed quick integrity check
    (``check`` reports them instead). While open, the file is marked in use (``presence``;
    without ``verify``, ``check``, only in a presence file already there: it makes none).
    """
    from relboard.db import close_database, open_database
    from relboard.presence import present

    if not demo:
        db = open_database(config.database, verify, read_only=config.read_only, create=create)
        try:
            sync_clocks(config)
            with present(getattr(db, "file_path", None), create=verify):
                yield db
        finally:
            close_database()
        return
    from relboard.demo import demo_database

    with demo_database(config) as db:
        sync_clocks(config)
        yield db


def sync_clocks(config) -> None:
    """The stored SLA clocks follow the config's working hours (``clock_sync.sync_config``)."""
    from relboard.services.clock_sync import sync_config

    sync_config(config)
