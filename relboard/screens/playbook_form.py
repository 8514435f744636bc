"""Apply a playbook of the config to a customer (the profile's ``L``): which playbook, and from
when (today unless changed); each step becomes a planned follow-up (``services.playbooks``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.screens.form_base import FormField, FormScreen
from relboard.services import playbooks


class PlaybookForm(FormScreen):
    """Apply a playbook to ``customer_id``; dismisses with the run's id (None: cancelled). A
    playbook the customer runs already is refused under its field."""

    form_title = "Apply a playbook"
    CHECKED_AS = None  # the service checks the name and the date, and says why

    def __init__(self, customer_id: int, names: list[tuple[str, str]], today: str) -> None:
        self.customer_id = customer_id
        self.fields = [
            FormField("playbook", "Playbook", "choice", required=True, choices=names),
            FormField("started_on", "Start", "date", required=True,
                      placeholder="YYYY-MM-DD, +3d, -2w or monday",
                      help="each step is due from this day (after_days, every_days)"),
        ]
        self.initial = {"playbook": names[0][1] if names else None, "started_on": today}
        super().__init__()

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Apply it (one transaction: the run and its steps)."""
        ctx, customer = self.ctx, self.customer_id
        return lambda: playbooks.apply(ctx, customer, values["playbook"], values["started_on"])


def choices(defined: Any) -> list[tuple[str, str]]:
    """(label, name) of each configured playbook: "onboarding (3 steps)"."""
    return [(f"{p.name} ({len(p.steps)} step{'s' if len(p.steps) != 1 else ''})", p.name)
            for p in defined]
