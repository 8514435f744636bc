"""An independent working-time clock for the tests: quarter hours walked one by one.

Nothing of ``relboard.services.business_time``: a quarter hour (its start in UTC) is working
time when its start, as wall-clock time in the zone, falls on a working weekday that is not a
holiday, from the opening time and before the closing time. Tests keep the moments a clock
starts, pauses and resumes on quarter hours (working hours begin and end on them too), so
counting quarters is exact; "now" may fall inside one, which then counts up to now.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

Q = dt.timedelta(minutes=15)
UTC = dt.UTC


class Hours:
    """Working hours as the config says them: days (0 Monday), from, to (hours), a zone
    (None: round the clock), holidays."""

    def __init__(self, days=(0, 1, 2, 3, 4), start=9, end=17, zone=None, holidays=()):
        self.days, self.start, self.end = set(days), start, end
        self.zone = ZoneInfo(zone) if zone else None
        self.holidays = set(holidays)

    def working(self, quarter: dt.datetime) -> bool:
        """Whether the quarter hour starting at ``quarter`` (naive UTC) is working time."""
        if self.zone is None:
            return True
        local = quarter.replace(tzinfo=UTC).astimezone(self.zone)
        hour = local.hour + local.minute / 60
        return (local.weekday() in self.days and local.date() not in self.holidays
                and self.start <= hour < self.end)


def worked(hours: Hours, a: dt.datetime, b: dt.datetime) -> float:
    """Working seconds from ``a`` (on a quarter hour) to ``b``."""
    seconds, t = 0.0, a
    while t < b:
        if hours.working(t):
            seconds += (min(t + Q, b) - t).total_seconds()
        t += Q
    return seconds


def deadline(hours: Hours, start: dt.datetime, seconds: float) -> dt.datetime:
    """The latest moment by which at most ``seconds`` of working time ran since ``start``:
    once they are used up, the start of the next working quarter."""
    left, t = seconds, start
    while True:
        if hours.working(t):
            if left < Q.total_seconds():
                return t + dt.timedelta(seconds=left)
            left -= Q.total_seconds()
        t += Q
