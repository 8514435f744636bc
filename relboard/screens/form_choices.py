"""What a form field is, and the choice lists the forms offer.

``FormField`` describes one field of a ``FormScreen``. The vocabularies come from
``relboard.domain`` (screens never import the models).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from relboard.services.dates import MOMENT_WORDS, YEARS, in_range, relative_day, relative_moment
from relboard.services.kinds.declare import SCALE_1_5  # noqa: F401 - the forms' 1-5 scale
from relboard.services.tags import problem as tags_problem
from relboard.text import is_blank

NEW_EXPECTATION_STATUSES = ("proposed", "agreed")
"""The statuses a new expectation may start in (``expectations.create``)."""

SENTIMENTS = (
    ("-2 very negative", -2), ("-1 negative", -1), ("0 neutral", 0),
    ("+1 positive", 1), ("+2 very positive", 2),
)
"""Sentiment of a touchpoint, -2..+2, with words."""



def labelled(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for stored words: ``site_visit`` shows as ``site visit``."""
    return [(value.replace("_", " "), value) for value in values]


Choices = Sequence[Any] | Callable[..., Sequence[Any]]
_BAD = {"int": "must be a whole number",
        "date": f"must be a date like 2026-11-30, +3d, tomorrow or friday ({YEARS})",
        "datetime": f"must be a date and time like {MOMENT_WORDS} ({YEARS})"}
DATETIME_HINT = "now, today 10:00, -2d 9:30, YYYY-MM-DD HH:MM"
"""The placeholder of a date-and-time field: the ways it may be written."""


@dataclass(frozen=True)
class FormField:
    """One field: ``kind`` is text, longtext, int, date, datetime, choice, bool, multi or
    tags (text: tag names, ``services.tags``).

    ``choices`` is a list of ``(label, value)`` (or plain strings) or a callable returning one
    (run in a worker). With ``depends_on`` the callable gets that field's value (e.g. a customer
    id) and runs again when it changes. A ``text`` field with choices suggests them as you type.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: Choices = ()
    placeholder: str = ""
    help: str = ""
    depends_on: str = ""


def tags_field() -> FormField:
    """The Tags field of a tagged record's form (customer, issue, expectation, risk)."""
    return FormField("tags", "Tags", "tags", placeholder="words, e.g. renewal at-risk",
                     help="separated by spaces or commas; a-z, 0-9, - and _; blank: none")


def resolve_choices(field: FormField, known: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The field's choices as ``(label, value)`` pairs (may query: call it in a worker)."""
    source = field.choices
    if callable(source):
        if field.depends_on:
            key = known.get(field.depends_on)
            source = source(key) if key is not None else []
        else:
            source = source()
    return [(c, c) if isinstance(c, str) else (c[0], c[1]) for c in source]


def as_text(value: Any) -> str:
    """A stored value as form text: dates ISO, moments to the minute, None empty."""
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value.isoformat() if isinstance(value, _dt.date) else str(value)


def quick_check(field: FormField, value: Any) -> str | None:
    """A client-side reason why ``value`` is wrong, or None (the service still decides)."""
    if value is None or value is False or value == [] or (
            isinstance(value, str) and is_blank(value)):
        return "is required" if field.required and field.kind != "bool" else None
    text = value.strip() if isinstance(value, str) else value
    if field.kind == "tags":
        return tags_problem(text)
    try:
        if field.kind == "int":
            int(text)
        elif field.kind == "date" and relative_day(text, _dt.date.today()) is None and (
                len(text) != 10 or not in_range(_dt.date.fromisoformat(text))):
            raise ValueError(text)  # "+3d", "friday": the service reads them against today
        elif field.kind == "datetime" and text.lower() != "now" and not in_range(
                relative_moment(text, _dt.date.today())  # words: the service reads them
                or _dt.datetime.fromisoformat(text)):    # against its own today
            raise ValueError(text)
    except (TypeError, ValueError):
        return _BAD[field.kind]
    return None
