"""Record / edit a satisfaction answer: CSAT (1-5) or NPS (0-10), with comment, who, project."""

from __future__ import annotations

from typing import Any

from relboard.screens.form_base import FormField
from relboard.screens.record_form import CustomerRecordForm
from relboard.services import lookups

KINDS = (("CSAT (1-5: how satisfied)", "csat"), ("NPS (0-10: would recommend)", "nps"))
"""The two kinds of answer, with their scales."""


class FeedbackForm(CustomerRecordForm):
    """An answer from ``customer_id`` (``feedback_id`` to edit one; ``kind`` preselects CSAT
    or NPS for a new one); dismisses with its id (None when cancelled)."""

    record_name = "feedback"
    label_field = "kind"
    titles = ("Record feedback", "Edit feedback")
    FOCUS = "score"

    def __init__(self, customer_id: int, feedback_id: int | None = None,
                 kind: str = "csat") -> None:
        self.fields = [
            FormField("kind", "Kind", "choice", required=True, choices=KINDS),
            FormField("score", "Answer", "int", required=True,
                      placeholder="CSAT 1-5, NPS 0-10"),
            FormField("comment", "Comment", "longtext"),
            FormField("contact", "From", "choice",
                      choices=lambda: lookups.contact_choices(customer_id)),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
            FormField("received_on", "Received on", "date", required=True,
                      placeholder="YYYY-MM-DD"),
        ]
        self.initial = {"kind": kind if kind in ("csat", "nps") else "csat"}
        super().__init__(customer_id, feedback_id)

    def initial_values(self) -> dict[str, Any]:
        """A new answer is dated today."""
        return {**self.initial, "received_on": self.ctx.today()}
