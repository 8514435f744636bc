"""A strict, safe YAML loader that remembers where every value came from.

The result is built from PyYAML's parse *events* (never its constructors), iteratively, so no
Python object can be created by a tag and deep nesting cannot exhaust the stack. Refused, each
with a 1-based ``FILE:LINE:COL`` position: syntax errors, tabs used for indentation, anchors
and aliases (and so merge keys), explicit tags, duplicate keys, non-scalar keys, nesting deeper
than ``max_depth``, more than one document, and files larger than ``max_bytes``.

Plain scalars resolve by a small YAML 1.2 core-like schema: ``true``/``false`` -> bool,
``null``/``~``/empty -> None, decimal integers -> int, decimal floats -> float, everything else
(``no``, ``off``, ``0755``, ``1:30``, ``2026-11-23`` ...) -> str. Quoted and block scalars are
always str. Mappings load as :class:`YDict`, sequences as :class:`YList`; both know their own
position and the position of each key or item.

Messages quote text from the file (keys, tags, the path) with every control character shown
as an escape (``\x1b``), never raw.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from relboard.text import QUOTE_MAX, clipped, escaped

if TYPE_CHECKING:
    import yaml

__all__ = [
    "StrictYAMLError",
    "YDict",
    "YList",
    "load_file",
    "load_text",
    "resolve_plain",
    "suggest",
]

_LOADER: Any = None
"""PyYAML's loader class whose parser reads the events (None: libyaml's when installed, else
the pure-Python one; see ``_loader``). PyYAML is imported only when a text is parsed: the
containers, the errors and a kept document (``KEPT``) need none of it."""
KEPT: Any = None
"""Where ``load_file`` finds a document it read before, by its bytes (``yaml_kept``), and puts
the ones it parses: None, or an object with ``get(data, max_depth)`` (the document, or
``MISSING``) and ``put(data, max_depth, document)``."""
MISSING: Any = object()


def _loader() -> Any:
    """The loader class parsing for ``load_text`` and the stream reader (``_LOADER``)."""
    if _LOADER is not None:
        return _LOADER
    import yaml

    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


class StrictYAMLError(Exception):
    """A YAML document that cannot be loaded, with where and why.

    ``line`` and ``col`` are 1-based; ``keypath`` (like ``sla.high.resolution_hours`` or
    ``customers[3].name``) names the offending entry and may be empty.
    """

    def __init__(self, path: str, line: int, col: int, keypath: str, problem: str) -> None:
        self.path = str(path)
        self.line = int(line)
        self.col = int(col)
        self.keypath = keypath
        self.problem = problem
        super().__init__(self.path, self.line, self.col, keypath, problem)

    def __str__(self) -> str:
        where = f"{escaped(self.path)}:{self.line}:{self.col}"
        problem = escaped(self.problem)
        keypath = clipped(self.keypath, 2 * QUOTE_MAX)  # a key of the file may be long
        return f"{where}: {keypath}: {problem}" if self.keypath else f"{where}: {problem}"


def _quoted(key: str) -> str:
    """A key of the file in a message: quoted, cut to ``QUOTE_MAX`` characters."""
    return repr(key) if len(key) <= QUOTE_MAX else repr(key[:QUOTE_MAX])[:-1] + "…'"


def suggest(word: str, choices: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice (also by prefix), or nothing."""
    import difflib

    word = word[:100]  # no choice is longer: the rest cannot make it closer
    close = difflib.get_close_matches(word, choices, n=1) or sorted(
        (
            c
            for c in choices
            if min(len(c), len(word)) >= 3 and (word.startswith(c) or c.startswith(word))
        ),
        key=len,
        reverse=True,
    )
    return f"; did you mean {close[0]!r}?" if close else ""


class YDict(dict):
    """A mapping from the document; ``line``/``col`` locate it, ``pos(key)`` locates a key."""

    def __init__(self, line: int = 1, col: int = 1) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self._key_pos: dict[Any, tuple[int, int]] = {}
        self._value_pos: dict[Any, tuple[int, int]] = {}

    def pos(self, key: Any) -> tuple[int, int]:
        """The 1-based (line, col) where ``key`` is written; the mapping's own if unknown."""
        return self._key_pos.get(key, (self.line, self.col))

    def value_pos(self, key: Any) -> tuple[int, int]:
        """The 1-based (line, col) where the value of ``key`` starts; else where the key is."""
        return self._value_pos.get(key) or self.pos(key)


