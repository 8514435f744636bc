"""Schema 13: playbooks applied to customers.

Adds the ``playbook_run`` table (a configured playbook applied to a customer from a date, one
per customer and name) and the ``playbook_step`` table (each step a planned follow-up, with
the index Today walks: open steps by due date).
"""

from __future__ import annotations

from peewee import Database

from relboard.models import PlaybookRun, PlaybookStep

NAME = "playbooks: runs and their steps"


def apply(db: Database) -> None:
    """Create the tables and their indexes (safe if a half-run left them)."""
    with db.bind_ctx([PlaybookRun, PlaybookStep]):
        db.create_tables([PlaybookRun, PlaybookStep], safe=True)
