"""A strict YAML file read as a stream: the top-level mapping entry by entry, lists item by item.

For files too large to hold as one document tree (an import of a whole portfolio): the file is
read in chunks and parsed into events, and only one list item (one record) is built at a time,
with the same rules and ``FILE:LINE:COL`` messages as :mod:`relboard.yamlstrict` (aliases,
tags, duplicate keys and deep nesting refused). Memory stays bounded by the largest record.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from relboard.yamlstrict import (
    _LOADER,
    StrictYAMLError,
    _build,
    _error_line,
    _limit,
    _show_tag,
    _syntax_error,
    resolve_plain,
)

__all__ = ["Entry", "Root", "StreamReader", "top_level_keys"]

_CHUNK = 1 << 16


@dataclass
class Root:
    """The document's top node: ``kind`` is ``mapping``, ``list``, or ``scalar`` (``value``:
    None for an empty file)."""

    kind: str
    line: int = 1
    col: int = 1
    value: Any = None


@dataclass
class Entry:
    """One key of the top-level mapping and its value (a scalar, or a list read lazily)."""

    key: str
    pos: tuple[int, int]
    value_pos: tuple[int, int]
    kind: str  # scalar, list or mapping
    value: Any = None
    items: Iterator[tuple[int, Any, tuple[int, int]]] = field(default_factory=lambda: iter(()))


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read and refuses to go past ``limit``."""

    def __init__(self, raw: Any, name: str, limit: int) -> None:
        super().__init__()
        self.raw, self.name, self.limit, self.done = raw, name, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)
        self.done += count or 0
        if self.done > self.limit:
            raise StrictYAMLError(self.name, 1, 1, "", f"file is over {_limit(self.limit)}; "
                                  f"the limit is {_limit(self.limit)}")
        return count


