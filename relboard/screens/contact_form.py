"""New stakeholder / edit stakeholder of a customer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import CHANNELS, ENGAGEMENT
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import SCALE_1_5, labelled
from relboard.services import records


class ContactForm(FormScreen):
    """A stakeholder of ``customer_id``; dismisses with the contact's id (None if cancelled).

    ``ContactForm(customer_id)`` adds one, ``ContactForm(customer_id, contact_id)`` edits one.
    """

    label_field = "name"

    def __init__(self, customer_id: int, contact_id: int | None = None) -> None:
        self.customer_id = customer_id
        self.record_name, self.record_id = "contact", contact_id
        self.form_title = "Edit stakeholder" if contact_id else "New stakeholder"
        engagement = labelled(ENGAGEMENT)
        self.fields = [
            FormField("name", "Name", required=True),
            FormField("role", "Role", placeholder="e.g. CIO, sponsor, key user"),
            FormField("email", "Email"),
            FormField("phone", "Phone"),
            FormField("preferred_channel", "Preferred channel", "choice", required=True,
                      choices=labelled(CHANNELS)),
            FormField("influence", "Influence", "choice", required=True, choices=SCALE_1_5),
            FormField("interest", "Interest", "choice", required=True, choices=SCALE_1_5),
            FormField("engagement_current", "Engagement now", "choice", required=True,
                      choices=engagement),
            FormField("engagement_desired", "Engagement wanted", "choice", required=True,
                      choices=engagement),
            FormField("cadence_days", "Cadence (days)", "int",
                      placeholder="blank: no cadence of their own"),
        ]
        self.initial = {"preferred_channel": "email", "influence": 3, "interest": 3,
                        "engagement_current": "neutral", "engagement_desired": "supportive"}
        super().__init__()

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Create for the customer, or update the version that was read."""
        ctx, version, contact_id = self.ctx, self.version, self.record_id
        if contact_id is None:
            new = {**values, "customer": self.customer_id}
            return lambda: records.create(ctx, "contact", new)
        return lambda: records.update(ctx, "contact", contact_id, version, values)
