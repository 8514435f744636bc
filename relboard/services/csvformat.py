"""The CSV format shared by ``export --format csv`` and ``import --format csv``.

One file holds one kind of record (``--only KIND``): a header row of field names (the YAML
file's keys), then one row per record. References are written as names, not ids: a
record's ``customer`` by the customer's name, its ``project`` and its stakeholders
(``raised_by``, ``contact``, a touchpoint's ``contacts``, joined by ``; ``) by their names
within that customer, an ``expectation`` by its statement. Dates are ISO 8601
(``2026-11-23``), moments ISO 8601 in UTC (``2026-11-23T14:30:00Z``), yes/no for flags,
severities by name.

CSV injection: a text cell (a free-text field or a name) that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written with a ``'`` in front (OWASP's advice),
so a spreadsheet shows it as text instead of running it; a text that starts with ``'``
itself gets one more, so an import strips exactly one ``'`` from a cell that starts with
``'`` followed by one of those characters (or another ``'``) and a round trip gives the text
back. Numbers, dates, choices and flags are never prefixed: a whole number such as a
sentiment of ``-2`` is a number to a spreadsheet, not a formula, and carries no payload.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable

from relboard.services.fileformat import LINKS, rules_for
from relboard.services.tags import TAGGED

KINDS: dict[str, str] = {
    "customers": "customer", "stakeholders": "contact", "projects": "project",
    "touchpoints": "interaction", "expectations": "expectation", "issues": "issue",
    "risks": "risk", "decisions": "decision", "feedback": "feedback",
}
"""``--only`` word -> kind, for export (every kind a list shows)."""
ALIASES: dict[str, str] = {"contacts": "stakeholders", "interactions": "touchpoints"}
"""The YAML file's section names, accepted for ``--only`` too."""
IMPORTABLE = ("customers", "projects", "stakeholders", "touchpoints", "expectations", "issues")
"""The kinds a CSV file imports, in the order a portfolio is imported (references first)."""

SCOPED = {"project": "project", "contact": "contact", "raised_by": "contact",
          "customer_owner": "contact", "expectation": "expectation"}
"""Reference field -> the kind it names, by name within the record's customer."""
NAME_FIELD = {"customer": "name", "project": "name", "contact": "name",
              "expectation": "statement"}
"""The field a referenced kind is named by."""
TAGS = "tags"
"""A customer's, issue's, expectation's or risk's tags: their names in one cell, separated by
spaces (``renewal urgent``; commas are read too)."""
CONTACTS = "contacts"
"""A touchpoint's or a decision's stakeholders: their names in one cell."""
JOIN = "; "
"""Between the names of one ``contacts`` cell (a ``;`` in a stakeholder's name cannot be
told from it: such a stakeholder is refused by an import, see ``split_names``)."""

RISKY = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP: CSV injection)."""
_PREFIXED = (*RISKY, "'")


def kind_of(word: str, importing: bool = False) -> str:
    """The kind ``--only WORD`` names; ValueError with the known words and the near one."""
    word = ALIASES.get(word.strip().lower(), word.strip().lower())
    known = IMPORTABLE if importing else tuple(KINDS)
    if word in known:
        return KINDS[word]
    near = difflib.get_close_matches(word, [*known, *ALIASES], n=1)
    hint = f"did you mean {near[0]}? " if near else ""
    what = "imports" if importing else "exports"
    raise ValueError(f"--only {word}: not a kind a CSV file {what}; {hint}one of "
                     + ", ".join(known))


def kind_in_name(path: str) -> str | None:
    """The kind a file's name starts with (``issues-2026-11-23.csv``, ``Stakeholders.csv``:
    what the list key and ``export --only`` suggest), or None."""
    stem = os.path.basename(path).lower()
    word = re.split(r"[^a-z]", stem, maxsplit=1)[0]
    word = ALIASES.get(word, word)
    return word if word in KINDS else None


def columns(kind: str) -> list[str]:
    """The header of a file of ``kind``: its fields in file order (stamps last), then a
    touchpoint's or decision's ``contacts``, or a tagged kind's ``tags``."""
    names = list(rules_for(kind))
    return names + [CONTACTS] if kind in LINKS else names + [TAGS] if kind in TAGGED else names


def text_columns(kind: str) -> frozenset[str]:
    """The columns whose cells are free text or names (the ones the injection rule guards)."""
    rules = rules_for(kind)
    return frozenset([name for name, rule in rules.items()
                      if rule.kind in ("text", "longtext", "ref")]
                     + ([CONTACTS] if kind in LINKS else []))


def guard(text: str) -> str:
    """A text cell as written: ``'`` in front of one a spreadsheet would run (or one that
    starts with ``'``, so that ``unguard`` is exact)."""
    return "'" + text if text.startswith(_PREFIXED) else text


def unguard(cell: str) -> str:
    """A cell as read: the ``'`` that ``guard`` added taken off again."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _PREFIXED else cell


def header_key(name: str) -> str:
    """A header cell as a field name: case, spaces and hyphens do not matter."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def split_names(cell: str) -> list[str]:
    """The names of a ``contacts`` cell."""
    return [name.strip() for name in cell.split(";") if name.strip()]


def detect_delimiter(first_line: str) -> str:
    """``;`` when the header row holds more of them than commas (a spreadsheet set to a
    language that writes decimal commas), else ``,``. Quoted text is not counted."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def join_names(names: Iterable[str]) -> str:
    """The names of a ``contacts`` cell, joined."""
    return JOIN.join(names)