class StreamReader:
    """Read the YAML file at ``path`` strictly, as a stream (see the module's docstring).

    ``root()`` answers the top node; for a mapping, ``entries()`` then yields its entries in
    file order. An entry's ``items`` yields ``(index, record, (line, col))``, each record built
    only when asked for; items not asked for are skipped. ``bytes_read`` and ``size`` tell
    how far the reading is. Every problem is a :class:`StrictYAMLError`; ``OSError`` if the
    file cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str], *, max_bytes: int, max_depth: int = 40):
        self.name = os.fspath(path)
        self.max_depth = max_depth
        raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.size = os.fstat(raw.fileno()).st_size
        if self.size > max_bytes:
            raw.close()
            raise StrictYAMLError(self.name, 1, 1, "", f"file is {self.size} bytes; the limit is "
                                  f"{_limit(max_bytes)}")
        self._counting = _Counting(raw, self.name, max_bytes)
        self._text = io.TextIOWrapper(io.BufferedReader(self._counting, _CHUNK),
                                      encoding="utf-8-sig")
        self._events = self._guarded(yaml.parse(self._text, Loader=_LOADER))
        self._seen: dict[str, int] = {}

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far."""
        return self._counting.done

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> "StreamReader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _guarded(self, events: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from events
        except yaml.MarkedYAMLError as err:
            if "nesting depth" in (err.problem or ""):
                mark = err.problem_mark
                raise StrictYAMLError(self.name, mark.line + 1, mark.column + 1, "",
                                      f"nesting deeper than {self.max_depth} levels") from None
            raise _syntax_error(self.name, self._line(_error_line(err)), err) from None
        except yaml.reader.ReaderError as err:
            char = err.character if isinstance(err.character, str) else chr(err.character)
            line, col = self._find(char)
            raise StrictYAMLError(self.name, line, col, "", f"character U+{ord(char):04X} is "
                                  "not allowed in YAML") from None
        except UnicodeDecodeError:
            raise self._not_utf8() from None

    def _lines(self) -> Iterator[str]:
        with open(self.name, encoding="utf-8-sig", errors="replace", newline="\n") as handle:
            yield from handle

    def _line(self, number: int) -> str:
        row = next(itertools.islice(self._lines(), number - 1, None), "")
        return row.rstrip("\n")

    def _find(self, char: str) -> tuple[int, int]:
        for number, row in enumerate(self._lines(), 1):
            if char in row:
                return number, row.index(char) + 1
        return 1, 1

    def _not_utf8(self) -> StrictYAMLError:
        with open(self.name, "rb") as handle:
            for number, row in enumerate(handle, 1):
                try:
                    row.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as err:
                    before = row[:err.start]
                    col = len(before.decode("utf-8-sig", "replace")) + 1
                    return StrictYAMLError(self.name, number, col, "", "not valid UTF-8 "
                                           f"(byte 0x{row[err.start]:02x})")
        return StrictYAMLError(self.name, 1, 1, "", "not valid UTF-8")

    def _fail(self, event: Any, problem: str, keypath: str = "") -> StrictYAMLError:
        mark = event.start_mark
        return StrictYAMLError(self.name, mark.line + 1, mark.column + 1, keypath, problem)

    def _check(self, event: Any, keypath: str = "") -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise self._fail(event, "anchors and aliases are not allowed", keypath)
        if getattr(event, "tag", None) is not None:
            raise self._fail(event, f"tags are not allowed: {_show_tag(event.tag)}", keypath)

    def root(self) -> Root:
        """The document's top node (the first call reads up to it)."""
        documents = 0
        for event in self._events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self._fail(event, "only one YAML document is allowed")
            if not isinstance(event, yaml.NodeEvent):
                continue
            self._check(event)
            here = (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.MappingStartEvent):
                return Root("mapping", *here)
            if isinstance(event, yaml.SequenceStartEvent):
                return Root("list", *here)
            plain = event.style in (None, "")
            return Root("scalar", *here, resolve_plain(event.value) if plain else event.value)
        return Root("scalar")

    def entries(self, build: frozenset[str] | set[str] = frozenset()) -> Iterator[Entry]:
        """The entries of the top-level mapping, in file order (after ``root()``). A mapping
        under a key in ``build`` is built (``value``); any other is skipped unread."""
        for event in self._events:
            if isinstance(event, yaml.MappingEndEvent):
                break
            self._check(event)
            if not isinstance(event, yaml.ScalarEvent):
                raise self._fail(event, "keys must be plain text, not a mapping or a list")
            key = event.value
            if event.style in (None, "") and key == "<<":
                raise self._fail(event, "merge keys ('<<') are not allowed", key)
            if key in self._seen:
                raise self._fail(event, f"duplicate key {key!r} (first at line "
                                        f"{self._seen[key]})", key)
            self._seen[key] = event.start_mark.line + 1
            value = next(self._events)
            self._check(value, key)
            pos = (event.start_mark.line + 1, event.start_mark.column + 1)
            value_pos = (value.start_mark.line + 1, value.start_mark.column + 1)
            if isinstance(value, yaml.ScalarEvent):
                plain = value.style in (None, "")
                yield Entry(key, pos, value_pos, "scalar",
                            resolve_plain(value.value) if plain else value.value)
                continue
            is_list = isinstance(value, yaml.SequenceStartEvent)
            if not is_list and key in build:
                node = _build(itertools.chain((value,), self._events), self.name,
                              self.max_depth, base=key, depth=1, one_node=True)
                yield Entry(key, pos, value_pos, "mapping", node)
                continue
            items = self._items(key) if is_list else self._skip(1)
            yield Entry(key, pos, value_pos, "list" if is_list else "mapping", items=items)
            for _ in items:  # whatever the reader left unread
                pass
        self._rest()

    def _items(self, key: str) -> Iterator[tuple[int, Any, tuple[int, int]]]:
        for index in itertools.count():
            event = next(self._events)
            if isinstance(event, yaml.SequenceEndEvent):
                return
            node = _build(itertools.chain((event,), self._events), self.name, self.max_depth,
                          base=f"{key}[{index}]", depth=2, one_node=True)
            yield index, node, (event.start_mark.line + 1, event.start_mark.column + 1)

    def _skip(self, depth: int) -> Iterator[Any]:
        """Read past a collection's remaining events (nothing is built)."""
        while depth:
            event = next(self._events)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        yield from ()

    def _rest(self) -> None:
        for event in self._events:
            if isinstance(event, yaml.DocumentStartEvent):
                raise self._fail(event, "only one YAML document is allowed")


_TOP_KEY = re.compile(rb"(?m)^([A-Za-z_]+)[ \t]*:")


def top_level_keys(path: str | os.PathLike[str]) -> set[str]:
    """The keys written at the start of a line (block style), found without parsing: a quick
    hint of which sections a file has, to be confirmed by reading it."""
    found: set[str] = set()
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            found.update(match.decode() for match in _TOP_KEY.findall(data[:cut]))
            tail = data[cut:]
    found.update(match.decode() for match in _TOP_KEY.findall(tail))
    return found
