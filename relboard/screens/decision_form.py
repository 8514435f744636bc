"""New decision / edit decision of the log: what was decided, the options considered, the
rationale, who took part (the customer's stakeholders plus free text), when — and, for a
stored decision, the expectation changes it caused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.content import Content

from relboard.screens.form_base import FormField, FormScreen
from relboard.services import decisions, lookups
from relboard.text import safe
from relboard.widgets.safe import short


def changes_text(changes: list[dict[str, Any]]) -> Content:
    """The expectation changes a decision caused, one line each: the promise, the due move."""
    if not changes:
        return Content("No expectation change recorded with this decision.")
    lines = [f"Caused {len(changes)} expectation change{'s' if len(changes) != 1 else ''}:"]
    for change in changes:
        due = ""
        if change.get("new_due"):
            due = f" due {change.get('old_due') or '—'} → {change['new_due']}"
        lines.append(f"  “{short(change.get('statement'), 30)}”{due}"
                     + (f" ({safe(change.get('new_status'))})" if change.get("new_status")
                        else ""))
    return Content("\n".join(lines))


class DecisionForm(FormScreen):
    """A decision of ``customer_id`` (``decision_id`` to edit one); dismisses with its id."""

    record_name = "decision"
    label_field = "title"

    def __init__(self, customer_id: int, decision_id: int | None = None) -> None:
        self.customer_id = customer_id
        self.record_id = decision_id
        self.form_title = "Edit decision" if decision_id else "Record a decision"
        self.fields = [
            FormField("title", "Decided", required=True, placeholder="what was decided"),
            FormField("decided_on", "Decided on", "date", required=True,
                      placeholder="YYYY-MM-DD"),
            FormField("options", "Options considered", "longtext"),
            FormField("rationale", "Rationale", "longtext"),
            FormField("contacts", "Stakeholders", "multi",
                      choices=lambda: lookups.contact_choices(customer_id),
                      help="space ticks a stakeholder who took part"),
            FormField("participants", "Others present",
                      placeholder="free text: people not on the stakeholder list"),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
        ]
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """A new decision is dated today."""
        return {"decided_on": self.ctx.today(), "contacts": []}

    def read_record(self) -> dict[str, Any] | None:
        """The decision with its stakeholders and the expectation changes it caused."""
        return None if self.record_id is None else decisions.decision(self.record_id)

    def values_from_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The stored fields; the stakeholders who took part as their ids."""
        return {**record, "contacts": [cid for cid, _ in record.get("contacts", ())]}

    def info(self, record: dict[str, Any] | None) -> Any:
        """For a stored decision, the expectation changes it caused."""
        return None if record is None else changes_text(record.get("expectation_changes", []))

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``decisions.create``, or ``decisions.update`` with the stakeholders only when they
        changed."""
        values = dict(values)
        ctx, version, decision_id = self.ctx, self.version, self.record_id
        if decision_id is None:
            contacts = values.pop("contacts", [])
            new = {**values, "customer": self.customer_id}
            return lambda: decisions.create(ctx, new, contacts)
        contacts = values.pop("contacts", None)
        return lambda: decisions.update(ctx, decision_id, version, values, contacts=contacts)
