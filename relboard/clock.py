"""Time for a team spread over time zones: moments are stored in UTC, shown in local time.

Every moment relboard stores (``created_at``, ``occurred_at``, ``raised_at``, ...) is a naive
``datetime`` in UTC, on SQLite and PostgreSQL alike, so SLA clocks and "last contact" agree for
PMs in different zones. What a person types or reads is local time in their zone (the config's
``timezone``, default the system's). Dates (due dates, follow-ups) are calendar days and have
no zone.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

UTC = _dt.UTC
UTC_NAMES = frozenset({"UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0",
                       "Greenwich", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu",
                       "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich"})
"""IANA names of UTC: such a zone is ``UTC`` itself, whose moments need no conversion."""


YEAR_MIN, YEAR_MAX = 1900, 2199
"""The years relboard accepts on every way in (import, config, command line, forms): any
moment of them can be shown in every time zone (year 1 or 9999 overflows a conversion)."""
YEARS = f"years {YEAR_MIN}-{YEAR_MAX}"
"""How the range is named in messages."""


class OutOfRangeError(ValueError):
    """A real date or moment outside ``YEAR_MIN``..``YEAR_MAX``; its text says the range."""


def in_range(day: _dt.date) -> _dt.date:
    """``day`` (a date or a datetime) itself, or ``OutOfRangeError`` outside the years
    relboard accepts."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise OutOfRangeError(f"must be within {YEARS} (got {day.year})")
    return day


def zone_named(name: str) -> _dt.tzinfo:
    """The IANA zone ``name`` (``Europe/Berlin``, ``UTC``); ValueError if unknown."""
    if name in UTC_NAMES:
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only for a zone other than UTC

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r} (use a name like Europe/Berlin or "
                         "UTC)") from None


def system_zone() -> _dt.tzinfo:
    """The zone this process runs in: ``$TZ``, else ``/etc/localtime``, else a fixed offset."""
    name = os.environ.get("TZ", "").lstrip(":").strip()
    if name:
        try:
            return zone_named(name)
        except ValueError:
            pass
    localtime = Path("/etc/localtime")
    if localtime.exists():
        try:
            linked = localtime.resolve()
        except (OSError, RuntimeError):  # a loop of links
            linked = localtime
        if f"{linked.parent.name}/{linked.name}" in UTC_NAMES or linked.name in UTC_NAMES:
            return UTC
        from zoneinfo import ZoneInfo

        try:
            with localtime.open("rb") as handle:
                return ZoneInfo.from_file(handle, key="localtime")
        except (OSError, ValueError):
            pass
    return _dt.datetime.now().astimezone().tzinfo or UTC


def utc_now() -> _dt.datetime:
    """The current moment as a naive UTC datetime, to the second (the stored form)."""
    return _dt.datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def to_utc(moment: _dt.datetime, zone: _dt.tzinfo) -> _dt.datetime:
    """A moment to the stored form: aware ones are converted, naive ones read in ``zone``."""
    try:
        if moment.tzinfo is None and type(zone) is _dt.timezone:
            return moment - zone.utcoffset(None)
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
        return aware.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # the calendar's very edge (year 1 or 9999): kept as given
        return moment.replace(tzinfo=None)


def to_local(moment: _dt.datetime, zone: _dt.tzinfo) -> _dt.datetime:
    """A stored (naive UTC) moment as naive local time in ``zone``, for showing (a fixed
    offset, such as UTC itself, is added: a tenth of the cost of a conversion).

    Every moment relboard accepts (``YEAR_MIN``..``YEAR_MAX``) converts; one stored before that
    rule at the calendar's very edge (year 1 or 9999) is shown as stored instead of failing."""
    try:
        if type(zone) is _dt.timezone and moment.tzinfo is None:
            return moment + zone.utcoffset(None)
        return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        return moment


def local_text(moment: _dt.datetime | None, zone: _dt.tzinfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment written in local time (``fmt``); a dash when there is none."""
    return "—" if moment is None else to_local(moment, zone).strftime(fmt)
