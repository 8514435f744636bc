"""Playbooks applied to customers: a run (name, start) and its steps, each a planned
follow-up (``services.playbooks`` applies them and marks steps done; files carry both)."""

from __future__ import annotations

from typing import Any

from relboard import models as m
from relboard.services.kinds.declare import Kind
from relboard.services.kinds.relationship import CUSTOMER
from relboard.services.spec import F


def _one_kind_of_step(values: dict[str, Any]) -> dict[str, str]:
    if values.get("done_interaction") and not values.get("done_at"):
        return {"done_interaction": "is set on a step that is not done (no done_at)"}
    return {}


PLAYBOOK_RUN_KIND = Kind(
    "playbook_run", m.PlaybookRun, {
        "customer": CUSTOMER, "name": F("text", required=True, max_len=40),
        "started_on": F("date", required=True),
    }, "playbook_runs", title="name", labels={"started_on": "Started on"})

PLAYBOOK_STEP_KIND = Kind(
    "playbook_step", m.PlaybookStep, {
        "run": F("ref", required=True, ref=m.PlaybookRun), "customer": CUSTOMER,
        "position": F("int", required=True, lo=1, hi=1000),
        "do": F("text", required=True), "every_days": F("int", lo=1, hi=3650),
        "due_on": F("date", required=True), "done_at": F("datetime", editable=False),
        "done_interaction": F("ref", ref=m.Interaction, editable=False),
    }, "playbook_steps", title="do", check=_one_kind_of_step,
    labels={"do": "Step", "every_days": "Every (days)", "due_on": "Due on",
            "done_at": "Done at", "done_interaction": "Done by touchpoint"})
