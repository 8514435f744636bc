"""The one wording of days, due dates and touchpoint kinds, for every screen, digest and
brief."""

from __future__ import annotations

import datetime as _dt


def days_text(days: int) -> str:
    """"1 day" / "3 days"."""
    return f"{days} day" if abs(days) == 1 else f"{days} days"


def ago_text(days: int) -> str:
    """How long ago a day was: "today", "yesterday", "3 days ago"."""
    if days == 0:
        return "today"
    return "yesterday" if days == 1 else f"{days_text(days)} ago"


def due_text(due: _dt.date, today: _dt.date) -> str:
    """"due today", "due in 3 days", "overdue by 2 days"."""
    delta = (due - today).days
    if delta == 0:
        return "due today"
    return f"due in {days_text(delta)}" if delta > 0 else f"overdue by {days_text(-delta)}"


def touchpoint_kind(channel: str, internal: bool) -> str:
    """How a touchpoint happened, in words: "site visit", or "internal note" for a note the
    customer never saw (whatever its channel)."""
    return "internal note" if internal else (channel or "").replace("_", " ")
