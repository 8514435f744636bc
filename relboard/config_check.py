"""Reading the config file and checking it against the settings schema (``relboard.config``,
which imports nothing of this), every problem at once: ``load_config``.

Each problem is ``FILE:LINE:COL: key.path: what``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from relboard.clock import YEAR_MAX, YEAR_MIN, YEARS
from relboard.config import (
    HEALTH_SIGNALS,
    ISSUE_STATUSES,
    SEVERITIES,
    AttentionConfig,
    Config,
    ConfigError,
    HealthBands,
    HealthConfig,
    HealthWeights,
    InsightConfig,
    QueueConfig,
    QueueFilter,
    SlaConfig,
    SlaTarget,
    default_config_path,
    default_database_path,
    login_name,
)
from relboard.config_words import describe as _describe
from relboard.text import controls, escaped
from relboard.yamlstrict import YDict, YList, suggest

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BAD: Any = object()  # a value of the wrong type
_MISSING: Any = object()  # a key that is absent or was reported as wrong


def parse_date(v: Any) -> Any:
    """A real ``YYYY-MM-DD`` date within the years relboard accepts, or BAD."""
    try:
        day = _dt.date.fromisoformat(v) if isinstance(v, str) and _DATE_RE.fullmatch(v) else BAD
    except ValueError:
        return BAD
    return day if day is BAD or YEAR_MIN <= day.year <= YEAR_MAX else BAD


_KINDS: dict[str, tuple[str, Callable[[Any], Any]]] = {  # kind -> (what is expected, convert)
    "text": (
        "text",
        lambda v: str(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else BAD,
    ),
    "int": (
        "a whole number",
        lambda v: v if isinstance(v, int) and not isinstance(v, bool) else BAD,
    ),
    "number": (
        "a number",
        lambda v: (
            float(v)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            else BAD
        ),
    ),
    "bool": ("true or false", lambda v: v if isinstance(v, bool) else BAD),
    "date": (
        f"a real date as YYYY-MM-DD ({YEARS})",
        lambda v: None if v is None else parse_date(v),
    ),
    "text?": ("text", lambda v: None if v is None else _KINDS["text"][1](v)),
}



def _between(lo: float, hi: float) -> Callable[[Any], str | None]:
    """A check that a number lies in ``lo..hi``."""
    return lambda v: None if lo <= v <= hi else f"must be between {lo} and {hi}, got {v:g}"


def _nonempty(v: str) -> str | None:
    """A check that text is not blank."""
    return None if v.strip() else "must not be empty"


def control_problem(v: str) -> str | None:
    """Why text from the config cannot be used as a setting: it holds control characters
    (C0 including tab and newline, DEL, C1, bidi overrides and isolates), or None.

    A setting such as ``user`` is written into every audit row that other PMs see.
    """
    found = controls(v)
    return f"must not contain control characters (found {', '.join(found)})" if found else None


def database_problem(v: str) -> str | None:
    """Why ``v`` cannot be a database location, or None."""
    scheme, sep, rest = v.strip().partition("://")
    if problem := control_problem(v):
        return problem
    if not v.strip():
        return "must not be empty"
    if sep and scheme in ("sqlite", "sqlite+pool") and rest and not rest.startswith("/"):
        return f"{v} opens an in-memory database; use sqlite:///relative/path or sqlite:////absolute/path"
    return None


def _zone_problem(v: str) -> str | None:
    """Why ``v`` is not a time zone name, or None."""
    from relboard.clock import zone_named

    try:
        zone_named(v)
    except ValueError as exc:
        return str(exc)
    return None


_POSITIVE = ("number", lambda v: None if v > 0 else f"must be more than 0, got {v:g}")
_HOURS = {"first_response_hours": _POSITIVE, "resolution_hours": _POSITIVE}
_SCHEMA: dict[str, Any] = {  # key -> (kind, check) | nested section | None (checked on its own)
    "database": ("text", database_problem),
    "user": ("text", _nonempty),
    "theme": ("text", _nonempty),
    "animations": ("bool", None),
    "read_only": ("bool", None),
    "keymap": None,
    "cadence_days": ("int", _between(1, 365)),
    "today": ("date", None),
    "timezone": ("text?", _zone_problem),
    "queues": None,
    "team": None,
    "commands": None,
    "playbooks": None,
    "sla": {
        **{severity: _HOURS for severity in SEVERITIES},
        "near_breach": (
            "number",
            lambda v: None if 0 < v < 1 else f"must be between 0 and 1 (exclusive), got {v:g}",
        ),
        "hours": None,  # working hours, holidays, tiers: config_sla
        "holidays": None,
        "tiers": None,
    },
    "attention": {
        "expectations_due_days": ("int", _between(0, 365)),
        "follow_ups_ahead_days": ("int", _between(0, 365)),
        "joint_review_days": ("int", _between(1, 365)),
        "renewal_days": ("int", _between(0, 730)),
        "stakeholder_cadence": ("bool", None),
        "mine": ("bool", None),
    },
    "insight": {"satisfaction_days": ("int", _between(1, 3650))},
    "health": {
        "weights": {name: ("number", _between(0, 100)) for name in HEALTH_SIGNALS},
        "bands": {"amber": ("int", _between(1, 100)), "green": ("int", _between(1, 100))},
        "sentiment_days": ("int", _between(1, 365)),
        "missed_days": ("int", _between(1, 3650)),
        "drop_days": ("int", _between(1, 365)),
    },
}
def _tags(value: str) -> str | None:
    """Why a queue's ``tag`` (one or more tag names) is not tags (``services.tags``)."""
    from relboard.services.tags import parse

    try:
        return None if parse(value) else "must name a tag"
    except ValueError as exc:
        return str(exc)


