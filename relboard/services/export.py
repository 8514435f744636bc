"""Export the whole database as YAML that ``transfer.import_file`` reads back identically.

Text that holds a control character (C0, DEL, C1, bidi overrides and isolates) is written in
YAML's double-quoted style with the character as an escape (``"evil\u202etxt"``), never raw:
the file is safe to ``cat`` and still imports back to the same text. ``export_file`` writes
beside the target and renames on success, so a full disk never leaves a truncated export.

The file carries its own end: its last key, ``end``, holds the count of records of each
section written (``end: {customers: 8, contacts: 26}``), so an import can tell a file cut
short anywhere (in transfer, a copy stopped early) from a whole one (``fileformat.END``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
from collections.abc import Iterator
from typing import Any, TextIO

import yaml

from relboard import models as m
from relboard.db import dialect
from relboard.domain import severity_name
from relboard.errors import ServiceError
from relboard.services import tags
from relboard.services.fileformat import END, FORMAT, LINKS, SECTIONS, model_for, rules_for


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper, with text that needs escapes forced into double quotes."""


_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never be written raw (tab and newline are ordinary text in YAML)."""
_QUOTE = re.compile(_RAW.pattern[:-1] + "\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _QUOTE.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class ExportFileError(ServiceError):
    """The export file could not be written; the file at that path is as it was."""


def _value(rule_kind: str, value: Any) -> Any:
    if rule_kind == "severity" and value is not None:
        return severity_name(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ") + "Z"  # stored in UTC; a time without Z is local
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


CHUNK = 1000
"""Rows fetched (and written) at a time: an export never holds a whole table."""


def _records(kind: str) -> Iterator[dict[str, Any]]:
    """Every record of a section, in id order, fetched ``CHUNK`` rows at a time."""
    model, rules = model_for(kind), rules_for(kind)
    columns = [(name, rule.kind, model._meta.fields[name].column_name)
               for name, rule in rules.items()]
    link, last = LINKS.get(kind), 0
    while True:
        rows = list(model.select().where(model.id > last).order_by(model.id).limit(CHUNK)
                    .dicts())
        if not rows:
            return
        links: dict[int, list[int]] = {}
        if link is not None:
            table, column = link[0], getattr(link[0], link[1])
            query = (table.select(column, table.contact)
                     .where(column.between(rows[0]["id"], rows[-1]["id"]))
                     .order_by(column, table.contact).tuples())
            for record_id, contact_id in query:
                links.setdefault(record_id, []).append(contact_id)
        tagged = tags.of_many(kind, [row["id"] for row in rows]) if kind in tags.TAGGED else {}
        for row in rows:
            record: dict[str, Any] = {"id": row["id"]}
            for name, rule_kind, column in columns:
                value = row.get(name if name in row else column)
                if value is not None:
                    record[name] = _value(rule_kind, value)
            if row["id"] in links:
                record["contacts"] = links[row["id"]]
            if row["id"] in tagged:
                record["tags"] = list(tagged[row["id"]])
            yield record
        last = rows[-1]["id"]


def _dump(data: Any) -> str:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    # The emitter escapes C0 and most of C1 itself but writes NEL and bidi controls raw, even
    # in double quotes; every text holding one is double-quoted (above), so an escape is valid
    # wherever one appears.
    return _RAW.sub(_escape, text)


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """On SQLite, one read transaction, so every section is read from the same moment."""
    db = m.database_proxy.obj
    if dialect(db) == "sqlite" and not db.in_transaction():
        with db.atomic("DEFERRED"):
            yield
    else:
        yield


def export_chunks(now: _dt.datetime | None = None) -> Iterator[str]:
    """The export as pieces of YAML text, section by section, ``CHUNK`` records at a time;
    joined, they are exactly the YAML of every record of every section in id order, then
    the ``end`` key with the count of each section's records (one line, flow style: a cut
    inside it is a YAML error, never a shorter count)."""
    head: dict[str, Any] = {"relboard": FORMAT}
    if now is not None:
        head["exported_at"] = now.isoformat(sep=" ") + "Z"
    yield _dump(head)
    counts: dict[str, int] = {}
    with _snapshot():
        for section, kind in SECTIONS:
            batch: list[dict[str, Any]] = []
            for record in _records(kind):
                if not batch and section not in counts:
                    yield f"{section}:\n"  # the list under it is indentless, as in one dump
                counts[section] = counts.get(section, 0) + 1
                batch.append(record)
                if len(batch) == CHUNK:
                    yield _dump(batch)
                    batch = []
            if batch:
                yield _dump(batch)
    yield end_line(counts)


def end_line(counts: dict[str, int]) -> str:
    """The last line of an export: ``end: {customers: 8, contacts: 26}``."""
    return f"{END}: {{" + ", ".join(f"{section}: {n}" for section, n in counts.items()) + "}\n"


def export_text(now: _dt.datetime | None = None) -> str:
    """The whole export as YAML text, with no raw control character in it."""
    return "".join(export_chunks(now))


def export_yaml(out: TextIO, now: _dt.datetime | None = None) -> None:
    """Write the export to a text stream, piece by piece."""
    for piece in export_chunks(now):
        out.write(piece)


def export_file(path: str | os.PathLike[str], now: _dt.datetime | None = None) -> None:
    """Write the export to ``path`` all or nothing (``relboard.safe_write``: only a regular
    file or a new name; a temporary file in the same folder, flushed, renamed over ``path``).
    On any failure ``path`` is left as it was and ``ExportFileError`` says why."""
    from relboard.safe_write import UnsafeTargetError, reason, write_text

    try:
        write_text(path, export_chunks(now))
    except UnsafeTargetError as exc:
        raise ExportFileError(f"export: {exc}") from None
    except OSError as exc:
        state = "left as it was" if os.path.lexists(path) else "not created"
        raise ExportFileError(f"cannot write {path}: {reason(exc)}; the file was {state}") from None
