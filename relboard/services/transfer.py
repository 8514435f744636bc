"""Import and export of a whole portfolio as YAML.

The file is a mapping of sections (customers, contacts, projects, interactions, expectations,
expectation_changes, issues, risks, decisions, feedback, referrals, activity), each a list of
records. ``id`` keys are the file's own numbers; references (``customer: 3``) point at them.
Dates may be ISO (``2026-11-23``, ``2026-11-23 14:30``) or relative to today (``today``,
``today-5``, ``today+3 14:30``), which keeps the sample data live.

An import is one transaction: the first bad record stops it, names file, line and record, and
leaves the database as it was. An export imported into an empty database gives identical data.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relboard import models as m
from relboard.db import write
from relboard.services.context import Context
from relboard.services.entities import entity
from relboard.services.errors import ServiceError, ValidationError
from relboard.services.records import fill_defaults
from relboard.services.spec import F, clean
from relboard.yamlstrict import StrictYAMLError, YDict, YList, load_file

FORMAT = 1
SECTIONS: tuple[tuple[str, str], ...] = (
    ("customers", "customer"), ("contacts", "contact"), ("projects", "project"),
    ("interactions", "interaction"), ("expectations", "expectation"),
    ("expectation_changes", "expectation_change"), ("issues", "issue"), ("risks", "risk"),
    ("decisions", "decision"), ("feedback", "feedback"), ("referrals", "referral"),
    ("activity", "activity"), ("snoozes", "snooze"),
)
STAMPS = {"version": F("int", lo=1), "created_at": F("datetime"), "created_by": F("text"),
          "updated_at": F("datetime"), "updated_by": F("text")}
CHANGE_RULES = {
    "expectation": F("ref", required=True, ref=m.Expectation),
    "changed_at": F("datetime", required=True), "changed_by": F("text", required=True),
    "old_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "new_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "old_due": F("date"), "new_due": F("date"), "old_statement": F("longtext"),
    "new_statement": F("longtext"), "reason": F("longtext"),
}
ACTIVITY_RULES = {
    "at": F("datetime", required=True), "user": F("text", required=True),
    "entity": F("text", required=True), "entity_id": F("int", required=True),
    "action": F("text", required=True), "field": F("text"), "old": F("longtext"),
    "new": F("longtext"),
}
SNOOZE_RULES = {
    "entity": F("choice", required=True, choices=("customer", "contact", "expectation")),
    "entity_id": F("int", required=True), "until": F("date", required=True),
    "created_at": F("datetime", required=True), "created_by": F("text", required=True),
}
_RELATIVE = re.compile(r"^today(?:\s*([+-])\s*(\d+)\s*d?)?(?:\s+(\d{1,2}):(\d{2}))?$")


class ImportFileError(ServiceError):
    """The file cannot be imported; ``str()`` is ``FILE:LINE:COL: record N (...): reason``."""


@dataclass(frozen=True)
class ImportResult:
    """How many records of each section were imported."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All records imported."""
        return sum(self.counts.values())


def resolve_relative(value: Any, today: _dt.date) -> Any:
    """Turn ``today-5`` / ``today+3 14:30`` into a date / datetime; other values pass."""
    if not isinstance(value, str):
        return value
    match = _RELATIVE.match(value.strip())
    if not match:
        return value
    sign, days, hour, minute = match.groups()
    day = today + _dt.timedelta(days=(-1 if sign == "-" else 1) * int(days or 0))
    if hour is None:
        return day
    return _dt.datetime.combine(day, _dt.time(int(hour), int(minute)))


def _rules_for(kind: str) -> dict[str, F]:
    if kind == "expectation_change":
        return CHANGE_RULES
    if kind == "activity":
        return ACTIVITY_RULES
    if kind == "snooze":
        return SNOOZE_RULES
    return {**entity(kind).rules, **STAMPS}


def _model_for(kind: str) -> type[m.BaseModel]:
    return {"expectation_change": m.ExpectationChange, "activity": m.Activity,
            "snooze": m.Snooze}.get(kind) or \
        entity(kind).model


