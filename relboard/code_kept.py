"""The code ``dataclasses`` compiles, kept between runs of the board: its start compiles none.

A dataclass writes its methods (``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and, when
frozen, ``__setattr__`` and ``__delattr__``) as Python source and compiles it as the class is
made: ~0.5 ms a class, three quarters of it compiling. Before Today is painted the board makes
~65 of them (relboard's settings, context and Today's items; Textual's bindings, styles and
messages): ~20-35 ms of a start, the largest single part of it after Textual's own imports.

While the board starts (``enable`` until ``release``, at the first paint), ``dataclasses``
runs its source through ``_exec`` here, which takes the compiled code of that very source from
the file an earlier start kept (``$XDG_CACHE_HOME/relboard/code-<stamp>.bin``) and compiles
what the file lacks, as ``exec`` would (no flags of the caller's inherited: the ``dataclasses``
module has none); ``release`` hands ``exec`` back and, when the start compiled anything or
left a third of the file unused, writes the file with what this start ran. A code
object is kept under its whole source text, so a text is only ever run as the code of that
text; the stamp names the Python that compiled it (its version and its bytecode's magic
number: ``marshal``'s format is Python's own).

The file is Python's compiled code, as a ``.pyc`` is, and is read as every kept file is
(``kept_files``: a regular file this user owns, in a folder only they may write, that no one
else may write), its content checked against the digest written with it; anything odd, a
text missing or a code that does not load, and the source is compiled as without the file.
"""

from __future__ import annotations

import builtins
import hashlib
import marshal
import sys
import types
from pathlib import Path
from typing import Any

from relboard import kept_files

FORMAT = 1
"""The layout of the file; a new one is a new stamp."""
LIMIT = 1024
"""Texts a file holds at most (a start runs ~300; the last run are kept)."""
FILES = 4
"""Files kept at most (one per stamp: another Python's go)."""
_MAGIC = b"relboard code\n"
_BUILTIN_EXEC = builtins.exec


class _State:
    """What this run knows of the file (a plain class: see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.codes: dict[str, types.CodeType] | None = None
        self.new: dict[str, types.CodeType] = {}
        self.used: dict[str, types.CodeType] = {}
        """What this start ran, taken or compiled: what the file is written with."""
        self.taken = 0


_state: _State | None = None
_last: tuple[int, int] = (0, 0)
"""What the last start released took from the file and compiled."""


def stamp() -> str:
    """What the file's code depends on: this format and the Python that compiled it."""
    if not _STAMP:
        import importlib.util

        summed = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
        summed.update(importlib.util.MAGIC_NUMBER)
        _STAMP.append(summed.hexdigest()[:24])
    return _STAMP[0]


_STAMP: list[str] = []


def _path(state: _State) -> Path:
    return state.folder / f"code-{stamp()}.bin"


def _head() -> bytes:
    """What the file starts with: what it is, its stamp; then the digest of the rest."""
    return _MAGIC + stamp().encode() + b"\n"


def _exec(source: Any, namespace: Any = None, local: Any = None, /) -> None:
    """``exec`` as ``dataclasses`` calls it: a source text with its namespaces."""
    if namespace is None:  # exec's namespaces are then its caller's (its locals a copy)
        caller = sys._getframe(1)
        namespace, local = caller.f_globals, dict(caller.f_locals) if local is None else local
    if type(source) is not str:
        return _BUILTIN_EXEC(source, namespace, local)
    state = _state
    code = _code(state, source) if state is not None else _compiled(source)
    return _BUILTIN_EXEC(code, namespace, local)


def _compiled(source: str) -> types.CodeType:
    """``source`` compiled as ``exec`` in ``dataclasses`` compiles it: no flag of this
    module's (its ``from __future__`` import) inherited."""
    return compile(source, "<string>", "exec", dont_inherit=True)


def _code(state: _State, source: str) -> types.CodeType:
    """The code of ``source``: kept, or compiled now (and kept at ``release``)."""
    codes = _codes(state)
    code = codes.get(source)
    if code is not None:
        state.taken += 1
    else:
        code = codes[source] = state.new[source] = _compiled(source)
    state.used[source] = code
    return code


def _codes(state: _State) -> dict[str, types.CodeType]:
    """The file's code by text ({} when there is no usable file)."""
    if state.codes is None:
        try:
            found = _read(_path(state))
        except (OSError, ValueError, EOFError, TypeError):
            found = {}  # none, or not one of ours: compiled as without it
        if state.codes is None:  # another thread's read came first: that one is kept
            state.codes = found
    return state.codes


def _read(path: Path) -> dict[str, types.CodeType]:
    """The code the file at ``path`` holds by text, when it is this Python's and whole."""
    data = kept_files.read_bytes(path)
    head = _head()
    if data is None or not data.startswith(head):
        return {}
    summed, payload = data[len(head):len(head) + 64], data[len(head) + 64:]
    if summed != hashlib.sha256(payload).hexdigest().encode():
        return {}
    found = marshal.loads(payload)
    if not isinstance(found, dict) or not all(
            type(text) is str and type(code) is types.CodeType for text, code in found.items()):
        return {}
    return found


def enable(folder: Path | None = None) -> None:
    """Compile dataclasses' code through the kept file of ``folder`` (default: the user's
    cache folder) until ``release`` (or ``disable``); enabled already, as it was."""
    global _state
    import dataclasses

    if _state is None:  # enabled already: the same file, what was compiled so far kept
        _state = _State(folder if folder is not None else kept_files.cache_folder())
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # its module-level name wins


def disable() -> None:
    """``dataclasses`` compiles as before; nothing is kept of this run."""
    global _state
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and vars(dataclasses).get("exec") is _exec:
        del dataclasses.exec  # type: ignore[attr-defined]
    _state = None  # after: a class made meanwhile in a thread still finds it


def release() -> None:
    """``disable``, then write the file with what this start ran when it compiled anything,
    or when a third of the file went unused (a first start's own classes: the demo's board
    made, a schema upgraded), unless Python writes no compiled code
    (``PYTHONDONTWRITEBYTECODE``); a folder or file that cannot be written is left as it
    is."""
    global _last
    state = _state
    disable()
    if state is None:
        return
    _last = (state.taken, len(state.new))
    unused = len(_codes(state)) - len(state.used)
    if (not state.new and unused * 3 <= len(_codes(state))) or sys.dont_write_bytecode:
        return
    codes = dict(list(state.used.items())[-LIMIT:])
    payload = marshal.dumps(codes)
    data = _head() + hashlib.sha256(payload).hexdigest().encode() + payload
    try:
        kept_files.write_bytes(_path(state), data, FILES)
    except (OSError, ValueError):
        return  # kept nowhere: compiled again at the next start


def taken() -> int:
    """How many texts this start took from the file: so far while enabled, else in the last
    start released."""
    return _state.taken if _state is not None else _last[0]


def compiled() -> int:
    """How many texts this start compiled (as ``taken``)."""
    return len(_state.new) if _state is not None else _last[1]
