"""The forms for a customer's own records (project, risk, feedback, referral, and any kind
declared with a ``Form``): create one for the customer, or edit one, through ``records``.

``CustomerRecordForm`` builds its fields from the kind's declaration (``services.kinds``):
the labels are the fields' own, choices of words are shown as words, and a callable choice
list is asked with the context and the customer. ``kind_form(name)`` is the form class of a
kind: the one its declaration names, else a ``CustomerRecordForm`` made for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled, tags_field
from relboard.services import records, tags
from relboard.services.kinds import Kind, kind

_INPUT_KINDS = {"ref": "choice", "severity": "choice"}
"""Rule kinds shown by another widget (a linked record is picked from a list)."""


def form_fields(declared: Kind, customer_id: int, ctx: Callable[[], Any]) -> list[FormField]:
    """The form fields of ``declared``'s form for a record of ``customer_id``; ``ctx()``
    gives the app's context when a choice list is read."""
    fields = []
    for spec in declared.form.inputs:
        choices: Any = spec.choices
        if callable(choices):
            choices = (lambda read: lambda: read(ctx(), customer_id))(choices)
        elif choices and all(isinstance(c, str) for c in choices):
            choices = labelled(tuple(choices))
        rule = declared.rules[spec.name].kind
        fields.append(FormField(spec.name, declared.label(spec.name),
                                spec.kind or _INPUT_KINDS.get(rule, rule), spec.required,
                                choices, spec.placeholder, spec.help))
    return fields


class CustomerRecordForm(FormScreen):
    """A record of kind ``record_name`` belonging to ``customer_id``; ``record_id`` None makes
    a new one. Dismisses with the record's id (None when cancelled)."""

    record_name = ""

    def __init__(self, customer_id: int, record_id: int | None = None) -> None:
        declared = kind(self.record_name)
        self.declared = declared
        self.customer_id = customer_id
        self.record_id = record_id
        self.label_field = declared.title
        self.form_title = declared.form.titles[record_id is not None]
        self.FOCUS = declared.form.focus
        self.fields = form_fields(declared, customer_id, lambda: self.ctx)
        if declared.name in tags.TAGGED:  # a risk's tags, kept beside it
            self.fields.append(tags_field())
        self.initial = {**declared.form.initial, **getattr(self, "initial", {})}
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """A new record: the declared start values, today in its date fields, the user in
        its own-name field (a risk's owner)."""
        form = self.declared.form
        values = {**self.initial, **{name: self.ctx.today() for name in form.today}}
        if form.me:
            values[form.me] = self.ctx.user
        return values

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Create it for the customer, or change the version that was read."""
        ctx, name, version, record_id = self.ctx, self.record_name, self.version, self.record_id
        if record_id is None:
            new = {**values, "customer": self.customer_id}
            return lambda: records.create(ctx, name, new)
        return lambda: records.update(ctx, name, record_id, version, values)


@cache
def kind_form(name: str) -> type[FormScreen]:
    """The form class of kind ``name``: the screen its declaration names (``module:Class``
    under ``screens``), else a ``CustomerRecordForm`` for it (``ProjectForm``)."""
    declared = kind(name)
    if declared.form.screen:
        module, cls = declared.form.screen.split(":")
        return getattr(importlib.import_module(f"relboard.screens.{module}"), cls)
    title = "".join(part.title() for part in name.split("_"))
    return type(f"{title}Form", (CustomerRecordForm,), {
        "record_name": name, "__module__": __name__,
        "__doc__": f"A {name.replace('_', ' ')} of a customer (from its declaration)."})
