"""RelboardApp: modes for Today, Customers, Expectations, Issues, the Portfolio overview and
the risk register; keys, themes, palette.

The database is opened before the app starts (``relboard.__main__``); screens call services
with ``app.ctx``. Every action has a Binding with an id, so the config's ``keymap`` can remap
it, the Footer and help show the real keys, and the command palette can run it.

Start-up imports only what Today needs: the other modes, the palette's provider, profiles and
forms are imported on first use, and a config ``keymap`` (checked against every screen's
bindings, so it imports them all) is checked and applied right after the first paint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import ModalScreen, Screen

from relboard import screens as screen_registry
from relboard import startup_gc
from relboard.app_signals import LeaveOnSignals
from relboard.config import Config
from relboard.services import ServiceError
from relboard.services.context import Context
from relboard.text import safe
from relboard.theming import install_themes
from relboard.widgets import timers
from relboard.widgets.typed_keys import TypedKeys

if TYPE_CHECKING:
    from relboard.keymap import Scope
    from relboard.services.journal import Journal
    from relboard.widgets.board_app import BoardAppMembers


def _on_first_use(spec: str) -> Callable[[], Any]:
    """A factory for ``module:Name`` of ``relboard.screens``, imported when first called."""

    def make() -> Any:
        module, name = spec.split(":")
        screen = getattr(importlib.import_module(f"relboard.screens.{module}"), name)()
        # Textual re-parses all the CSS and restyles every screen when a mode's screen is
        # made (a few ms at start and at each first visit of a mode) unless the screen says
        # it has seen the current CSS. It is styled as it mounts; the app itself, whose
        # background its first render reads, is styled here (at start it is not yet).
        app = screen.app
        app.stylesheet.apply(app)
        screen._css_update_count = app._css_update_count
        return screen

    make.__qualname__ = make.__name__ = spec.rpartition(":")[2]
    return make


def _customer_commands() -> type[Provider]:
    """The palette's customer provider, imported when the palette first opens."""
    from relboard.widgets.palette import CustomerCommands

    return CustomerCommands


def _tag_commands() -> type[Provider]:
    """The palette's tag provider, imported when the palette first opens."""
    from relboard.widgets.palette import TagCommands

    return TagCommands


