"""New risk / edit risk of the joint register: likelihood x impact, trigger, mitigation,
contingency, owner, review date and status, and the stored risk's score."""

from __future__ import annotations

from typing import Any

from relboard.screens.record_form import CustomerRecordForm
from relboard.services.risks import band_of, risk_score
from relboard.widgets.safe import template


class RiskForm(CustomerRecordForm):
    """A risk of ``customer_id`` (``risk_id`` to edit one); dismisses with its id. The fields
    are the risk kind's declaration; this form adds the score line."""

    record_name = "risk"

    def info(self, record: dict[str, Any] | None) -> Any:
        """The stored risk's score (likelihood x impact) and band."""
        if record is None:
            return template("Score = likelihood x impact (1-25): 15-25 red, 5-14 amber, "
                            "1-4 green.")
        score = risk_score(record["likelihood"], record["impact"])
        return template("Score [b]$score[/b] ($l x $i), [b]$band[/b]", score=score,
                        l=record["likelihood"], i=record["impact"], band=band_of(score))
