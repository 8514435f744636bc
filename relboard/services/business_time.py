"""Working time: SLA clocks that count only the team's working hours (``sla.hours``).

A ``Calendar`` is a set of working windows: on each working day (a weekday of ``days`` that is
not a holiday) from ``from`` to ``to`` *wall-clock time in its time zone*, so a day on which
the clocks change still works 09:00-17:00 local time (and the window is an hour shorter or
longer in UTC only if it spans the change). ``None`` hours mean round the clock: every second
counts, holidays included (a tier that is 24/7 works on holidays too).

Moments in and out are naive UTC, as stored (``relboard.clock``). Two operations:

* ``work_seconds(cal, a, b)``: the working seconds between two moments (0 when ``b <= a``);
* ``add_work(cal, start, seconds)``: the deadline of a clock started at ``start`` that may run
  ``seconds`` of working time: the *latest* moment by which no more than that has run. When
  the target is used up exactly at the end of a working day, the deadline is the start of the
  next working window: the clock is not over its target before working time goes on (so a
  clock is breached exactly when now is past its deadline, as with round-the-clock clocks).

No database here: ``services.clocks`` stores deadlines computed with it at write time.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from relboard.clock import UTC, zone_named

if TYPE_CHECKING:
    from relboard.config import SlaHours

_DAY = _dt.timedelta(days=1)
_MAX_DAYS = 3660
"""How far the walk looks for a working window before giving up (ten years: a calendar whose
every day is a holiday works nowhere; the config cannot make one, a hand-made one can)."""


class Calendar:
    """Working windows: ``hours`` (None: round the clock) less ``holidays``."""

    __slots__ = ("hours", "holidays", "zone", "_days")

    def __init__(self, hours: SlaHours | None, holidays: frozenset[_dt.date] = frozenset()):
        self.hours = hours
        self.holidays = holidays if hours is not None else frozenset()
        self.zone = zone_named(hours.timezone) if hours is not None else UTC
        self._days = frozenset(hours.days) if hours is not None else frozenset()

    @property
    def round_the_clock(self) -> bool:
        """Every second counts."""
        return self.hours is None

    def working_day(self, day: _dt.date) -> bool:
        """Whether ``day`` (a local date) has a working window."""
        return day.weekday() in self._days and day not in self.holidays

    def window(self, day: _dt.date) -> tuple[_dt.datetime, _dt.datetime] | None:
        """The working window of local date ``day`` as naive UTC moments (None: no work)."""
        return _window(self, day)

    def _window(self, day: _dt.date) -> tuple[_dt.datetime, _dt.datetime] | None:
        hours = self.hours
        if hours is None or not self.working_day(day):
            return None
        start = _utc(_dt.datetime.combine(day, hours.start), self.zone)
        end = _utc(_dt.datetime.combine(day, hours.end), self.zone)
        return (start, end) if start < end else None

    def windows(self, moment: _dt.datetime) -> Iterator[tuple[_dt.datetime, _dt.datetime]]:
        """The working windows that end after ``moment``, in order (at most ten years of days
        are looked at)."""
        day = _local(moment, self.zone).date() - _DAY
        for _ in range(_MAX_DAYS):
            found = self.window(day)
            if found is not None and found[1] > moment:
                yield found
            day += _DAY


@lru_cache(maxsize=65536)
def _window(cal: Calendar, day: _dt.date) -> tuple[_dt.datetime, _dt.datetime] | None:
    """``Calendar.window``, worked out once per calendar and day (the zone conversions are
    most of a clock's cost: a year-old issue's clock walks some 365 days)."""
    return cal._window(day)


def _utc(local: _dt.datetime, zone: _dt.tzinfo) -> _dt.datetime:
    """A wall-clock time in ``zone`` as naive UTC (a time the clocks skip counts as if the
    change had not happened yet: ``fold=0``)."""
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _local(moment: _dt.datetime, zone: _dt.tzinfo) -> _dt.datetime:
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def work_seconds(cal: Calendar, a: _dt.datetime, b: _dt.datetime) -> float:
    """Working seconds from ``a`` to ``b`` (0 when ``b`` is not after ``a``)."""
    if b <= a:
        return 0.0
    if cal.round_the_clock:
        return (b - a).total_seconds()
    total = 0.0
    for start, end in cal.windows(a):
        if start >= b:
            break
        total += (min(end, b) - max(start, a)).total_seconds()
    return total


def add_work(cal: Calendar, start: _dt.datetime, seconds: float) -> _dt.datetime:
    """The latest moment by which at most ``seconds`` of working time have run since
    ``start`` (round the clock: ``start + seconds``); to the microsecond."""
    step = _dt.timedelta(seconds=max(0.0, seconds))
    if cal.round_the_clock:
        return start + step
    left = step
    last = start
    for begin, end in cal.windows(start):
        begin = max(begin, start)
        if left < end - begin:
            return begin + left
        left -= end - begin
        last = end
    return last + left  # no working window within ten years: as if round the clock


@lru_cache(maxsize=64)
def calendar(hours: SlaHours | None, holidays: tuple[_dt.date, ...] = ()) -> Calendar:
    """The calendar of these hours and holidays (made once per setting)."""
    return Calendar(hours, frozenset(holidays))
