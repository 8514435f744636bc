"""Noticing other people's saves: a cheap counter screens poll, and what the saves touched."""

from __future__ import annotations

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


def since(after: int) -> tuple[int, set[str] | None]:
    """The newest audit id and the kinds of records saved after audit row ``after``; None for
    the kinds when there were more than ``MANY`` saves (read everything again)."""
    a = m.Activity
    rows = list(a.select(a.id, a.entity).where(a.id > after).order_by(a.id)
                .limit(MANY + 1).tuples())
    if len(rows) > MANY:
        return latest(), None
    return (rows[-1][0] if rows else after), {entity for _, entity in rows}
