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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from relboard.yamlbytes import ByteGuard, check_kind
from relboard.yamlstrict import (
    StrictYAMLError,
    _build,
    _error_line,
    _limit,
    _loader,
    _quoted,
    _show_tag,
    _syntax_error,
    resolve_plain,
)

__all__ = ["Entry", "Root", "StreamReader", "top_level_keys"]

_CHUNK = 1 << 16
VALUE_MAX = 16 << 20
"""The most characters of one value (or key) the parser may hold: no field comes near it, so
a file that goes on without an end of value is refused before it fills the memory."""
RECORD_MAX = 4 << 20
"""The most characters one record (a list item) may span; the largest legal record (every
long text at its 20,000 characters, each written as an escape) is under a third of it."""
RECORD_COLLECTIONS = 1000
"""The most lists and mappings one record may hold (a record is a mapping, its stakeholders
a list): each costs far more memory than its few characters in the file."""


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
    """A binary file whose bytes pass a ByteGuard as they are read (the size counted, binary
    data refused at its first byte)."""

    def __init__(self, raw: Any, name: str, limit: int) -> None:
        super().__init__()
        self.raw, self.guard = raw, ByteGuard(name, limit)
        self.parsed, self.parsed_at = 0, (1, 1)  # where the parser's last event ended

    @property
    def done(self) -> int:
        """Bytes read so far."""
        return self.guard.done

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)
        if count:
            self.guard.feed(memoryview(buffer)[:count])
        if self.guard.chars - self.parsed > VALUE_MAX:  # the parser holds one huge token
            raise StrictYAMLError(self.guard.name, *self.parsed_at, "", "a value goes on for "
                                  f"more than {_limit(VALUE_MAX)} without an end; no field "
                                  "holds that much")
        return count


def _open(path: str | os.PathLike[str], name: str) -> Any:
    """The file at ``path`` opened for reading, if it is a regular file or a pipe."""
    raw = open(path, "rb")  # noqa: SIM115 - the caller closes it
    try:
        check_kind(os.fstat(raw.fileno()).st_mode, name)
    except BaseException:
        raw.close()
        raise
    return raw


def _chunks(path: str | os.PathLike[str]) -> Iterator[bytes]:
    """The file's bytes, a chunk at a time (for finding where a problem is)."""
    with open(path, "rb") as handle:
        while data := handle.read(_CHUNK):
            yield data


