"""The base of the forms for a customer's own records (project, risk, feedback, referral):
create one for the customer, or edit one, through ``records`` like every other form."""

from __future__ import annotations

from typing import Any, Callable

from relboard.screens.form_base import FormScreen
from relboard.services import records


class CustomerRecordForm(FormScreen):
    """A record of kind ``record_name`` belonging to ``customer_id``; ``record_id`` None makes
    a new one. Dismisses with the record's id (None when cancelled).

    Subclasses set ``record_name``, ``label_field``, ``titles`` (new, edit) and build
    ``fields`` (and ``initial``) before calling ``super().__init__``.
    """

    titles = ("New record", "Edit record")

    def __init__(self, customer_id: int, record_id: int | None = None) -> None:
        self.customer_id = customer_id
        self.record_id = record_id
        self.form_title = self.titles[record_id is not None]
        super().__init__()

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """Create it for the customer, or change the version that was read."""
        ctx, name, version, record_id = self.ctx, self.record_name, self.version, self.record_id
        if record_id is None:
            new = {**values, "customer": self.customer_id}
            return lambda: records.create(ctx, name, new)
        return lambda: records.update(ctx, name, record_id, version, values)
