"""What Today shows, as plain values: its groups, an item, a board, and which groups a change
to a kind of record can move. No database here: the screen loads this before the database
code, and the first board can come from another process (``relboard.prefetch``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

GROUPS: tuple[tuple[str, str], ...] = (
    ("sla", "SLA breaches and near-breaches"),
    ("unacknowledged", "New issues not acknowledged"),
    ("follow_up", "Follow-ups due"),
    ("contact", "Overdue for contact"),
    ("expectation", "Expectations due soon or at risk"),
    ("health", "Health dropped this week"),
    ("risk", "Risks to review"),
)
GROUP_TITLES = dict(GROUPS)
PER_GROUP = 50
"""Items Today shows per group; the rest are counted."""


@dataclass(frozen=True)
class AttentionItem:
    """One thing on Today.

    ``kind``/``record_id`` name the record to open (issue, interaction, customer, contact,
    expectation); ``version`` is the version read, for one-key actions.
    """

    group: str
    kind: str
    record_id: int
    customer_id: int
    customer: str
    title: str
    reason: str
    urgency: float
    version: int


@dataclass(frozen=True)
class Board:
    """Today: the first items of each group (GROUPS order) and every group's full count."""

    items: list[AttentionItem]
    totals: dict[str, int]

    @property
    def total(self) -> int:
        """Everything that needs attention."""
        return sum(self.totals.values())


ALL_GROUPS = frozenset(g for g, _ in GROUPS)
AFFECTS: dict[str, frozenset[str]] = {
    "issue": frozenset({"sla", "unacknowledged"}),
    "interaction": frozenset({"follow_up", "contact"}),
    "contact": frozenset({"contact"}),
    "expectation": frozenset({"expectation"}),
    "risk": frozenset({"risk"}),
    "health": frozenset({"health"}),  # a snooze of a health item
    "customer": ALL_GROUPS,  # archived, renamed or given to another owner: every group
}
"""The Today groups a saved record of each kind can change (other kinds change none)."""


def groups_for(kinds: Iterable[str] | None) -> frozenset[str]:
    """The groups to work out again after saves to records of ``kinds`` (None: unknown, all)."""
    if kinds is None:
        return ALL_GROUPS
    return frozenset().union(*(AFFECTS.get(k, frozenset()) for k in kinds))


def merged(old: Board, new: Board, groups: Iterable[str]) -> Board:
    """``old`` with ``groups`` taken from ``new`` (a partial ``board``), in GROUPS order."""
    fresh = frozenset(groups)
    items = [it for g, _ in GROUPS for it in (new if g in fresh else old).items if it.group == g]
    return Board(items, {g: (new if g in fresh else old).totals[g] for g, _ in GROUPS})
