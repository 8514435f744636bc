"""The sources of Today's items: the module of this package that each group of
``groups.GROUPS`` names, loaded in the table's order. The table is the one list; this module
only turns its names into modules.

A source module finds the items of its groups, with the database:

``candidates(ctx, who, limit, totals, want) -> list[Candidate]``
    the first ``limit`` items (None: all) of each of its groups in ``want``, most urgent
    first, as ``streams.Candidate`` (sort key, group, row, extra), in the table's group order;
    each group's full count added to ``totals[group]``. ``who`` scopes them to one PM (their
    customers, their own records, and whatever nobody owns), None: everyone's.
``item(ctx, candidate, names) -> AttentionItem``
    the item of one candidate, with its reason in words (``names``: customer id -> name).
``snoozed_names(kind, ids) -> list[(id, title, customer id)]``
    for a source of a kind snoozed by a ``Snooze`` row (``groups.Kind.snooze`` "row"): what
    the snoozed list calls the records ``ids`` of that kind.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from relboard.services.today.groups import GROUPS

SOURCES: dict[str, ModuleType] = {
    name: import_module(f"relboard.services.today.{name}")
    for name in dict.fromkeys(group.source for group in GROUPS)}
"""Each source module by its name, in the order of the groups."""
OF_GROUP: dict[str, ModuleType] = {group.name: SOURCES[group.source] for group in GROUPS}
"""The source of each group."""
OF_KIND: dict[str, ModuleType] = {kind: SOURCES[group.source]
                                  for group in GROUPS for kind in group.kinds}
"""The source that lists each kind of item."""


def wanted(groups: frozenset[str]) -> list[ModuleType]:
    """The sources of ``groups``, in the table's order."""
    return list({OF_GROUP[name]: None for name in OF_GROUP if name in groups})
