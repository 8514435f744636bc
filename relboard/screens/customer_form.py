"""New customer / edit customer."""

from __future__ import annotations

from typing import Any, Callable

from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled
from relboard.services.choices import TIERS
from relboard.services import lookups, records


class CustomerForm(FormScreen):
    """A customer's details; dismisses with the customer's id (None when cancelled).

    ``CustomerForm()`` creates a customer, ``CustomerForm(customer_id)`` edits one (optimistic:
    a save over someone else's newer change asks what to do).
    """

    label_field = "name"

    def __init__(self, customer_id: int | None = None) -> None:
        self.record_name, self.record_id = "customer", customer_id
        self.form_title = "Edit customer" if customer_id else "New customer"
        self.fields = [
            FormField("name", "Name", required=True),
            FormField("industry", "Industry"),
            FormField("tier", "Tier", "choice", required=True, choices=labelled(TIERS)),
            FormField("owner", "Owner", choices=lambda: lookups.owner_choices(self.ctx),
                      placeholder="who keeps the relationship"),
            FormField("cadence_days", "Cadence (days)", "int",
                      placeholder="days between contacts; blank: the team default"),
            FormField("goals", "Goals", "longtext"),
            FormField("needs", "Needs", "longtext"),
            FormField("notes", "Notes", "longtext"),
        ]
        super().__init__()

    def initial_values(self) -> dict[str, Any]:
        """A new customer: standard tier, owned by you."""
        return {"tier": "standard", "owner": self.ctx.user}

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Create, or update the version that was read."""
        ctx, version, customer_id = self.ctx, self.version, self.record_id
        if customer_id is None:
            return lambda: records.create(ctx, "customer", values)
        return lambda: records.update(ctx, "customer", customer_id, version, values)