_FILTER = {
    "owner": ("text?", _nonempty),
    "customer": ("text?", _nonempty),
    "tag": ("text?", _tags),
    "status": ISSUE_STATUSES,
    "severity": SEVERITIES,
}


class Checker:
    """Reads values out of the loaded document, collecting every problem with its position."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[int, int, str]] = []

    def error(self, where: tuple[int, int], path: str, problem: str) -> None:
        """Record ``problem`` at ``where`` (1-based line, col) for ``path``."""
        text = f"{self.source}:{where[0]}:{where[1]}: {path + ': ' if path else ''}{problem}"
        self.found.append((*where, escaped(text)))  # keys and paths from the file, shown safely

    def mapping(self, node: YDict, key: str, path: str) -> YDict | None:
        """The mapping under ``key``; None when absent, empty or (reported) not a mapping."""
        value = node.get(key)
        if value is not None and not isinstance(value, YDict):
            self.error(
                node.value_pos(key), _join(path, key), f"expected a mapping, got {_describe(value)}"
            )
            return None
        return value

    def walk(self, node: YDict, path: str, schema: Mapping[str, Any]) -> dict[str, Any]:
        """The present, valid values of ``node`` by ``schema``; unknown keys reported."""
        for key in node:
            if key not in schema:
                self.error(
                    node.pos(key),
                    _join(path, key),
                    f"unknown key {key!r}{suggest(key, list(schema))}",
                )
        out: dict[str, Any] = {}
        for key, rule in schema.items():
            if isinstance(rule, dict):
                sub = self.mapping(node, key, path)
                out[key] = self.walk(YDict() if sub is None else sub, _join(path, key), rule)
            elif isinstance(rule, tuple) and rule and rule[0] in _KINDS:
                if (value := self.value(node, key, path, *rule)) is not _MISSING:
                    out[key] = value
            elif rule and key in node:  # a tuple of allowed words
                out[key] = self.choices(node, key, path, rule)
        return out

    def value(
        self, node: YDict, key: str, path: str, kind: str, check: Callable[[Any], str | None] | None
    ) -> Any:
        """The converted value, or _MISSING when absent or wrong (the error is recorded)."""
        if key not in node:
            return _MISSING
        raw, where, sub = node[key], node.value_pos(key), _join(path, key)
        expected, convert = _KINDS[kind]
        if (value := convert(raw)) is BAD:
            hint = (
                " (put it in quotes to mean text)"
                if kind == "text" and isinstance(raw, (bool, float))
                else ""
            )
            self.error(where, sub, f"expected {expected}, got {_describe(raw)}{hint}")
            return _MISSING
        if kind in ("text", "text?") and value is not None and (problem := control_problem(value)):
            self.error(where, sub, problem)
            return _MISSING
        if problem := (check(value) if check and value is not None else None):
            self.error(where, sub, problem)
            return _MISSING
        return value

    def choices(self, node: YDict, key: str, path: str, allowed: Sequence[str]) -> tuple[str, ...]:
        """One allowed word or a list of them, as a tuple without repeats."""
        raw, out = node[key], []
        items = (
            [(x, raw.pos(i)) for i, x in enumerate(raw)]
            if isinstance(raw, YList)
            else [(raw, node.value_pos(key))]
            if raw is not None
            else []
        )
        for item, where in items:
            if isinstance(item, str) and item in allowed:
                out += [] if item in out else [item]
            else:
                hint = suggest(item, allowed) if isinstance(item, str) else ""
                names = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
                self.error(
                    where, _join(path, key), f"expected {names}, got {_describe(item)}{hint}"
                )
        return tuple(out)

    def keymap(self, node: YDict) -> Mapping[str, str]:
        """Binding id -> keys; the ids themselves are the UI's business."""
        for key in node:
            if not key.strip():
                self.error(node.pos(key), "keymap", "a binding id must not be empty")
            elif problem := control_problem(key):
                self.error(node.pos(key), "keymap", f"a binding id {problem}")
        return MappingProxyType(self.walk(node, "keymap", {k: ("text", _nonempty) for k in node}))

    def queues(self, raw: YList) -> tuple[QueueConfig, ...]:
        """The queues in order; names must be present and unique."""
        out: list[QueueConfig] = []
        first: dict[str, int] = {}
        for i, item in enumerate(raw):
            path = f"queues[{i}]"
            if not isinstance(item, YDict):
                self.error(
                    raw.pos(i), path, f"expected a mapping with a name, got {_describe(item)}"
                )
                continue
            got = self.walk(item, path, {"name": ("text", _nonempty), "filter": _FILTER})
            name = got.get("name")
            if "name" not in item:
                self.error(raw.pos(i), path, "missing 'name'")
            elif name in first:
                self.error(
                    item.value_pos("name"),
                    f"{path}.name",
                    f"duplicate queue name {name!r} (first at line {first[name]})",
                )
            elif name is not None:
                first[name] = item.value_pos("name")[0]
                found = got["filter"]
                if found.get("tag"):  # stored as the names: "#Renewal, urgent" -> "renewal urgent"
                    from relboard.services.tags import parse

                    found["tag"] = " ".join(parse(found["tag"]))
                out.append(QueueConfig(name, QueueFilter(**found)))
        return tuple(out)

    def team(self, raw: Any, where: tuple[int, int]) -> tuple[str, ...]:
        """The team's names, in order, each once (a list of non-empty names)."""
        if not isinstance(raw, YList):
            self.error(where, "team", f"expected a list of names, got {_describe(raw)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(raw):
            path = f"team[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.error(raw.pos(i), path, f"expected a name, got {_describe(item)}")
            elif problem := control_problem(item):
                self.error(raw.pos(i), path, problem)
            elif item.strip() in out:
                self.error(raw.pos(i), path, f"{item.strip()!r} is on the team twice")
            else:
                out.append(item.strip())
        return tuple(out)

    def health(self, data: YDict, got: dict[str, Any]) -> HealthConfig:
        """The health section: at least one weight above 0; amber below green."""
        section = data.get("health")
        weights = HealthWeights(**got.pop("weights"))
        if not any(vars(weights).values()):  # only possible when the weights were given
            self.error(
                section.value_pos("weights"),
                "health.weights",
                "at least one weight must be more than 0",
            )
        bands = HealthBands(**got.pop("bands"))
        if bands.amber >= bands.green:
            node = section["bands"]
            key = "green" if "green" in node else "amber"
            self.error(
                node.value_pos(key),
                f"health.bands.{key}",
                f"amber ({bands.amber}) must be below green ({bands.green})",
            )
        return HealthConfig(weights=weights, bands=bands, **got)

    def config(self, data: Any) -> dict[str, Any]:
        """Keyword arguments for :class:`Config` from the whole loaded document."""
        if data is None:
            return {}
        if not isinstance(data, YDict):
            where = (data.line, data.col) if isinstance(data, YList) else (1, 1)
            self.error(
                where,
                "",
                f"the top level must be a mapping of settings (key: value), got {_describe(data)}",
            )
            return {}
        kw = self.walk(data, "", _SCHEMA)
        if (keymap := self.mapping(data, "keymap", "")) is not None:
            kw["keymap"] = self.keymap(keymap)
        if (queues := data.get("queues")) is not None and not isinstance(queues, YList):
            self.error(
                data.value_pos("queues"),
                "queues",
                f"expected a list of queues, got {_describe(queues)}",
            )
        elif queues is not None:
            kw["queues"] = self.queues(queues)
        if "team" in data and data.get("team") is not None:
            kw["team"] = self.team(data["team"], data.value_pos("team"))
        if "commands" in data and data.get("commands") is not None:
            from relboard.config_commands import check_commands

            kw["commands"] = check_commands(self, data["commands"], data.value_pos("commands"))
        if "playbooks" in data and data.get("playbooks") is not None:
            from relboard.config_playbooks import check_playbooks

            kw["playbooks"] = check_playbooks(self, data["playbooks"],
                                              data.value_pos("playbooks"))
        kw["attention"] = AttentionConfig(**kw["attention"])
        kw["insight"] = InsightConfig(**kw["insight"])
        kw["health"] = self.health(data, kw["health"])
        sla, targets = kw["sla"], {}
        for severity in SEVERITIES:
            if got := sla.pop(severity):
                targets[severity] = t = SlaTarget(**{**vars(getattr(SlaConfig(), severity)), **got})
                if t.resolution_hours < t.first_response_hours:
                    key = (
                        "resolution_hours" if "resolution_hours" in got else "first_response_hours"
                    )
                    node = data["sla"][severity]
                    self.error(
                        node.value_pos(key),
                        f"sla.{severity}.{key}",
                        f"resolution_hours ({t.resolution_hours:g}) must not be less than "
                        f"first_response_hours ({t.first_response_hours:g})",
                    )
        from relboard.config_sla import check_sla_hours

        sla.update(check_sla_hours(self, data, kw.get("timezone")))
        kw["sla"] = SlaConfig(**sla, **targets)
        return kw


def _join(path: str, key: str) -> str:
    """``path.key``, or ``key`` at the top."""
    return f"{path}.{key}" if path else key


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load and check the configuration; raise :class:`ConfigError` listing every problem.

    ``path`` (from ``--config``) must exist; otherwise :func:`default_config_path` is used,
    which must exist if it came from ``$RELBOARD_CONFIG`` and may be missing (all defaults)
    if it is the user-folder default. ``env`` defaults to ``os.environ``.
    """
    env = os.environ if env is None else env
    required = path is not None or bool(env.get("RELBOARD_CONFIG", "").strip())
    file = Path(path).expanduser() if path is not None else default_config_path(env)
    source, data = None, None
    if required or file.exists():
        from relboard.yamlstrict import StrictYAMLError, load_file  # PyYAML: only for a file

        source = str(file)
        try:
            data = load_file(file)
        except StrictYAMLError as err:
            raise ConfigError([str(err)]) from None
        except FileNotFoundError:
            raise ConfigError(f"{source}: no such file") from None
        except IsADirectoryError:
            raise ConfigError(f"{source}: is a folder, not a file") from None
        except OSError as err:
            raise ConfigError(f"{source}: cannot read: {err.strerror or err}") from None
    checker = Checker(source or "<defaults>")
    kw = checker.config(data)
    errors = [text for _, _, text in sorted(checker.found, key=lambda f: f[:2])]
    if today := env.get("RELBOARD_TODAY", "").strip():
        kw["today"] = parse_date(today)
        if kw["today"] is BAD:
            errors.append(
                f"RELBOARD_TODAY: expected a real date as YYYY-MM-DD ({YEARS}), got {today!r}"
            )
    if database := env.get("RELBOARD_DATABASE", "").strip():
        kw["database"] = database
        if problem := database_problem(database):
            errors.append(f"RELBOARD_DATABASE: {problem}")
    if errors:
        raise ConfigError(errors)
    db = kw.pop("database", None) or str(default_database_path())
    db = db if "://" in db else os.path.expanduser(db)
    return Config(database=db, user=kw.pop("user", None) or login_name(), source=source, **kw)
