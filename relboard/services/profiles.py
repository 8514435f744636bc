"""A customer's profile: who they are, their stakeholders, and how the relationship stands."""

from __future__ import annotations

import datetime as _dt
import heapq
from dataclasses import dataclass
from typing import Any

from relboard import models as m
from relboard.services import playbooks, records, rules, tags
from relboard.services.context import Context
from relboard.services.issues import OPEN_STATUSES
from relboard.services.kinds import RECORD_KINDS
from relboard.services.spec import parse_stored

ENGAGEMENT_ORDER = {name: n for n, name in enumerate(m.ENGAGEMENT)}


@dataclass(frozen=True)
class Profile:
    """Everything the profile's Overview shows."""

    customer: dict[str, Any]
    contacts: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    last_contact: _dt.datetime | None
    cadence: int
    open_issues: int
    at_risk: int
    latest_csat: int | None
    latest_nps: int | None
    referrals: int
    days_since_contact: int | None  # None: never contacted
    playbooks: tuple[str, ...] = ()  # each run's progress (``playbooks.Progress.text``)
    renews_in: int | None = None  # days to the renewal date (negative: passed); None: no date


def engagement_gap(current: str, desired: str) -> int:
    """Steps from current to desired engagement (positive: we need to move them up)."""
    return ENGAGEMENT_ORDER.get(desired, 2) - ENGAGEMENT_ORDER.get(current, 2)


def customer_profile(ctx: Context, customer_id: int) -> Profile:
    """The profile of one customer (NotFoundError if it does not exist)."""
    customer = records.get("customer", customer_id)
    customer["tags"] = tags.of("customer", customer_id)
    k, p, s, e = m.Contact, m.Project, m.Issue, m.Expectation
    contacts = list(k.select(k.id, k.name, k.role, k.email, k.phone, k.influence, k.interest,
                             k.preferred_channel,
                             k.engagement_current, k.engagement_desired, k.cadence_days,
                             k.version)
                    .where((k.customer == customer_id) & (k.archived == False))  # noqa: E712
                    .order_by(k.name).dicts())
    for c in contacts:
        c["gap"] = engagement_gap(c["engagement_current"], c["engagement_desired"])
    projects = list(p.select(p.id, p.name, p.phase, p.start_date, p.end_date)
                    .where(p.customer == customer_id)
                    .order_by(p.start_date.desc(), p.id.desc()).dicts())
    last = parse_stored(m.Customer.select(m.Customer.last_contact_at)
                        .where(m.Customer.id == customer_id).scalar())  # kept by clocks
    open_issues = s.select().where((s.customer == customer_id)
                                   & s.status.in_(OPEN_STATUSES)).count()
    at_risk = e.select().where((e.customer == customer_id) & (e.status == "at_risk")).count()

    def latest(kind: str) -> int | None:
        f = m.Feedback
        return (f.select(f.score).where((f.customer == customer_id) & (f.kind == kind))
                .order_by(f.received_on.desc(), f.id.desc()).scalar())

    referrals = m.Referral.select().where(m.Referral.customer == customer_id).count()
    return Profile(customer, contacts, projects, last,
                   rules.cadence(customer["cadence_days"], ctx), open_issues, at_risk,
                   latest("csat"), latest("nps"), referrals, rules.days_since(ctx, last),
                   tuple(run.text() for run in playbooks.progress(customer_id)),
                   (customer["renews_on"] - ctx.today()).days if customer.get("renews_on")
                   else None)


def customer_history(customer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Activity on the customer and everything of theirs, newest first (``limit`` rows)."""
    a = m.Activity
    owned = {k.name: k.model for k in RECORD_KINDS if "customer" in k.rules}
    streams = [list(a.select().where((a.entity == "customer") & (a.entity_id == customer_id))
                    .order_by(a.at.desc(), a.id.desc()).limit(limit).dicts())]
    for entity, model in owned.items():
        ids = model.select(model.id).where(model.customer == customer_id)
        streams.append(list(a.select().where((a.entity == entity) & a.entity_id.in_(ids))
                            .order_by(a.at.desc(), a.id.desc()).limit(limit).dicts()))
    merged = heapq.merge(*streams, key=lambda r: (r["at"], r["id"]), reverse=True)
    return [row for _, row in zip(range(limit), merged, strict=False)]
