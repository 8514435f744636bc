"""The YAML file format shared by import and export: sections, field rules, relative dates.

The file is a mapping of sections (customers, contacts, projects, interactions, expectations,
decisions, expectation_changes, issues, risks, feedback, referrals, health_snapshots, activity,
snoozes), each a list of records. ``id`` keys are the file's own numbers; references
(``customer: 3``, an expectation change's ``decision``, the ``contacts`` of an interaction or
a decision, and the ``entity_id`` of activity and snoozes) point at records of the same file.
Dates may be ISO (``2026-11-23``, ``2026-11-23 14:30``, local time: no offsets) or relative to
today (``today``, ``today-5``, ``today+3 14:30``), which keeps the sample data live.
A file written by export starts with ``exported_at`` and ends with ``end``: the count of
records of each section (an import refuses such a file whose end is missing or differs).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from relboard import models as m
from relboard.services import kinds
from relboard.services.kinds.logs import (  # noqa: F401 - re-exported
    ACTIVITY_RULES,
    CHANGE_RULES,
    SNAPSHOT_RULES,
    SNOOZE_RULES,
)
from relboard.services.spec import F

FORMAT = 1
SECTIONS = kinds.SECTIONS
"""``(section, kind)`` in file order, from the kinds' declarations (``Kind.section``)."""
LINKS: dict[str, tuple[type[m.BaseModel], str]] = {
    "interaction": (m.InteractionContact, "interaction"),
    "decision": (m.DecisionContact, "decision"),
}
"""Kinds whose records list their stakeholders under ``contacts``: the link table, and its
column naming the record."""
END = "end"
"""The last key of a file written by export: the count of records of each section in it."""
EXPORT_HEADER = "exported_at"
"""The key only export writes: a file that has it must end with ``END`` (else it was cut)."""
TOP_KEYS = ("relboard", EXPORT_HEADER, *(section for section, _ in SECTIONS), END)
"""Every key the top level of a file may have."""
STAMPS = {"version": F("int", lo=1), "created_at": F("datetime"), "created_by": F("text"),
          "updated_at": F("datetime"), "updated_by": F("text")}
_RELATIVE = re.compile(r"^today(?:\s*([+-])\s*(\d+)\s*d?)?(?:\s+(\d{1,2}):(\d{2}))?$")
MAX_RELATIVE_DAYS = 36500
"""``today+N`` reaches at most a hundred years either way."""


def resolve_relative(value: Any, today: _dt.date) -> Any:
    """Turn ``today-5`` / ``today+3 14:30`` into a date / datetime; other values pass.

    ValueError (with the reason) for a day too far away or a time of day that does not exist.
    """
    if not isinstance(value, str):
        return value
    match = _RELATIVE.match(value.strip())
    if not match:
        return value
    sign, days, hour, minute = match.groups()
    if int(days or 0) > MAX_RELATIVE_DAYS:
        raise ValueError(f"must be within {MAX_RELATIVE_DAYS} days of today")
    day = today + _dt.timedelta(days=(-1 if sign == "-" else 1) * int(days or 0))
    if hour is None:
        return day
    if int(hour) > 23 or int(minute) > 59:
        raise ValueError(f"has no such time of day ({hour}:{minute}); use 00:00 to 23:59")
    return _dt.datetime.combine(day, _dt.time(int(hour), int(minute)))


def rules_for(kind: str) -> dict[str, F]:
    """The field rules of a record of ``kind`` in a file (a record's stamps included)."""
    declared = kinds.kind(kind)
    return {**declared.rules, **STAMPS} if declared.editable else declared.rules


def model_for(kind: str) -> type[m.BaseModel]:
    """The table that holds records of ``kind``."""
    return kinds.kind(kind).model
