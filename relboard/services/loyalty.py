"""Loyalty: repeat business and referrals, per customer and for the portfolio.

Repeat projects are a customer's projects beyond the first (archived projects count: they were
delivered). Referrals are counted by status: new, qualified, won, lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import fn

from relboard import models as m
from relboard.services.scope import active_customers


@dataclass(frozen=True)
class Loyalty:
    """Projects and referrals of one customer, or of the portfolio.

    ``repeat_projects``: projects beyond each customer's first; ``repeat_customers``: customers
    with more than one project (0 or 1 for one customer).
    """

    projects: int
    repeat_projects: int
    repeat_customers: int
    referrals: dict[str, int] = field(default_factory=dict)

    @property
    def referrals_total(self) -> int:
        """Referrals of every status."""
        return sum(self.referrals.values())


def _referrals(customers: object) -> dict[int, dict[str, int]]:
    r = m.Referral
    out: dict[int, dict[str, int]] = {}
    for cid, status, count in (r.select(r.customer, r.status, fn.COUNT(r.id))
                               .where(r.customer.in_(customers))
                               .group_by(r.customer, r.status).tuples()):
        out.setdefault(cid, {s: 0 for s in m.REFERRAL_STATUSES})
        out[cid][status] = out[cid].get(status, 0) + count
    return out


def by_customer(customer_ids: Iterable[int] | None = None,
                who: str | None = None) -> dict[int, Loyalty]:
    """Loyalty of each customer: ``customer_ids``, or every active one (``who``'s share)."""
    customers = active_customers(who, customer_ids)
    p = m.Project
    projects = dict(p.select(p.customer, fn.COUNT(p.id)).where(p.customer.in_(customers))
                    .group_by(p.customer).tuples())
    referrals = _referrals(customers)
    out = {}
    for (cid,) in customers.tuples():
        count = projects.get(cid, 0)
        out[cid] = Loyalty(count, max(0, count - 1), int(count > 1),
                           referrals.get(cid, {s: 0 for s in m.REFERRAL_STATUSES}))
    return out


def customer_loyalty(customer_id: int) -> Loyalty:
    """One customer's projects and referrals."""
    return by_customer([customer_id]).get(customer_id) or Loyalty(
        0, 0, 0, {s: 0 for s in m.REFERRAL_STATUSES})


def portfolio_loyalty(who: str | None = None) -> Loyalty:
    """The totals over the active customers (``who``'s share)."""
    each = by_customer(who=who).values()
    referrals = {s: sum(x.referrals.get(s, 0) for x in each) for s in m.REFERRAL_STATUSES}
    return Loyalty(sum(x.projects for x in each), sum(x.repeat_projects for x in each),
                   sum(x.repeat_customers for x in each), referrals)
