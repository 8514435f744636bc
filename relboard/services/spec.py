"""Field rules for every entity: what a value may be, and turning form text into stored values.

A screen sends what the user typed (strings) or Python values; ``clean`` answers with stored
values or a ``ValidationError`` that names each bad field and why.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from relboard import models as m
from relboard.clock import UTC, to_utc
from relboard.domain import parse_severity, severity_name, severity_rank
from relboard.services.dates import (
    MOMENT_WORDS,
    YEARS,
    OutOfRangeError,
    in_range,
    relative_day,
    relative_moment,
)
from relboard.services.errors import ValidationError
from relboard.text import clipped, is_blank, text_problem

INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1
"""What a database integer column holds (SQLite and PostgreSQL bigint)."""


@dataclass(frozen=True)
class F:
    """One field's rule.

    kind: text, longtext, int, bool, date, datetime, choice, severity (name <-> 1..4), ref.
    """

    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    lo: int | None = None
    hi: int | None = None
    max_len: int = 200
    ref: type[m.BaseModel] | None = None
    editable: bool = True  # False: set by a dedicated service (status, clocks), not by update()
    label: str = ""
    past: bool = False  # a date that has happened: not after the user's today (when known)


def parse_date(value: Any, today: _dt.date | None = None) -> _dt.date | None:
    """A date from a ``date``, an ISO string, or empty -> None; ValueError otherwise.

    With ``today``, words relative to it are dates too (``relative_day``: ``+3d``,
    ``tomorrow``, ``friday``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return in_range(value.date())
    if isinstance(value, _dt.date):
        return in_range(value)
    if today is not None and (day := relative_day(str(value), today)) is not None:
        return in_range(day)
    return in_range(_dt.date.fromisoformat(str(value).strip()))


def parse_stored(value: Any) -> _dt.datetime | None:
    """A stored moment (naive UTC) from a ``datetime`` or the text SQLite aggregates return."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0)
    return _dt.datetime.fromisoformat(str(value).strip()).replace(microsecond=0)


def parse_datetime(value: Any, zone: _dt.tzinfo = UTC, today: _dt.date | None = None,
                   now: _dt.datetime | None = None) -> _dt.datetime | None:
    """A moment as given to a service, in the stored form (naive UTC), or None.

    A ``datetime`` object is already a moment: naive means UTC, aware is converted. Text is what
    a person wrote ("2026-11-23 14:30", "2026-11-23T14:30+09:00", "...Z"): without an offset it
    is local time in ``zone``. A day alone means 09:00 local. With ``today`` (the user's), the
    words of a date field with a time (``today 10:00``, ``tomorrow 9:30``, ``+2d 14:00``,
    ``friday 16:00``: ``relative_moment``); with ``now`` (stored form), ``now`` is that moment.
    The one reader of typed moments: forms, command line and services alike (an import gives
    no ``today``: a file says its moments in full).
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return to_utc(in_range(value), UTC).replace(microsecond=0)
    if isinstance(value, _dt.date):
        return to_utc(_dt.datetime.combine(in_range(value), _dt.time(9, 0)), zone)
    if now is not None and str(value).strip().lower() == "now":
        return now.replace(microsecond=0)
    if today is not None and (moment := relative_moment(str(value), today)) is not None:
        return to_utc(in_range(moment), zone)
    text = str(value).strip().replace("T", " ")
    if len(text) == 10:
        day = in_range(_dt.date.fromisoformat(text))
        return to_utc(_dt.datetime.combine(day, _dt.time(9, 0)), zone)
    return to_utc(in_range(_dt.datetime.fromisoformat(text)), zone).replace(microsecond=0)


def bounds_problem(number: int, lo: int | None, hi: int | None) -> str | None:
    """Why ``number`` is outside ``lo..hi`` (either may be None: no bound), or None."""
    lo = INT_MIN if lo is None else lo
    hi = INT_MAX if hi is None else hi
    if lo <= number <= hi:
        return None
    if hi == INT_MAX:
        return f"must be {lo} or more" if number < lo else f"must be at most {hi}"
    if lo == INT_MIN:
        return f"must be {hi} or less" if number > hi else f"must be at least {lo}"
    return f"must be between {lo} and {hi}"


def _clean_one(name: str, rule: F, value: Any, verbatim: bool = False,
               zone: _dt.tzinfo = UTC, today: _dt.date | None = None,
               now: _dt.datetime | None = None) -> Any:
    """Return the stored form of ``value`` or raise ValueError with the reason.

    Moments typed as text are local time in ``zone`` (see ``parse_datetime``). With ``today``
    a date may be written relative to it (``+3d``, ``friday``: ``relative_day``), and a moment
    too (``tomorrow 9:30``); with ``now``, a moment may be ``now``.

    ``verbatim`` keeps text as given but for surrounding spaces and line ends (an import
    restores what an export wrote, line ends in a name included); only its type and length
    are checked. Control characters are refused on every way in alike (``text_problem``).
    """
    kind = rule.kind
    text_kind = kind in ("text", "longtext")
    # Only spaces is no value; invisible characters alone (a zero-width space) are no text
    # either, but for a word, a number or a date they are a value that is wrong.
    empty = value is None or (isinstance(value, str) and (
        not value.strip() or (text_kind and is_blank(value))))
    if empty:
        if rule.required:
            raise ValueError("is required")
        return "" if text_kind else None
    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValueError(problem)
    if text_kind:
        if not isinstance(value, str):
            raise ValueError("must be text")
        limit = rule.max_len if kind == "text" else 20000
        if verbatim:  # only the spaces and line ends a YAML block or a hand adds
            text = value.strip(" \t\n" if kind == "text" else " \n")
        else:
            text = value.strip() if kind == "text" else value.strip("\n ")
        if kind == "text" and not verbatim and ("\n" in text or "\r" in text):
            raise ValueError("must be a single line")
        if len(text) > limit:
            raise ValueError(f"is too long ({len(text)} characters; at most {limit})")
        return text
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError("must be a whole number")
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            raise ValueError("must be a whole number") from None
        if problem := bounds_problem(number, rule.lo, rule.hi):
            raise ValueError(problem)
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "y", "1"):
            return True
        if text in ("false", "no", "n", "0"):
            return False
        raise ValueError("must be yes or no")
    if kind == "date":
        try:
            day = parse_date(value, today)
            if rule.past and today is not None and day is not None and day > today:
                raise ValueError("cannot be after today")
            return day
        except (TypeError, ValueError, OverflowError) as exc:
            if "within" in str(exc) or "after today" in str(exc):
                raise ValueError(str(exc)) from None
            raise ValueError("must be a date like 2026-11-30"
                             + (", +3d, tomorrow or friday" if today else "")
                             + f" ({YEARS})") from None
    if kind == "datetime":
        try:
            return parse_datetime(value, zone, today, now)
        except OutOfRangeError as exc:
            raise ValueError(str(exc)) from None
        except (TypeError, ValueError, OverflowError) as exc:
            if "within" in str(exc):
                raise ValueError(str(exc)) from None
            if "time of day" in str(exc):
                raise ValueError(f"must be a date and time: {exc}") from None
            words = MOMENT_WORDS if today else "2026-11-30 14:30"
            raise ValueError(f"must be a date and time like {words} ({YEARS})") from None
    if kind == "choice":
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        if text not in rule.choices:
            raise ValueError("must be one of " + ", ".join(rule.choices))
        return text
    if kind == "severity":  # a name in, its rank stored
        return severity_rank(parse_severity(value))
    if kind == "ref":
        try:
            ref_id = int(value.id if isinstance(value, m.BaseModel) else value)
        except (TypeError, ValueError):
            raise ValueError("must be a record number") from None
        if not rule.ref.select(rule.ref.id).where(rule.ref.id == ref_id).exists():
            raise ValueError(f"{rule.ref.__name__.lower()} #{ref_id} does not exist")
        return ref_id
    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover


UNKNOWN_SHOWN = 3
"""The most names a message lists of fields a record does not have."""


def _not_fields(unknown: list[Any], rules: dict[str, F]) -> str:
    """Why the ``unknown`` names are refused (under the first), in a few words however many
    there are: the first with a suggestion, a few more, then how many others."""
    import difflib  # only for a mistake

    close = difflib.get_close_matches(str(unknown[0])[:100], list(rules), n=1)
    reason = "is not a field of this record" + (f"; did you mean {close[0]!r}?" if close else "")
    if len(unknown) > 1:
        more = ", ".join(clipped(name) for name in unknown[1:UNKNOWN_SHOWN])
        rest = len(unknown) - UNKNOWN_SHOWN
        verb = "is" if len(unknown) == 2 else "are"
        reason += f" (nor {verb} {more}" + (f" and {rest:,} more" if rest > 0 else "") + ")"
    return reason


def clean(rules: dict[str, F], values: dict[str, Any], *, partial: bool,
          allow_fixed: bool = False, verbatim: bool = False,
          zone: _dt.tzinfo = UTC, today: _dt.date | None = None,
          now: _dt.datetime | None = None) -> dict[str, Any]:
    """Validate ``values`` against ``rules``; return stored values or raise ValidationError.

    ``partial`` (an update): only the given fields are checked and required ones may be absent.
    ``allow_fixed``: accept fields that are not user-editable (import, dedicated services).
    ``verbatim``: keep text exactly as given (import; see ``_clean_one``).
    ``zone``: the user's time zone, in which typed moments are read.
    ``today``: the user's today; dates may then be relative to it (``+3d``, ``friday``), and
    moments (``tomorrow 9:30``). ``now``: the current moment, which a moment ``now`` means.
    """
    out, errors = clean_parts(rules, values, partial=partial, allow_fixed=allow_fixed,
                              verbatim=verbatim, zone=zone, today=today, now=now)
    if errors:
        raise ValidationError(errors)
    return out


def clean_parts(rules: dict[str, F], values: dict[str, Any], *, partial: bool,
                allow_fixed: bool = False, verbatim: bool = False, zone: _dt.tzinfo = UTC,
                today: _dt.date | None = None,
                now: _dt.datetime | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """``clean`` that does not stop: the stored values of the good fields and the reason of
    every bad one, so a caller can add its cross-field checks and say everything at once."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    unknown = [name for name in values if name not in rules]
    if unknown:
        errors[unknown[0]] = _not_fields(unknown, rules)
    for name in values:
        rule = rules.get(name)
        if rule is not None and not rule.editable and not allow_fixed:
            errors[name] = "cannot be changed here"
    for name, rule in rules.items():
        if name not in values:
            if not partial and rule.required:
                errors[name] = "is required"
            continue
        if name in errors:
            continue
        try:
            out[name] = _clean_one(name, rule, values[name], verbatim, zone, today, now)
        except ValueError as exc:
            errors[name] = str(exc)
    return out, errors


def shown(rule: F, value: Any) -> str | None:
    """The text an Activity row records for a stored value."""
    if value is None:
        return None
    if rule.kind == "severity":
        return severity_name(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, _dt.datetime) else value.isoformat()
    return str(value)
