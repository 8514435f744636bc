"""The config's working hours for SLA clocks checked (a part of ``config_check.load_config``):
``sla.hours``, ``sla.holidays`` and ``sla.tiers``, every problem with its position.

``hours`` is null (round the clock) or a mapping of ``days`` (mon..sun), ``from`` and ``to``
("HH:MM", from before to) and ``timezone`` (an IANA name; default the top-level
``timezone``). ``tiers`` maps a customer tier to ``{hours: ...}`` of its own.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from relboard.clock import YEAR_MAX, YEAR_MIN, YEARS
from relboard.config import SlaHours
from relboard.config_words import describe as _describe
from relboard.domain import TIERS
from relboard.yamlstrict import YDict, YList, suggest

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])|24:00")
_HOURS_KEYS = ("days", "from", "to", "timezone")



def _time(checker: Any, node: YDict, key: str, path: str, default: _dt.time
          ) -> _dt.time | None:
    """``HH:MM`` (24:00: midnight at the end of the day, as 23:59:59.999999)."""
    if key not in node:
        return default
    raw = node[key]
    if not isinstance(raw, str) or not _TIME_RE.fullmatch(raw):
        checker.error(node.value_pos(key), f"{path}.{key}",
                      f"expected a time as \"HH:MM\" (00:00-24:00, in quotes), got "
                      f"{_describe(raw)}")
        return None
    if raw == "24:00":
        return _dt.time.max
    return _dt.time(int(raw[:2]), int(raw[3:]))


def _days(checker: Any, node: YDict, path: str) -> tuple[int, ...] | None:
    if "days" not in node:
        return SlaHours().days
    raw, where = node["days"], node.value_pos("days")
    if not isinstance(raw, YList) or not raw:
        checker.error(where, f"{path}.days",
                      f"expected a list of days like [mon, tue, wed, thu, fri], got "
                      f"{'an empty list' if isinstance(raw, YList) else _describe(raw)}")
        return None
    out: list[int] = []
    ok = True
    for i, item in enumerate(raw):
        name = item.strip().lower() if isinstance(item, str) else None
        if name in DAY_NAMES or name in FULL_DAY_NAMES:
            day = (DAY_NAMES if name in DAY_NAMES else FULL_DAY_NAMES).index(name)
            if day in out:
                checker.error(raw.pos(i), f"{path}.days[{i}]",
                              f"{DAY_NAMES[day]} is listed twice")
                ok = False
            out.append(day)
        else:
            hint = suggest(name or "", DAY_NAMES + FULL_DAY_NAMES) if name else ""
            checker.error(raw.pos(i), f"{path}.days[{i}]",
                          f"expected a day ({', '.join(DAY_NAMES)}), got {_describe(item)}{hint}")
            ok = False
    return tuple(sorted(set(out))) if ok else None


def check_hours(checker: Any, parent: YDict, key: str, path: str, zone: str | None
                ) -> tuple[bool, SlaHours | None]:
    """(valid, hours) of ``parent[key]``: None is round the clock."""
    raw, where, path = parent[key], parent.value_pos(key), f"{path}.{key}"
    if raw is None:
        return True, None
    if not isinstance(raw, YDict):
        checker.error(where, path, "expected a mapping of days, from, to and timezone (or "
                                   f"null: round the clock), got {_describe(raw)}")
        return False, None
    ok = True
    for name in raw:
        if name not in _HOURS_KEYS:
            checker.error(raw.pos(name), f"{path}.{name}",
                          f"unknown key {name!r}{suggest(str(name), _HOURS_KEYS)}")
            ok = False
    days = _days(checker, raw, path)
    start = _time(checker, raw, "from", path, SlaHours().start)
    end = _time(checker, raw, "to", path, SlaHours().end)
    if start is not None and end is not None and start >= end:
        at = "to" if "to" in raw else "from"
        checker.error(raw.value_pos(at), f"{path}.{at}",
                      f"from ({start:%H:%M}) must be before to "
                      f"({'24:00' if end == _dt.time.max else f'{end:%H:%M}'})")
        ok = False
    timezone = raw.get("timezone", zone)
    if "timezone" in raw:
        timezone = _zone(checker, raw, path)
    elif zone is None:
        checker.error(where, f"{path}.timezone",
                      "missing: name the zone the working hours are in (e.g. Europe/Berlin), "
                      "or set the top-level timezone")
        ok = False
    if not ok or days is None or start is None or end is None or timezone is None:
        return False, None
    return True, SlaHours(days=days, start=start, end=end, timezone=timezone)


def _zone(checker: Any, node: YDict, path: str) -> str | None:
    from relboard.clock import zone_named

    raw = node["timezone"]
    if not isinstance(raw, str) or not raw.strip():
        checker.error(node.value_pos("timezone"), f"{path}.timezone",
                      f"expected a time zone name like Europe/Berlin, got {_describe(raw)}")
        return None
    try:
        zone_named(raw.strip())
    except ValueError as exc:
        checker.error(node.value_pos("timezone"), f"{path}.timezone", str(exc))
        return None
    return raw.strip()


def check_holidays(checker: Any, node: YDict) -> tuple[_dt.date, ...]:
    """``sla.holidays``: a list of real dates, sorted, each once."""
    raw = node["holidays"]
    if raw is None:
        return ()
    if not isinstance(raw, YList):
        checker.error(node.value_pos("holidays"), "sla.holidays",
                      f"expected a list of dates like [2026-12-25], got {_describe(raw)}")
        return ()
    out: set[_dt.date] = set()
    for i, item in enumerate(raw):
        day = _date(item)
        if not isinstance(day, _dt.date):
            checker.error(raw.pos(i), f"sla.holidays[{i}]",
                          f"expected a real date as YYYY-MM-DD ({YEARS}), got "
                          f"{_describe(item)}")
        else:
            out.add(day)
    return tuple(sorted(out))


def _date(value: Any) -> _dt.date | None:
    """A real ``YYYY-MM-DD`` date within the years relboard accepts, else None."""
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def check_tiers(checker: Any, node: YDict, zone: str | None
                ) -> tuple[tuple[str, SlaHours | None], ...]:
    """``sla.tiers``: per tier (strategic, key, standard) a mapping with ``hours``."""
    raw = node["tiers"]
    if raw is None:
        return ()
    if not isinstance(raw, YDict):
        checker.error(node.value_pos("tiers"), "sla.tiers",
                      f"expected a mapping of tiers like {{strategic: {{hours: null}}}}, got "
                      f"{_describe(raw)}")
        return ()
    out: list[tuple[str, SlaHours | None]] = []
    for tier, body in raw.items():
        path = f"sla.tiers.{tier}"
        if tier not in TIERS:
            checker.error(raw.pos(tier), path,
                          f"unknown tier {tier!r}{suggest(str(tier), TIERS)} (tiers: "
                          f"{', '.join(TIERS)})")
            continue
        if not isinstance(body, YDict) or "hours" not in body:
            checker.error(raw.value_pos(tier), path,
                          f"expected a mapping with hours (e.g. {{hours: null}}), got "
                          f"{_describe(body)}")
            continue
        for name in body:
            if name != "hours":
                checker.error(body.pos(name), f"{path}.{name}",
                              f"unknown key {name!r}{suggest(str(name), ['hours'])}")
        ok, hours = check_hours(checker, body, "hours", path, zone)
        if ok:
            out.append((str(tier), hours))
    return tuple(out)


def check_sla_hours(checker: Any, data: YDict, zone: str | None) -> dict[str, Any]:
    """The ``hours``, ``holidays`` and ``tiers`` of the ``sla`` section (keyword arguments of
    ``SlaConfig``; absent keys left out)."""
    node = data.get("sla")
    if not isinstance(node, YDict):
        return {}
    out: dict[str, Any] = {}
    if "hours" in node:
        ok, hours = check_hours(checker, node, "hours", "sla", zone)
        if ok:
            out["hours"] = hours
    if "holidays" in node:
        out["holidays"] = check_holidays(checker, node)
    if "tiers" in node:
        out["tiers"] = check_tiers(checker, node, zone)
    return out
