"""New project / edit project of a customer: name, phase and dates (repeat business)."""

from __future__ import annotations

from relboard.screens.form_base import FormField
from relboard.screens.form_choices import labelled
from relboard.screens.record_form import CustomerRecordForm
from relboard.services.choices import PHASES


class ProjectForm(CustomerRecordForm):
    """A project of ``customer_id``: ``ProjectForm(cid)`` adds one, ``ProjectForm(cid, id)``
    edits one; dismisses with the project's id (None when cancelled)."""

    record_name = "project"
    label_field = "name"
    titles = ("New project", "Edit project")

    def __init__(self, customer_id: int, project_id: int | None = None) -> None:
        self.fields = [
            FormField("name", "Name", required=True),
            FormField("phase", "Phase", "choice", required=True, choices=labelled(PHASES)),
            FormField("start_date", "Starts on", "date", placeholder="YYYY-MM-DD"),
            FormField("end_date", "Ends on", "date", placeholder="YYYY-MM-DD"),
        ]
        self.initial = {"phase": "initiation"}
        super().__init__(customer_id, project_id)
