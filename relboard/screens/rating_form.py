"""The PM's own health rating of a customer, beside the computed score: 0-100 and/or a band,
with a note (``health.set_rating``). Blank score and band clear it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard.domain import HEALTH_BANDS
from relboard.screens.form_base import FormField, FormScreen
from relboard.screens.form_choices import labelled
from relboard.services import health
from relboard.widgets.safe import template


class RatingForm(FormScreen):
    """Rates customer ``customer_id``; dismisses with its id (None when cancelled)."""

    record_name = "customer"
    label_field = "name"
    form_title = "Your health rating"
    ERROR_ALIASES = {"health_rating": "score", "health_rating_band": "band",
                     "health_rating_note": "note"}

    def __init__(self, customer_id: int) -> None:
        self.record_id = customer_id
        self.fields = [
            FormField("score", "Score", "int", placeholder="0-100 (the band follows)"),
            FormField("band", "Band", "choice", choices=labelled(HEALTH_BANDS),
                      placeholder="(from the score)"),
            FormField("note", "Note", "longtext", help="why you see it this way"),
        ]
        super().__init__()

    def values_from_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The rating stored on the customer."""
        return {"score": record.get("health_rating"), "band": record.get("health_rating_band"),
                "note": record.get("health_rating_note") or ""}

    def info(self, record: dict[str, Any] | None) -> Any:
        """What the rating is for."""
        return template("Your own judgement, shown beside the computed score. Leave score and "
                        "band blank to clear it.")

    def to_save(self) -> dict[str, Any]:
        """The whole rating when anything changed (it is set as one); an untouched note is
        sent as stored, never as the cleaned text shown."""
        values = self.collect()
        if values == self._baseline:
            return {}
        if values["note"] == self._baseline.get("note"):
            values["note"] = self.known.get("note") or ""
        return values

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """``health.set_rating`` with the version read."""
        ctx, version, cid = self.ctx, self.version, self.record_id
        score = values.get("score")
        return lambda: health.set_rating(ctx, cid, version, score=score,
                                         band=values.get("band"), note=values.get("note") or "")
