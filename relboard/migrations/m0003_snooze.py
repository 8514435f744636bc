"""Schema 3: attention items other than issues and follow-ups can be snoozed to a date."""

from __future__ import annotations

from peewee import Database

from relboard.models import Snooze

NAME = "snooze table for Today items"


def apply(db: Database) -> None:
    """Create the ``snooze`` table and its indexes (safe if a half-run left it)."""
    with db.bind_ctx([Snooze]):
        db.create_tables([Snooze], safe=True)
