"""Raise a customer concern: the SLA clocks start now."""

from __future__ import annotations

from typing import Any, Callable

from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled
from relboard.services.choices import SEVERITIES
from relboard.services import issues, lookups


class IssueForm(FormScreen):
    """Raises an issue; dismisses with the new issue's id (None when cancelled).

    Without ``customer_id`` the form asks for the customer; its stakeholders and projects
    follow the choice.
    """

    form_title = "Raise an issue"

    def __init__(self, customer_id: int | None = None) -> None:
        fields = []
        if customer_id is None:
            fields.append(FormField("customer", "Customer", "choice", required=True,
                                    choices=lambda: lookups.customer_choices(limit=1000)))
        fields += [
            FormField("title", "Title", required=True),
            FormField("description", "Description", "longtext"),
            FormField("severity", "Severity", "choice", required=True,
                      choices=labelled(SEVERITIES)),
            FormField("raised_by", "Raised by", "choice", depends_on="customer",
                      choices=lookups.contact_choices),
            FormField("owner", "Owner", choices=lambda: lookups.owner_choices(self.ctx),
                      placeholder="blank: unassigned"),
            FormField("project", "Project", "choice", depends_on="customer",
                      choices=lookups.project_choices),
        ]
        self.fields = fields
        self.initial = {"customer": customer_id, "severity": "medium"}
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """Medium severity, owned by you."""
        return {**self.initial, "owner": self.ctx.user}

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``issues.raise_issue`` for the chosen customer."""
        new = {"customer": self.known.get("customer"), **values}
        ctx = self.ctx
        return lambda: issues.raise_issue(ctx, new)
