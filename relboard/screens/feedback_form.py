"""Record / edit a satisfaction answer: CSAT (1-5) or NPS (0-10), with comment, who, project
(the fields are the feedback kind's declaration)."""

from __future__ import annotations

from relboard.screens.record_form import CustomerRecordForm


class FeedbackForm(CustomerRecordForm):
    """An answer from ``customer_id`` (``feedback_id`` to edit one; ``kind`` preselects CSAT
    or NPS for a new one); dismisses with its id (None when cancelled)."""

    record_name = "feedback"

    def __init__(self, customer_id: int, feedback_id: int | None = None,
                 kind: str = "csat") -> None:
        self.initial = {"kind": kind if kind in ("csat", "nps") else "csat"}
        super().__init__(customer_id, feedback_id)
