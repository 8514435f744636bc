"""New customer / edit customer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import TIERS
from relboard.screens.confirm import ConfirmDialog
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled, tags_field
from relboard.services import lookups, records


class CustomerForm(FormScreen):
    """A customer's details; dismisses with the customer's id (None when cancelled).

    ``CustomerForm()`` creates a customer, ``CustomerForm(customer_id)`` edits one (optimistic:
    a save over someone else's newer change asks what to do). A new customer whose name is
    already a customer's asks first ("A customer named X exists (#id). Add another?"); no
    keeps the form as typed.
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
            FormField("renews_on", "Renews on", "date",
                      placeholder="the contract's renewal date; blank: none"),
            FormField("goals", "Goals", "longtext"),
            FormField("needs", "Needs", "longtext"),
            FormField("notes", "Notes", "longtext"),
            tags_field(),
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

    def _run_save(self, values: dict[str, Any]) -> None:
        """A new customer: look for the name first (in a worker), then save or ask."""
        if self.record_id is not None or values.get("name") is None:
            super()._run_save(values)
            return
        self._saving = True
        self._set_line("#form-error", "Saving…")
        self.call_service(lookups.customer_named, values["name"],
                          done=lambda found: self._name_checked(found, values),
                          failed=self._failed, notify_errors=False)

    def _name_checked(self, found: tuple[int, str] | None, values: dict[str, Any]) -> None:
        if not self.is_attached:
            return
        if found is None:
            super()._run_save(values)
            return
        self._saving = False
        self._set_line("#form-error", None)
        customer_id, name = found
        self.app.push_screen(
            ConfirmDialog(f"A customer named {name} exists (#{customer_id}). Add another?",
                          yes="Add another", no="Back to the form"),
            lambda yes: super(CustomerForm, self)._run_save(values) if yes
            else self.field("name").focus())
