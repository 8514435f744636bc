"""Record a promise to a customer, or edit its wording, category, owner and project.

The due date and the status of an existing expectation change only by renegotiating or by a
status move, which keep the trail; this form does not touch them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import EXPECTATION_CATEGORIES
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import NEW_EXPECTATION_STATUSES, labelled, tags_field
from relboard.services import expectations, lookups, records
from relboard.widgets.safe import template

_EDITABLE = ("statement", "category", "owner", "project", "tags", "tags_read")


class ExpectationForm(FormScreen):
    """A new expectation (``expectation_id`` None) or an edit; dismisses with its id or None.

    Without ``customer_id`` a new expectation asks for the customer.
    """

    def __init__(self, customer_id: int | None = None,
                 expectation_id: int | None = None) -> None:
        self.record_name, self.record_id = "expectation", expectation_id
        new = expectation_id is None
        self.form_title = "New expectation" if new else "Edit expectation"
        fields = []
        if new and customer_id is None:
            fields.append(FormField("customer", "Customer", "choice", required=True,
                                    choices=lambda: lookups.customer_choices(limit=1000)))
        fields += [
            FormField("statement", "What was promised", "longtext", required=True),
            FormField("category", "Category", "choice", required=True,
                      choices=labelled(EXPECTATION_CATEGORIES)),
            FormField("owner", "Owner", choices=lambda: lookups.owner_choices(self.ctx)),
        ]
        if new:
            fields += [
                FormField("current_due", "Due", "date", required=True, placeholder="YYYY-MM-DD"),
                FormField("status", "Status", "choice", required=True,
                          choices=labelled(NEW_EXPECTATION_STATUSES)),
            ]
        fields.append(FormField("project", "Project", "choice", depends_on="customer",
                                choices=lookups.project_choices))
        fields.append(tags_field())
        self.fields = fields
        self.initial = {"customer": customer_id, "category": "deliverable", "status": "proposed"}
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """A new promise is yours, proposed, a deliverable."""
        return {**self.initial, "owner": self.ctx.user}

    def info(self, record: dict[str, Any] | None) -> Any:
        """For an edit: the due dates and status, which change elsewhere."""
        if record is None:
            return None
        return template("Due $due (baseline $base), $status. Renegotiate to change the due "
                        "date; status moves keep the trail.", due=record["current_due"] or "-",
                        base=record["baseline_due"] or "-",
                        status=(record["status"] or "").replace("_", " "))

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Create with status and due date, or update only the editable fields."""
        ctx, version, expectation_id = self.ctx, self.version, self.record_id
        if expectation_id is None:
            new = {"customer": self.known.get("customer"), **values}
            return lambda: expectations.create(ctx, new)
        changes = {k: v for k, v in values.items() if k in _EDITABLE}
        return lambda: records.update(ctx, "expectation", expectation_id, version, changes)
