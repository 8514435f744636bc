"""Today, the attention board, as a registry of sources.

- ``groups``: the table of Today's groups and kinds of item (names, headings, summary words,
  what moves each group, done hints, snoozes); no database, the screen reads it first.
- ``items``: an item and a board, as plain values (no database either).
- ``sources``: the source module of each group, loaded from the table. One module per source:
  ``issues`` (SLA, new), ``follow_ups``, ``contacts`` (the overdue rule), ``expectations``,
  ``health``, ``risks``, ``renewals``; ``streams`` holds what they share (index walks, filters).
- ``board``: the board from the sources; ``actions``: snooze, mark done, acknowledge, renew;
  ``preview``: the record behind one item, in words, for the screen's preview pane.

Adding a group: a source module and its line in ``groups.GROUPS``. This package loads none of
its modules by itself (the screen imports ``groups`` before the database code); the actions
are reachable from here too (``today.snooze``), loaded when first asked for.
"""

from __future__ import annotations

from typing import Any

_ACTIONS = ("snooze", "mark_done", "can_mark_done", "acknowledge", "renew", "DONE_HINTS")


def __getattr__(name: str) -> Any:
    """``snooze``, ``mark_done``, ``can_mark_done``, ``acknowledge`` and ``DONE_HINTS`` of
    ``actions``, loaded with the first use (the database code with them)."""
    if name in _ACTIONS:
        from relboard.services.today import actions

        return getattr(actions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
