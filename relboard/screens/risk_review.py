"""Review a risk in two keys (Today's ``d`` on a risk to review, then enter): the next review
date proposed (today + the risk's usual interval, else +14d), the status and owner as stored;
enter in a text field saves (``risk_review.review``: one audited step, ``u`` takes it back)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.widgets import Input

from relboard.domain import RISK_STATUSES
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled
from relboard.services import lookups, risk_review
from relboard.widgets.safe import template


class RiskReviewForm(FormScreen):
    """Review risk #``risk_id`` (of ``customer_id``); dismisses with its id, None when
    cancelled. Enter in the date or owner field saves at once. ``with_customer``: the review
    was with the customer (Today's shared risks): that date is proposed as today."""

    record_name = "risk"
    label_field = "title"
    form_title = "Review risk"
    FOCUS = "review_on"

    def __init__(self, risk_id: int, with_customer: bool = False) -> None:
        self.record_id = risk_id
        self.with_customer = with_customer
        self.fields = [
            FormField("review_on", "Next review", "date", required=True,
                      placeholder="YYYY-MM-DD, +14d or friday"),
            FormField("status", "Status", "choice", required=True,
                      choices=labelled(RISK_STATUSES)),
            FormField("owner", "Owner", choices=lambda: lookups.owner_choices(self.ctx),
                      help="enter saves; a red risk needs an owner"),
            FormField("reviewed_with_customer_on", "With customer", "date",
                      placeholder="YYYY-MM-DD or today: gone through with the customer",
                      help="when you last went through it with the customer (a shared risk "
                           "not gone through lately shows on Today)"),
        ]
        super().__init__()

    def read_record(self) -> dict[str, Any] | None:
        """The stored risk with the proposed next review date (worker thread)."""
        assert self.record_id is not None
        return risk_review.review_draft(self.ctx, self.record_id, self.with_customer)

    def info(self, record: dict[str, Any] | None) -> Any:
        """Its score, and the review date it had."""
        if record is None:
            return None
        return template("Score [b]$score[/b] ($l x $i) · review was $was · next: +$days days",
                        score=record["likelihood"] * record["impact"],
                        l=record["likelihood"], i=record["impact"],
                        was=record["last_review_on"] or "not set", days=record["interval"])

    def to_save(self) -> dict[str, Any]:
        """Every field: a review keeps the proposed date even when nothing was typed."""
        return self.collect()

    def _new_person(self, values: dict[str, Any]) -> str | None:
        """Ask about an owner off the team only when the review changes it (the stored owner
        is sent back with every review)."""
        return super()._new_person({key: value for key, value in values.items()
                                    if value != self._baseline.get(key)})

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``risk_review.review`` at the version read."""
        ctx, risk_id, version = self.ctx, self.record_id, self.version
        assert risk_id is not None and version is not None
        return lambda: risk_review.review(ctx, risk_id, version, values)

    @on(Input.Submitted)
    def _save_on_enter(self, event: Input.Submitted) -> None:
        """Enter in a text field saves (the general form moves to the next field)."""
        event.stop()
        event.prevent_default()
        self.action_save()
