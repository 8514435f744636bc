"""Today's board: what needs the PM now, each item with a plain-language reason.

Groups, most urgent first (``groups.GROUPS``): SLA breaches and near-breaches, new issues not
yet acknowledged, follow-ups due, customers and stakeholders overdue for contact, expectations
due soon or at risk, health dropped, risks to review. Archived customers and snoozed records
are left out; an issue shows once, in its most urgent group. Within a group: most urgent
first, then the earlier clock (issues, contacts), then the record's id.

``board`` asks each source (``sources``) for the first ``per_group`` items of its groups and
the count of the rest (every group is a few index walks in urgency order: ``streams``); only
the items shown are put in words, by their source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from relboard import models as m
from relboard.services.context import Context
from relboard.services.today import streams
from relboard.services.today.groups import ALL_GROUPS, GROUPS
from relboard.services.today.items import PER_GROUP, AttentionItem, Board, merged
from relboard.services.today.sources import wanted
from relboard.services.today.streams import Candidate, counting


def _names(found: list[Candidate]) -> tuple[dict[int, str], dict[int, str]]:
    """The customer names and owners ("" nobody) of the candidates (their ``customer``, or a
    customer's ``id``)."""
    ids = {row["customer"] if "customer" in row else row["id"]
           for _, group, row, _ in found}
    got = streams.by_ids(("names",), _names_query, ids)
    return ({k: row["name"] for k, row in got.items()},
            {k: row["owner"] or "" for k, row in got.items()})


def _names_query():
    c = m.Customer
    return c.select(c.id, c.name, c.owner)


def board(ctx: Context, who: str | None = None, per_group: int | None = PER_GROUP,
          groups: Iterable[str] | None = None, exact: bool = False,
          pages: Mapping[str, int] | None = None) -> Board:
    """Today: the first ``per_group`` items of every group (None: all) and each group's count.

    ``who`` scopes it to one PM ("my view"): their customers, the issues and expectations they
    own, and whatever nobody owns (someone on duty must see it); None: everyone's. ``groups``
    names the groups to work out (None: all); the others come back empty, with a count of 0.
    ``pages`` reads some groups further (group -> items: the ones the PM paged through on
    Today). Counts stop at ``streams.COUNT_CAP`` (the board's ``capped`` groups) unless
    ``exact``.
    """
    want = ALL_GROUPS if groups is None else frozenset(groups)
    ctx = ctx.pinned()  # one "now" for every group (and "today" worked out once)
    limits: dict[int | None, set[str]] = {}
    for name in want:
        limit = per_group if not pages or name not in pages or per_group is None else \
            max(per_group, pages[name])
        limits.setdefault(limit, set()).add(name)
    found: Board | None = None
    for limit, named in sorted(limits.items(), key=lambda part: part[0] or 0):
        part = _part(ctx, who, limit, frozenset(named), exact)
        found = part if found is None else merged(found, part, named)
    return found if found is not None else _part(ctx, who, per_group, want, exact)


def _part(ctx: Context, who: str | None, per_group: int | None, want: frozenset[str],
          exact: bool) -> Board:
    """``board`` of the groups ``want``, each read to ``per_group`` items."""
    totals = {g.name: 0 for g in GROUPS}
    with counting(None if exact else streams.COUNT_CAP) as count:
        parts = [(source.item, source.candidates(ctx, who, per_group, totals, want))
                 for source in wanted(want)]  # each source puts its own items in words
    if count.cap is not None:
        count.settle(totals)  # the counts of the streams that filled a page: one statement
    names, owners = _names([c for _, found in parts for c in found])
    items = [item(ctx, c, names) for item, found in parts for c in found]
    for it in items:  # the customer's owner, for the rest (made here: not replace(), 9 us)
        if it.owner is None:
            object.__setattr__(it, "owner", owners.get(it.customer_id, ""))
    return Board(items,
                 {g: (0 if g not in want else min(n, streams.COUNT_CAP) if g in count.hit
                      else n) for g, n in totals.items()},
                 frozenset(count.hit & want))


def attention(ctx: Context, who: str | None = None) -> list[AttentionItem]:
    """Everything that needs attention today, grouped in ``GROUPS`` order, most urgent first
    (``board`` with no limit; Today and the digest show the first of each group)."""
    return board(ctx, who, None).items
