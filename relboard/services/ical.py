"""iCalendar text (RFC 5545) written by hand: no runtime dependency for one plain format.

``calendar_text(events, stamp, name)`` writes a VCALENDAR of ``Event`` s: CRLF line ends, lines
folded at 75 octets (never inside a UTF-8 character), TEXT values escaped (``\\ ; ,`` and
newlines), every control character of stored text replaced first (``relboard.text.safe``), so
hostile names end up as plain text; moments in UTC with ``Z``; an all-day event is
``VALUE=DATE`` with DTEND the next day (DTEND is exclusive). Nothing here reads the database.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

from relboard.text import safe

LINE_OCTETS = 75
"""The longest line before folding, without its CRLF (RFC 5545 3.1)."""


@dataclass(frozen=True)
class Event:
    """One dated piece of work: an all-day ``day`` or a ``moment`` (naive UTC), not both.

    ``uid`` is stable per record and kind; ``sequence`` rises with each edit of the record
    (its version); ``last_modified`` is the record's last change (naive UTC)."""

    uid: str
    sequence: int
    summary: str
    description: str
    day: _dt.date | None = None
    moment: _dt.datetime | None = None
    last_modified: _dt.datetime | None = None
    categories: str = ""


def escape_text(value: object) -> str:
    """``value`` as an iCalendar TEXT value: controls replaced, ``\\ ; ,`` and newlines
    escaped (a newline becomes the two characters ``\\n``)."""
    text = safe(value, multiline=True).replace("\t", " ")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space, which counts),
    each piece ending in CRLF; a UTF-8 character is never split."""
    out: list[str] = []
    piece: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            out.append("".join(piece))
            piece, size = [" "], 1
        piece.append(char)
        size += octets
    out.append("".join(piece))
    return "".join(part + "\r\n" for part in out)


def utc_text(moment: _dt.datetime) -> str:
    """A naive UTC moment as an iCalendar UTC DATE-TIME (``20261123T100000Z``)."""
    return f"{moment:%Y%m%dT%H%M%S}Z"


def _event_lines(event: Event, stamp: _dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{utc_text(stamp)}",
             f"SEQUENCE:{max(0, event.sequence)}"]
    if event.day is not None:
        lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{event.day + _dt.timedelta(days=1):%Y%m%d}"]
    elif event.moment is not None:
        lines.append(f"DTSTART:{utc_text(event.moment)}")  # no DTEND: a moment (3.6.1)
    else:
        raise ValueError(f"event {event.uid}: neither a day nor a moment")
    if event.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{utc_text(event.last_modified)}")
    lines += [f"SUMMARY:{escape_text(event.summary)}",
              f"DESCRIPTION:{escape_text(event.description)}"]
    if event.categories:
        lines.append(f"CATEGORIES:{escape_text(event.categories)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]  # work to do, not time taken
    return lines


def calendar_text(events: Iterable[Event], stamp: _dt.datetime, name: str = "",
                  version: str = "") -> str:
    """The whole VCALENDAR of ``events`` (``stamp``: DTSTAMP, naive UTC; ``name``: the
    calendar's name shown by calendar apps)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
             f"PRODID:-//relboard//relboard {escape_text(version)}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
