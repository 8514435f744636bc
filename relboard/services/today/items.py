"""What Today shows, as plain values: an item, a board, and a board merged from parts. No
database here: the screen loads this before the database code, and the first board can come
from another process (``relboard.prefetch``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from relboard.services.today.groups import GROUPS

PER_GROUP = 50
"""Items Today shows per group; the rest are counted."""


@dataclass(frozen=True)
class AttentionItem:
    """One thing on Today.

    ``kind``/``record_id`` name the record to open (issue, interaction, customer, contact,
    expectation, health, risk: ``groups.KINDS``); ``version`` (and, for an issue, ``status``)
    as read, for one-key actions: a key passes what it holds, and a save since by someone else
    is a conflict the service says.
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
    status: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Board:
    """Today: the first items of each group (``GROUPS`` order) and every group's full count."""

    items: list[AttentionItem]
    totals: dict[str, int]

    @property
    def total(self) -> int:
        """Everything that needs attention."""
        return sum(self.totals.values())


def counts(items: list[AttentionItem]) -> dict[str, int]:
    """Items per group, in ``GROUPS`` order (groups with none included as 0)."""
    out = {g.name: 0 for g in GROUPS}
    for item in items:
        out[item.group] += 1
    return out


def merged(old: Board, new: Board, groups: Iterable[str]) -> Board:
    """``old`` with ``groups`` taken from ``new`` (a partial board), in ``GROUPS`` order."""
    fresh = frozenset(groups)
    names = [g.name for g in GROUPS]
    items = [it for g in names for it in (new if g in fresh else old).items if it.group == g]
    return Board(items, {g: (new if g in fresh else old).totals[g] for g in names})


def first_line(text: str, width: int = 80) -> str:
    """The first line of ``text``, cut to ``width`` (an item's title from a long text)."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"
