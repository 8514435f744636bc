"""Whether the day's health snapshots were written (by this board or another PM's): what the
board asks at every start, kept apart from ``healthhistory`` so that asking does not load the
health signals and the record kinds before Today's first paint (about 30 ms of imports)."""

from __future__ import annotations

from relboard import models as m
from relboard.services.context import Context


def taken_today(ctx: Context) -> bool:
    """Whether today's snapshots were written already (by this board or another PM's)."""
    s = m.HealthSnapshot
    return s.select().where(s.day == ctx.today()).exists()


def nobody_to_score() -> bool:
    """Whether the board has no active customer (a new one): no snapshot to take, and
    asking ``healthhistory`` would load the health signals for nothing at every start."""
    c = m.Customer
    return not c.select().where(c.archived == False).exists()  # noqa: E712
