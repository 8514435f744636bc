"""Parsed YAML kept between runs of the board: the config and the themes read without PyYAML.

Importing PyYAML and parsing the config and the four theme files was ~12 ms of every start of
the board. Once Today is painted the board keeps each small document it parsed, as the strict
loader built it (values, and the place of every key and item for the messages), in a file of
the user's cache folder (``$XDG_CACHE_HOME/relboard/yaml-<stamp>.json``) under the digest of
the file's bytes; the next start whose file has the same bytes takes the document from there
(``yamlstrict.KEPT``) and loads no PyYAML. A changed byte is a new digest: parsed as before.
Only documents that loaded are kept (a refused file is parsed, and refused, every time), and
only those JSON says exactly (a lone surrogate, which the pure-Python parser lets through, is
not) and that hold no password (a ``scheme://user:password@`` URL: a config's PostgreSQL
``database``): no secret is copied into the cache folder.

The stamp names what a document depends on beyond its bytes: relboard's code (the loader's
rules), PyYAML's files and Python's version. The file is read and written as every kept file
(``kept_files``: only this user's, whole or not at all) and holds its own digest; anything odd
is ignored and the files are parsed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from relboard import kept_files, yamlstrict
from relboard.yamlstrict import MISSING, YDict, YList

FORMAT = 2
"""The layout of the file; a new one is a new stamp."""
_PASSWORD = re.compile(r"://[^/@\s]*:[^/@\s]*@")
"""A URL with a password in it (``postgresql://user:secret@host/db``)."""
LIMIT = 16
"""Documents a file holds at most (the config and four themes; the newest are kept)."""
MAX_BYTES = 65536
"""A larger file is not kept (a config is a few KiB; a theme at most 64 KiB)."""
FILES = 4
"""Files kept at most (one per stamp: older code's go)."""


class _State:
    """What this run knows of the file (a plain class: a dataclass costs ~0.5 ms of a start
    to make)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stamp: str | None = None
        self.documents: dict[str, Any] | None = None
        self.new: dict[str, Any] = {}
        self.taken = 0


class _Keeper:
    """What ``yamlstrict.load_file`` asks (``get``) and tells (``put``)."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def get(self, data: bytes, max_depth: int) -> Any:
        """The document of ``data`` as kept (a fresh copy), or ``MISSING``."""
        state = self.state
        said = _documents(state).get(_key(data, max_depth))
        if said is None:
            return MISSING
        try:
            document = decode(said["document"])  # wrapped: an empty file's document is None
        except (LookupError, TypeError, ValueError, RecursionError):
            return MISSING  # not a document this code reads: parsed (and replaced)
        state.taken += 1
        return document

    def put(self, data: bytes, max_depth: int, document: Any) -> None:
        """Keep the document just parsed from ``data`` (saved by ``save``), unless it is large,
        holds a password or is not said exactly in JSON; never fails the load."""
        if len(data) > MAX_BYTES or _PASSWORD.search(data.decode("utf-8", "replace")):
            return
        try:
            said = {"document": encode(document)}
            if json.loads(json.dumps(said)) != said:  # a lone surrogate joined, a NaN
                return
        except (TypeError, ValueError, RecursionError):
            return
        self.state.new[_key(data, max_depth)] = said


_state: _State | None = None


def enable(folder: Path | None = None) -> None:
    """Keep parsed documents in ``folder`` (default: the user's cache folder)."""
    global _state
    _state = _State(folder if folder is not None else kept_files.cache_folder())
    yamlstrict.KEPT = _Keeper(_state)


def disable() -> None:
    """Keep nothing from now on."""
    global _state
    _state = None
    yamlstrict.KEPT = None


def taken() -> int:
    """How many documents this run took from the file."""
    return _state.taken if _state is not None else 0


def _key(data: bytes, max_depth: int) -> str:
    return f"{hashlib.sha256(data).hexdigest()}:{max_depth}"


def _stamp(state: _State) -> str:
    if state.stamp is None:
        import importlib.util

        from relboard.code_stamp import code_stamp

        spec = importlib.util.find_spec("yaml")
        where = spec.submodule_search_locations if spec is not None else None
        pyyaml = code_stamp(list(where)[0], (".py", ".pyc", ".so", ".pyd")) if where else ""
        state.stamp = kept_files.stamp(str(FORMAT), pyyaml, sys.version)
    return state.stamp


def _path(state: _State) -> Path:
    return state.folder / f"yaml-{_stamp(state)}.json"


def _documents(state: _State) -> dict[str, Any]:
    """The file's documents by key ({} when there is no usable file)."""
    if state.documents is None:  # none, or not one of ours: the files are parsed
        state.documents = kept_files.read_stamped(_path(state), _stamp(state), "documents")
    return state.documents


def save() -> None:
    """Add the documents this run parsed to the file (nothing when it parsed none); a folder
    or file that cannot be written is left as it is."""
    state = _state
    if state is None or not state.new:
        return
    documents = {**_documents(state), **state.new}
    documents = dict(list(documents.items())[-LIMIT:])
    try:
        kept_files.write_stamped(_path(state), _stamp(state), "documents", documents, FILES)
    except (OSError, ValueError, TypeError):
        return  # kept nowhere: parsed again at the next start
    state.documents, state.new = documents, {}


def encode(node: Any) -> Any:
    """A document as JSON: a mapping ``{"d": [line, col, [[key, line, col, line, col, value],
    ...]]}`` (each key's place, then its value's), a list ``{"l": [line, col, [[line, col,
    item], ...]]}``, a scalar as itself."""
    if isinstance(node, YDict):
        return {"d": [node.line, node.col,
                      [[key, *node.pos(key), *node.value_pos(key), encode(value)]
                       for key, value in node.items()]]}
    if isinstance(node, YList):
        return {"l": [node.line, node.col,
                      [[*node.pos(index), encode(item)] for index, item in enumerate(node)]]}
    if node is None or isinstance(node, (str, int, float)):  # bool is an int
        return node
    raise TypeError(f"not a document's value: {type(node).__name__}")


def decode(said: Any) -> Any:
    """The document ``encode`` said (TypeError/ValueError/LookupError: not one it says)."""
    if isinstance(said, dict):
        if "d" in said:
            line, col, pairs = said["d"]
            mapping = YDict(_place(line), _place(col))
            for key, key_line, key_col, value_line, value_col, value in pairs:
                if not isinstance(key, str) or key in mapping:
                    raise ValueError("not a key of a document")
                mapping[key] = decode(value)
                mapping._key_pos[key] = (_place(key_line), _place(key_col))
                mapping._value_pos[key] = (_place(value_line), _place(value_col))
            return mapping
        line, col, items = said["l"]
        sequence = YList(_place(line), _place(col))
        for item_line, item_col, item in items:
            sequence.append(decode(item))
            sequence._item_pos.append((_place(item_line), _place(item_col)))
        return sequence
    if said is None or isinstance(said, (str, int, float)):
        return said
    raise TypeError(f"not a document's value: {type(said).__name__}")


def _place(number: Any) -> int:
    if type(number) is not int or number < 1:
        raise ValueError("not a line or column")
    return number
