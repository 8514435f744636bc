"""The fast "log a touchpoint": who took part, what was said, how it felt, what follows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.widgets import Static

from relboard.domain import CHANNELS
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import SENTIMENTS, labelled
from relboard.services import lookups, touchpoints
from relboard.widgets.safe import content


class TouchpointForm(FormScreen):
    """Logs a touchpoint with ``customer_id``; dismisses with its id (None when cancelled).

    ``contact_ids`` are preselected as participants; the cursor starts in the summary.
    """

    FOCUS = "summary"
    form_title = "Log a touchpoint"

    def __init__(self, customer_id: int, contact_ids: Iterable[int] = ()) -> None:
        self.customer_id = customer_id
        self.customer_name: str | None = None
        """The customer's name, read with the form's choices (in the worker, never on the
        UI thread: a failing database is then one line, not a crash)."""
        self.fields = [
            FormField("channel", "Channel", "choice", required=True, choices=labelled(CHANNELS)),
            FormField("contacts", "Stakeholders", "multi",
                      choices=lambda: lookups.contact_choices(customer_id),
                      help="space ticks a stakeholder"),
            FormField("summary", "Summary", "longtext", required=True),
            FormField("occurred_at", "When", "datetime",
                      placeholder="now, or YYYY-MM-DD HH:MM"),
            FormField("sentiment", "Sentiment", "choice", choices=SENTIMENTS),
            FormField("follow_up_on", "Follow up on", "date", placeholder="YYYY-MM-DD"),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
            FormField("internal", "Internal note", "bool",
                      placeholder="internal (does not count as contact)"),
        ]
        self.initial = {"channel": "call", "contacts": list(contact_ids)}
        super().__init__()

    def read_record(self) -> dict[str, Any] | None:
        """A new touchpoint (worker thread): only the customer's name, for the title."""
        self.customer_name = lookups.customer_name(self.customer_id)
        return None

    def _loaded(self, result: Any) -> None:
        if self.customer_name is not None:
            self.query_one("#form-title", Static).update(
                content(f"{self.form_title} with {self.customer_name}"))
        super()._loaded(result)

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Log it now, with the ticked stakeholders."""
        values = dict(values)
        contacts = values.pop("contacts")
        values["customer"] = self.customer_id
        ctx = self.ctx
        return lambda: touchpoints.log_touchpoint(ctx, values, contacts)
