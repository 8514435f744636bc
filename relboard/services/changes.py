"""Noticing other people's saves: a cheap counter screens poll to refresh themselves."""

from __future__ import annotations

from peewee import SqliteDatabase, fn

from relboard import models as m
from relboard.db import data_version


def version() -> int:
    """A number that changes when someone else saves.

    SQLite: ``PRAGMA data_version`` (any other connection's commit, ~3 µs). Elsewhere
    (PostgreSQL): the newest Activity row, which every service write adds.
    """
    if isinstance(m.database_proxy.obj, SqliteDatabase):
        return data_version()
    return m.Activity.select(fn.MAX(m.Activity.id)).scalar() or 0
