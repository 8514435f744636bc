"""The config's ``keymap`` (binding id -> keys) checked against the real bindings.

Textual applies a keymap silently, even onto a key another binding holds; here every unknown
id and every clash is reported, and a clashing remap is left out rather than accepted.

Clashes are judged as Textual resolves keys: per node class (``Scope``: the bindings one app,
screen, form or widget holds with its bases'), since a key goes first to the focused widget,
then to its screen, then to the app. A screen's own key over an app key is no clash (the
screen's wins there, as meant); two bindings of one node on one key are, and so is an inner
binding under one of the app's priority keys (it could never run). Two bindings of the same
action on one key are the same key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.keys import Keys, _character_to_key


@dataclass(frozen=True)
class Scope:
    """The bindings of one node class (with its bases'): only these compete for a key."""

    name: str
    bindings: tuple[Binding, ...]


def scope_of(cls: type) -> Scope:
    """``cls``'s bindings as Textual merges them from its bases (a subclass's binding of a key
    replaces its base's)."""
    merged = cls._merge_bindings()  # type: ignore[attr-defined]
    return Scope(cls.__name__, tuple(b for bindings in merged.key_to_bindings.values()
                                     for b in bindings))


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
    out: list[Binding] = []
    for cls in classes:
        for item in getattr(cls, "BINDINGS", []):
            out.extend(Binding.make_bindings([item]))
    return tuple(out)


def _held(bindings: Iterable[Binding], wanted: Mapping[str, str]) -> dict[str, list[Binding]]:
    """Key -> the bindings holding it once ``wanted`` is applied."""
    held: dict[str, list[Binding]] = {}
    for binding in bindings:
        if binding.id in wanted:
            continue  # its keys are the remapped ones, added below once
        for key in _keys(binding.key):
            held.setdefault(key, []).append(binding)
    for binding_id, keys in wanted.items():
        first = next((b for b in bindings if b.id == binding_id), None)
        if first is not None:
            for key in _keys(keys):
                held.setdefault(key, []).append(first)
    return held


def _clash(binding_id: str, keys: str, scope: Scope, wanted: Mapping[str, str],
           priority: Scope | None) -> tuple[str, Binding, str] | None:
    """The first key of ``keys`` that another action holds in ``scope`` (or that one of the
    app's priority bindings takes before ``scope`` sees it), with that binding."""
    mine = next((b for b in scope.bindings if b.id == binding_id), None)
    if mine is None:
        return None
    held = _held(scope.bindings, wanted)
    outer = _held(priority.bindings, wanted) if priority is not None else {}
    for key in _keys(keys):
        for other in held.get(key, []):
            if other.id != binding_id and other.action != mine.action:
                return key, other, scope.name
        for other in outer.get(key, []):
            if other.priority and other.action != mine.action and priority is not None \
                    and priority.name != scope.name:
                return key, other, f"{priority.name} (a priority key)"
    return None


def check_keymap(keymap: Mapping[str, str], scopes: Iterable[Scope],
                 priority: Scope | None = None) -> KeymapCheck:
    """Resolve ``keymap`` against ``scopes`` (one per node class, see ``scope_of``): unknown ids
    and clashes become problems. ``priority``: the app's scope, whose priority bindings take
    their keys before any screen or widget."""
    scopes = list(scopes) + ([priority] if priority is not None else [])
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
        clash = next((c for scope in scopes
                      if (c := _clash(binding_id, keys, scope, wanted, priority))), None)
        if clash:
            key, other, scope_name = clash
            result.problems.append(
                f"keymap: {binding_id} -> {key!r} clashes with "
                f"{other.id or other.action} ({other.description or other.action}) "
                f"on {scope_name}; kept the default keys")
        else:
            result.keymap[binding_id] = keys
    return result
