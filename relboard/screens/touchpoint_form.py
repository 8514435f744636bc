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

    form_title = "Log a touchpoint"
    CHECKED_AS = "interaction"  # every problem at once: its values checked as a touchpoint

    def __init__(self, customer_id: int, contact_ids: Iterable[int] = (),
                 answers: tuple[int, int] | None = None,
                 step: tuple[int, int, str] | None = None) -> None:
        self.customer_id = customer_id
        self.answers = answers
        self.step = step
        """(id, version, what to do) of the playbook step this touchpoint does: the summary
        starts with what to do, and the save marks the step done."""
        """(touchpoint id, version) of the follow-up this touchpoint answers: its stakeholders
        are ticked, and a box (on) closes the follow-up with the save."""
        self.customer_name: str | None = None
        """The customer's name, read with the form's choices (in the worker, never on the
        UI thread: a failing database is then one line, not a crash)."""
        self._answer_people: list[int] = []
        self.closed = False
        """Whether the save closed the follow-up it answers or the playbook step it did (read
        by the opener)."""
        self.fields = [  # the reading order is the focus order: what was said comes first
            FormField("summary", "Summary", "longtext", required=True),
            FormField("contacts", "Stakeholders", "multi",
                      choices=lambda: lookups.contact_choices(customer_id),
                      help="space ticks a stakeholder"),
            FormField("channel", "Channel", "choice", required=True, choices=labelled(CHANNELS)),
            FormField("occurred_at", "When", "datetime",
                      placeholder="now, today 10:00, -2d 9:30, YYYY-MM-DD HH:MM"),
            FormField("sentiment", "Sentiment", "choice", choices=SENTIMENTS),
            FormField("follow_up_on", "Follow up on", "date", placeholder="YYYY-MM-DD"),
            *([FormField("close_follow_up", "Follow-up", "bool",
                         placeholder="done: this touchpoint answers it")] if answers else []),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
            FormField("internal", "Internal note", "bool",
                      placeholder="internal (does not count as contact)"),
        ]
        self.initial = {"channel": "call", "contacts": list(contact_ids),
                        **({"close_follow_up": True} if answers else {}),
                        **({"summary": step[2]} if step else {})}
        super().__init__()

    def read_record(self) -> dict[str, Any] | None:
        """A new touchpoint (worker thread): only the customer's name, for the title."""
        self.customer_name = lookups.customer_name(self.customer_id)
        if self.answers is not None:
            self._answer_people = [p["id"] for p in
                                   touchpoints.participants(self.answers[0])]
        return None

    def _loaded(self, result: Any) -> None:
        if self._answer_people and not result[1].get("contacts"):
            result[1]["contacts"] = self._answer_people  # the people the follow-up is with
        if self.customer_name is not None:
            self.query_one("#form-title", Static).update(
                content(f"{self.form_title} with {self.customer_name}"))
        super()._loaded(result)

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Log it now, with the ticked stakeholders (closing the follow-up it answers when
        the box is ticked; marking the playbook step it does done)."""
        values = dict(values)
        contacts = values.pop("contacts")
        answers = self.answers if values.pop("close_follow_up", False) else None
        step = self.step[:2] if self.step else None
        self.closed = answers is not None or step is not None
        values["customer"] = self.customer_id
        ctx = self.ctx
        return lambda: touchpoints.log_touchpoint(ctx, values, contacts, answers=answers,
                                                  step=step)
