"""The editable entities: their table, field rules, and how a record is named in the log."""

from __future__ import annotations

from dataclasses import dataclass

from relboard import models as m
from relboard.services.spec import F


@dataclass(frozen=True)
class Entity:
    """An editable kind of record."""

    name: str
    model: type[m.Editable]
    rules: dict[str, F]
    label_field: str

    def label(self, row: m.Editable) -> str:
        """A short human name for a record, for logs and messages."""
        return str(getattr(row, self.label_field))[:80].strip()


_SEVERITY = F("severity", label="severity")
_CUSTOMER = F("ref", required=True, ref=m.Customer)
_PROJECT = F("ref", ref=m.Project)
_CONTACT = F("ref", ref=m.Contact)
_EXPECTATION = F("ref", ref=m.Expectation)
_USER = F("text", max_len=64)
_NOTE = F("longtext")
_CADENCE = F("int", lo=1, hi=365)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity("customer", m.Customer, {
            "name": F("text", required=True), "industry": F("text", max_len=100),
            "tier": F("choice", choices=m.TIERS), "owner": _USER, "goals": _NOTE,
            "needs": _NOTE, "notes": _NOTE, "cadence_days": _CADENCE,
            "archived": F("bool", editable=False),
            # the PM's own health rating: set by services.health.set_rating
            "health_rating": F("int", lo=0, hi=100, editable=False),
            "health_rating_band": F("choice", choices=m.HEALTH_BANDS, editable=False),
            "health_rating_note": F("longtext", editable=False),
        }, "name"),
        Entity("contact", m.Contact, {
            "customer": _CUSTOMER, "name": F("text", required=True),
            "role": F("text", max_len=100), "email": F("text"), "phone": F("text", max_len=50),
            "preferred_channel": F("choice", choices=m.CHANNELS),
            "influence": F("int", lo=1, hi=5), "interest": F("int", lo=1, hi=5),
            "engagement_current": F("choice", choices=m.ENGAGEMENT),
            "engagement_desired": F("choice", choices=m.ENGAGEMENT),
            "cadence_days": _CADENCE, "archived": F("bool", editable=False),
        }, "name"),
        Entity("project", m.Project, {
            "customer": _CUSTOMER, "name": F("text", required=True),
            "phase": F("choice", choices=m.PHASES), "start_date": F("date"),
            "end_date": F("date"), "archived": F("bool", editable=False),
        }, "name"),
        Entity("interaction", m.Interaction, {
            "customer": _CUSTOMER, "project": _PROJECT,
            "channel": F("choice", choices=m.CHANNELS), "occurred_at": F("datetime"),
            "summary": F("longtext", required=True), "sentiment": F("int", lo=-2, hi=2),
            "follow_up_on": F("date"), "follow_up_done_at": F("datetime", editable=False),
            "internal": F("bool"),
        }, "summary"),
        Entity("expectation", m.Expectation, {
            "customer": _CUSTOMER, "project": _PROJECT,
            "statement": F("longtext", required=True),
            "category": F("choice", choices=m.EXPECTATION_CATEGORIES), "owner": _USER,
            "baseline_due": F("date", editable=False), "current_due": F("date", required=True),
            "status": F("choice", choices=m.EXPECTATION_STATUSES, editable=False),
        }, "statement"),
        Entity("issue", m.Issue, {
            "customer": _CUSTOMER, "project": _PROJECT, "raised_by": _CONTACT,
            "title": F("text", required=True, max_len=300), "description": _NOTE,
            "severity": _SEVERITY, "owner": _USER, "expectation": _EXPECTATION,
            "status": F("choice", choices=m.ISSUE_STATUSES, editable=False),
            "raised_at": F("datetime", editable=False),
            "first_response_at": F("datetime", editable=False),
            "resolved_at": F("datetime", editable=False),
            "snoozed_until": F("date", editable=False),
            "resolution": F("longtext", editable=False),
            "waiting_since": F("datetime", editable=False),
            "paused_seconds": F("int", lo=0, editable=False),
        }, "title"),
        Entity("risk", m.Risk, {
            "customer": _CUSTOMER, "project": _PROJECT,
            "title": F("text", required=True, max_len=300), "description": _NOTE,
            "likelihood": F("int", lo=1, hi=5), "impact": F("int", lo=1, hi=5),
            "trigger": _NOTE, "mitigation": _NOTE, "contingency": _NOTE, "owner": _USER,
            "review_on": F("date"), "status": F("choice", choices=m.RISK_STATUSES),
        }, "title"),
        Entity("decision", m.Decision, {
            "customer": _CUSTOMER, "project": _PROJECT,
            "title": F("text", required=True, max_len=300), "options": _NOTE,
            "rationale": _NOTE, "participants": _NOTE, "decided_on": F("date", required=True),
            "expectation": _EXPECTATION,
        }, "title"),
        Entity("feedback", m.Feedback, {
            "customer": _CUSTOMER, "contact": _CONTACT, "project": _PROJECT,
            "kind": F("choice", choices=m.FEEDBACK_KINDS), "score": F("int", required=True),
            "comment": _NOTE, "received_on": F("date", required=True),
        }, "kind"),
        Entity("referral", m.Referral, {
            "customer": _CUSTOMER, "contact": _CONTACT,
            "referred_name": F("text", required=True), "referred_on": F("date", required=True),
            "status": F("choice", choices=m.REFERRAL_STATUSES), "notes": _NOTE,
        }, "referred_name"),
    )
}


def entity(name: str) -> Entity:
    """The entity called ``name`` (KeyError names the known ones)."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}; known: {', '.join(ENTITIES)}") from None


FIELD_LABELS: dict[str, str] = {
    "engagement_current": "Current engagement", "engagement_desired": "Desired engagement",
    "cadence_days": "Cadence (days)", "current_due": "Due", "baseline_due": "Baseline due",
    "follow_up_on": "Follow up on", "follow_up_done_at": "Follow-up done",
    "start_date": "Starts on", "end_date": "Ends on", "occurred_at": "When",
    "internal": "Internal note", "options": "Options considered",
    "participants": "Others present", "referred_name": "Referred", "raised_by": "Raised by",
    "preferred_channel": "Preferred channel", "email": "Email", "phone": "Phone",
    "health_rating_band": "Health rating band", "health_rating_note": "Health rating note",
}
"""What people call a field where its column name does not say it (the forms' words)."""
ENTITY_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("expectation", "statement"): "What was promised", ("decision", "title"): "Decided",
    ("feedback", "contact"): "Given by",
}
"""A field's label that depends on the kind of record."""


def field_label(name: str, field: str) -> str:
    """The label of ``field`` of a record of kind ``name`` for people (History, messages):
    ``engagement_desired`` -> "Desired engagement"; otherwise the column name in words."""
    return (ENTITY_FIELD_LABELS.get((name, field)) or FIELD_LABELS.get(field)
            or field.replace("_", " ").strip().capitalize())
