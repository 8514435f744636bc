"""How the config checks name a loaded value in their messages: one helper shared by
``config_check`` and the checks of its sections (commands, playbooks, SLA hours), which
``config_check`` imports (so none of them can import it back)."""

from __future__ import annotations

from typing import Any


def describe(value: Any) -> str:
    """A loaded YAML value as a message names it: ``true``, ``nothing``, ``a mapping``,
    ``a list``, a string quoted, a number as written."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "nothing"}[value]
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value) if isinstance(value, str) else str(value)
