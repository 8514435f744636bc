"""New referral / edit referral: a lead the customer gave us, and how it went (loyalty)."""

from __future__ import annotations

from typing import Any

from relboard.screens.form_base import FormField
from relboard.screens.form_choices import labelled
from relboard.screens.record_form import CustomerRecordForm
from relboard.services import lookups
from relboard.services.choices import REFERRAL_STATUSES


class ReferralForm(CustomerRecordForm):
    """A referral from ``customer_id`` (``referral_id`` to edit one); dismisses with its id."""

    record_name = "referral"
    label_field = "referred_name"
    titles = ("New referral", "Edit referral")

    def __init__(self, customer_id: int, referral_id: int | None = None) -> None:
        self.fields = [
            FormField("referred_name", "Referred", required=True,
                      placeholder="the company or person they referred"),
            FormField("referred_on", "Referred on", "date", required=True,
                      placeholder="YYYY-MM-DD"),
            FormField("status", "Status", "choice", required=True,
                      choices=labelled(REFERRAL_STATUSES)),
            FormField("contact", "Given by", "choice",
                      choices=lambda: lookups.contact_choices(customer_id)),
            FormField("notes", "Notes", "longtext"),
        ]
        self.initial = {"status": "new"}
        super().__init__(customer_id, referral_id)

    def initial_values(self) -> dict[str, Any]:
        """A new referral is dated today."""
        return {**self.initial, "referred_on": self.ctx.today()}