class _Importer:
    def __init__(self, ctx: Context, path: str, keep_ids: bool):
        self.ctx, self.path, self.keep_ids = ctx, path, keep_ids
        self.ids: dict[str, dict[int, int]] = {}
        self.ordinal = 0
        self.counts: dict[str, int] = {}

    def fail(self, node: Any, where: str, reason: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, (YDict, YList)) else (1, 1)
        raise ImportFileError(f"{self.path}:{line}:{col}: record {self.ordinal} ({where}): "
                              f"{reason}")

    def run(self, doc: YDict) -> ImportResult:
        for section, kind in SECTIONS:
            records = doc.get(section)
            if records is None:
                continue
            if not isinstance(records, list):
                line, col = doc.pos(section)
                raise ImportFileError(f"{self.path}:{line}:{col}: {section}: must be a list")
            for index, record in enumerate(records):
                self.ordinal += 1
                self.one(section, kind, index, record, has_activity="activity" in doc,
                         has_trail="expectation_changes" in doc)
        return ImportResult(self.counts)

    def ref(self, kind: str, file_id: Any) -> Any:
        if file_id in (None, ""):
            return None
        if not isinstance(file_id, int) or isinstance(file_id, bool):
            raise ValueError(f"must be the id of a {kind} in this file")
        if file_id not in self.ids.get(kind, {}):
            raise ValueError(f"no {kind} with id {file_id} earlier in the file")
        return self.ids[kind][file_id]

    def one(self, section: str, kind: str, index: int, record: Any, *, has_activity: bool,
            has_trail: bool) -> None:
        where = f"{section}[{index}]"
        if not isinstance(record, dict):
            self.fail(record, where, "must be a mapping of fields")
        values = dict(record)
        file_id = values.pop("id", None)
        contacts = values.pop("contacts", None) if kind == "interaction" else None
        rules = _rules_for(kind)
        try:
            if file_id is not None and (not isinstance(file_id, int) or file_id < 1):
                raise ValidationError("id", "must be a positive whole number")
            if file_id is not None and file_id in self.ids.get(kind, {}):
                raise ValidationError("id", f"{file_id} is used twice in {section}")
            for key, value in list(values.items()):
                rule = rules.get(key)
                if rule is not None and rule.kind in ("date", "datetime"):
                    value = resolve_relative(value, self.ctx.today())
                if rule is not None and rule.kind == "ref":
                    target = "contact" if key == "raised_by" else key
                    try:
                        value = self.ref(target, value)
                    except ValueError as exc:
                        raise ValidationError(key, str(exc)) from None
                if kind in ("activity", "snooze") and key == "entity_id":
                    value = self.ids.get(values.get("entity"), {}).get(value, value)
                values[key] = value
            data = clean(rules, values, partial=False, allow_fixed=True)
            self.check(kind, data)
            new_id = self.insert(kind, data, file_id, contacts, has_activity, has_trail)
        except ValidationError as exc:
            field = exc.field
            node_line = record.pos(field) if isinstance(record, YDict) and field in record \
                else (record.line, record.col)
            raise ImportFileError(
                f"{self.path}:{node_line[0]}:{node_line[1]}: record {self.ordinal} "
                f"({where}{', id ' + str(file_id) if file_id else ''}): {exc}") from None
        if file_id is not None:
            self.ids.setdefault(kind, {})[file_id] = new_id
        self.counts[section] = self.counts.get(section, 0) + 1

    def check(self, kind: str, data: dict[str, Any]) -> None:
        from relboard.services.records import CHECKS, _same_customer  # shared rules

        errors = _same_customer(data) if "customer" in data else {}
        if kind in CHECKS:
            errors.update(CHECKS[kind](data))
        if errors:
            raise ValidationError(errors)

    def insert(self, kind: str, data: dict[str, Any], file_id: int | None, contacts: Any,
               has_activity: bool, has_trail: bool) -> int:
        ctx, now = self.ctx, self.ctx.now()
        model = _model_for(kind)
        if issubclass(model, m.Editable):
            fill_defaults(entity(kind), data, creating=True)
            data.setdefault("version", 1)
            for stamp, default in (("created_at", now), ("created_by", ctx.user)):
                data[stamp] = data.get(stamp) or default
            data["updated_at"] = data.get("updated_at") or data["created_at"]
            data["updated_by"] = data.get("updated_by") or data["created_by"]
        _defaults(kind, data, now)
        if self.keep_ids and file_id is not None:
            data["id"] = file_id
        row_id = model.insert(**data).execute()
        if contacts:
            if not isinstance(contacts, list):
                raise ValidationError("contacts", "must be a list of stakeholder ids")
            try:
                ids = [self.ref("contact", c) for c in contacts]
            except ValueError as exc:
                raise ValidationError("contacts", str(exc)) from None
            m.InteractionContact.insert_many(
                [(row_id, c) for c in ids],
                fields=[m.InteractionContact.interaction, m.InteractionContact.contact],
            ).execute()
        if kind == "expectation" and not has_trail:
            m.ExpectationChange.create(expectation=row_id, changed_at=data["created_at"],
                                       changed_by=data["created_by"], new_status=data["status"],
                                       new_due=data["current_due"], reason="imported")
        if not has_activity and issubclass(model, m.Editable):
            m.Activity.create(at=now, user=ctx.user, entity=kind, entity_id=row_id,
                              action="import", new=entity(kind).label(model(**data)))
        return row_id


def _defaults(kind: str, data: dict[str, Any], now: _dt.datetime) -> None:
    """Values a record may leave out of a file."""
    if kind == "expectation":
        data["status"] = data.get("status") or "proposed"
        data["baseline_due"] = data.get("baseline_due") or data["current_due"]
    elif kind == "issue":
        data["status"] = data.get("status") or "new"
        data["raised_at"] = data.get("raised_at") or now
        data["severity"] = data.get("severity") or 3
        data["paused_seconds"] = data.get("paused_seconds") or 0
    elif kind == "interaction":
        data["occurred_at"] = data.get("occurred_at") or now


def is_empty() -> bool:
    """True when the database holds no records at all (an import may keep the file's ids)."""
    return not any(model.select().exists() for model in m.ENTITY_MODELS)


def import_file(ctx: Context, path: str | Path) -> ImportResult:
    """Import a YAML file in one transaction; ImportFileError names the bad record."""
    path = str(path)
    try:
        doc = load_file(path)
    except StrictYAMLError as exc:
        raise ImportFileError(str(exc)) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror}") from None
    if doc is None:
        return ImportResult({})
    if not isinstance(doc, YDict):
        raise ImportFileError(f"{path}:1:1: the file must be a mapping of sections")
    known = {s for s, _ in SECTIONS} | {"relboard", "exported_at"}
    for key in doc:
        if key not in known:
            line, col = doc.pos(key)
            raise ImportFileError(f"{path}:{line}:{col}: {key}: unknown section; expected "
                                  + ", ".join(s for s, _ in SECTIONS))
    if doc.get("relboard", FORMAT) != FORMAT:
        line, col = doc.pos("relboard")
        raise ImportFileError(f"{path}:{line}:{col}: relboard: this relboard reads format "
                              f"{FORMAT}")

    def run() -> ImportResult:
        return _Importer(ctx, path, keep_ids=is_empty()).run(doc)

    return write(run)
