"""The config's ``playbooks:`` checked (a part of ``config_check.load_config``): a mapping of
playbook names to non-empty lists of steps, each step a mapping of ``do`` and exactly one of
``after_days`` (0..3650) or ``every_days`` (1..3650)."""

from __future__ import annotations

import re
from typing import Any

from relboard.config import PlaybookConfig, PlaybookStepConfig
from relboard.config_words import describe as _describe
from relboard.text import controls
from relboard.yamlstrict import YDict, YList

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}\Z")
"""A playbook's name: letters, digits, ``-`` and ``_``, starting with a letter or digit (it
is typed on the command line: ``relboard playbook apply onboarding Acme``)."""
DAYS_MAX = 3650
DO_MAX = 200
_STEP_KEYS = ("after_days", "every_days", "do")



def check_playbooks(checker: Any, raw: Any, where: tuple[int, int]
                    ) -> tuple[PlaybookConfig, ...]:
    """The playbooks in file order; every problem recorded on ``checker``."""
    if not isinstance(raw, YDict):
        checker.error(where, "playbooks", "expected a mapping of playbook names to lists of "
                                          f"steps, got {_describe(raw)}")
        return ()
    out: list[PlaybookConfig] = []
    for name, steps in raw.items():
        path = f"playbooks.{name}"
        ok = True
        if not isinstance(name, str) or not NAME_RE.match(name):
            checker.error(raw.pos(name), path,
                          "a playbook's name is letters, digits, - and _ (up to 40, starting "
                          f"with a letter or digit), got {_describe(name)}")
            ok = False
        if not isinstance(steps, YList) or not steps:
            checker.error(raw.value_pos(name), path,
                          "expected a non-empty list of steps, got "
                          + ("an empty list" if steps == [] else _describe(steps)))
            continue
        found = [_step(checker, steps, i, f"{path}[{i}]") for i in range(len(steps))]
        if ok and all(step is not None for step in found):
            out.append(PlaybookConfig(str(name), tuple(s for s in found if s is not None)))
    return tuple(out)


def _step(checker: Any, steps: YList, i: int, path: str) -> PlaybookStepConfig | None:
    """One step, or None (its problems recorded)."""
    item = steps[i]
    if not isinstance(item, YDict):
        checker.error(steps.pos(i), path, "expected a mapping with do and after_days or "
                                          f"every_days, got {_describe(item)}")
        return None
    before = len(checker.found)
    checker.walk(item, path, {key: None for key in _STEP_KEYS})  # unknown keys, near names
    days: dict[str, int] = {}
    for key, low in (("after_days", 0), ("every_days", 1)):
        if key not in item:
            continue
        value = item[key]
        if not isinstance(value, int) or isinstance(value, bool):
            checker.error(item.value_pos(key), f"{path}.{key}",
                          f"expected a whole number of days, got {_describe(value)}")
        elif value < 0:
            checker.error(item.value_pos(key), f"{path}.{key}",
                          f"must not be negative, got {value}")
        elif not low <= value <= DAYS_MAX:
            checker.error(item.value_pos(key), f"{path}.{key}",
                          f"must be between {low} and {DAYS_MAX}, got {value}")
        else:
            days[key] = value
    given = [key for key in ("after_days", "every_days") if key in item]
    if len(given) != 1:
        checker.error(steps.pos(i), path,
                      "give exactly one of after_days (once, N days after the start) or "
                      "every_days (repeating), " + ("not both" if given else "got neither"))
    do = item.get("do")
    if "do" not in item:
        checker.error(steps.pos(i), path, "missing 'do' (what to do, e.g. do: Kickoff call)")
    elif not isinstance(do, (str, int)) or isinstance(do, bool) or not str(do).strip():
        checker.error(item.value_pos("do"), f"{path}.do",
                      f"expected what to do (text), got {_describe(do)}")
    elif found := controls(str(do)):
        checker.error(item.value_pos("do"), f"{path}.do",
                      f"must not contain control characters (found {', '.join(found)})")
    elif len(str(do).strip()) > DO_MAX:
        checker.error(item.value_pos("do"), f"{path}.do",
                      f"must be at most {DO_MAX} characters, got {len(str(do).strip())}")
    if len(checker.found) > before:
        return None
    return PlaybookStepConfig(str(do).strip(), days.get("after_days"), days.get("every_days"))
