"""The fields of a record that a config command's argv may name (``command_spec.FIELDS``),
as plain text: the record's own, its customer's and its stakeholder's.

The stakeholder is the record's own person: an issue's ``raised_by``, a stakeholder record
itself; other records have none (a template naming ``{stakeholder.*}`` is then not run).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard import models as m
from relboard.command_spec import FIELDS
from relboard.domain import severity_name
from relboard.services.context import Context
from relboard.services.errors import NotFoundError

_MODELS: dict[str, Any] = {"customer": m.Customer, "stakeholder": m.Contact, "issue": m.Issue,
                           "expectation": m.Expectation, "risk": m.Risk}
_KIND_OF = {"contact": "stakeholder", "health": "customer", "interaction": "customer",
            "step": "customer"}
"""Record kinds (as screens and Today name them) read as another kind's fields."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _fields(kind: str, row: Any) -> dict[str, str]:
    out = {}
    for name in FIELDS[kind]:
        value = getattr(row, name)
        if kind == "issue" and name == "severity":
            value = severity_name(value)
        out[f"{kind}.{name}"] = _text(value)
    return out


def record_fields(ctx: Context, kind: str, record_id: int) -> dict[str, str]:
    """``{"customer.name": ..., "issue.title": ...}`` for record ``kind`` #``record_id``
    (issue, expectation, risk, contact, customer, health, interaction, step): every field of
    ``FIELDS`` it and its customer (and its stakeholder) have, as text ("" when empty).
    NotFoundError when the record is gone."""
    del ctx  # reads need no clock; kept for the services' calling convention
    as_kind = _KIND_OF.get(kind, kind)
    row: Any
    if kind in ("interaction", "step"):  # a follow-up, a playbook step: its customer's
        model: Any = m.Interaction if kind == "interaction" else m.PlaybookStep
        touchpoint: Any = model.get_or_none(model.id == record_id)
        row = touchpoint and m.Customer.get_or_none(m.Customer.id == touchpoint.customer_id)
    elif as_kind in _MODELS:
        model = _MODELS[as_kind]
        row = model.get_or_none(model.id == record_id)
    else:
        raise NotFoundError(kind, record_id)
    if row is None:
        raise NotFoundError(kind, record_id)
    out = _fields(as_kind, row)
    if as_kind != "customer":
        out.update(_fields("customer", m.Customer.get_by_id(row.customer_id)))
    if as_kind == "issue" and row.raised_by_id is not None:
        contact = m.Contact.get_or_none(m.Contact.id == row.raised_by_id)
        if contact is not None:
            out.update(_fields("stakeholder", contact))
    return out
