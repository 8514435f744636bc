"""A customer's own records for the profile's tabs: projects, feedback, referrals, and the
decisions a renegotiation can name.

Lists of one customer are short (tens of rows), so each is read whole, newest first, with the
names of the stakeholder and project it links to. Plain dicts out, like ``lists``.
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN

from relboard import models as m


def projects_of(customer_id: int) -> list[dict[str, Any]]:
    """A customer's projects (archived ones too: they were delivered), newest start first."""
    p = m.Project
    return list(p.select(p.id, p.name, p.phase, p.start_date, p.end_date, p.archived,
                         p.version)
                .where(p.customer == customer_id)
                .order_by(p.start_date.desc(nulls="first"), p.id.desc()).dicts())


def feedback_of(customer_id: int) -> list[dict[str, Any]]:
    """A customer's CSAT and NPS answers, newest first, with who answered and the project."""
    f, k, p = m.Feedback, m.Contact, m.Project
    return list(f.select(f.id, f.kind, f.score, f.comment, f.received_on, f.version,
                         k.name.alias("contact_name"), p.name.alias("project_name"))
                .join(k, JOIN.LEFT_OUTER, on=(f.contact == k.id))
                .join(p, JOIN.LEFT_OUTER, on=(f.project == p.id))
                .where(f.customer == customer_id)
                .order_by(f.received_on.desc(), f.id.desc()).dicts())


def referrals_of(customer_id: int) -> list[dict[str, Any]]:
    """The referrals a customer gave, newest first, with the stakeholder who gave each."""
    r, k = m.Referral, m.Contact
    return list(r.select(r.id, r.referred_name, r.referred_on, r.status, r.notes, r.version,
                         k.name.alias("contact_name"))
                .join(k, JOIN.LEFT_OUTER, on=(r.contact == k.id))
                .where(r.customer == customer_id)
                .order_by(r.referred_on.desc(), r.id.desc()).dicts())


def records_of(model: type[m.BaseModel], customer_id: int,
               limit: int = 500) -> list[dict[str, Any]]:
    """A customer's records of a declared kind without a list of its own (``Kind.tab``),
    newest first: every field, references as ids."""
    return list(model.select().where(model.customer == customer_id)
                .order_by(model.id.desc()).limit(limit).dicts())


def decision_choices(customer_id: int) -> list[tuple[str, int]]:
    """("YYYY-MM-DD title", id) of a customer's decisions, newest first (for pickers)."""
    d = m.Decision
    rows = (d.select(d.decided_on, d.title, d.id).where(d.customer == customer_id)
            .order_by(d.decided_on.desc(), d.id.desc()).limit(100).tuples())
    return [(f"{day} {title}", did) for day, title, did in rows]
