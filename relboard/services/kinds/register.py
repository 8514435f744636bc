"""The kinds a customer's profile lists on tabs of their own: risks, decisions, feedback
and referrals (see ``declare.Kind``)."""

from __future__ import annotations

from typing import Any

from relboard import models as m
from relboard.domain import OPEN_RISK_STATUSES
from relboard.services import lookups, profile_lists
from relboard.services.kinds.declare import SCALE_1_5, Column, Form, Input, Kind, Search, Tab
from relboard.services.kinds.relationship import CONTACT, CUSTOMER, EXPECTATION, NOTE, PROJECT, USER
from relboard.services.spec import F


def _contacts(ctx: Any, customer_id: int) -> list[tuple[str, int]]:
    return lookups.contact_choices(customer_id)


def _projects(ctx: Any, customer_id: int) -> list[tuple[str, int]]:
    return lookups.project_choices(customer_id)


def _owners(ctx: Any, customer_id: int) -> list[Any]:
    return lookups.owner_choices(ctx)


def _risk_score(values: dict[str, Any]) -> dict[str, Any]:
    likelihood = values.get("likelihood") or m.Risk.likelihood.default
    impact = values.get("impact") or m.Risk.impact.default
    return {"score": likelihood * impact}


def _feedback_score(values: dict[str, Any]) -> dict[str, str]:
    kind, score = values.get("kind") or "csat", values.get("score")
    if score is None:
        return {}
    lo, hi = (1, 5) if kind == "csat" else (0, 10)
    return {} if lo <= score <= hi else {"score": f"a {kind.upper()} score is {lo}-{hi}"}


RED = 15
"""The lowest score of a red risk (likelihood x impact; ``services.risks.band_of``)."""


def _red_risk(values: dict[str, Any]) -> dict[str, str]:
    """An open red risk names who watches it and when it is looked at again."""
    likelihood = values.get("likelihood") or m.Risk.likelihood.default
    impact = values.get("impact") or m.Risk.impact.default
    if likelihood * impact < RED or (values.get("status") or "open") not in OPEN_RISK_STATUSES:
        return {}
    why = f"is required for a red risk (score {likelihood * impact})"
    errors = {}
    if not str(values.get("owner") or "").strip():
        errors["owner"] = why
    if values.get("review_on") is None:
        errors["review_on"] = why
    return errors


DATE = "YYYY-MM-DD"

RISK_KIND = Kind(
    "risk", m.Risk, {
        "customer": CUSTOMER, "project": PROJECT,
        "title": F("text", required=True, max_len=300), "description": NOTE,
        "likelihood": F("int", lo=1, hi=5), "impact": F("int", lo=1, hi=5),
        "trigger": NOTE, "mitigation": NOTE, "contingency": NOTE, "owner": USER,
        "review_on": F("date"), "status": F("choice", choices=m.RISK_STATUSES),
        "customer_owner": CONTACT, "reviewed_with_customer_on": F("date", past=True),
    }, "risks", title="title", derive=_risk_score, save_check=_red_risk,
    labels={"customer_owner": "Customer-side owner",
            "reviewed_with_customer_on": "Reviewed with customer"},
    search=Search(6, ("title",), ("description", "trigger", "mitigation", "contingency"),
                  "risk"),
    tab=Tab("risks", "risks", "Risks", (
        Column("score", "L×I", 3), Column("band", "Band", 6), Column("status", "Status", 10),
        Column("review", "Review", 11), Column("title", "Risk", 26, flex=True)),
        read="risks:customer_risks_all",
        cells="risk_cells",
        legend="L×I: likelihood × impact (15-25 red, 5-14 amber, 1-4 green); "
               "! a red risk lacks a trigger or contingency; * review due"),
    form=Form(("New risk", "Edit risk"), (
        Input("title", required=True),
        Input("description"),
        Input("likelihood", "choice", required=True, choices=SCALE_1_5),
        Input("impact", "choice", required=True, choices=SCALE_1_5),
        Input("trigger", help="the sign that it is happening"),
        Input("mitigation"),
        Input("contingency", help="the plan if it happens (every red risk needs one)"),
        Input("owner", choices=_owners, placeholder="blank: nobody yet"),
        Input("review_on", placeholder=DATE + ", +14d or friday",
              help="a red risk (15+) needs a review date and an owner"),
        Input("status", "choice", required=True, choices=m.RISK_STATUSES),
        Input("customer_owner", "choice", choices=_contacts,
              help="the stakeholder who watches it on their side: the risk is shared with "
                   "the customer (their status update lists it)"),
        Input("reviewed_with_customer_on", placeholder=DATE + " or today",
              help="when you last went through it with the customer"),
        Input("project", "choice", choices=_projects),
    ), initial={"likelihood": 3, "impact": 3, "status": "open"}, me="owner",
        screen="risk_form:RiskForm"))

