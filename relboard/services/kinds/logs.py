"""The kinds only files carry besides the records: the expectation trail, health snapshots,
the audit log and snoozes (written by services of their own, never edited as records)."""

from __future__ import annotations

from relboard import models as m
from relboard.services.kinds.declare import Kind
from relboard.services.spec import F

CHANGE_RULES = {
    "expectation": F("ref", required=True, ref=m.Expectation),
    "changed_at": F("datetime", required=True), "changed_by": F("text", required=True),
    "old_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "new_status": F("choice", choices=m.EXPECTATION_STATUSES),
    "old_due": F("date"), "new_due": F("date"), "old_statement": F("longtext"),
    "new_statement": F("longtext"), "reason": F("longtext"),
    "decision": F("ref", ref=m.Decision),
}
SNAPSHOT_RULES = {
    "customer": F("ref", required=True, ref=m.Customer), "day": F("date", required=True),
    "score": F("int", required=True, lo=0, hi=100),
    "band": F("choice", required=True, choices=m.HEALTH_BANDS),
    "taken_at": F("datetime", required=True),
    "dropped_from": F("choice", choices=m.HEALTH_BANDS),
}
ACTIVITY_RULES = {
    "at": F("datetime", required=True), "user": F("text", required=True),
    "entity": F("text", required=True), "entity_id": F("int", required=True),
    "action": F("text", required=True), "field": F("text"), "old": F("longtext"),
    "new": F("longtext"), "version": F("int", lo=1),
}
SNOOZE_RULES = {
    "entity": F("choice", required=True, choices=("customer", "contact", "expectation")),
    "entity_id": F("int", required=True), "until": F("date", required=True),
    "created_at": F("datetime", required=True), "created_by": F("text", required=True),
}

CHANGE_KIND = Kind("expectation_change", m.ExpectationChange, CHANGE_RULES,
                   "expectation_changes", editable=False)
SNAPSHOT_KIND = Kind("health_snapshot", m.HealthSnapshot, SNAPSHOT_RULES, "health_snapshots",
                     editable=False)
ACTIVITY_KIND = Kind("activity", m.Activity, ACTIVITY_RULES, "activity", editable=False)
SNOOZE_KIND = Kind("snooze", m.Snooze, SNOOZE_RULES, "snoozes", editable=False)
