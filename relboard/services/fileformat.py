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
from relboard.services.entities import entity
from relboard.services.spec import F

FORMAT = 1
SECTIONS: tuple[tuple[str, str], ...] = (
    ("customers", "customer"), ("contacts", "contact"), ("projects", "project"),
    ("interactions", "interaction"), ("expectations", "expectation"), ("decisions", "decision"),
    ("expectation_changes", "expectation_change"), ("issues", "issue"), ("risks", "risk"),
    ("feedback", "feedback"), ("referrals", "referral"),
    ("health_snapshots", "health_snapshot"), ("activity", "activity"), ("snoozes", "snooze"),
)
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
CHANGE_RULES = {
    "expectation": F("ref", required=True, ref=m.Expectation),
    "changed_at": F("datetime", required=True), "changed_by": F("text", required=True),
    "old_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "new_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "old_due": F("date"), "new_due": F("date"), "old_statement": F("longtext"),
    "new_statement": F("longtext"), "reason": F("longtext"),
    "decision": F("ref", ref=m.Decision),
}
SNAPSHOT_RULES = {
    "customer": F("ref", required=True, ref=m.Customer), "day": F("date", required=True),
    "score": F("int", required=True, lo=0, hi=100),
    "band": F("choice", required=True, choices=m.HEALTH_BANDS),
    "taken_at": F("datetime", required=True),
    "dropped_from": F("choice", choices=m.HEALTH_BANDS),
}
ACTIVITY_RULES = {
    "at": F("datetime", required=True), "user": F("text", required=True),
    "entity": F("text", required=True), "entity_id": F("int", required=True),
    "action": F("text", required=True), "field": F("text"), "old": F("longtext"),
    "new": F("longtext"), "version": F("int", lo=1),
}
SNOOZE_RULES = {
    "entity": F("choice", required=True, choices=("customer", "contact", "expectation")),
    "entity_id": F("int", required=True), "until": F("date", required=True),
    "created_at": F("datetime", required=True), "created_by": F("text", required=True),
}
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
    """The field rules of a record of ``kind`` in a file (stamps included)."""
    if kind == "expectation_change":
        return CHANGE_RULES
    if kind == "activity":
        return ACTIVITY_RULES
    if kind == "snooze":
        return SNOOZE_RULES
    if kind == "health_snapshot":
        return SNAPSHOT_RULES
    return {**entity(kind).rules, **STAMPS}


def model_for(kind: str) -> type[m.BaseModel]:
    """The table that holds records of ``kind``."""
    return {"expectation_change": m.ExpectationChange, "activity": m.Activity,
            "snooze": m.Snooze, "health_snapshot": m.HealthSnapshot}.get(kind) \
        or entity(kind).model
