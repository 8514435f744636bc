"""The config's ``keymap`` (binding id -> keys) checked against the real bindings.

Textual applies a keymap silently, even onto a key another binding holds; here every unknown
id and every clash is reported, and a clashing remap is left out rather than accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from textual.binding import Binding
from textual.keys import Keys, _character_to_key


@dataclass(frozen=True)
class Scope:
    """Bindings that are active together (the app's plus one screen's)."""

    name: str
    bindings: tuple[Binding, ...]


@dataclass
class KeymapCheck:
    """The keymap to apply and the problems found."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _keys(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
_NAMED = frozenset(k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<"))
_ASCII_NAMES = frozenset(_character_to_key(chr(c)) for c in range(0x20, 0x7F))


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, like ``ctrl+q``) is not a key a terminal can send, or None.

    A key is modifiers (ctrl, alt, shift, meta, super, hyper) joined by ``+`` to a key name
    Textual knows (``f2``, ``escape``, ``pageup``), a printable character, or an ASCII
    character's name (``question_mark``, ``plus``). Textual itself accepts anything and would
    read ``banana`` as the Unicode name of an emoji, so the check is ours.
    """
    *mods, name = key.split("+") if key != "+" else ["+"]
    if not name:
        return "ends with '+' (write plus)"
    for mod in mods:
        if mod not in MODIFIERS:
            return f"{mod!r} is not a modifier (ctrl, alt, shift, meta, super, hyper)"
    if len(set(mods)) != len(mods):
        return "a modifier is repeated"
    if name in _NAMED or name in _ASCII_NAMES:
        return None
    if len(name) == 1 and name.isprintable() and not name.isspace():
        return None
    return f"{name!r} is not a key name (e.g. q, f2, escape, question_mark)"


def bindings_of(classes: Iterable[type]) -> tuple[Binding, ...]:
    """Every Binding declared in the BINDINGS of ``classes`` (tuples made Bindings)."""
    out = []
    for cls in classes:
        for item in getattr(cls, "BINDINGS", []):
            out.extend(Binding.make_bindings([item]))
    return tuple(out)


def check_keymap(keymap: Mapping[str, str], scopes: Iterable[Scope]) -> KeymapCheck:
    """Resolve ``keymap`` against ``scopes``: unknown ids and clashes become problems."""
    scopes = list(scopes)
    known = {b.id for s in scopes for b in s.bindings if b.id}
    result = KeymapCheck()
    wanted = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            result.problems.append(f"keymap: unknown binding id {binding_id!r}")
        elif not _keys(keys):
            result.problems.append(f"keymap: {binding_id}: no key given")
        elif bad := [(k, p) for k in _keys(keys) if (p := key_problem(k))]:
            key, problem = bad[0]
            result.problems.append(f"keymap: {binding_id} -> {key!r}: {problem}; "
                                   "kept the default keys")
        else:
            wanted[binding_id] = keys
    for binding_id, keys in wanted.items():
        clash = None
        for scope in scopes:
            ids = {b.id for b in scope.bindings}
            if binding_id not in ids:
                continue
            for other in scope.bindings:
                if other.id == binding_id:
                    continue
                other_keys = _keys(wanted.get(other.id, other.key)) if other.id else \
                    _keys(other.key)
                shared = set(_keys(keys)) & set(other_keys)
                if shared:
                    clash = (sorted(shared)[0], other, scope.name)
                    break
            if clash:
                break
        if clash:
            key, other, scope_name = clash
            result.problems.append(
                f"keymap: {binding_id} -> {key!r} clashes with "
                f"{other.id or other.action} ({other.description or other.action}) "
                f"on {scope_name}; kept the default keys")
        else:
            result.keymap[binding_id] = keys
    return result