class YList(list):
    """A sequence from the document; ``line``/``col`` locate it, ``pos(i)`` locates item ``i``."""

    def __init__(self, line: int = 1, col: int = 1) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self._item_pos: list[tuple[int, int]] = []

    def pos(self, index: int) -> tuple[int, int]:
        """The 1-based (line, col) where item ``index`` starts; the sequence's own if unknown."""
        try:
            return self._item_pos[index]
        except IndexError:
            return (self.line, self.col)


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar to bool, None, int, float or (otherwise) str."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _NULL:
        return None
    if _INT_RE.match(text):
        return int(text)
    if _FLOAT_RE.match(text):  # not an int, so it has a point or an exponent
        return float(text)
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, col) of character ``index`` in ``text``."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _show_tag(tag: str) -> str:
    """Write a resolved tag back the way a user would have typed it."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _syntax_error(name: str, row: str, err: yaml.MarkedYAMLError) -> StrictYAMLError:
    """Turn PyYAML's error into a StrictYAMLError with a clear, 1-based position (``row``:
    the text of the line the error is on)."""
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (err.problem or err.context or "invalid YAML").strip()
    if ("tab" in problem or "cannot start any token" in problem) and "\t" in row:
        indent = len(row) - len(row.lstrip(" \t"))
        if "\t" in row[:indent]:
            return StrictYAMLError(
                name, line, row.index("\t") + 1, "", "tab used for indentation; use spaces"
            )
    if "\t" in problem:
        problem = problem.replace("\t", "\\t")
    if err.context and err.context_mark and err.problem:
        mark = err.context_mark
        problem += f" ({err.context} at line {mark.line + 1}, column {mark.column + 1})"
    return StrictYAMLError(name, line, col, "", problem)


def _error_line(err: yaml.MarkedYAMLError) -> int:
    """The 1-based line of a PyYAML error."""
    mark = err.problem_mark or err.context_mark
    return mark.line + 1 if mark else 1


class _Frame:
    """One open mapping or sequence while the document is being built."""

    __slots__ = ("node", "key", "has_key")

    def __init__(self, node: YDict | YList) -> None:
        self.node = node
        self.key: str | None = None
        self.has_key = False


def _keypath(stack: list[_Frame], key: str | None = None) -> str:
    """``a.b[2].c`` for the current place in the document (plus ``key`` if given)."""
    out = ""
    last = len(stack) - 1
    for depth, frame in enumerate(stack):
        if isinstance(frame.node, YList):  # an open child is the last item; else the next one
            out += f"[{len(frame.node) - (depth < last)}]"
        elif depth < last or frame.has_key:
            out += ("." if out else "") + str(frame.key)
    if key is not None:
        out += ("." if out else "") + key
    return out


def _build(
    events: Any, name: str, max_depth: int, base: str = "", depth: int = 0, one_node: bool = False
) -> Any:
    """Assemble the single document from ``events``; iterative, so depth costs no stack.

    ``one_node``: build only the node that starts with the next event and stop right after
    it (a streaming reader's record), which sits ``depth`` levels deep at key path ``base``.
    """
    import yaml

    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def fail(mark: Any, problem: str, key: str | None = None) -> StrictYAMLError:
        inner = _keypath(stack, key)
        path = base + ("." if base and inner and inner[0] != "[" else "") + inner
        return StrictYAMLError(name, mark.line + 1, mark.column + 1, path, problem)

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise fail(event.start_mark, "only one YAML document is allowed")
            continue
        if not isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent)):
            continue
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise fail(event.start_mark, "anchors and aliases are not allowed")
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            if one_node and not stack:
                return root
            continue
        if event.tag is not None:
            raise fail(event.start_mark, f"tags are not allowed: {_show_tag(event.tag)}")
        frame = stack[-1] if stack else None
        here = (event.start_mark.line + 1, event.start_mark.column + 1)
        is_key = frame is not None and isinstance(frame.node, YDict) and not frame.has_key
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "")
            if is_key:
                key = event.value
                if plain and key == "<<":
                    raise fail(event.start_mark, "merge keys ('<<') are not allowed", key)
                if key in frame.node:
                    first = frame.node.pos(key)[0]
                    raise fail(
                        event.start_mark,
                        f"duplicate key {_quoted(key)} (first at line {first})",
                        key,
                    )
                frame.key, frame.has_key = key, True
                frame.node._key_pos[key] = here
                continue
            value: Any = resolve_plain(event.value) if plain else event.value
        else:
            if is_key:
                raise fail(event.start_mark, "keys must be plain text, not a mapping or a list")
            if len(stack) + depth >= max_depth:
                raise fail(event.start_mark, f"nesting deeper than {max_depth} levels")
            value = YDict(*here) if isinstance(event, yaml.MappingStartEvent) else YList(*here)
        if frame is None:
            root = value
            if one_node and not isinstance(value, (YDict, YList)):
                return root
        elif isinstance(frame.node, YDict):
            frame.node[frame.key] = value
            frame.node._value_pos[frame.key] = here
            frame.has_key = False
        else:
            frame.node._item_pos.append(here)
            frame.node.append(value)
        if isinstance(value, (YDict, YList)):
            stack.append(_Frame(value))
    return root


def load_text(text: str, *, name: str = "<string>", max_depth: int = 40) -> Any:
    """Load one YAML document from ``text`` strictly; ``None`` if it is empty.

    Raises :class:`StrictYAMLError` (with ``name`` as its path) for anything refused.
    """
    import yaml

    loader = _loader()
    try:
        try:
            return _build(yaml.parse(text, Loader=loader), name, max_depth)
        except yaml.MarkedYAMLError as err:
            if loader is yaml.SafeLoader or "nesting depth" not in (err.problem or ""):
                raise
            # libyaml (0.2.5+) stops at 1000 levels while scanning ahead, before our own limit
            # sees an event; the pure-Python parser reaches our limit and names its place.
            return _build(yaml.parse(text, Loader=yaml.SafeLoader), name, max_depth)
    except yaml.MarkedYAMLError as err:
        if "nesting depth" in (err.problem or ""):
            mark = err.problem_mark
            raise StrictYAMLError(
                name, mark.line + 1, mark.column + 1, "", f"nesting deeper than {max_depth} levels"
            ) from None
        lines = text.split("\n")
        line = _error_line(err)
        raise _syntax_error(name, lines[line - 1] if 0 < line <= len(lines) else "", err) from None
    except yaml.reader.ReaderError as err:
        line, col = _position(text, err.position)
        code = (
            err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
        )
        raise StrictYAMLError(
            name, line, col, "", f"character U+{code:04X} is not allowed in YAML"
        ) from None
    except UnicodeError as err:
        start = getattr(err, "start", 0)
        line, col = _position(text, start)
        raise StrictYAMLError(
            name, line, col, "", f"text cannot be encoded: {getattr(err, 'reason', err)}"
        ) from None


def _limit(max_bytes: int) -> str:
    """``1 MiB`` / ``64 KiB`` / ``1000 bytes``."""
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if max_bytes >= size and max_bytes % size == 0:
            return f"{max_bytes // size} {unit}"
    return f"{max_bytes} bytes"


def load_file(
    path: str | os.PathLike[str], *, max_bytes: int = 1_048_576, max_depth: int = 40
) -> Any:
    """Load one YAML document from the UTF-8 file at ``path`` strictly; ``None`` if it is empty.

    Raises :class:`StrictYAMLError` for a file over ``max_bytes``, text that is not UTF-8, or
    anything :func:`load_text` refuses; ``OSError`` if the file cannot be read. A document
    read before from the same bytes comes from ``KEPT`` when it is set (not parsed again).
    """
    name = os.fspath(path)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(max_bytes + 1)
    if size > max_bytes or len(data) > max_bytes:
        size = max(size, len(data))
        raise StrictYAMLError(
            name, 1, 1, "", f"file is {size} bytes; the limit is {_limit(max_bytes)}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise StrictYAMLError(
            name, line, col, "", f"not valid UTF-8 (byte 0x{data[err.start]:02x})"
        ) from None
    kept = KEPT
    if kept is not None and (found := kept.get(data, max_depth)) is not MISSING:
        return found
    document = load_text(text, name=name, max_depth=max_depth)
    if kept is not None:
        kept.put(data, max_depth, document)
    return document
