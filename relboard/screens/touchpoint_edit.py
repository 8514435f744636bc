"""Edit a logged touchpoint: when it happened, how it went (channel, summary, sentiment), who
took part, its follow-up date and whether the follow-up is done, its project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import CHANNELS
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import DATETIME_HINT, SENTIMENTS, labelled
from relboard.services import lookups, touchpoints


class TouchpointEditForm(FormScreen):
    """Edits touchpoint ``interaction_id`` of ``customer_id``; dismisses with its id (None
    when cancelled). Saves only the fields changed, at the version read."""

    FOCUS = "summary"
    form_title = "Edit touchpoint"
    record_name = "interaction"
    ERROR_ALIASES = {"follow_up_done_at": "follow_up_done"}

    def __init__(self, customer_id: int, interaction_id: int) -> None:
        self.customer_id, self.record_id = customer_id, interaction_id
        self.fields = [
            FormField("channel", "Channel", "choice", required=True, choices=labelled(CHANNELS)),
            FormField("contacts", "Stakeholders", "multi",
                      choices=lambda: lookups.contact_choices(customer_id),
                      help="space ticks a stakeholder"),
            FormField("summary", "Summary", "longtext", required=True),
            FormField("occurred_at", "When", "datetime", required=True,
                      placeholder=DATETIME_HINT),
            FormField("sentiment", "Sentiment", "choice", choices=SENTIMENTS),
            FormField("follow_up_on", "Follow up on", "date", placeholder="YYYY-MM-DD"),
            FormField("follow_up_done", "Follow-up done", "bool", placeholder="done"),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
        ]
        super().__init__()

    def read_record(self) -> dict[str, Any] | None:
        """The stored touchpoint with who took part (worker thread)."""
        record = super().read_record()
        if record is not None:
            record["contacts"] = [p["id"] for p in touchpoints.participants(self.record_id)]
        return record

    def values_from_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The stored fields; the follow-up counts as done when it has a done moment."""
        return {**record, "follow_up_done": record.get("follow_up_done_at") is not None}

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``touchpoints.edit_touchpoint`` with the changed fields, at the version read."""
        ctx, version, record_id = self.ctx, self.version, self.record_id
        return lambda: touchpoints.edit_touchpoint(ctx, record_id, version, dict(values))