class RelboardApp(LeaveOnSignals, TypedKeys, App):
    """The board."""

    TITLE = "relboard"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_customer_commands, _tag_commands}
    MODES = {entry.name: _on_first_use(entry.spec) for entry in screen_registry.MODES}
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("t", "show_mode('today')", "Today", id="app.today", show=False),
        Binding("c", "show_mode('customers')", "Customers", id="app.customers", show=False),
        Binding("e", "show_mode('expectations')", "Expectations", id="app.expectations",
                show=False),
        Binding("i", "show_mode('issues')", "Issues", id="app.issues", show=False),
        Binding("p", "show_mode('portfolio')", "Portfolio", id="app.portfolio", show=False),
        Binding("K", "show_mode('risks')", "Risk register", id="app.risks", show=False),
        Binding("D", "decisions", "Decision log", id="app.decisions", show=False),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("Z", "snoozed", "Snoozed", id="app.snoozed", show=False),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+f", "search", "Search", id="app.search", show=False),
        Binding("ctrl+r", "refresh", "Refresh", id="app.refresh", show=False),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+z", "suspend_process", "Suspend", id="app.suspend", show=False),
    ]

    def __init__(self, config: Config, *, demo: bool = False, ctx: Context | None = None) -> None:
        self.config = config
        self.ctx = ctx or Context.from_config(config)
        self.demo = demo
        self.read_only = config.read_only
        """A viewer's board: write actions are hidden and refused (``widgets/read_only``)."""
        self.mine = config.attention.mine
        """Today opens in my view (``--mine`` or ``attention.mine``)."""
        self._journal: Journal | None = None
        timers.install()  # a timer due in the past fires now (Textual's spins: widgets/timers)
        super().__init__()
        if not config.animations:
            self.animation_level = "none"
        self.startup_problems: list[str] = install_themes(self, config.theme)
        if config.commands:  # the config's commands on their keys (``screens.commands``)
            from relboard.screens.commands import bind_commands

            self.startup_problems += bind_commands(self)

    command_runner: Callable[[list[str]], int] | None = None
    """Runs a config command's argv instead of the terminal (tests); None: the terminal."""

    async def action_run_command(self, index: int) -> None:
        """A config command's key: run it on the highlighted record (``screens.commands``)."""
        from relboard.screens.commands import run_command

        await run_command(self, index)

    @property
    def journal(self) -> Journal:
        """This session's changes, for undo (``u``): made with the first service call."""
        if self._journal is None:
            from relboard.services.journal import Journal

            self._journal = Journal()
        return self._journal

    def binding_scopes(self) -> list[Scope]:
        """One scope per node class that holds bindings: the app, every screen, form and
        widget (a key competes only within one; see ``keymap``)."""
        from relboard.keymap import scope_of
        from relboard.screens import all_binding_classes

        return [scope_of(type(self)), *(scope_of(cls) for cls in all_binding_classes())]

    def load_keymap(self) -> list[str]:
        """Check the config's keymap against every screen's bindings and apply what passes
        (a clash or an unknown id is left out); the problems join ``startup_problems``.

        An empty keymap needs no check, so nothing is imported for it.
        """
        if not self.config.keymap:
            return []
        from relboard.keymap import check_keymap

        scopes = self.binding_scopes()
        result = check_keymap(self.config.keymap, scopes[1:], priority=scopes[0])
        self.startup_problems += result.problems
        self.set_keymap(result.keymap)
        return result.problems

    def on_mount(self) -> None:
        """Say what went wrong at start-up (themes, then the keymap) without stopping; end
        in order on a hang-up or a SIGTERM."""
        self.leave_on_signals()
        self.set_timer(2, startup_gc.release)  # should Today not be the first screen
        if self.read_only:
            self.notify("Read-only: you can look at everything and change nothing.",
                        title="Viewer", timeout=6)
        self._warn(self.startup_problems)
        if self.config.keymap:  # imports every screen: after Today is on the screen
            self.call_after_refresh(lambda: self._warn(self.load_keymap()))

    def on_unmount(self) -> None:
        """The board ends: let its queued writes finish (up to 5 s), then close their thread
        (and the live refresh's poll thread)."""
        writes = getattr(self, "_write_queue", None)
        if writes is not None:
            writes.close(timeout=5)
        polls = getattr(self, "_poll_queue", None)
        if polls is not None:
            polls.close(timeout=1)

    def on_worker_state_changed(self, event: Any) -> None:
        """The safety net for the app's own workers (screens and widgets have the same one,
        ``ServiceCaller``): a worker that failed is said in one line; the board goes on."""
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            from relboard.widgets.service_caller import worker_failed

            worker_failed(self, event.worker)

    def _warn(self, problems: list[str]) -> None:
        for problem in problems:
            self.notify(problem, title="Configuration", severity="warning", markup=False,
                        timeout=10)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification, from any screen or widget: cleaned, and never parsed as markup.

        Messages are built from data (names, ``changed_by`` of a conflict, error text), so
        they are plain text whatever the caller asked. The same error again within a few
        seconds (every list window of a damaged file says it) is shown once.
        """
        import time

        if severity == "error":
            last, self._last_error = self._last_error, (message, title, time.monotonic())
            if last[:2] == (message, title) and self._last_error[2] - last[2] < 3:
                return
        super().notify(safe(message, multiline=True), title=safe(title), severity=severity,
                       timeout=timeout, markup=False)

    _last_error: tuple[str, str, float] = ("", "", 0.0)

    def action_help_quit(self) -> None:
        """ctrl+c: say which key quits (Textual's own message puts markup in the text)."""
        keys = [self.get_key_display(active.binding) for active in
                self.active_bindings.values() if active.binding.action in ("quit", "app.quit")]
        if keys:
            self.notify(f"Press {' or '.join(sorted(set(keys), key=len))} to quit relboard",
                        title="Do you want to quit?")

    closing = False
    """Set once quitting starts: keys typed after ``q`` (a paste, fast typing) run nothing."""

    async def action_quit(self) -> None:
        """Quit (any quit key); with a changed form open, ask first: typing is never lost to
        a quit. From the quit on no other action runs (a screen opened while the app closes
        has no widgets to fill)."""
        if any(getattr(s, "changed", False) is True for s in self.screen_stack):  # a form
            from relboard.screens.confirm import ConfirmDialog

            if not isinstance(self.screen, ConfirmDialog):
                self.push_screen(ConfirmDialog("Quit relboard and lose what you typed in the "
                                               "open form?"), self._quit_if)
            return
        self.closing = True
        await super().action_quit()

    async def _quit_if(self, yes: bool | None) -> None:
        if yes:
            self.closing = True
            await super().action_quit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No app action once quitting has started; no undo on a viewer's board."""
        if self.closing or (action == "undo" and self.read_only):
            return False
        if action == "run_command":
            from relboard.screens.commands import applies

            return applies(self, parameters[0] if parameters else None)
        return super().check_action(action, parameters)

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer, help and palette show it; keys come from the config."""
        return safe(super().get_key_display(binding))

    async def action_show_mode(self, mode: str) -> None:
        """A mode key shows its screen: switch to the mode, and close what was opened on top of
        its screen (a profile, a record, a list reached from it). An open form or dialog is
        left alone: nothing typed is lost to a mode key."""
        if isinstance(self.screen, ModalScreen):
            return
        if self.current_mode != mode:
            await self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            await self.pop_screen()

    def action_refresh(self) -> None:
        """``ctrl+r`` on any screen: read what it shows again now (its ``read_again``)."""
        again = getattr(self.screen, "read_again", None)
        if callable(again):
            again()
        else:
            self.notify("Nothing here to read again", timeout=3)

    def action_help(self) -> None:
        """Show every key that works here, with the keys currently bound."""
        from relboard.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_undo(self) -> None:
        """Take back this session's last change (again for the one before); refused, saying
        why, when someone changed those records since. It waits its turn behind the board's
        queued writes, like every write (``widgets.write_queue``)."""
        import asyncio

        from relboard.services import undo
        from relboard.widgets.service_caller import explain, writes_of

        def work() -> tuple[str | None, ServiceError | None]:
            try:
                return undo.undo(self.ctx, self.journal), None
            except Exception as exc:  # noqa: BLE001 - a lost database must not end the board
                return None, explain(exc)

        future = writes_of(self).submit(work)

        async def wait() -> None:
            self._undone(*await asyncio.wrap_future(future))

        self.run_worker(wait, group="undo", exit_on_error=False)

    def _undone(self, text: str | None, problem: ServiceError | None) -> None:
        if problem is not None:
            self.notify(str(problem), title="Not undone", severity="warning", timeout=8)
            return
        left = len(self.journal)
        self.notify(f"Undone: {text}" + (f" (u again: {left} more)" if left else ""),
                    timeout=5)
        refresh = getattr(self.screen, "refresh_now", None)
        if refresh is not None:
            refresh()

    def action_decisions(self) -> None:
        """The decision log across the portfolio (D, from any screen)."""
        from relboard.screens import drilldown

        if type(self.screen).__name__ != "DecisionLogScreen":
            drilldown.open_decisions(self, who=None)

    def action_snoozed(self) -> None:
        """Show what is snoozed now (an open form or dialog stays on top, untouched)."""
        from relboard.screens.snoozed import SnoozedScreen

        if not isinstance(self.screen, (ModalScreen, SnoozedScreen)):
            self.push_screen(SnoozedScreen())

    def action_search(self) -> None:
        """Search everything by words (not over a form or dialog: what is typed there stays)."""
        from relboard.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_input()
        elif not isinstance(self.screen, ModalScreen):
            self.push_screen(SearchScreen())

    def open_customer(self, customer_id: int, tab: str = "overview",
                      select: int | None = None) -> None:
        """Open a customer's profile (on ``tab``, with row ``select`` highlighted)."""
        from relboard.screens.customer import CustomerScreen

        self.push_screen(CustomerScreen(customer_id, tab=tab, select=select))

    def open_record(self, kind: str, record_id: int, customer_id: int | None = None) -> None:
        """Open a record where it is shown (``screens.RECORD_PLACES``): an issue or an
        expectation on its own screen, the rest on their customer's profile tab."""
        self.push_screen(screen_registry.record_screen(kind, record_id, customer_id))

    def open_issue(self, issue_id: int) -> None:
        """Open one issue."""
        self.open_record("issue", issue_id)

    def open_expectation(self, expectation_id: int) -> None:
        """Open one expectation with its trail."""
        self.open_record("expectation", expectation_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette runs any action bound on the current screen, plus Textual's own."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search everything", "customers, stakeholders, touchpoints, "
                            "expectations, issues, risks and decisions by their words",
                            self.action_search)
        seen = {"search"}
        for binding_key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            node = active.node
            yield SystemCommand(
                f"{binding.description} ({binding_key})",
                binding.tooltip or f"key {binding_key} on this screen",
                lambda node=node, action=binding.action: self.call_later(
                    self.run_action, action, node),
            )


if TYPE_CHECKING:  # screens and widgets type the app as widgets.board_app.BoardApp: keep in step
    _has_board_members: type[BoardAppMembers] = RelboardApp
