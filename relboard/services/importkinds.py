"""What an import needs to know about each kind of record, worked out once per kind.

For every kind of a file section: its table, its field rules with references turned into
plain numbers (the importer resolves them against the file's own ids, so no query is made),
how each field's file value is resolved (relative dates, file ids), the columns that cannot
be empty, the record's label for the audit log, and the cross-field checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relboard import models as m
from relboard.services.errors import ValidationError
from relboard.services.fileformat import SECTIONS, model_for, rules_for
from relboard.services.kinds import KINDS as DECLARED
from relboard.services.kinds import kind as declared
from relboard.services.records import same_customer as records_same_customer
from relboard.services.spec import F

_MISSING = object()


@dataclass(frozen=True)
class Kind:
    """One kind of record as the importer handles it."""

    name: str
    model: type[m.BaseModel]
    rules: dict[str, F]
    resolve: dict[str, str]  # field -> "date", "datetime", "entity_id" or the kind it names
    editable: bool
    not_null: dict[str, Any]  # column that cannot be empty -> its default (or _MISSING)
    label_field: str | None
    label_default: Any
    check: Callable[[dict[str, Any]], dict[str, str]]

    def fill_defaults(self, data: dict[str, Any]) -> None:
        """Blank values of columns that cannot be empty take the default; else an error."""
        errors = {}
        for key, value in data.items():
            if value is None and key in self.not_null:
                default = self.not_null[key]
                if default is _MISSING:
                    errors[key] = "is required"
                else:
                    data[key] = default
        if errors:
            raise ValidationError(errors)

    def label(self, data: dict[str, Any]) -> str:
        """A short human name for the record, for the audit log."""
        return str(data.get(self.label_field, self.label_default))[:80].strip()


def _no_checks(data: dict[str, Any]) -> dict[str, str]:
    return {}


_KIND_OF_MODEL = {k.model: k.name for k in DECLARED}
"""The kind of each table: what a reference field's file id names."""


def _kind(name: str) -> Kind:
    model, rules = model_for(name), rules_for(name)
    resolve, plain = {}, {}
    for key, rule in rules.items():
        if rule.kind in ("date", "datetime"):
            resolve[key] = rule.kind
        elif rule.kind == "ref":
            resolve[key] = _KIND_OF_MODEL[rule.ref]  # raised_by: a contact, run: a
            # playbook_run
            rule = F("int", required=rule.required)  # already a database id when cleaned
        elif key == "entity_id" and name in ("activity", "snooze"):
            resolve[key] = "entity_id"
        plain[key] = rule
    editable = issubclass(model, m.Editable)
    fields = model._meta.fields
    not_null = {key: (_MISSING if fields[key].default is None else fields[key].default)
                for key in rules if not fields[key].null}
    label_field = declared(name).title
    label_default = fields[label_field].default if label_field else None
    return Kind(name, model, plain, resolve, editable, not_null, label_field, label_default,
                declared(name).check or _no_checks)


KINDS: dict[str, Kind] = {kind: _kind(kind) for _, kind in SECTIONS}
"""Every kind of record a file holds, by name."""


def same_customer(owners: dict[str, dict[int, int]], data: dict[str, Any]) -> dict[str, str]:
    """``records.same_customer`` against the file's own records: ``owners`` maps kind ->
    record id -> its customer's id (the records imported so far)."""
    return records_same_customer(data, lambda kind, ref_id: owners[kind].get(ref_id))
