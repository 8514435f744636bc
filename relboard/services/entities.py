"""The editable entities as the record services see them: table, field rules, and how a
record is named in the log — worked out from the kinds' declarations (``services.kinds``)."""

from __future__ import annotations

from dataclasses import dataclass

from relboard import models as m
from relboard.services.kinds import BY_NAME, RECORD_KINDS
from relboard.services.spec import F


@dataclass(frozen=True)
class Entity:
    """An editable kind of record."""

    name: str
    model: type[m.Editable]
    rules: dict[str, F]
    label_field: str

    def label(self, row: m.Editable) -> str:
        """A short human name for a record, for logs and messages."""
        return str(getattr(row, self.label_field))[:80].strip()


ENTITIES: dict[str, Entity] = {
    k.name: Entity(k.name, k.model, k.rules, k.title or "id") for k in RECORD_KINDS}
"""Every editable kind, by name."""


def entity(name: str) -> Entity:
    """The entity called ``name`` (KeyError names the known ones)."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}; known: {', '.join(ENTITIES)}") from None


def field_label(name: str, field: str) -> str:
    """The label of ``field`` of a record of kind ``name`` for people (History, messages):
    ``engagement_desired`` -> "Desired engagement"; otherwise the column name in words."""
    kind = BY_NAME.get(name)
    if kind is not None:
        return kind.label(field)
    return field.replace("_", " ").strip().capitalize()
