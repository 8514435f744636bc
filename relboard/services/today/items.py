"""What Today shows, as plain values: an item, a board, and a board merged from parts. No
database here: the screen loads this before the database code."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from relboard.services.today.groups import GROUPS, KINDS

PER_GROUP = 50
"""Items the digest lists per group (and ``board``'s default); the rest are counted."""
FIRST_PAGE = 10
"""Items Today reads of a group at first, and again each time the cursor reaches the
group's "… and N more" line: a PM sees 9 to 28 items at a time (80x24 to 240x60), and a
board read ten per group costs the same at 1k and at 1M records (reading 50 per group cost
2.3x as much at 100k, where every group is full, as at 1k, where few are)."""


@dataclass(frozen=True)
class AttentionItem:
    """One thing on Today.

    ``kind``/``record_id`` name the record to open (issue, interaction, customer, contact,
    expectation, health, risk: ``groups.KINDS``); ``version`` (and, for an issue, ``status``)
    as read, for one-key actions: a key passes what it holds, and a save since by someone else
    is a conflict the service says.

    The facts a verb acts on, shown before a key is pressed (``facts``): ``owner`` (the
    record's own for an issue, an expectation or a risk, else its customer's; "" nobody's;
    None until ``board`` fills it in), ``severity`` (an issue's name), ``due`` (an
    expectation's or a follow-up's date, a risk's review date), ``when`` (that date or the SLA
    time left, in words), ``people`` (who a follow-up is with). ``note`` is what the screen
    says after the facts (None: the ``reason``, which the digest says whole).
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
    owner: str | None = field(default=None, compare=False)
    severity: str | None = field(default=None, compare=False)
    due: _dt.date | None = field(default=None, compare=False)
    when: str = field(default="", compare=False)
    people: str = field(default="", compare=False)
    note: str | None = field(default=None, compare=False)
    deadlines: tuple[_dt.datetime | None, _dt.datetime | None] | None = field(
        default=None, compare=False)
    """An issue's first-response and resolution deadlines (naive UTC; None: the clock is
    stopped or paused)."""
    band: str | None = field(default=None, compare=False)
    """A renewal's customer's stored health band (red, amber, green; None: not scored)."""


KIND_WORDS = {name: kind.words for name, kind in KINDS.items()}
"""What an item is, in its facts: each kind's words of the registry ("follow-up")."""


def facts(item: AttentionItem) -> list[str]:
    """The facts a verb acts on, in reading order: kind, status, owner ("unowned" for
    nobody's: early, so a narrow terminal never cuts whose it is), severity, when, with whom:
    ``["issue", "new", "alex", "critical", "response due in 40m"]``."""
    out = [KIND_WORDS.get(item.kind, item.kind)]
    if item.status:
        out.append(item.status.replace("_", " "))
    if item.owner is not None:
        out.append(item.owner or "unowned")
    if item.severity:
        out.append(item.severity)
    if item.when:
        out.append(item.when)
    if item.people:
        out.append(f"with {item.people}")
    return out


SECOND_VIEWS = frozenset({"joint_risk"})
"""Groups whose records may also be in an earlier group: a shared risk not gone through
with the customer may be due for review as well ("Risks to review")."""


def item_key(item: AttentionItem) -> str:
    """The item's key on Today's list, one per item: its kind and record ("risk:12"), and
    for a group of ``SECOND_VIEWS`` the group before them ("joint_risk:risk:12")."""
    key = f"{item.kind}:{item.record_id}"
    return f"{item.group}:{key}" if item.group in SECOND_VIEWS else key


def note(item: AttentionItem) -> str:
    """What the screen says after the facts: the item's ``note``, else its reason."""
    return item.reason if item.note is None else item.note


@dataclass(frozen=True)
class Board:
    """Today: the first items of each group (``GROUPS`` order) and every group's count.

    A count that stopped at ``streams.COUNT_CAP`` (see there: beyond it the number does not
    change what a PM does, and counting further costs a pass over every open item) is "at
    least" that: its group is in ``capped`` and ``count_text`` writes it "100+"."""

    items: list[AttentionItem]
    totals: dict[str, int]
    capped: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        """Everything that needs attention (at least this, when a count is ``capped``)."""
        return sum(self.totals.values())

    def count_text(self, group: str, less: int = 0) -> str:
        """The count of ``group`` (minus ``less``) as Today writes it: "12", or "100+"
        when it stopped at the cap."""
        n = max(0, self.totals[group] - less)
        return f"{n}+" if group in self.capped else str(n)

    def total_text(self) -> str:
        """The total as Today writes it ("100+" when a count stopped at the cap)."""
        return f"{self.total}+" if self.capped else str(self.total)

    def less(self, group: str, items: list[AttentionItem]) -> Board:
        """This board with ``items`` and one item fewer in ``group`` (an item just done)."""
        return Board(items, {**self.totals, group: max(0, self.totals[group] - 1)},
                     self.capped)


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
    return Board(items, {g: (new if g in fresh else old).totals[g] for g in names},
                 frozenset(g for g in names if g in (new if g in fresh else old).capped))


def first_line(text: str, width: int = 80) -> str:
    """The first line of ``text``, cut to ``width`` (an item's title from a long text)."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"
