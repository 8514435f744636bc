"""Schema 12: tags on customers, issues, expectations and risks (``services.tags``).

Adds the ``tag`` table: one row per record and tag name, unique on ``(kind, record_id,
name)`` (a record's tags, read by the record), with the index ``(name, kind, record_id)``
behind "records tagged X" on every list and the digest. No existing row changes.
"""

from __future__ import annotations

from peewee import Database

from relboard.models import Tag

NAME = "tags on customers, issues, expectations and risks"


def apply(db: Database) -> None:
    """Create the table and its indexes unless a half-run left them."""
    with db.bind_ctx([Tag]):
        db.create_tables([Tag], safe=True)
