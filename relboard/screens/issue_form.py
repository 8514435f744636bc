"""Raise a customer concern (the SLA clocks start now), or edit one's title, description,
severity, owner, who raised it and its project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import SEVERITIES
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled, tags_field
from relboard.services import issues, lookups, records


class IssueForm(FormScreen):
    """Raises an issue, or edits issue ``issue_id``; dismisses with the issue's id (None when
    cancelled).

    Without ``customer_id`` a new issue asks for the customer; its stakeholders and projects
    follow the choice. An edit saves only the fields changed, at the version read; status,
    resolution and snooze change by their own keys, which keep the SLA clocks right.
    """

    form_title = "Raise an issue"
    record_name = "issue"
    label_field = None

    def __init__(self, customer_id: int | None = None, issue_id: int | None = None) -> None:
        self.record_id = issue_id
        if issue_id is not None:
            self.form_title, self.label_field = "Edit issue", "title"
        fields = []
        if customer_id is None and issue_id is None:
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
            tags_field(),
        ]
        self.fields = fields
        self.initial = {"customer": customer_id, "severity": "medium"}
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """Medium severity, owned by you."""
        return {**self.initial, "owner": self.ctx.user}

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``issues.raise_issue`` for the chosen customer, or the changed fields of an edit."""
        ctx, version, issue_id = self.ctx, self.version, self.record_id
        if issue_id is not None:
            return lambda: records.update(ctx, "issue", issue_id, version, values)
        new = {"customer": self.known.get("customer"), **values}
        return lambda: issues.raise_issue(ctx, new)
