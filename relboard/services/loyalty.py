"""Loyalty: repeat business and referrals, per customer and for the portfolio.

Repeat projects are a customer's projects beyond the first (archived projects count: they were
delivered). Referrals are counted by status: new, qualified, won, lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import Case, fn

from relboard import models as m
from relboard.services.scope import active_customers, of_active


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
    """The totals over the active customers (``who``'s share), counted in SQL: projects per
    customer summed in one grouped query, referrals by status in another (a row per status,
    not per customer)."""
    p, r = m.Project, m.Referral
    per = (p.select(fn.COUNT(p.id).alias("n")).where(of_active(p.customer, who))
           .group_by(p.customer).alias("per"))
    having, projects, repeat = (p.select(fn.COUNT(per.c.n), fn.SUM(per.c.n),
                                         fn.SUM(Case(None, [(per.c.n > 1, 1)], 0)))
                                .from_(per).tuples().get())
    referrals = {s: 0 for s in m.REFERRAL_STATUSES}
    for status, n in (r.select(r.status, fn.COUNT(r.id)).where(of_active(r.customer + 0, who))
                      .group_by(r.status).tuples()):
        if status in referrals:
            referrals[status] += int(n)
    projects = int(projects or 0)
    return Loyalty(projects, projects - int(having or 0), int(repeat or 0), referrals)