DECISION_KIND = Kind(
    "decision", m.Decision, {
        "customer": CUSTOMER, "project": PROJECT,
        "title": F("text", required=True, max_len=300), "options": NOTE,
        "rationale": NOTE, "participants": NOTE, "decided_on": F("date", required=True),
        "expectation": EXPECTATION,
    }, "decisions", title="title",
    labels={"title": "Decided", "options": "Options considered",
            "participants": "Others present"},
    search=Search(7, ("title",), ("options", "rationale", "participants"), "decision"),
    tab=Tab("decisions", "decisions", "Decisions", (
        Column("day", "Decided", 10), Column("title", "What", 28, flex=True),
        Column("who", "Who took part", 20)),
        page="decisions:log_page",
        cells="decision_cells", new=("C", "Decision")),
    form=Form(("Record a decision", "Edit decision"), screen="decision_form:DecisionForm"))

FEEDBACK_KIND = Kind(
    "feedback", m.Feedback, {
        "customer": CUSTOMER, "contact": CONTACT, "project": PROJECT,
        "kind": F("choice", choices=m.FEEDBACK_KINDS), "score": F("int", required=True),
        "comment": NOTE, "received_on": F("date", required=True),
    }, "feedback", title="kind", check=_feedback_score,
    labels={"score": "Answer", "contact": "From"},
    tab=Tab("feedback", "feedback", "Feedback", (
        Column("day", "Received", 10), Column("kind", "Kind", 4), Column("score", "Ans", 3),
        Column("who", "From", 14), Column("comment", "Comment", 24)),
        read=lambda ctx, cid: profile_lists.feedback_of(cid), cells="feedback_cells",
        new=("F", "Feedback"), above="feedback-figures"),
    form=Form(("Record feedback", "Edit feedback"), (
        Input("kind", "choice", required=True,
              choices=(("CSAT (1-5: how satisfied)", "csat"),
                       ("NPS (0-10: would recommend)", "nps"))),
        Input("score", required=True, placeholder="CSAT 1-5, NPS 0-10"),
        Input("comment"),
        Input("contact", "choice", choices=_contacts),
        Input("project", "choice", choices=_projects),
        Input("received_on", required=True, placeholder=DATE),
    ), initial={"kind": "csat"}, today=("received_on",), focus="score",
        screen="feedback_form:FeedbackForm"))

REFERRAL_KIND = Kind(
    "referral", m.Referral, {
        "customer": CUSTOMER, "contact": CONTACT,
        "referred_name": F("text", required=True), "referred_on": F("date", required=True),
        "status": F("choice", choices=m.REFERRAL_STATUSES), "notes": NOTE,
    }, "referrals", title="referred_name",
    labels={"referred_name": "Referred", "contact": "Given by"},
    tab=Tab("referrals", "loyalty", "Loyalty", (
        Column("day", "Referred", 10), Column("status", "Status", 9),
        Column("name", "Who", 22), Column("by", "Given by", 16)),
        read=lambda ctx, cid: profile_lists.referrals_of(cid), cells="referral_cells",
        new=("U", "Referral"), heading="Referrals"),
    form=Form(("New referral", "Edit referral"), (
        Input("referred_name", required=True,
              placeholder="the company or person they referred"),
        Input("referred_on", required=True, placeholder=DATE),
        Input("status", "choice", required=True, choices=m.REFERRAL_STATUSES),
        Input("contact", "choice", choices=_contacts),
        Input("notes"),
    ), initial={"status": "new"}, today=("referred_on",)))

__all__ = ["RISK_KIND", "DECISION_KIND", "FEEDBACK_KIND", "REFERRAL_KIND"]
