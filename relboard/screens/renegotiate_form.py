"""Renegotiate a promise: a new due date and/or wording, and why (kept in the trail)."""

from __future__ import annotations

from typing import Any, Callable

from relboard.screens.form_base import FormField, FormScreen
from relboard.services import expectations
from relboard.widgets.safe import short, template


class RenegotiateForm(FormScreen):
    """Renegotiates expectation ``expectation_id``; dismisses with its id (None if cancelled).

    The fields start with the current due date and statement: change what was agreed anew and
    say why (required).
    """

    form_title = "Renegotiate expectation"
    record_name = "expectation"
    FOCUS = "new_due"
    ERROR_ALIASES = {"current_due": "new_due", "statement": "new_statement"}

    def __init__(self, expectation_id: int) -> None:
        self.record_id = expectation_id
        self.fields = [
            FormField("new_due", "New due date", "date", placeholder="YYYY-MM-DD"),
            FormField("new_statement", "New statement", "longtext"),
            FormField("reason", "Reason", "longtext", required=True,
                      help="what the customer agreed to, and why"),
        ]
        super().__init__()

    def values_from_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """Start from what stands now."""
        return {"new_due": record["current_due"], "new_statement": record["statement"],
                "customer": record["customer"]}

    def info(self, record: dict[str, Any] | None) -> Any:
        """The promise as it stands."""
        if record is None:
            return None
        return template("Now: due [b]$due[/b] (baseline $base), $status: $statement",
                        due=record["current_due"] or "-", base=record["baseline_due"] or "-",
                        status=(record["status"] or "").replace("_", " "),
                        statement=short(record["statement"], 120))

    def to_save(self) -> dict[str, Any]:
        """Every field but the statement, which is sent only when reworded.

        The statement is shown cleaned of control characters; sent back untouched it would
        count as a new wording and store the cleaned text.
        """
        values = self.collect()
        if values["new_statement"] == self._baseline.get("new_statement"):
            values["new_statement"] = None
        return values

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``expectations.renegotiate`` with the version read; untouched fields stay as stored."""
        ctx, version, expectation_id = self.ctx, self.version, self.record_id
        return lambda: expectations.renegotiate(
            ctx, expectation_id, version, reason=values.get("reason", ""),
            new_due=values.get("new_due"), new_statement=values.get("new_statement"))
