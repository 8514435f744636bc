"""Export one kind of record as CSV (the format: ``services.csvformat``).

``csv_chunks(kind)`` writes every record of the kind in id order; ``csv_chunks(kind, ids)``
only the records ``ids`` names, in that order (a list screen's rows as filtered and sorted
now: ``export_list``). Rows are fetched and written ``CHUNK`` at a time. A text that holds a
control character (written by another program: every way in refuses them) has it written as
an escape (``\\x1b``) as in the YAML export, never raw; CSV has no escapes of its own, so such
a text imports back as the escape's characters.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Callable, Iterator
from typing import Any

from relboard import models as m
from relboard.domain import severity_name
from relboard.services import tags
from relboard.services.csvformat import (
    NAME_FIELD,
    SCOPED,
    columns,
    guard,
    join_names,
    text_columns,
)
from relboard.services.export import _RAW, CHUNK, ExportFileError, _escape, _snapshot
from relboard.services.fileformat import LINKS, model_for, rules_for
from relboard.services.page import Page


class _Names:
    """Record id -> name, per referenced kind, read once when first needed."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[int, str]] = {}

    def __call__(self, kind: str, record_id: int) -> str:
        if kind not in self.maps:
            model = model_for(kind)
            field = getattr(model, NAME_FIELD[kind])
            self.maps[kind] = dict(model.select(model.id, field).tuples())
        return self.maps[kind].get(record_id, "")


def _text(value: str) -> str:
    return guard(_RAW.sub(_escape, value))


def _cell(rule_kind: str, value: Any) -> str:
    if value is None:
        return ""
    if rule_kind == "severity":
        return severity_name(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"  # stored in UTC
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _rows(kind: str, rows: list[dict[str, Any]], names: _Names) -> Iterator[list[str]]:
    """The cells of ``rows`` (a chunk of the table's dicts) in ``columns(kind)`` order."""
    rules = rules_for(kind)
    fields = model_for(kind)._meta.fields
    text = text_columns(kind)
    links: dict[int, list[str]] = {}
    if kind in LINKS and rows:
        table: Any = LINKS[kind][0]
        column = getattr(table, LINKS[kind][1])
        query = (table.select(column, table.contact).where(column.in_([r["id"] for r in rows]))
                 .order_by(column, table.contact).tuples())
        for record_id, contact_id in query:
            links.setdefault(record_id, []).append(names("contact", contact_id))
    tagged = tags.of_many(kind, [r["id"] for r in rows]) if kind in tags.TAGGED else {}
    for row in rows:
        cells = []
        for name, rule in rules.items():
            value = row.get(name if name in row else fields[name].column_name)
            if rule.kind == "ref" and value is not None:
                target = "customer" if name == "customer" else SCOPED[name]
                value = names(target, value)
            cell = _cell(rule.kind, value)
            cells.append(_text(cell) if name in text else cell)
        if kind in LINKS:
            cells.append(_text(join_names(links.get(row["id"], []))))
        elif kind in tags.TAGGED:  # names of a-z, 0-9, - and _: nothing a spreadsheet runs
            cells.append(tags.typed(tagged.get(row["id"], ())))
        yield cells


def _in_id_order(model: type[m.BaseModel]) -> Iterator[list[dict[str, Any]]]:
    last = 0
    while True:
        rows = list(model.select().where(model.id > last).order_by(model.id).limit(CHUNK)
                    .dicts())
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _in_given_order(model: type[m.BaseModel], ids: list[int]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        found = {row["id"]: row for row in model.select().where(model.id.in_(chunk)).dicts()}
        yield [found[i] for i in chunk if i in found]  # one deleted meanwhile is left out


def csv_chunks(kind: str, ids: list[int] | None = None) -> Iterator[str]:
    """The CSV text of ``kind``'s records (all in id order, or ``ids`` in that order), piece by
    piece: the header row first, then ``CHUNK`` rows at a time (rows end with a line feed)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_text(name) for name in columns(kind)])
    yield buffer.getvalue()
    names = _Names()
    model = model_for(kind)
    with _snapshot():
        chunks = _in_id_order(model) if ids is None else _in_given_order(model, ids)
        for rows in chunks:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(_rows(kind, rows, names))
            yield buffer.getvalue()


def write_csv(kind: str, path: str | os.PathLike[str], ids: list[int] | None = None) -> None:
    """Write ``csv_chunks`` to ``path`` all or nothing (``relboard.safe_write``, as the YAML
    export); on any failure the file is as it was and ``ExportFileError`` says why."""
    from relboard.safe_write import UnsafeTargetError, reason, write_text

    try:
        write_text(path, csv_chunks(kind, ids))
    except UnsafeTargetError as exc:
        raise ExportFileError(f"export: {exc}") from None
    except OSError as exc:
        state = "left as it was" if os.path.lexists(path) else "not created"
        raise ExportFileError(f"cannot write {path}: {reason(exc)}; the file was {state}") from None


Fetch = Callable[[tuple | None, int], Page]
"""A list's reader, as a list screen's table calls it: ``fetch(after, limit)``."""
PAGE = 500
"""Rows a list export reads at a time."""


def list_ids(fetch: Fetch, key: str = "id") -> list[int]:
    """The record ids of every row of a list, in its order (its filter and sort as given to
    ``fetch``), read a page at a time."""
    ids: list[int] = []
    after: tuple | None = None
    while True:
        page = fetch(after, PAGE)
        ids.extend(row[key] for row in page.rows)
        if page.after is None or not page.rows:
            return ids
        after = page.after


def export_list(kind: str, fetch: Fetch, path: str | os.PathLike[str],
                key: str = "id") -> int:
    """Write the rows a list shows now (``fetch``: its filter and sort) as a CSV file of
    ``kind`` at ``path`` (all or nothing); return how many rows were written."""
    ids = list_ids(fetch, key)
    write_csv(kind, path, ids)
    return len(ids)


def default_name(word: str, today: _dt.date, taken: Callable[[str], bool]) -> str:
    """A file name in the current folder for a list's export: ``issues-2026-11-23.csv``, or
    with ``-2``, ``-3``... when that is ``taken``."""
    base = f"{word}-{today.isoformat()}"
    name, n = f"{base}.csv", 1
    while taken(name):
        n += 1
        name = f"{base}-{n}.csv"
    return name

