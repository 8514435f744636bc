"""The config's ``commands:``: what a command's argv template may name, and how one is filled.

A template is a list of arguments; ``{kind.field}`` in an argument is replaced by that field of
the highlighted record (or of its customer, or of its stakeholder). Each argument stays one
argument whatever the value holds: the list goes to the program as it is, never to a shell.
``{{`` and ``}}`` stand for a literal brace. This module imports neither Textual nor Peewee:
the config checks templates with it, the board fills them with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("id", "name", "industry", "tier", "owner", "goals", "needs", "notes"),
    "stakeholder": ("id", "name", "role", "email", "phone", "preferred_channel"),
    "issue": ("id", "title", "description", "severity", "status", "owner", "resolution"),
    "expectation": ("id", "statement", "category", "owner", "baseline_due", "current_due",
                    "status"),
    "risk": ("id", "title", "description", "owner", "status", "trigger", "mitigation",
             "contingency", "review_on"),
}
"""The fields a template may name, per kind: columns of the models (``Customer``, ``Contact``,
``Issue``, ``Expectation``, ``Risk``; tests/test_commands_config.py keeps them in step)."""

NAMES = tuple(f"{kind}.{name}" for kind, names in FIELDS.items() for name in names)
"""Every ``kind.field`` a template may name."""

_PLACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders(argument: str) -> tuple[list[str], str | None]:
    """The ``kind.field`` names in one template argument, and why it is malformed (or None):
    a lone ``{`` or ``}`` (write ``{{``/``}}`` for a brace)."""
    names: list[str] = []
    for match in _PLACE.finditer(argument):
        text = match.group(0)
        if text in ("{{", "}}"):
            continue
        if match.group(1) is None:
            return names, f"a lone {text!r} (write {text * 2!r} for a brace)"
        names.append(match.group(1).strip())
    return names, None


def fill(argument: str, values: Mapping[str, str]) -> str:
    """One argument with its ``{kind.field}`` replaced by ``values`` (KeyError: not there)."""

    def one(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        return values[(match.group(1) or "").strip()]

    return _PLACE.sub(one, argument)


def missing(argv: tuple[str, ...], values: Mapping[str, str]) -> list[str]:
    """The fields the template names that this record has not, or has empty, in order."""
    out: list[str] = []
    for argument in argv:
        for name in placeholders(argument)[0]:
            if not values.get(name, "").strip() and name not in out:
                out.append(name)
    return out


def build_argv(argv: tuple[str, ...], values: Mapping[str, str]) -> list[str]:
    """The argument list to run: each template argument filled, one argument each (call
    ``missing`` first: a field not in ``values`` raises KeyError)."""
    return [fill(argument, values) for argument in argv]
