"""The list screens' filter key ("/") acts at once, before the keys typed after it.

Textual runs a screen's ordinary binding only when the key reaches the screen: after the
keys already read with it went to the widget that had the focus when they arrived. "/ke"
in one read of the terminal (fast typing, a slow SSH link) opened the filter, and "k" and
"e" went to the list ("e" opened the expectation register). A priority binding runs as the
app reads the key, so the filter box has the focus (``focus_now``) before the next key is
read. While a text field has the focus the key is the field's: "/" types a slash there.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

FILTER_ACTIONS = frozenset({"filter", "customer_filter"})
"""The actions that open a list's filter box."""


def filter_binding(action: str, description: str, binding_id: str, *,
                   show: bool = True) -> Binding:
    """The "/" binding of a list screen's filter."""
    return Binding("slash", action, description, show=show, priority=True, id=binding_id)


class FilterKey:
    """Mixin for a list screen with a ``filter_binding`` (first in the bases)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The filter key is refused (and so typed) while a text field has the focus."""
        if action in FILTER_ACTIONS and isinstance(self.focused, Input):  # type: ignore
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]
