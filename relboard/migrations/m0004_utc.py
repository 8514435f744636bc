"""Schema 4: moments are stored in UTC (they were the server's local time).

Every date-and-time column of every table is converted from the local time of the zone this
process runs in (``$TZ`` or ``/etc/localtime``: the zone the older relboard wrote them in) to
UTC, row by row, so daylight saving time is honoured. Dates (due dates, follow-ups) have no
time and stay as they are.
"""

from __future__ import annotations

import datetime as _dt

from peewee import Database, DateTimeField

from relboard.clock import system_zone, to_utc
from relboard.models import ENTITY_MODELS

NAME = "moments stored in UTC"


def apply(db: Database, zone: _dt.tzinfo | None = None) -> None:
    """Convert every stored moment from ``zone`` (default: the system's) to UTC."""
    zone = zone or system_zone()
    probe = _dt.datetime(2026, 1, 15, 12), _dt.datetime(2026, 7, 15, 12)
    if all(to_utc(moment, zone) == moment for moment in probe):
        return  # the server ran in UTC (winter and summer): nothing moves
    for model in ENTITY_MODELS:
        have = {c.name for c in db.get_columns(model._meta.table_name)}  # later columns: no
        fields = [f for f in model._meta.sorted_fields
                  if isinstance(f, DateTimeField) and f.column_name in have]
        if not fields:
            continue
        table, param = model._meta.table_name, db.param
        sets = ", ".join(f'"{f.column_name}" = {param}' for f in fields)
        sql = f'UPDATE "{table}" SET {sets} WHERE "id" = {param}'
        with db.bind_ctx([model]):
            rows = list(model.select(model.id, *fields).tuples())
        changed = []
        for row_id, *moments in rows:
            moved = [None if m is None else to_utc(m, zone) for m in moments]
            if moved != moments:
                changed.append([f.db_value(v) for f, v in zip(fields, moved, strict=True)]
                               + [row_id])
        if changed:
            cursor = db.cursor()
            cursor.executemany(sql, changed)
