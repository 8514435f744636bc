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

from peewee import Case, fn

from relboard import models as m
from relboard.services.scope import of_active, owned

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


def _level(column: Any) -> Any:
    """An engagement word's level in SQL (``LEVELS``; an unknown word counts as neutral)."""
    return Case(column, list(LEVELS.items()), LEVELS["neutral"])


def gap_of() -> Any:
    """A stakeholder's gap in SQL (``gap``)."""
    k = m.Contact
    return _level(k.engagement_desired) - _level(k.engagement_current)


def _query(customer_id: int | None, who: str | None) -> Any:
    """The active stakeholders of one customer, or of every active customer (``who``'s
    share): every ``Stakeholder`` column, unordered."""
    k, c = m.Contact, m.Customer
    query = (k.select(k.id, k.customer, c.name.alias("customer_name"), k.name, k.role,
                      k.preferred_channel, k.influence, k.interest, k.engagement_current,
                      k.engagement_desired, k.version)
             .join(c, on=(k.customer == c.id)).where(k.archived == False))  # noqa: E712
    if customer_id is not None:
        return query.where(k.customer == customer_id)
    query = query.where(c.archived == False)  # noqa: E712
    return query if who is None else query.where(owned(who))


def rows_of(query: Any) -> list[Stakeholder]:
    """The stakeholders a query of ``_query``'s columns finds (a ``matrix_query`` narrowed
    or windowed, say)."""
    return [Stakeholder(kid, cid, cname, name, role, channel, influence, interest, now, wanted,
                        gap(now, wanted), quadrant(influence, interest), version)
            for kid, cid, cname, name, role, channel, influence, interest, now, wanted, version
            in query.tuples()]


def stakeholders(customer_id: int | None = None, who: str | None = None) -> list[Stakeholder]:
    """The active stakeholders of one customer, or of every active customer (``who``'s share),
    by customer and name."""
    k, c = m.Contact, m.Customer
    return rows_of(_query(customer_id, who).order_by(c.name, c.id, k.name, k.id))


def matrix_query(customer_id: int | None = None, who: str | None = None,
                 gaps_only: bool = False) -> Any:
    """The engagement matrix as a query, largest gaps first: by the size of the gap, a
    shortfall (positive) before an excess of the same size, then by customer and name
    (sorted by the database: a window of it reads no more into Python than it shows).
    ``gaps_only`` leaves out those already where they should be."""
    k, c = m.Contact, m.Customer
    query = _query(customer_id, who)
    if gaps_only:
        query = query.where(gap_of() != 0)
    return query.order_by(fn.ABS(gap_of()).desc(), gap_of().desc(), fn.LOWER(c.name),
                          fn.LOWER(k.name), k.id)


def engagement_matrix(customer_id: int | None = None, who: str | None = None,
                      gaps_only: bool = False) -> list[Stakeholder]:
    """Every stakeholder's current vs desired engagement, in ``matrix_query``'s order."""
    return rows_of(matrix_query(customer_id, who, gaps_only))


@dataclass(frozen=True)
class Quadrant:
    """One quadrant of the power/interest grid: its first stakeholders and how many it holds."""

    key: str
    title: str
    stakeholders: list[Stakeholder]
    """The first ``GRID_SHOWN``, the most influential and interested first."""
    total: int = -1
    """Stakeholders in the quadrant (-1: those listed, all of them)."""

    @property
    def more(self) -> int:
        """Stakeholders in the quadrant beyond those listed."""
        return max(0, self.total - len(self.stakeholders))


GRID_SHOWN = 50
"""Stakeholders a quadrant of the grid lists: a portfolio's quadrant can hold a hundred
thousand (a 1M-record board), and the grid never holds more than a screen can show; the
matrix lists everyone, a page at a time."""


def _in_quadrant(key: str) -> Any:
    """The SQL condition of a quadrant (``quadrant``: a missing value is low)."""
    k = m.Contact
    power = fn.COALESCE(k.influence, 0) >= HIGH
    keen = fn.COALESCE(k.interest, 0) >= HIGH
    return {"manage_closely": power & keen, "keep_satisfied": power & ~keen,
            "keep_informed": ~power & keen, "monitor": ~power & ~keen}[key]


def power_interest_grid(customer_id: int | None = None, who: str | None = None,
                        gaps_only: bool = False, shown: int | None = None) -> list[Quadrant]:
    """The four quadrants in QUADRANTS order; in each, its first ``shown`` (``GRID_SHOWN``)
    stakeholders, the most influential and interested first (then by customer and name), and
    its count; ``gaps_only``: those with a gap. Sorted and counted by the database."""
    k, c = m.Contact, m.Customer
    shown = GRID_SHOWN if shown is None else shown
    out = []
    for key, title in QUADRANTS:
        query = _query(customer_id, who).where(_in_quadrant(key))
        if gaps_only:
            query = query.where(gap_of() != 0)
        first = rows_of(query.order_by(fn.COALESCE(k.influence, 0).desc(),
                                       fn.COALESCE(k.interest, 0).desc(), fn.LOWER(c.name),
                                       fn.LOWER(k.name), k.id).limit(shown))
        total = len(first) if len(first) < shown else query.count()
        out.append(Quadrant(key, title, first, total))
    return out


def gap_summary(who: str | None = None) -> dict[str, Any]:
    """Across the portfolio: stakeholders counted, how many have a gap (below and above
    where they should be), and the largest shortfall (counted in SQL by the pair of
    engagements, a row per pair, not per stakeholder)."""
    k = m.Contact
    pairs = (k.select(k.engagement_current, k.engagement_desired, fn.COUNT(k.id))
             .where((k.archived == False) & of_active(k.customer + 0, who))  # noqa: E712
             .group_by(k.engagement_current, k.engagement_desired).tuples())
    counts = [(gap(now, wanted), int(n)) for now, wanted, n in pairs]
    return {"stakeholders": sum(n for _, n in counts),
            "with_gap": sum(n for g, n in counts if g),
            "below": sum(n for g, n in counts if g > 0),
            "above": sum(n for g, n in counts if g < 0),
            "largest": max((g for g, _ in counts if g > 0), default=0)}
