"""Today's groups and the kinds of item they list, as one table: the registry of Today.

Each ``Group`` says everything the screen, the digest and the live refresh know about it: its
name, its heading, its words in the two summary lines, where the rest of it lives, which
saves can change it, the kinds of item it lists and the source module that finds them. Each
``Kind`` says what its items are called on the snoozed list, how a snooze of one is kept and
what ``d`` says when it cannot finish one. No database here: the Today screen reads this
before the database code loads.

Adding a group: a source module in this package (see ``sources``) and one ``Group`` line
below; a new kind of item also needs its ``Kind`` line (and the screens a way to open it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """One group of Today, in the table's order (most urgent first)."""

    name: str
    """The key of its items and counts (``AttentionItem.group``, the digest's JSON)."""
    title: str
    """Its heading on Today and in the digest."""
    source: str
    """The module of this package that finds its items (``sources``)."""
    kinds: tuple[str, ...]
    """The kinds of item it lists (``KINDS``)."""
    moved_by: frozenset[str]
    """The kinds of record whose saves can change it (a customer's change moves every group)."""
    screen: tuple[str, str]
    """Its count's word on Today's summary line: for many, for one ("2 risks", "1 risk")."""
    digest: tuple[str, str]
    """Its count's word on the digest's summary line, likewise."""
    always: bool = False
    """Today's summary line counts it even at 0 (the others only when they hold something)."""
    more: str = ""
    """Where Today says the rest of a long group are (" in Customers ({app.customers})": a
    key is named by its binding's id, ``vocabulary.KEY_PLACE``, so a remapped key shows)."""

    def screen_count(self, count: int, capped: bool = False) -> str:
        """"3 follow-ups" on Today's summary line ("100+ follow-ups": at least, when the
        count stopped at the cap)."""
        return f"{count}{'+' if capped else ''} {self.screen[count == 1 and not capped]}"

    def digest_count(self, count: int) -> str:
        """"3 follow-ups" on the digest's summary line."""
        return f"{count} {self.digest[count == 1]}"


_ISSUE_QUEUE = " in the issue queue ({app.issues})"

GROUPS: tuple[Group, ...] = (
    Group("sla", "SLA breaches and near-breaches", "issues", ("issue",), frozenset({"issue"}),
          ("SLA", "SLA"), ("SLA", "SLA"), always=True, more=_ISSUE_QUEUE),
    Group("unacknowledged", "New issues not acknowledged", "issues", ("issue",),
          frozenset({"issue"}), ("new", "new"), ("unacknowledged", "unacknowledged"),
          always=True, more=_ISSUE_QUEUE),
    Group("follow_up", "Follow-ups due", "follow_ups", ("interaction", "step"),
          frozenset({"interaction", "playbook_step"}), ("follow-ups", "follow-up"),
          ("follow-ups", "follow-up"), always=True),
    Group("contact", "Overdue for contact", "contacts", ("customer", "contact"),
          frozenset({"interaction", "contact"}), ("contact", "contact"),
          ("overdue contact", "overdue contact"), always=True,
          more=" in Customers ({app.customers})"),
    Group("expectation", "Expectations due soon or at risk", "expectations", ("expectation",),
          frozenset({"expectation"}), ("expectations", "expectation"),
          ("expectations", "expectation"), always=True,
          more=" in Expectations ({app.expectations})"),
    Group("health", "Health dropped this week", "health", ("health",), frozenset({"health"}),
          ("health", "health"), ("health dropped", "health dropped")),
    Group("risk", "Risks to review", "risks", ("risk",), frozenset({"risk"}),
          ("risks", "risk"), ("risks to review", "risk to review")),
    Group("joint_risk", "Shared risks to go through with the customer", "risks", ("risk",),
          frozenset({"risk", "contact"}), ("joint reviews", "joint review"),
          ("joint reviews due", "joint review due")),
    Group("renewal", "Renewals ahead", "renewals", ("renewal", "project"),
          frozenset({"renewal", "project", "health"}), ("renewals", "renewal"),
          ("renewals ahead", "renewal ahead")),
)
"""Today's groups, most urgent first: the order of the screen, the digest and the counts."""


@dataclass(frozen=True)
class Kind:
    """A kind of item on Today (``AttentionItem.kind``: the record it opens)."""

    name: str
    words: str
    """What it is called on the snoozed list ("stakeholder" for a contact)."""
    snooze: str
    """How a snooze of it is kept: "own" (the record's own date: issues), "date" (snoozing
    moves its date: nothing is left to list as snoozed), "row" (a ``Snooze`` row)."""
    done_hint: str = ""
    """What ``d`` says on an item it cannot finish ("" when ``d`` finishes it); keys by
    their binding's id, as ``more``."""
    snoozed_title: str = "{}"
    """Its title on the snoozed list, from the record's name."""


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("issue", "issue", "own", "Resolve the issue instead (it needs a resolution note)"),
    Kind("interaction", "follow-up", "date"),
    Kind("step", "playbook step", "date"),
    Kind("customer", "customer", "row",
         "Log a touchpoint ({today.log}) to clear this, or snooze it ({today.snooze})"),
    Kind("contact", "stakeholder", "row",
         "Log a touchpoint with them ({today.log}) to clear this, or snooze it "
         "({today.snooze})"),
    Kind("expectation", "expectation", "row"),
    Kind("health", "health drop", "row",
         "Open the customer ({today.open}) to see what pulls the score down, or snooze it "
         "({today.snooze})",
         snoozed_title="health of {}"),
    Kind("risk", "risk", "row",
         "Open the risk ({today.open}) to review it and set its next review date, or snooze "
         "it ({today.snooze})"),
    Kind("renewal", "renewal", "row", snoozed_title="renewal of {}"),
    Kind("project", "project end", "row"),
)}
"""Every kind of item Today lists; the snoozed list goes in this order on a day."""

BY_NAME: dict[str, Group] = {group.name: group for group in GROUPS}
ALL_GROUPS = frozenset(BY_NAME)
HEADINGS: tuple[tuple[str, str], ...] = tuple((g.name, g.title) for g in GROUPS)
"""(name, heading) of every group, in order."""
EVERY_GROUP_KIND = "customer"
"""A saved customer (archived, renamed, given to another owner) can change every group."""
AFFECTS: dict[str, frozenset[str]] = {
    kind: frozenset(g.name for g in GROUPS if kind in g.moved_by)
    for kind in dict.fromkeys(k for g in GROUPS for k in sorted(g.moved_by))}
AFFECTS[EVERY_GROUP_KIND] = ALL_GROUPS
"""The Today groups a saved record of each kind can change (other kinds change none)."""


def groups_for(kinds: Iterable[str] | None) -> frozenset[str]:
    """The groups to work out again after saves to records of ``kinds`` (None: unknown, all)."""
    if kinds is None:
        return ALL_GROUPS
    return frozenset().union(*(AFFECTS.get(k, frozenset()) for k in kinds))
