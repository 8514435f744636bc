"""Written SQL kept between runs of the board: Today's first read without Peewee writing it.

Peewee took ~40 ms to write the dozen texts of Today's first board (a later board only binds
values: 2 ms), a seventh of the start. The board keeps the texts it wrote, with what binds
their values and reads their rows, in a file of the user's cache folder
(``$XDG_CACHE_HOME/relboard/texts-<stamp>.json``); the next start takes them from there
(``take``, through ``prepared.KEPT``) and Peewee writes only what the file lacks, which is
added once Today is painted (``save``).

The stamp names everything a text may depend on beyond its key: relboard's code (size and
time of every module), Peewee's and Python's versions, the schema and the settings; each text
also carries its database's kind and version (SQLite's changes how Peewee writes an order).
A file another user owns or may write is not read (it holds SQL the board runs).
A text is kept only when all of it can be said in JSON: its key and constants plain values,
its columns and slot conversions the model's fields or a few named functions. A file that
cannot be read, was made for other code or fails its digest is ignored and, once the texts
are written afresh, replaced; the tests check every text taken against Peewee's own
(``prepared.CHECK``).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from peewee import Alias, FieldAlias

from relboard import kept_files
from relboard import models as m
from relboard.services import prepared, prepared_union

FORMAT = 1
"""The layout of the file; a new one is a new stamp."""
LIMIT = 256
"""Texts a file holds at most (Today's first read writes ~20; the newest are kept)."""
FILES = 6
"""Files kept at most (one per stamp: boards of other settings, the demo, older code)."""
_FUNCTIONS: dict[str, Any] = {"like": prepared.like_pattern, "json": json.dumps, "list": list}
"""The conversions of a slot that are not a field's, by the name the file gives them."""
_CONSTANTS = (str, int, float, bool, type(None))


class _NotKept(Exception):
    """A text that cannot be said in the file (it is written afresh at every start)."""


class _State:
    """What this run knows of the file (a plain class: a dataclass costs ~0.5 ms of a start
    to make)."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings
        self.stamp: str | None = None
        self.entries: dict[str, Any] | None = None
        self.taken_texts: set[int] = set()
        """The ids of the texts taken from the file (the others were written here)."""


_state: _State | None = None


def enable(config: Any, folder: Path | None = None) -> None:
    """Keep this board's texts (``config``: its settings, part of the stamp) in ``folder``
    (default: the user's cache folder, as for the demo board)."""
    global _state
    if folder is None:
        from relboard.kept_files import cache_folder

        folder = cache_folder()
    settings = dataclasses.replace(config, database="", keymap={}, theme="", read_only=False)
    _state = _State(folder, repr(settings))
    prepared.KEPT = take


def disable() -> None:
    """Keep nothing from now on (texts already taken stay in this process's cache)."""
    global _state
    _state = None
    prepared.KEPT = None


def taken() -> int:
    """How many texts this run took from the file."""
    return len(_state.taken_texts) if _state is not None else 0


def _plain(key: Any) -> bool:
    if isinstance(key, tuple):
        return all(_plain(part) for part in key)
    return isinstance(key, _CONSTANTS)


def _name(full: tuple) -> str | None:
    """The file's name for the text of key ``full`` on the open database (None: not kept)."""
    if not _plain(full):
        return None
    return f"{getattr(m.database_proxy.obj, 'server_version', None)!r} {full!r}"


def _stamp(state: _State) -> str:
    if state.stamp is None:
        import peewee

        from relboard.migrations import LATEST

        state.stamp = kept_files.stamp(str(FORMAT), getattr(peewee, "__version__", ""),
                                       sys.version, str(LATEST), state.settings)
    return state.stamp


def _path(state: _State) -> Path:
    return state.folder / f"texts-{_stamp(state)}.json"


def _entries(state: _State) -> dict[str, Any]:
    """The file's texts by name ({} when there is no usable file)."""
    if state.entries is None:  # none, or not one of ours: the texts are written afresh
        state.entries = kept_files.read_stamped(_path(state), _stamp(state), "texts")
    return state.entries


def take(full: tuple) -> prepared._Text | None:
    """The text of key ``full`` as an earlier run wrote it (None: not in the file)."""
    state = _state
    if state is None or (name := _name(full)) is None:
        return None
    recipe = _entries(state).get(name)
    if recipe is not None:
        try:
            text = _made(recipe)
        except (_NotKept, LookupError, TypeError, ValueError, AttributeError):
            pass  # not a recipe this code reads: written afresh (and replaced)
        else:
            state.taken_texts.add(id(text))
            return text
    return None


def save() -> None:
    """Add to the file the texts this run wrote that can be kept (nothing when it took them
    all); a folder or file that cannot be written is left as it is."""
    state = _state
    if state is None:
        return
    entries = dict(_entries(state))
    added = 0
    for full, text in list(prepared._CACHE.items()):  # one step: threads may add to it
        name = _name(full)
        if name is None or id(text) in state.taken_texts:
            continue
        try:
            recipe = _recipe(text)
        except _NotKept:
            continue
        if entries.get(name) != recipe:  # new, or in place of one this code could not read
            entries[name] = recipe
            added += 1
    if not added:
        return
    entries = dict(list(entries.items())[-LIMIT:])
    try:
        _write(state, entries)
    except (OSError, ValueError, TypeError):
        return  # kept nowhere: written afresh at the next start too
    state.entries = entries


def _write(state: _State, entries: dict[str, Any]) -> None:
    """The file written whole (``kept_files.write_json``); beyond ``FILES`` files, the oldest
    go."""
    kept_files.write_stamped(_path(state), _stamp(state), "texts", entries, FILES)


def _field_of(node: Any) -> list[str]:
    """A model field as [model, field] (a field of an aliased model: the model's own)."""
    if isinstance(node, FieldAlias):
        node = node.field
    model = getattr(node, "model", None)
    name = getattr(node, "name", None)
    if model is None or getattr(m, model.__name__, None) is not model \
            or getattr(model, name or "", None) is not node:
        raise _NotKept
    return [model.__name__, name]


def _field(pair: Any) -> Any:
    model, name = pair
    if not (isinstance(model, str) and isinstance(name, str)):
        raise _NotKept
    found = getattr(getattr(m, model), name)
    if getattr(found, "model", None) is not getattr(m, model):
        raise _NotKept
    return found


def _recipe(text: prepared._Text) -> dict[str, Any]:
    """``text`` as the file says it (raises _NotKept when it cannot be said)."""
    params: list[Any] = []
    for param in text.params:
        if not isinstance(param, prepared.Slot):
            if not isinstance(param, _CONSTANTS) or param != param:  # NaN
                raise _NotKept
            params.append(["k", param])
            continue
        convert: Any = param.convert
        if convert is None:
            said = None
        elif getattr(convert, "__name__", None) == "db_value" \
                and hasattr(convert, "__self__"):
            said = ["field", *_field_of(convert.__self__)]
        else:
            said = next((["fn", n] for n, f in _FUNCTIONS.items() if f is convert), None)
            if said is None:
                raise _NotKept
        params.append(["s", param.name, said])
    columns = [[name, None if prepared._reader(node) is None else _field_of(_bare(node))]
               for name, node in text.columns]
    return {"sql": text.sql, "params": params, "columns": columns, "layout": text.layout}


def _bare(node: Any) -> Any:
    while isinstance(node, Alias):
        node = node.node
    return node


def _made(recipe: Any) -> prepared._Text:
    """The text a recipe says, with its binder and row function made as Peewee's would be."""
    sql, layout = recipe["sql"], recipe["layout"]
    if not isinstance(sql, str):
        raise _NotKept
    params: list[Any] = []
    for param in recipe["params"]:
        if param[0] == "k" and isinstance(param[1], _CONSTANTS):
            params.append(param[1])
        elif param[0] == "s" and isinstance(param[1], str):
            said = param[2]
            convert = None if said is None else \
                _FUNCTIONS[said[1]] if said[0] == "fn" else _field(said[1:]).db_value
            params.append(prepared.Slot(param[1], convert))
        else:
            raise _NotKept
    columns: list[tuple[str, Any]] = []
    for name, said in recipe["columns"]:
        if not isinstance(name, str):
            raise _NotKept
        columns.append((name, None if said is None else _field(said)))
    if layout is None:
        return prepared.made(sql, params, columns)
    kind, spans = layout
    flat = spans if kind == "union" else [span for group in spans for span in group]
    if not all(isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(params)
               for a, b in flat):
        raise _NotKept
    return prepared_union.made(sql, params, columns, (kind, spans))
