"""Dates a person writes relative to today: ``+3d``, ``tomorrow``, ``friday``.

Kept apart from the field rules (``services.spec``) and free of the models, so the command
line, the services' date cleaning and the board's quick checks read the same words.
"""

from __future__ import annotations

import datetime as _dt
import re

from relboard.clock import YEAR_MAX, YEAR_MIN, YEARS, OutOfRangeError, in_range

__all__ = ["YEAR_MIN", "YEAR_MAX", "YEARS", "OutOfRangeError", "in_range", "relative_day"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OFFSET = re.compile(r"^(?:today\s*)?([+-])\s*(\d{1,5})\s*([dw]?)$")
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
