"""The config's ``commands:`` checked (a part of ``config_check.load_config``): each command a
mapping of ``key``, ``name``, ``screens``, ``argv`` and ``read_only``; the fields ``argv``
names must be ones a record has (``command_spec.FIELDS``), the screens ones the board has.

Whether the key is a real key and is free on those screens is checked when the board starts
(``keymap.check_command_keys``: it needs the screens' bindings, which the config never loads).
"""

from __future__ import annotations

from typing import Any

from relboard.command_spec import NAMES, placeholders
from relboard.config import CommandConfig
from relboard.config_words import describe as _describe
from relboard.text import controls
from relboard.yamlstrict import YDict, YList, suggest


def screen_names() -> tuple[str, ...]:
    """The names of the board's screens (``relboard.screens.REGISTRY``, plain data)."""
    from relboard.screens import REGISTRY  # the registry imports no Textual

    return tuple(entry.name for entry in REGISTRY)



def check_commands(checker: Any, raw: Any, where: tuple[int, int]) -> tuple[CommandConfig, ...]:
    """The commands in order; every problem recorded on ``checker`` (a ``config_check.Checker``)."""
    if not isinstance(raw, YList):
        checker.error(where, "commands", f"expected a list of commands, got {_describe(raw)}")
        return ()
    out: list[CommandConfig] = []
    keys: dict[str, int] = {}
    for i, item in enumerate(raw):
        path = f"commands[{i}]"
        if not isinstance(item, YDict):
            checker.error(raw.pos(i), path, f"expected a mapping with key, name, screens and "
                                            f"argv, got {_describe(item)}")
            continue
        got = checker.walk(item, path, {"key": ("text", None), "name": ("text", None),
                                        "read_only": ("bool", None), "screens": None,
                                        "argv": None})
        ok = True
        for needed in ("key", "name", "screens", "argv"):
            if needed not in item:
                checker.error(raw.pos(i), path, f"missing {needed!r}")
                ok = False
        key = got.get("key")
        if key is not None and (not key.strip() or "," in key or " " in key.strip()):
            checker.error(item.value_pos("key"), f"{path}.key",
                          f"expected one key (like M or ctrl+o), got {key!r}")
            ok = False
        elif key is not None and key.strip() in keys:
            checker.error(item.value_pos("key"), f"{path}.key",
                          f"{key.strip()!r} is already the key of a command "
                          f"(at line {keys[key.strip()]})")
            ok = False
        elif key is not None:
            keys[key.strip()] = item.value_pos("key")[0]
        if got.get("name") is not None and not got["name"].strip():
            checker.error(item.value_pos("name"), f"{path}.name", "must not be empty")
            ok = False
        screens = _screens(checker, item, path) if "screens" in item else None
        argv = _argv(checker, item, path) if "argv" in item else None
        if ok and None not in (key, got.get("name"), screens, argv):
            out.append(CommandConfig(key=key.strip(), name=got["name"].strip(),
                                     argv=argv, screens=screens,  # type: ignore[arg-type]
                                     read_only=got.get("read_only", False)))
    return tuple(out)


def _screens(checker: Any, item: YDict, path: str) -> tuple[str, ...] | None:
    """A screen name or a list of them, each one the board has."""
    raw, known = item["screens"], screen_names()
    entries = ([(x, raw.pos(n)) for n, x in enumerate(raw)] if isinstance(raw, YList)
               else [(raw, item.value_pos("screens"))])
    out: list[str] = []
    bad = not entries
    if bad:
        checker.error(item.value_pos("screens"), f"{path}.screens", "name at least one screen")
    for name, where in entries:
        if isinstance(name, str) and name in known:
            out += [] if name in out else [name]
        else:
            hint = suggest(name, known) if isinstance(name, str) else ""
            checker.error(where, f"{path}.screens", f"unknown screen {_describe(name)}{hint} "
                                                    f"(screens: {', '.join(known)})")
            bad = True
    return None if bad else tuple(out)


def _argv(checker: Any, item: YDict, path: str) -> tuple[str, ...] | None:
    """A non-empty list of text arguments naming only known fields."""
    raw, sub = item["argv"], f"{path}.argv"
    if not isinstance(raw, YList) or not raw:
        checker.error(item.value_pos("argv"), sub,
                      "expected a non-empty list of arguments (the program first), got "
                      f"{_describe(raw)}; it is never run through a shell")
        return None
    out: list[str] = []
    bad = False
    for n, arg in enumerate(raw):
        where = raw.pos(n)
        if not isinstance(arg, (str, int)) or isinstance(arg, bool):
            checker.error(where, f"{sub}[{n}]", f"expected text, got {_describe(arg)}")
            bad = True
            continue
        text = str(arg)
        if found := controls(text):
            checker.error(where, f"{sub}[{n}]",
                          f"must not contain control characters (found {', '.join(found)})")
            bad = True
            continue
        if n == 0 and not text.strip():
            checker.error(where, f"{sub}[0]", "the program must not be empty")
            bad = True
        names, problem = placeholders(text)
        if problem:
            checker.error(where, f"{sub}[{n}]", problem)
            bad = True
        for name in names:
            if name not in NAMES:
                checker.error(where, f"{sub}[{n}]",
                              f"unknown field {{{name}}}{suggest(name, NAMES)} (fields: "
                              "customer.*, stakeholder.*, issue.*, expectation.*, risk.*)")
                bad = True
        out.append(text)
    return None if bad else tuple(out)
