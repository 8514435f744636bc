"""Noticing other people's saves: a cheap counter screens poll, and what the saves touched.

A board's own saves move the counter too (its writes run on a connection of their own), so
``since`` can leave out the audit rows a board wrote itself (``mine``: the undo journal's
``Journal.mine``): a save of one's own is shown once, by the screen that made it."""

from __future__ import annotations

from collections.abc import Callable

from peewee import fn

from relboard import models as m
from relboard.db import data_version, dialect

MANY = 500
"""More saves than this at once (an import): treat it as "everything changed"."""


def version() -> int:
    """A number that changes when someone else saves.

    SQLite: ``PRAGMA data_version`` (any other connection's commit, ~3 µs). Elsewhere
    (PostgreSQL): the newest Activity row, which every service write adds.
    """
    if dialect() == "sqlite":
        return data_version()
    return latest()


def latest() -> int:
    """The newest audit row's id (0 for none): where ``since`` starts."""
    return m.Activity.select(fn.MAX(m.Activity.id)).scalar() or 0


def since(after: int, mine: Callable[[str, int, int | None], bool] | None = None,
          ) -> tuple[int, set[str] | None]:
    """The newest audit id and the kinds of records saved after audit row ``after``; None for
    the kinds when there were more than ``MANY`` saves (read everything again). ``mine(entity,
    record id, version)``: whether an audit row was written by this board (left out)."""
    a = m.Activity
    rows = list(a.select(a.id, a.entity, a.entity_id, a.version).where(a.id > after)
                .order_by(a.id).limit(MANY + 1).tuples())
    if len(rows) > MANY:
        return latest(), None
    kinds = {entity for _, entity, record_id, version in rows
             if mine is None or not mine(entity, record_id, version)}
    return (rows[-1][0] if rows else after), kinds
