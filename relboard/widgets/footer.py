"""The board's footer: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer throws away and rebuilds all its key widgets (and their styles) every time
the screen says its bindings were updated: on each focus change, each mount, each refresh of
a binding's state. Opening a screen sent that signal up to ten times for the same keys, and
rebuilding took more of the opening time than reading the rows. This footer compares what it
would show (keys, labels, enabled state, tooltips) with what it shows and keeps it when equal.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class BoardFooter(Footer):
    """A Footer that recomposes only when the shown bindings differ."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _signature(self) -> tuple:
        """What compose would show now, as comparable values."""
        app = self.app
        shown = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             enabled, tooltip, binding.group)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show)
        return shown, self.show_command_palette, self.combine_groups

    def compose(self) -> ComposeResult:
        """The keys at once: Textual's Footer starts empty and builds itself when the first
        bindings signal arrives, a second layout of the screen before its first paint."""
        self._bindings_ready = True
        self._shown = self._signature()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A key starts compact and is bound to the footer's style once mounted:
                # two style updates of every key. Given the footer's style before it is
                # mounted, it is styled once (the palette key is not bound: left as is).
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild after the next refresh, if the keys to show differ from those shown."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await self.recompose()
