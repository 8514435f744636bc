"""The checks of an import file as a whole: its top level, which problem is named first,
what a record may leave out; and the error and result types of an import."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from relboard.domain import severity_rank
from relboard.services.errors import ServiceError
from relboard.services.fileformat import END, EXPORT_HEADER, FORMAT, SECTIONS, TOP_KEYS
from relboard.services.records import DERIVED
from relboard.text import clipped, escaped
from relboard.yamlstream import StreamReader
from relboard.yamlstrict import suggest


class ImportFileError(ServiceError):
    """The file cannot be imported; ``str()`` is ``FILE:LINE:COL: record N (...): reason``.

    Text quoted from the file (keys, the path) shows control characters as escapes.
    """

    def __init__(self, message: str):
        super().__init__(escaped(message))


@dataclass(frozen=True)
class ImportResult:
    """How many records of each section were imported."""

    counts: dict[str, int]
    updated: int = 0
    """With ``merge``: records of the file whose id was stored, and that changed it."""
    unchanged: int = 0
    """With ``merge``: records of the file whose id was stored and that changed nothing
    (already as the file has them, or a log-like record: activity, trail, snapshot, snooze,
    which is kept as stored)."""

    @property
    def total(self) -> int:
        """All records imported."""
        return sum(self.counts.values())


def top_problem(path: str, entry: Any) -> ImportFileError | None:
    """An unknown section (rank 0) or another format (rank 1), or None."""
    if entry.key not in TOP_KEYS:
        line, col = entry.pos
        hint = suggest(entry.key, TOP_KEYS) or "; expected one of " + ", ".join(TOP_KEYS)
        problem = ImportFileError(f"{path}:{line}:{col}: {clipped(entry.key)}: unknown section"
                                  + hint)
        problem.rank = 0
        return problem
    version = entry.value if entry.kind == "scalar" else None
    if entry.key == "relboard" and (version != FORMAT or isinstance(version, bool)):
        line, col = entry.value_pos
        problem = ImportFileError(f"{path}:{line}:{col}: relboard: this relboard reads format "
                                  f"{FORMAT}")
        problem.rank = 1
        return problem
    return None


def first_problem(path: str, reader: StreamReader, entry: Any, error: ImportFileError,
                  seen: list[str]) -> None:
    """Raise the problem that comes first: a YAML error anywhere in the file, else the first
    unknown section, else another format, else ``error`` (a bad record). The rest of the
    file is read for them, one record at a time; its keys are added to ``seen``."""
    found = [error]
    for _ in entry.items:
        pass
    for later in reader.entries():
        seen.append(later.key)
        problem = top_problem(path, later)
        if problem:
            found.append(problem)
        for _ in later.items:
            pass
    raise min(found, key=lambda problem: getattr(problem, "rank", 2))


ENDS_EARLY = "the file ends early: cut in transfer?"
"""How a refusal of an export cut short begins (after ``FILE: ``)."""


def read_end(path: str, entry: Any) -> dict[str, int]:
    """The counts of an ``end`` entry (section -> records); ImportFileError if it is not a
    mapping of known sections to whole numbers."""
    value = entry.value if entry.kind == "mapping" else None
    sections = {section for section, _ in SECTIONS}
    if not isinstance(value, dict) or any(
            key not in sections or not isinstance(n, int) or isinstance(n, bool) or n < 0
            for key, n in value.items()):
        line, col = entry.value_pos
        raise ImportFileError(f"{path}:{line}:{col}: {END}: must be the count of records of "
                              "each section, like {customers: 8, contacts: 26}")
    return dict(value)


def after_end(path: str, entry: Any) -> ImportFileError:
    """The refusal of a top-level key written after ``end`` (an export's last key)."""
    line, col = entry.pos
    return ImportFileError(f"{path}:{line}:{col}: {clipped(entry.key)}: comes after {END}:, "
                           "which an export writes last — was the file joined or edited? "
                           "nothing was imported")


def ends_early(path: str) -> ImportFileError:
    """The refusal of a file written by export that stops before its ``end``."""
    return ImportFileError(f"{path}: {ENDS_EARLY} it was written by export ({EXPORT_HEADER}:) "
                           f"but has no {END}: (the counts an export writes last); nothing "
                           "was imported — export it again or copy the whole file")


def check_end(path: str, keys: list[str], end: dict[str, int] | None,
              counts: dict[str, int]) -> None:
    """Refuse a file written by export (it has the export header) whose ``end`` is missing,
    and any file whose ``end`` differs from the records read: nothing is imported."""
    if end is None:
        if EXPORT_HEADER in keys:
            raise ends_early(path)
        return
    said = {section: n for section, n in end.items() if n}
    held = {section: n for section, n in counts.items() if n}
    if said == held:
        return
    each = ", ".join(f"{section} {held.get(section, 0)} of {said.get(section, 0)}"
                     for section, _ in SECTIONS
                     if held.get(section, 0) != said.get(section, 0))[:300]
    total, found = sum(said.values()), sum(held.values())
    if found < total:
        raise ImportFileError(f"{path}: {ENDS_EARLY} it holds {found} of the {total} records "
                              f"its {END}: counts ({each}); nothing was imported — export it "
                              "again or copy the whole file")
    raise ImportFileError(f"{path}: the records do not match the counts of its {END}: "
                          f"({each}): edited after export? nothing was imported — fix or "
                          f"remove the {END}: line")


def check_root(path: str, reader: StreamReader) -> None:
    """Check that the file is a mapping of sections; ImportFileError if not."""
    root = reader.root()
    if root.kind == "scalar" and root.value is None:
        raise ImportFileError(f"{path}: holds no records (the file is empty or only comments); "
                              "nothing was imported")
    if root.kind != "mapping":
        line, col = (root.line, root.col) if root.kind == "list" else (1, 1)
        raise ImportFileError(f"{path}:{line}:{col}: the file must be a mapping of sections")


def fill_file_defaults(kind: str, data: dict[str, Any], now: _dt.datetime) -> None:
    """Values a record may leave out of a file."""
    if kind == "expectation":
        data["status"] = data.get("status") or "proposed"
        data["baseline_due"] = data.get("baseline_due") or data["current_due"]
    elif kind == "issue":
        data["status"] = data.get("status") or "new"
        data["raised_at"] = data.get("raised_at") or now
        data["severity"] = data.get("severity") or severity_rank("medium")  # stored values
        data["paused_seconds"] = data.get("paused_seconds") or 0
    elif kind == "interaction":
        data["occurred_at"] = data.get("occurred_at") or now
    if kind in DERIVED:
        data.update(DERIVED[kind](data))