class StreamReader:
    """Read the YAML file at ``path`` strictly, as a stream (see the module's docstring).

    ``root()`` answers the top node; for a mapping, ``entries()`` then yields its entries in
    file order. An entry's ``items`` yields ``(index, record, (line, col))``, each record built
    only when asked for; items not asked for are skipped. ``bytes_read`` and ``size`` tell
    how far the reading is. Every problem is a :class:`StrictYAMLError`; ``OSError`` if the
    file cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str], *, max_bytes: int, max_depth: int = 40,
                 name: str | None = None):
        self.path = os.fspath(path)
        self.name = self.path if name is None else name  # in messages
        self.max_depth = max_depth
        raw = _open(path, self.name)  # closed by close()
        self.size = os.fstat(raw.fileno()).st_size
        if self.size > max_bytes:
            raw.close()
            raise StrictYAMLError(self.name, 1, 1, "", f"file is {self.size} bytes; the limit is "
                                  f"{_limit(max_bytes)}")
        self._counting = _Counting(raw, self.name, max_bytes)
        self._text = io.TextIOWrapper(io.BufferedReader(self._counting, _CHUNK),
                                      encoding="utf-8-sig")
        self._events = self._guarded(yaml.parse(self._text, Loader=_loader()))
        self._seen: dict[str, int] = {}
        self._record: int | None = None  # where the record being built starts (its index)
        self._collections = 0  # the lists and mappings of the record being built
        self._record_at: tuple[str, tuple[int, int]] = ("", (1, 1))

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far."""
        return self._counting.done

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> StreamReader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _guarded(self, events: Iterator[Any]) -> Iterator[Any]:
        counting = self._counting
        try:
            for event in events:
                end = event.end_mark
                counting.parsed, counting.parsed_at = end.index, (end.line + 1, end.column + 1)
                if self._record is not None:
                    if end.index - self._record > RECORD_MAX:
                        raise self._too_large(f"goes on for more than {_limit(RECORD_MAX)}")
                    if isinstance(event, yaml.CollectionStartEvent):
                        self._collections += 1
                        if self._collections > RECORD_COLLECTIONS:
                            raise self._too_large(f"holds more than {RECORD_COLLECTIONS:,} "
                                                  "lists and mappings")
                yield event
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

    def _line(self, number: int, most: int = 4096) -> str:
        """The start (at most ``most`` bytes) of line ``number``, read a chunk at a time."""
        seen, row = 1, None
        for data in _chunks(self.path):
            start = 0
            if row is None:
                while seen < number and (found := data.find(b"\n", start)) >= 0:
                    start, seen = found + 1, seen + 1
                if seen < number:
                    continue
                row = b""
            end = data.find(b"\n", start)
            row += data[start:] if end < 0 else data[start:end]
            if end >= 0 or len(row) >= most:
                break
        return (row or b"")[:most].decode("utf-8-sig", "replace")

    def _find(self, char: str) -> tuple[int, int]:
        """Where ``char`` first is, read a chunk at a time (as text)."""
        line, col = 1, 0
        with open(self.path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            while text := handle.read(_CHUNK):
                index = text.find(char)
                part = text if index < 0 else text[:index]
                if "\n" in part:
                    line += part.count("\n")
                    col = len(part) - part.rfind("\n") - 1
                else:
                    col += len(part)
                if index >= 0:
                    return line, col + 1
        return 1, 1

    def _not_utf8(self) -> StrictYAMLError:
        """Where the file first stops being UTF-8, read a chunk at a time."""
        guard, carry = ByteGuard(self.name, 1 << 62), b""
        for data in _chunks(self.path):
            data = carry + data
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as err:
                if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
                    carry = data[err.start:]
                    guard.feed(data[:err.start])
                    continue
                line, col = guard.where(data, err.start)
                if line == 1 and guard.done == 0 and data.startswith(b"\xef\xbb\xbf"):
                    col -= 1
                return StrictYAMLError(self.name, line, col, "", "not valid UTF-8 "
                                       f"(byte 0x{data[err.start]:02x})")
            guard.feed(data)
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
                raise self._fail(event, f"duplicate key {_quoted(key)} (first at line "
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
                self._record, self._record_at = value.start_mark.index, (key, value_pos)
                self._collections = 0
                try:
                    node = _build(itertools.chain((value,), self._events), self.name,
                                  self.max_depth, base=key, depth=1, one_node=True)
                finally:
                    self._record = None
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
            here = (event.start_mark.line + 1, event.start_mark.column + 1)
            self._record, self._record_at = event.start_mark.index, (f"{key}[{index}]", here)
            self._collections = 0
            try:
                node = _build(itertools.chain((event,), self._events), self.name,
                              self.max_depth, base=f"{key}[{index}]", depth=2, one_node=True)
            finally:
                self._record = None
            yield index, node, here

    def _too_large(self, how: str) -> StrictYAMLError:
        """The refusal of a record over RECORD_MAX characters or RECORD_COLLECTIONS."""
        keypath, (line, col) = self._record_at
        return StrictYAMLError(self.name, line, col, keypath, f"the record {how}; no record "
                               "is that large")

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


_KEY_MOST = 256
"""The most of a line's start kept while looking for a key there."""


def top_level_keys(path: str | os.PathLike[str], *, max_bytes: int,
                   name: str | None = None) -> set[str]:
    """The keys written at the start of a line (block style), found without parsing: a quick
    hint of which sections a file has, to be confirmed by reading it.

    The file passes the same guard as a reading (a regular file or a pipe, at most
    ``max_bytes``, no binary byte): StrictYAMLError at the first problem."""
    found: set[str] = set()
    tail = b""
    name = os.fspath(path) if name is None else name
    with _open(path, name) as handle:
        guard = ByteGuard(name, max_bytes)
        while chunk := handle.read(1 << 20):
            guard.feed(chunk)
            data = tail + chunk
            cut = data.rfind(b"\n") + 1
            found.update(match.decode() for match in _TOP_KEY.findall(data[:cut]))
            tail = data[cut:]
            if len(tail) > _KEY_MOST:  # a key is at a line's start: keep no more of it
                tail = tail[:_KEY_MOST] + b"\x01"  # and end it with what no key holds
    found.update(match.decode() for match in _TOP_KEY.findall(tail))
    return found
