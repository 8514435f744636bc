"""The config's ``commands:`` on the board: a key per command on the screens it names, which
runs the program on the highlighted record's fields, never through a shell.

A screen that has a highlighted record says which with ``highlighted_record()`` ->
``(kind, id)`` or None. Pressing a command's key: the record's fields are read (a service),
a field the template names that is empty for this record refuses the run (saying which), the
board asks, then gives the terminal to the program (``App.suspend``) and says its exit status.
``app.command_runner`` (tests) replaces running in the terminal: it gets the argv list.
"""

from __future__ import annotations

import asyncio
import shlex
import subprocess
from collections.abc import Callable, Sequence
from typing import Any

from textual.binding import Binding

from relboard.command_spec import build_argv, missing, placeholders
from relboard.config import CommandConfig
from relboard.screens import REGISTRY

Runner = Callable[[list[str]], int]
"""Runs an argument list, returns its exit status (OSError when it cannot start)."""


def run_program(argv: list[str]) -> int:
    """Run ``argv`` as it is: no shell, each item one argument; the exit status."""
    return subprocess.run(argv, shell=False, check=False).returncode  # noqa: S603


def screen_name(screen: Any) -> str | None:
    """The registry name of ``screen`` (``today``, ``issues``...), or None for a dialog."""
    cls = type(screen).__name__
    return next((e.name for e in REGISTRY if e.spec.rpartition(":")[2] == cls), None)


def command_id(index: int) -> str:
    """The binding id of the config's command ``index``."""
    return f"command.{index}"


def check_keys(commands: Sequence[CommandConfig], app: Any) -> tuple[list[int], list[str]]:
    """The commands whose key can be bound (indexes) and why the others cannot: a key that is
    not a key, or one the app or one of the command's screens already holds."""
    from relboard.keymap import key_problem, scope_of

    entries = {e.name: e for e in REGISTRY}
    held_by_app = {k.strip(): b for b in scope_of(type(app)).bindings for k in b.key.split(",")}
    ok: list[int] = []
    problems: list[str] = []
    for index, command in enumerate(commands):
        where = f"commands[{index}] ({command.name}): key {command.key!r}"
        if problem := key_problem(command.key):
            problems.append(f"{where}: {problem}; the command is left out")
            continue
        clash = None
        if command.key in held_by_app:
            b = held_by_app[command.key]
            clash = f"{b.id or b.action} ({b.description}) of the app"
        for name in command.screens:
            if clash:
                break
            for b in scope_of(entries[name].load()).bindings:
                if command.key in (k.strip() for k in b.key.split(",")):
                    clash = f"{b.id or b.action} ({b.description or b.action}) on {name}"
                    break
        if clash:
            problems.append(f"{where} clashes with {clash}; the command is left out")
        else:
            ok.append(index)
    return ok, problems


def bind_commands(app: Any) -> list[str]:
    """Bind each command whose key is free (on the app, shown only on its screens: see
    ``applies``); the problems with the others, to be said."""
    commands = app.config.commands
    if not commands:
        return []
    ok, problems = check_keys(commands, app)
    for index in ok:
        command = commands[index]
        binding = Binding(command.key, f"run_command({index})", command.name,
                          id=command_id(index), tooltip=f"runs {shlex.join(command.argv)}")
        held = app._bindings.key_to_bindings
        held[command.key] = [*held.get(command.key, []), binding]  # lists are the class's
    return problems


def _looked_at(app: Any) -> Any:
    """The screen whose keys are shown: under the help screen or the command palette, the
    screen they were opened on (any other dialog on top: the dialog, where no command runs)."""
    from textual.command import CommandPalette

    screen = app.screen
    if isinstance(screen, CommandPalette) and len(app.screen_stack) > 1:
        screen = app.screen_stack[-2]
    return getattr(screen, "target", screen) if screen_name(screen) == "help" else screen


def applies(app: Any, index: object) -> bool:
    """Whether command ``index`` is offered here: on one of its screens, and on a viewer's
    board only when marked ``read_only: true``."""
    commands = app.config.commands
    if not isinstance(index, int) or not 0 <= index < len(commands):
        return False
    command = commands[index]
    if app.read_only and not command.read_only:
        return False
    return screen_name(_looked_at(app)) in command.screens


async def run_command(app: Any, index: int) -> None:
    """The command's key was pressed: fill its argv from the highlighted record, ask, run."""
    from relboard.services import ServiceError
    from relboard.services.commands import record_fields

    if not applies(app, index) or screen_name(app.screen) not in app.config.commands[index].screens:
        return  # not offered here (a viewer's board, another screen, a dialog on top)
    command: CommandConfig = app.config.commands[index]
    names = [n for arg in command.argv for n in placeholders(arg)[0]]
    values: dict[str, str] = {}
    if names:
        pick = getattr(app.screen, "highlighted_record", None)
        record = pick() if callable(pick) else None
        if record is None:
            app.notify(f"{command.name}: no record is highlighted here", severity="warning")
            return
        try:
            values = await asyncio.to_thread(record_fields, app.ctx, *record)
        except ServiceError as exc:
            app.notify(f"{command.name}: {exc}", severity="error")
            return
        except Exception as exc:  # noqa: BLE001 - a lost database must not end the board
            app.notify(f"{command.name}: cannot read the record: {exc}", severity="error")
            return
        if empty := missing(command.argv, values):
            fields = ", ".join("{" + n + "}" for n in empty)
            app.notify(f"{command.name} not run: this {record[0]} has no {fields}",
                       title="Command", severity="warning", timeout=8)
            return
    argv = build_argv(command.argv, values)
    from relboard.screens.confirm import ConfirmDialog

    def answered(yes: bool | None) -> None:
        if yes:
            run_filled(app, command, argv)

    app.push_screen(ConfirmDialog(f"Run {command.name}?\n\n{shlex.join(argv)}"), answered)


def run_filled(app: Any, command: CommandConfig, argv: list[str]) -> None:
    """Run ``argv`` (in the terminal, the board suspended) and say how it ended."""
    from textual.app import SuspendNotSupported

    runner: Runner | None = getattr(app, "command_runner", None)
    try:
        if runner is not None:
            code = runner(argv)
        else:
            with app.suspend():
                code = run_program(argv)
    except SuspendNotSupported:
        app.notify(f"{command.name}: this board cannot give the terminal to a program "
                   "(not in a terminal)", title="Command", severity="error")
        return
    except FileNotFoundError:
        app.notify(f"{command.name}: program {argv[0]!r} not found", title="Command",
                   severity="error")
        return
    except OSError as exc:
        app.notify(f"{command.name}: cannot run {argv[0]!r}: {exc.strerror or exc}",
                   title="Command", severity="error")
        return
    app.notify(f"{command.name}: {argv[0]} exited {code}", title="Command",
               severity="information" if code == 0 else "warning")
