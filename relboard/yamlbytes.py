"""The bounds of a YAML file read as a stream, checked on the bytes as they are read.

A file to read must be a regular file or a pipe (a device such as ``/dev/zero``, a folder or
a socket is refused before a byte is read); its size is counted on what is read, never taken
from what the file claims; the first byte YAML forbids outright (NUL and the other C0
controls but tab, newline and carriage return, and DEL: binary data) is refused where it
stands, with its line and column, before the parser sees it. So a reading costs at most one
chunk beyond the limit, and binary data is refused at its first byte, however large.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from typing import Any

from relboard.yamlstrict import StrictYAMLError, _limit

__all__ = ["ByteGuard", "NotAFileError", "check_kind", "spool_pipe"]

_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Bytes that are never part of YAML text (C0 but tab, LF and CR; DEL)."""
_CONTINUATION = bytes(range(0x80, 0xC0))
"""UTF-8 continuation bytes: every other byte starts a character."""
_BOM = b"\xef\xbb\xbf"
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class NotAFileError(OSError):
    """The path names a device, a folder or a socket: nothing is read from it."""


def check_kind(mode: int, name: str) -> None:
    """Refuse anything but a regular file or a pipe (``mode``: its ``st_mode``) with a
    NotAFileError whose ``strerror`` says what it is."""
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return
    what = next((text for test, text in _KINDS if test(mode)), "not a regular file")
    raise NotAFileError(errno.EINVAL, f"is {what}; relboard reads a regular file or a pipe",
                        name)


class ByteGuard:
    """Counts the bytes of a file as they are read (at most ``limit``) and refuses the first
    binary byte with its 1-based line and column (in characters)."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit
        self.done = 0
        self.chars = 0  # characters read
        self.line = 1  # the line the next byte is on
        self.col_chars = 0  # characters before the next byte on its line

    def feed(self, data: bytes | memoryview) -> None:
        """Account for ``data``, the next bytes of the file; StrictYAMLError if they go over
        the limit or hold a binary byte."""
        data = bytes(data)
        if self.done == 0 and data.startswith(_BOM):
            self.col_chars = -1  # the mark is not a character of the first line
        self.done += len(data)
        self.chars += len(data.translate(None, _CONTINUATION))
        bad = _BINARY.search(data)
        if bad is not None:
            line, col = self.where(data, bad.start())
            code = data[bad.start()]
            hint = " (binary data, not a YAML text file?)" if code == 0 else ""
            raise StrictYAMLError(self.name, line, col, "", f"character U+{code:04X} is not "
                                  f"allowed in YAML{hint}")
        if self.done > self.limit:
            raise StrictYAMLError(self.name, 1, 1, "", f"file is over {_limit(self.limit)} "
                                  "(counted as read); that is the limit")
        self.line, self.col_chars = self.where(data, len(data))
        self.col_chars -= 1

    def where(self, data: bytes, index: int) -> tuple[int, int]:
        """The (line, col) of byte ``index`` of ``data`` (the bytes after those fed)."""
        newlines = data.count(b"\n", 0, index)
        start = data.rfind(b"\n", 0, index) + 1
        before = len(data[start:index].translate(None, _CONTINUATION))
        if newlines:
            return self.line + newlines, before + 1
        return self.line, self.col_chars + before + 1


def spool_pipe(handle: Any, name: str, limit: int, chunk: int = 1 << 16) -> str:
    """Copy what the pipe ``handle`` gives into a private temporary file (bounded and checked
    by a ByteGuard as it goes), so it can be read more than once; returns its path. The
    caller removes it."""
    guard = ByteGuard(name, limit)
    fd, path = tempfile.mkstemp(prefix="relboard-import-", suffix=".yaml")
    try:
        with os.fdopen(fd, "wb") as out:
            while data := handle.read(chunk):
                guard.feed(data)
                out.write(data)
    except BaseException:
        os.unlink(path)
        raise
    return path
