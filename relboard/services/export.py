"""Export the whole database as YAML that ``transfer.import_file`` reads back identically."""

from __future__ import annotations

import datetime as _dt
from typing import Any, TextIO

import yaml

from relboard import models as m
from relboard.services.fileformat import FORMAT, SECTIONS, model_for, rules_for

_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _value(rule_kind: str, value: Any) -> Any:
    if rule_kind == "severity" and value is not None:
        return m.SEVERITIES[int(value) - 1]
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def export_data(now: _dt.datetime | None = None) -> dict[str, Any]:
    """Every record of every section, in id order, as plain data (None values left out)."""
    data: dict[str, Any] = {"relboard": FORMAT}
    if now is not None:
        data["exported_at"] = now.isoformat(sep=" ")
    links: dict[int, list[int]] = {}
    ic = m.InteractionContact
    for interaction_id, contact_id in ic.select(ic.interaction, ic.contact).order_by(
            ic.interaction, ic.contact).tuples():
        links.setdefault(interaction_id, []).append(contact_id)
    for section, kind in SECTIONS:
        model, rules = model_for(kind), rules_for(kind)
        rows = []
        for row in model.select().order_by(model.id).dicts():
            record: dict[str, Any] = {"id": row["id"]}
            for name, rule in rules.items():
                field = model._meta.fields[name]
                value = row.get(field.name if field.name in row else field.column_name)
                if value is not None:
                    record[name] = _value(rule.kind, value)
            if kind == "interaction" and row["id"] in links:
                record["contacts"] = links[row["id"]]
            rows.append(record)
        if rows:
            data[section] = rows
    return data


def export_yaml(out: TextIO, now: _dt.datetime | None = None) -> None:
    """Write the export to a text stream."""
    yaml.dump(export_data(now), out, Dumper=_SAFE_DUMPER, sort_keys=False,
              allow_unicode=True, width=100, default_flow_style=False)
