"""Hints that name a key name the key bound now: a keymap's remap shows in the hint too.

A hint is written with the binding's id in braces — ``"or snooze it ({today.snooze})"`` —
and shown through ``with_keys``, which puts in the key that binding has on the screen (as a
sentence writes it: ``z``, ``enter``, ``ctrl+s``). A binding the screen does not hold
takes its parenthesis with it ("or snooze it"), and so does one its screen turns off (a
viewer's board).
"""

from __future__ import annotations

import re
from typing import Any

from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen

from relboard.text import safe
from relboard.vocabulary import KEY_PLACE

WORDS = {"escape": "esc", "space": "space", "tab": "tab"}
"""Keys a hint names by a word (a hint is read as a sentence: ``enter opens``, ``Cancel
(esc)``, not the footer's ``⏎``)."""


def _display(node: DOMNode, key: str) -> str:
    """``key`` as a hint writes it: its character (``]``), a word, or its name
    (``ctrl+s``, ``enter``); cleaned as every key label is."""
    if key in WORDS:
        return WORDS[key]
    char = key_to_character(key)
    return safe(char if char is not None and char.isprintable() else key)


def bound_key(node: DOMNode, binding_id: str) -> str | None:
    """The key bound now to ``binding_id`` where ``node`` is (its screen, the focused widget,
    the app; a keymap applied), as a hint writes it; None when none is."""
    screen: Any = node if isinstance(node, Screen) else getattr(node, "screen", None)
    try:
        active = screen.active_bindings if screen is not None else {}
    except Exception:  # noqa: BLE001 - not on a screen yet (composing)
        active = {}
    for key, held in active.items():
        if held.binding.id == binding_id:
            return _display(node, key)
    keymap = getattr(node.app, "_keymap", {}) or {}
    if binding_id in keymap:
        return _display(node, keymap[binding_id].split(",")[0].strip())
    nodes = [node.app, screen, *screen.walk_children()] if screen is not None else [node.app]
    for holder in nodes:
        for key, bindings in holder._bindings.key_to_bindings.items():
            for binding in bindings:
                if binding.id == binding_id:  # held, but not in the active chain now
                    try:
                        state = node.app._check_action_state(binding.action, holder)
                    except Exception:  # noqa: BLE001 - not mounted yet: as declared
                        state = True
                    return None if state is False else _display(node, key)
    return None


def with_keys(node: DOMNode, text: str) -> str:
    """``text`` with each ``{binding.id}`` replaced by its key as bound now (``bound_key``)."""

    def put(match: re.Match[str]) -> str:
        key = bound_key(node, match["id"])
        if key is None:
            return ""
        return f" ({key})" if match["paren"] else key

    return KEY_PLACE.sub(put, text)



def undo_hint(node: DOMNode) -> str:
    """``(u: undo)`` after a change's notice, with the key bound now to undo."""
    key = bound_key(node, "app.undo")
    return f"({key}: undo)" if key else ""
