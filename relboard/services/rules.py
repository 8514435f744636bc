"""The relationship's rules that several places apply, written once (no database here).

A customer or stakeholder is *overdue for contact* when their last touchpoint (an internal
note does not count; ``last_contact_at`` is kept on every save by ``services.clocks``) is more
than their cadence in days ago, as local dates, or there has been none. A cadence of their own
wins over the board's (``cadence_days``). Today's contact walks apply the same rule in SQL
(``services.today.contacts``), held to this one by the reference tests.
"""

from __future__ import annotations

import datetime as _dt

from relboard.services.context import Context


def cadence(own: int | None, ctx: Context) -> int:
    """The contact cadence in force: the record's own, else the board's."""
    return own or ctx.cadence_days


def days_since(ctx: Context, moment: _dt.datetime | None) -> int | None:
    """Whole local days from ``moment`` (a stored UTC moment) to today; None for never."""
    return None if moment is None else (ctx.today() - ctx.local(moment).date()).days


def overdue(days: int | None, cadence_days: int) -> bool:
    """Overdue for contact: never contacted, or last contacted more than a cadence ago."""
    return days is None or days > cadence_days
