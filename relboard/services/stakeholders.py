"""The stakeholder map: engagement now against engagement wanted (PMBOK's assessment
matrix), and the power/interest grid — for one customer or across the portfolio.

Engagement levels, lowest first: unaware, resistant, neutral, supportive, leading (0-4). The gap
is desired - current: positive when the stakeholder must be moved up, negative when they are
more engaged than the plan needs. The grid puts influence (power) and interest, each 1-5, on
two axes; 4 and 5 are high: high/high manage closely, high influence only keep satisfied, high
interest only keep informed, the rest monitor. Archived stakeholders and customers are left out
(unless a customer is named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.services.scope import active_customers, owned

LEVELS = {name: n for n, name in enumerate(m.ENGAGEMENT)}
HIGH = 4
"""Influence or interest from this value up is high on the grid."""
QUADRANTS: tuple[tuple[str, str], ...] = (
    ("manage_closely", "Manage closely"),
    ("keep_satisfied", "Keep satisfied"),
    ("keep_informed", "Keep informed"),
    ("monitor", "Monitor"),
)
"""Grid quadrants in the order shown, with their usual strategy as the title."""


@dataclass(frozen=True)
class Stakeholder:
    """One stakeholder on the map."""

    contact_id: int
    customer_id: int
    customer: str
    name: str
    role: str
    preferred_channel: str
    influence: int
    interest: int
    current: str
    desired: str
    gap: int
    quadrant: str
    version: int


def gap(current: str, desired: str) -> int:
    """Steps from the current to the desired engagement (unknown words count as neutral)."""
    return LEVELS.get(desired, 2) - LEVELS.get(current, 2)


def quadrant(influence: int, interest: int) -> str:
    """The grid quadrant of an influence and an interest (each 1-5)."""
    power, keen = (influence or 0) >= HIGH, (interest or 0) >= HIGH
    if power:
        return "manage_closely" if keen else "keep_satisfied"
    return "keep_informed" if keen else "monitor"


def stakeholders(customer_id: int | None = None, who: str | None = None) -> list[Stakeholder]:
    """The active stakeholders of one customer, or of every active customer (``who``'s share),
    by customer and name."""
    k, c = m.Contact, m.Customer
    query = (k.select(k.id, k.customer, c.name.alias("customer_name"), k.name, k.role,
                      k.preferred_channel, k.influence, k.interest, k.engagement_current,
                      k.engagement_desired, k.version)
             .join(c, on=(k.customer == c.id)).where(k.archived == False))  # noqa: E712
    if customer_id is not None:
        query = query.where(k.customer == customer_id)
    else:
        query = query.where(c.archived == False)  # noqa: E712
        if who is not None:
            query = query.where(owned(who))
    rows = query.order_by(c.name, c.id, k.name, k.id).tuples()
    return [Stakeholder(kid, cid, cname, name, role, channel, influence, interest, now, wanted,
                        gap(now, wanted), quadrant(influence, interest), version)
            for kid, cid, cname, name, role, channel, influence, interest, now, wanted, version
            in rows]


def engagement_matrix(customer_id: int | None = None, who: str | None = None,
                      gaps_only: bool = False) -> list[Stakeholder]:
    """Every stakeholder's current vs desired engagement, largest gaps first: by the size of
    the gap, a shortfall (positive) before an excess of the same size, then by customer and
    name. ``gaps_only`` leaves out those already where they should be."""
    rows = [s for s in stakeholders(customer_id, who) if s.gap or not gaps_only]
    return sorted(rows, key=lambda s: (-abs(s.gap), -s.gap, s.customer.lower(),
                                       s.name.lower(), s.contact_id))


@dataclass(frozen=True)
class Quadrant:
    """One quadrant of the power/interest grid and the stakeholders in it."""

    key: str
    title: str
    stakeholders: list[Stakeholder]


def power_interest_grid(customer_id: int | None = None,
                        who: str | None = None) -> list[Quadrant]:
    """The four quadrants in QUADRANTS order; in each, the most influential and interested
    first."""
    rows = stakeholders(customer_id, who)
    out = []
    for key, title in QUADRANTS:
        members = sorted((s for s in rows if s.quadrant == key),
                         key=lambda s: (-s.influence, -s.interest, s.customer.lower(),
                                        s.name.lower(), s.contact_id))
        out.append(Quadrant(key, title, members))
    return out


def gap_summary(who: str | None = None) -> dict[str, Any]:
    """Across the portfolio: stakeholders counted, how many have a gap (below and above
    where they should be), and the largest shortfall (counted in SQL by the pair of
    engagements, a row per pair, not per stakeholder)."""
    k = m.Contact
    pairs = (k.select(k.engagement_current, k.engagement_desired, fn.COUNT(k.id))
             .where((k.archived == False)  # noqa: E712
                    & k.customer.in_(active_customers(who)))
             .group_by(k.engagement_current, k.engagement_desired).tuples())
    counts = [(gap(now, wanted), int(n)) for now, wanted, n in pairs]
    return {"stakeholders": sum(n for _, n in counts),
            "with_gap": sum(n for g, n in counts if g),
            "below": sum(n for g, n in counts if g > 0),
            "above": sum(n for g, n in counts if g < 0),
            "largest": max((g for g, _ in counts if g > 0), default=0)}
