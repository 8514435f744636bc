"""Renegotiate a promise: a new due date and/or wording, why, and the decision that caused it
(kept in the trail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.screens.form_base import FormField, FormScreen
from relboard.services import decisions, expectations, profile_lists
from relboard.services.errors import ValidationError
from relboard.text import is_blank
from relboard.widgets.safe import short, template


class RenegotiateForm(FormScreen):
    """Renegotiates expectation ``expectation_id``; dismisses with its id (None if cancelled).

    The fields start with the current due date and statement: change what was agreed anew and
    say why (required). The decision that caused it is picked from the customer's, or typed
    as a new one (recorded today, with the reason as its rationale).
    """

    form_title = "Renegotiate expectation"
    record_name = "expectation"
    FOCUS = "new_due"
    ERROR_ALIASES = {"current_due": "new_due", "statement": "new_statement",
                     "title": "new_decision", "decided_on": "new_decision"}

    def __init__(self, expectation_id: int) -> None:
        self.record_id = expectation_id
        self.fields = [
            FormField("new_due", "New due date", "date", placeholder="YYYY-MM-DD"),
            FormField("new_statement", "New statement", "longtext"),
            FormField("reason", "Reason", "longtext", required=True,
                      help="what the customer agreed to, and why"),
            FormField("decision", "Decision", "choice", depends_on="customer",
                      choices=profile_lists.decision_choices,
                      help="the decision that caused it, if one is recorded"),
            FormField("new_decision", "Or new decision",
                      placeholder="what was decided (recorded today)"),
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
        """``expectations.renegotiate`` with the version read, naming the chosen decision; with
        a new decision typed, ``decisions.decide_and_renegotiate`` records both at once."""
        ctx, version, expectation_id = self.ctx, self.version, self.record_id
        change = {"reason": values.get("reason") or "", "new_due": values.get("new_due"),
                  "new_statement": values.get("new_statement")}
        title = values.get("new_decision") or ""
        if is_blank(title):
            return lambda: expectations.renegotiate(ctx, expectation_id, version,
                                                    decision_id=values.get("decision"),
                                                    **change)
        decision = {"title": title, "decided_on": ctx.today(), "rationale": change["reason"],
                    "customer": self.known.get("customer")}

        def both() -> Any:
            if values.get("decision") is not None:
                raise ValidationError("new_decision", "give a new decision or pick one, not both")
            return decisions.decide_and_renegotiate(ctx, decision, (), expectation_id, version,
                                                    **change)

        return both
