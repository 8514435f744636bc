"""The relationship's own kinds: customers, stakeholders, projects, touchpoints, expectations
and issues (their forms and screens are their own; see ``declare.Kind``)."""

from __future__ import annotations

import re
from typing import Any

from relboard import models as m
from relboard.services import profile_lists
from relboard.services.kinds.declare import Column, Form, Input, Kind, Search, Tab
from relboard.services.spec import F

SEVERITY = F("severity", label="severity")
CUSTOMER = F("ref", required=True, ref=m.Customer)
PROJECT = F("ref", ref=m.Project)
CONTACT = F("ref", ref=m.Contact)
EXPECTATION = F("ref", ref=m.Expectation)
USER = F("text", max_len=64)
NOTE = F("longtext")
CADENCE = F("int", lo=1, hi=365)
CADENCE_LABEL = {"cadence_days": "Cadence (days)"}


def _project_dates(values: dict[str, Any]) -> dict[str, str]:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        return {"end_date": "is before the start date"}
    return {}


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _contact_email(values: dict[str, Any]) -> dict[str, str]:
    email = values.get("email")
    if email and not _EMAIL.match(email):
        return {"email": "is not an email address (name@example.com)"}
    return {}


CUSTOMER_KIND = Kind(
    "customer", m.Customer, {
        "name": F("text", required=True), "industry": F("text", max_len=100),
        "tier": F("choice", choices=m.TIERS), "owner": USER, "goals": NOTE,
        "needs": NOTE, "notes": NOTE, "cadence_days": CADENCE,
        "renews_on": F("date"),  # the contract's renewal date (Today's "Renewals ahead")
        "archived": F("bool", editable=False),
        # the PM's own health rating: set by services.health.set_rating
        "health_rating": F("int", lo=0, hi=100, editable=False),
        "health_rating_band": F("choice", choices=m.HEALTH_BANDS, editable=False),
        "health_rating_note": F("longtext", editable=False),
    }, "customers", title="name",
    labels={**CADENCE_LABEL, "renews_on": "Renews on",
            "health_rating_band": "Health rating band",
            "health_rating_note": "Health rating note"},
    search=Search(1, ("name",), ("industry", "goals", "needs", "notes"), "customer", "id"))

CONTACT_KIND = Kind(
    "contact", m.Contact, {
        "customer": CUSTOMER, "name": F("text", required=True),
        "role": F("text", max_len=100), "email": F("text"), "phone": F("text", max_len=50),
        "preferred_channel": F("choice", choices=m.CHANNELS),
        "influence": F("int", lo=1, hi=5), "interest": F("int", lo=1, hi=5),
        "engagement_current": F("choice", choices=m.ENGAGEMENT),
        "engagement_desired": F("choice", choices=m.ENGAGEMENT),
        "cadence_days": CADENCE, "archived": F("bool", editable=False),
    }, "contacts", title="name", check=_contact_email,
    labels={**CADENCE_LABEL, "engagement_current": "Current engagement",
            "engagement_desired": "Desired engagement", "preferred_channel": "Preferred channel",
            "email": "Email", "phone": "Phone"},
    search=Search(2, ("name",), ("role", "email"), "stakeholder"))

PROJECT_KIND = Kind(
    "project", m.Project, {
        "customer": CUSTOMER, "name": F("text", required=True),
        "phase": F("choice", choices=m.PHASES), "start_date": F("date"),
        "end_date": F("date"), "archived": F("bool", editable=False),
    }, "projects", title="name", check=_project_dates,
    labels={"start_date": "Starts on", "end_date": "Ends on"},
    tab=Tab("projects", "loyalty", "Loyalty", (
        Column("name", "Project", 26), Column("phase", "Phase", 10),
        Column("start", "Starts", 10), Column("end", "Ends", 10)),
        read=lambda ctx, cid: profile_lists.projects_of(cid), cells="project_cells",
        new=("P", "Project"), heading="Projects"),
    form=Form(("New project", "Edit project"), (
        Input("name", required=True),
        Input("phase", "choice", required=True, choices=m.PHASES),
        Input("start_date", placeholder="YYYY-MM-DD"),
        Input("end_date", placeholder="YYYY-MM-DD"),
    ), initial={"phase": "initiation"}))

INTERACTION_KIND = Kind(
    "interaction", m.Interaction, {
        "customer": CUSTOMER, "project": PROJECT,
        "channel": F("choice", choices=m.CHANNELS), "occurred_at": F("datetime"),
        "summary": F("longtext", required=True), "sentiment": F("int", lo=-2, hi=2),
        "follow_up_on": F("date"), "follow_up_done_at": F("datetime", editable=False),
        "internal": F("bool"),
    }, "interactions", title="summary",
    labels={"occurred_at": "When", "follow_up_on": "Follow up on",
            "follow_up_done_at": "Follow-up done", "internal": "Internal note"},
    search=Search(3, ("summary",), (), "touchpoint"))

EXPECTATION_KIND = Kind(
    "expectation", m.Expectation, {
        "customer": CUSTOMER, "project": PROJECT,
        "statement": F("longtext", required=True),
        "category": F("choice", choices=m.EXPECTATION_CATEGORIES), "owner": USER,
        "baseline_due": F("date", editable=False), "current_due": F("date", required=True),
        "status": F("choice", choices=m.EXPECTATION_STATUSES, editable=False),
    }, "expectations", title="statement",
    labels={"statement": "What was promised", "current_due": "Due",
            "baseline_due": "Baseline due"},
    search=Search(4, ("statement",), (), "expectation"))

ISSUE_KIND = Kind(
    "issue", m.Issue, {
        "customer": CUSTOMER, "project": PROJECT, "raised_by": CONTACT,
        "title": F("text", required=True, max_len=300), "description": NOTE,
        "severity": SEVERITY, "owner": USER, "expectation": EXPECTATION,
        "status": F("choice", choices=m.ISSUE_STATUSES, editable=False),
        "raised_at": F("datetime", editable=False),
        "first_response_at": F("datetime", editable=False),
        "resolved_at": F("datetime", editable=False),
        "snoozed_until": F("date", editable=False),
        "resolution": F("longtext", editable=False),
        "waiting_since": F("datetime", editable=False),
        "paused_seconds": F("int", lo=0, editable=False),
    }, "issues", title="title", labels={"raised_by": "Raised by"},
    search=Search(5, ("title",), ("description", "resolution"), "issue"))

__all__ = ["CUSTOMER_KIND", "CONTACT_KIND", "PROJECT_KIND", "INTERACTION_KIND",
           "EXPECTATION_KIND", "ISSUE_KIND"]
