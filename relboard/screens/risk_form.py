"""New risk / edit risk of the joint register: likelihood x impact, trigger, mitigation,
contingency, owner, review date and status."""

from __future__ import annotations

from typing import Any

from relboard.screens.form_base import FormField
from relboard.screens.form_choices import SCALE_1_5, labelled
from relboard.screens.record_form import CustomerRecordForm
from relboard.services import lookups
from relboard.services.choices import RISK_STATUSES
from relboard.services.risks import band_of, risk_score
from relboard.widgets.safe import template


class RiskForm(CustomerRecordForm):
    """A risk of ``customer_id`` (``risk_id`` to edit one); dismisses with its id."""

    record_name = "risk"
    label_field = "title"
    titles = ("New risk", "Edit risk")

    def __init__(self, customer_id: int, risk_id: int | None = None) -> None:
        self.fields = [
            FormField("title", "Title", required=True),
            FormField("description", "Description", "longtext"),
            FormField("likelihood", "Likelihood", "choice", required=True, choices=SCALE_1_5),
            FormField("impact", "Impact", "choice", required=True, choices=SCALE_1_5),
            FormField("trigger", "Trigger", "longtext", help="the sign that it is happening"),
            FormField("mitigation", "Mitigation", "longtext"),
            FormField("contingency", "Contingency", "longtext",
                      help="the plan if it happens (every red risk needs one)"),
            FormField("owner", "Owner", choices=lambda: lookups.owner_choices(self.ctx),
                      placeholder="blank: nobody yet"),
            FormField("review_on", "Review on", "date", placeholder="YYYY-MM-DD"),
            FormField("status", "Status", "choice", required=True,
                      choices=labelled(RISK_STATUSES)),
            FormField("project", "Project", "choice",
                      choices=lambda: lookups.project_choices(customer_id)),
        ]
        self.initial = {"likelihood": 3, "impact": 3, "status": "open"}
        super().__init__(customer_id, risk_id)

    def initial_values(self) -> dict[str, Any]:
        """A new risk is open and owned by you."""
        return {**self.initial, "owner": self.ctx.user}

    def info(self, record: dict[str, Any] | None) -> Any:
        """The stored risk's score (likelihood x impact) and band."""
        if record is None:
            return template("Score = likelihood x impact (1-25): 15-25 red, 5-14 amber, "
                            "1-4 green.")
        score = risk_score(record["likelihood"], record["impact"])
        return template("Score [b]$score[/b] ($l x $i), [b]$band[/b]", score=score,
                        l=record["likelihood"], i=record["impact"], band=band_of(score))
