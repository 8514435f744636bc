"""Read-only viewers: every action that writes is hidden and refused, on every screen.

A board opened with ``--read-only`` (or ``read_only: true``) shows everything and changes
nothing. Each screen mixes in ``ReadOnlyGuard``: Textual asks ``check_action`` before it shows
a binding in the footer, help or palette and before it runs one (keys, clicks, the palette
alike), and the guard answers False for the actions in ``write_actions()``. The database itself
is opened read-only too, so nothing is written even by a path this list missed.
"""

from __future__ import annotations

import functools
from typing import Any

from textual.dom import DOMNode

_WRITES = frozenset({
    "log", "acknowledge", "snooze", "done", "new_customer", "new", "edit", "add_stakeholder",
    "new_expectation", "new_issue", "archive", "agree", "at_risk", "met", "missed", "withdraw",
    "renegotiate", "triage", "assign_to", "resolve", "follow_up_done", "save",
    # the profile: its health rating and stakeholders (each declared kind's new_<kind>:
    # services.kinds.write_actions)
    "rate", "archive_stakeholder",
    # the key language (issue 9): Today's verbs by kind, and undo
    "accept", "verb", "undo",
    "unsnooze", "review",
    "apply_playbook",  # the profile's L: a playbook's steps become follow-ups
})


@functools.cache
def write_actions() -> frozenset[str]:
    """Actions (method names without ``action_``) that change data or open a form to do so:
    the declared kinds' ``new_<kind>`` (``services.kinds``, read on first use: a board that is
    not read-only never loads the models for its footer) and ``_WRITES``."""
    from relboard.services.kinds import write_actions as declared

    return declared() | _WRITES


def __getattr__(name: str) -> Any:
    """``WRITE_ACTIONS``: ``write_actions()``, made when first asked for."""
    if name == "WRITE_ACTIONS":
        return write_actions()
    raise AttributeError(name)

READ_ACTIONS = frozenset({
    "switch_mode", "show_mode", "help", "quit", "suspend_process", "answer", "choose", "back",
    "open",
    "open_customer", "tab",
    "toggle_archived", "clear", "filter", "sort", "cycle_status", "customer_filter",
    "cycle_due", "close_filter", "cancel", "dismiss", "next_queue", "previous_queue",
    "submit", "cursor_down", "cursor_up", "refresh", "close", "toggle_mark", "toggle_mine",
    "toggle_preview",
    "risks", "decisions", "stakeholders", "cycle_band", "owner_filter", "toggle_review",
    "toggle_gaps", "brief", "snoozed", "search", "status_update",
    "export_csv",  # writes a file, not the board: a viewer may export a list
})
"""Actions that only read or move; every bound action is in one of the two sets (a test)."""


class ReadOnlyGuard(DOMNode):
    """Mixin for screens: write actions are hidden and refused while the app is read-only."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """False (hidden, refused) for a write action on a read-only board, and for every
        action once the board is closing."""
        if getattr(self.app, "closing", False):
            return False
        if getattr(self.app, "read_only", False) and action in write_actions():
            return False
        return super().check_action(action, parameters)
