"""Dates a person writes relative to today: ``+3d``, ``tomorrow``, ``friday``; and moments:
the same words with a time of day (``tomorrow 9:30``, ``+2d 14:00``, ``friday 16:00``).

Kept apart from the field rules (``services.spec``) and free of the models, so the command
line, the services' date cleaning and the board's quick checks read the same words.
"""

from __future__ import annotations

import datetime as _dt
import re

from relboard.clock import YEAR_MAX, YEAR_MIN, YEARS, OutOfRangeError, in_range

__all__ = ["YEAR_MIN", "YEAR_MAX", "YEARS", "OutOfRangeError", "in_range", "relative_day",
           "relative_moment", "MOMENT_WORDS"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET = re.compile(r"^(?:today\s*)?([+-])\s*(\d{1,5})\s*([dw]?)$")
_AT = re.compile(r"^(.*?)(?:\s+|\s*@\s*)(\d{1,2}):(\d{2})$")
"""A day then a time of day: ``tomorrow 9:30``, ``2026-11-30 9:30``, ``friday @ 16:00``."""
DAY_TIME = _dt.time(9, 0)
"""The time of a moment written as a day alone."""
MOMENT_WORDS = "2026-11-30 14:30, now, today 10:00, tomorrow 9:30, +2d 14:00 or friday 16:00"
"""The ways to write a moment, as a message or a placeholder names them."""
MAX_OFFSET_DAYS = 36500
"""``+N`` reaches at most a hundred years either way."""


def relative_day(text: str, today: _dt.date) -> _dt.date | None:
    """The day ``text`` names relative to ``today``, or None when it names none.

    ``today``, ``tomorrow``, ``yesterday``; ``+3d``, ``-2d``, ``+2w``, ``+3`` (days),
    ``today+3``; a weekday (``friday``, ``fri``): the next one after today (on a Friday,
    ``friday`` is a week away). Case and surrounding spaces do not matter. ValueError for an
    offset beyond a hundred years.
    """
    word = str(text).strip().lower()
    if word in ("today", "tomorrow", "yesterday"):
        return today + _dt.timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[word])
    if match := _OFFSET.match(word):
        sign, number, unit = match.groups()
        days = int(number) * (7 if unit == "w" else 1)
        if days > MAX_OFFSET_DAYS:
            raise ValueError(f"must be within {MAX_OFFSET_DAYS} days of today")
        return today + _dt.timedelta(days=-days if sign == "-" else days)
    if len(word) >= 3:
        for index, name in enumerate(WEEKDAYS):
            if name.startswith(word):
                ahead = (index - today.weekday() - 1) % 7 + 1
                return today + _dt.timedelta(days=ahead)
    return None


def relative_moment(text: str, today: _dt.date) -> _dt.datetime | None:
    """The local moment (naive) ``text`` names: a day ``relative_day`` reads, or an ISO day,
    then a time ``H:MM`` (``tomorrow 9:30``, ``+2d 14:00``, ``2026-11-30 9:30``); a relative
    day alone is at 09:00 (``DAY_TIME``). None when ``text`` is none of these (an ISO moment
    with seconds or an offset is ``datetime.fromisoformat``'s); ValueError for a time of day
    that does not exist (``25:00``) or an offset beyond a hundred years.
    """
    word = str(text).strip().lower()
    clock = DAY_TIME
    if match := _AT.match(word):
        word, hours, minutes = match.group(1).strip(), int(match.group(2)), int(match.group(3))
        if hours > 23 or minutes > 59:
            raise ValueError(f"{hours}:{minutes:02d} is not a time of day")
        clock = _dt.time(hours, minutes)
    day = relative_day(word, today)
    if day is None and match and len(word) == 10:
        try:
            day = _dt.date.fromisoformat(word)
        except ValueError:
            return None
    return None if day is None else _dt.datetime.combine(day, clock)
