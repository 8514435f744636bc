"""relboard's settings: one YAML file, loaded once and checked strictly into frozen dataclasses.

The file is ``$RELBOARD_CONFIG`` if set, else ``config.yaml`` in the user config folder (e.g.
``~/.config/relboard/config.yaml``); ``--config PATH`` names another. Every key is optional;
a missing or empty file means all defaults. Every mistake is reported at once, each as
``FILE:LINE:COL: key.path: what is wrong``; unknown keys are errors. Reference (defaults)::

    database: ~/.local/share/relboard/relboard.db  # a path (~ expanded) or a URL:
                                   #   sqlite:///relative/path, sqlite:////absolute/path,
                                   #   postgresql://user@host/db
    user: <login name>             # who you are: owner names, "Mine", audit trail
    theme: relboard-dark           # colour theme
    animations: true               # true or false (not yes/no)
    keymap: {}                     # binding id -> comma-separated keys, e.g. quit: "ctrl+q,q"
    cadence_days: 14               # default contact cadence, 1..365 days
    today: null                    # pin "today" as YYYY-MM-DD (demos, tests)
    sla:                           # hours per severity; resolution >= first response
      critical: {first_response_hours: 1, resolution_hours: 8}
      high:     {first_response_hours: 4, resolution_hours: 24}
      medium:   {first_response_hours: 8, resolution_hours: 72}
      low:      {first_response_hours: 24, resolution_hours: 168}
      near_breach: 0.8             # fraction of a target elapsed that is "near breach", 0 < x < 1
    attention:
      expectations_due_days: 7     # expectations due within N days show on Today (0..365)
      follow_ups_ahead_days: 0     # follow-ups due within N days show on Today (0..365)
      stakeholder_cadence: true    # check stakeholders' own contact cadence too
    queues:                        # issue queues, in order (default: these three)
      - {name: Open, filter: {status: [new, acknowledged, in_progress, waiting_on_customer]}}
      - {name: Mine, filter: {owner: me, status: [new, acknowledged, in_progress, waiting_on_customer]}}
      - {name: Critical, filter: {severity: [critical, high], status: [new, acknowledged, in_progress, waiting_on_customer]}}
    # filter keys: owner (a user name or "me"), status and severity (one or a list),
    # customer (part of the customer's name)

A section left empty (``sla:``) keeps its defaults; ``queues: []`` means no queues. Booleans
are only ``true``/``false``. Environment: ``RELBOARD_TODAY`` (YYYY-MM-DD) and
``RELBOARD_DATABASE`` override the file.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import getpass
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import platformdirs

from relboard.yamlstrict import StrictYAMLError, YDict, YList, load_file

SEVERITIES = ("critical", "high", "medium", "low")
ISSUE_STATUSES = ("new", "acknowledged", "in_progress", "waiting_on_customer", "resolved", "closed")
OPEN_STATUSES = ISSUE_STATUSES[:4]


class ConfigError(Exception):
    """The configuration cannot be used; ``errors`` holds one line per problem."""

    def __init__(self, errors: Sequence[str] | str) -> None:
        self.errors: list[str] = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class SlaTarget:
    """Hours allowed for the first response and for resolution of one severity."""

    first_response_hours: float
    resolution_hours: float


@dataclass(frozen=True)
class SlaConfig:
    """SLA targets per severity and the fraction of a target that counts as near breach."""

    critical: SlaTarget = SlaTarget(1, 8)
    high: SlaTarget = SlaTarget(4, 24)
    medium: SlaTarget = SlaTarget(8, 72)
    low: SlaTarget = SlaTarget(24, 168)
    near_breach: float = 0.8

    def target(self, severity: str) -> SlaTarget:
        """The target for ``severity`` (critical, high, medium or low); ValueError otherwise."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        return getattr(self, severity)


@dataclass(frozen=True)
class AttentionConfig:
    """How far ahead the Today view looks, and whether stakeholder cadences count."""

    expectations_due_days: int = 7
    follow_ups_ahead_days: int = 0
    stakeholder_cadence: bool = True


@dataclass(frozen=True)
class QueueFilter:
    """Which issues a queue shows; empty parts do not filter. ``owner`` may be ``"me"``."""

    owner: str | None = None
    status: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    customer: str | None = None


@dataclass(frozen=True)
class QueueConfig:
    """A named issue queue."""

    name: str
    filter: QueueFilter = QueueFilter()


DEFAULT_QUEUES: tuple[QueueConfig, ...] = (
    QueueConfig("Open", QueueFilter(status=OPEN_STATUSES)),
    QueueConfig("Mine", QueueFilter(owner="me", status=OPEN_STATUSES)),
    QueueConfig("Critical", QueueFilter(status=OPEN_STATUSES, severity=("critical", "high"))),
)


@dataclass(frozen=True)
class Config:
    """Every setting of relboard, checked; the module docstring describes each key."""

    database: str
    user: str
    theme: str = "relboard-dark"
    animations: bool = True
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    cadence_days: int = 14
    sla: SlaConfig = SlaConfig()
    attention: AttentionConfig = AttentionConfig()
    today: _dt.date | None = None
    queues: tuple[QueueConfig, ...] = DEFAULT_QUEUES
    source: str | None = None

    def effective_today(self) -> _dt.date:
        """The pinned ``today`` if set, else the real date."""
        return self.today or _dt.date.today()


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$RELBOARD_CONFIG`` if set, else ``config.yaml`` in the user config folder."""
    env = os.environ if env is None else env
    if env.get("RELBOARD_CONFIG", "").strip():
        return Path(env["RELBOARD_CONFIG"].strip()).expanduser()
    return platformdirs.user_config_path("relboard") / "config.yaml"


def default_database_path() -> Path:
    """``relboard.db`` in the user data folder (the folder is not created here)."""
    return platformdirs.user_data_path("relboard") / "relboard.db"


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BAD: Any = object()  # a value of the wrong type
_MISSING: Any = object()  # a key that is absent or was reported as wrong


def _date(v: Any) -> Any:
    """A real ``YYYY-MM-DD`` date, or _BAD."""
    try:
        return _dt.date.fromisoformat(v) if isinstance(v, str) and _DATE_RE.fullmatch(v) else _BAD
    except ValueError:
        return _BAD


_KINDS: dict[str, tuple[str, Callable[[Any], Any]]] = {  # kind -> (what is expected, convert)
    "text": ("text", lambda v: str(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else _BAD),
    "int": ("a whole number", lambda v: v if isinstance(v, int) and not isinstance(v, bool) else _BAD),
    "number": ("a number", lambda v: float(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
               and math.isfinite(v) else _BAD),
    "bool": ("true or false", lambda v: v if isinstance(v, bool) else _BAD),
    "date": ("a real date as YYYY-MM-DD", lambda v: None if v is None else _date(v)),
    "text?": ("text", lambda v: None if v is None else _KINDS["text"][1](v)),
}


def _describe(value: Any) -> str:
    """How a loaded value is named in messages."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "nothing"}[value]
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _between(lo: float, hi: float) -> Callable[[Any], str | None]:
    """A check that a number lies in ``lo..hi``."""
    return lambda v: None if lo <= v <= hi else f"must be between {lo} and {hi}, got {v:g}"


def _nonempty(v: str) -> str | None:
    """A check that text is not blank."""
    return None if v.strip() else "must not be empty"


def _database(v: str) -> str | None:
    """Why ``v`` cannot be a database location, or None."""
    scheme, sep, rest = v.strip().partition("://")
    if not v.strip():
        return "must not be empty"
    if sep and scheme in ("sqlite", "sqlite+pool") and rest and not rest.startswith("/"):
        return f"{v} opens an in-memory database; use sqlite:///relative/path or sqlite:////absolute/path"
    return None


def _suggest(word: str, choices: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice (also by prefix), or nothing."""
    close = difflib.get_close_matches(word, choices, n=1) or sorted(
        (c for c in choices if min(len(c), len(word)) >= 3 and (word.startswith(c) or c.startswith(word))),
        key=len, reverse=True)
    return f"; did you mean {close[0]!r}?" if close else ""


_POSITIVE = ("number", lambda v: None if v > 0 else f"must be more than 0, got {v:g}")
_HOURS = {"first_response_hours": _POSITIVE, "resolution_hours": _POSITIVE}
_SCHEMA: dict[str, Any] = {  # key -> (kind, check) | nested section | None (checked on its own)
    "database": ("text", _database), "user": ("text", _nonempty), "theme": ("text", _nonempty),
    "animations": ("bool", None), "keymap": None, "cadence_days": ("int", _between(1, 365)),
    "today": ("date", None), "queues": None,
    "sla": {**{severity: _HOURS for severity in SEVERITIES},
            "near_breach": ("number", lambda v: None if 0 < v < 1 else f"must be between 0 and 1 (exclusive), got {v:g}")},
    "attention": {"expectations_due_days": ("int", _between(0, 365)),
                  "follow_ups_ahead_days": ("int", _between(0, 365)), "stakeholder_cadence": ("bool", None)},
}
_FILTER = {"owner": ("text?", _nonempty), "customer": ("text?", _nonempty), "status": ISSUE_STATUSES,
           "severity": SEVERITIES}


class _Checker:
    """Reads values out of the loaded document, collecting every problem with its position."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[int, int, str]] = []

    def error(self, where: tuple[int, int], path: str, problem: str) -> None:
        """Record ``problem`` at ``where`` (1-based line, col) for ``path``."""
        self.found.append((*where, f"{self.source}:{where[0]}:{where[1]}: {path + ': ' if path else ''}{problem}"))

    def mapping(self, node: YDict, key: str, path: str) -> YDict | None:
        """The mapping under ``key``; None when absent, empty or (reported) not a mapping."""
        value = node.get(key)
        if value is not None and not isinstance(value, YDict):
            self.error(node.value_pos(key), _join(path, key), f"expected a mapping, got {_describe(value)}")
            return None
        return value

    def walk(self, node: YDict, path: str, schema: Mapping[str, Any]) -> dict[str, Any]:
        """The present, valid values of ``node`` by ``schema``; unknown keys reported."""
        for key in node:
            if key not in schema:
                self.error(node.pos(key), _join(path, key), f"unknown key {key!r}{_suggest(key, list(schema))}")
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

    def value(self, node: YDict, key: str, path: str, kind: str, check: Callable[[Any], str | None] | None) -> Any:
        """The converted value, or _MISSING when absent or wrong (the error is recorded)."""
        if key not in node:
            return _MISSING
        raw, where, sub = node[key], node.value_pos(key), _join(path, key)
        expected, convert = _KINDS[kind]
        if (value := convert(raw)) is _BAD:
            hint = " (put it in quotes to mean text)" if kind == "text" and isinstance(raw, (bool, float)) else ""
            self.error(where, sub, f"expected {expected}, got {_describe(raw)}{hint}")
            return _MISSING
        if problem := (check(value) if check and value is not None else None):
            self.error(where, sub, problem)
            return _MISSING
        return value

    def choices(self, node: YDict, key: str, path: str, allowed: Sequence[str]) -> tuple[str, ...]:
        """One allowed word or a list of them, as a tuple without repeats."""
        raw, out = node[key], []
        items = [(x, raw.pos(i)) for i, x in enumerate(raw)] if isinstance(raw, YList) else [
            (raw, node.value_pos(key))] if raw is not None else []
        for item, where in items:
            if isinstance(item, str) and item in allowed:
                out += [] if item in out else [item]
            else:
                hint = _suggest(item, allowed) if isinstance(item, str) else ""
                names = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
                self.error(where, _join(path, key), f"expected {names}, got {_describe(item)}{hint}")
        return tuple(out)

    def keymap(self, node: YDict) -> Mapping[str, str]:
        """Binding id -> keys; the ids themselves are the UI's business."""
        for key in (k for k in node if not k.strip()):
            self.error(node.pos(key), "keymap", "a binding id must not be empty")
        return MappingProxyType(self.walk(node, "keymap", {k: ("text", _nonempty) for k in node}))

    def queues(self, raw: YList) -> tuple[QueueConfig, ...]:
        """The queues in order; names must be present and unique."""
        out, first = [], {}
        for i, item in enumerate(raw):
            path = f"queues[{i}]"
            if not isinstance(item, YDict):
                self.error(raw.pos(i), path, f"expected a mapping with a name, got {_describe(item)}")
                continue
            got = self.walk(item, path, {"name": ("text", _nonempty), "filter": _FILTER})
            name = got.get("name")
            if "name" not in item:
                self.error(raw.pos(i), path, "missing 'name'")
            elif name in first:
                self.error(item.value_pos("name"), f"{path}.name",
                           f"duplicate queue name {name!r} (first at line {first[name]})")
            elif name is not None:
                first[name] = item.value_pos("name")[0]
                out.append(QueueConfig(name, QueueFilter(**got["filter"])))
        return tuple(out)

    def config(self, data: Any) -> dict[str, Any]:
        """Keyword arguments for :class:`Config` from the whole loaded document."""
        if data is None:
            return {}
        if not isinstance(data, YDict):
            where = (data.line, data.col) if isinstance(data, YList) else (1, 1)
            self.error(where, "", f"the top level must be a mapping of settings (key: value), got {_describe(data)}")
            return {}
        kw = self.walk(data, "", _SCHEMA)
        if (keymap := self.mapping(data, "keymap", "")) is not None:
            kw["keymap"] = self.keymap(keymap)
        if (queues := data.get("queues")) is not None and not isinstance(queues, YList):
            self.error(data.value_pos("queues"), "queues", f"expected a list of queues, got {_describe(queues)}")
        elif queues is not None:
            kw["queues"] = self.queues(queues)
        kw["attention"] = AttentionConfig(**kw["attention"])
        sla, targets = kw["sla"], {}
        for severity in SEVERITIES:
            if got := sla.pop(severity):
                targets[severity] = t = SlaTarget(**{**vars(getattr(SlaConfig(), severity)), **got})
                if t.resolution_hours < t.first_response_hours:
                    key = "resolution_hours" if "resolution_hours" in got else "first_response_hours"
                    node = data["sla"][severity]
                    self.error(node.value_pos(key), f"sla.{severity}.{key}",
                               f"resolution_hours ({t.resolution_hours:g}) must not be less than "
                               f"first_response_hours ({t.first_response_hours:g})")
        kw["sla"] = SlaConfig(**sla, **targets)
        return kw


def _join(path: str, key: str) -> str:
    """``path.key``, or ``key`` at the top."""
    return f"{path}.{key}" if path else key


def _login_name() -> str:
    """The login name, or ``me`` when the system cannot tell."""
    try:
        return getpass.getuser() or "me"
    except Exception:  # noqa: BLE001 - OSError or KeyError, depending on the platform
        return "me"


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
    checker = _Checker(source or "<defaults>")
    kw = checker.config(data)
    errors = [text for _, _, text in sorted(checker.found, key=lambda f: f[:2])]
    if today := env.get("RELBOARD_TODAY", "").strip():
        kw["today"] = _date(today)
        if kw["today"] is _BAD:
            errors.append(f"RELBOARD_TODAY: expected a real date as YYYY-MM-DD, got {today!r}")
    if database := env.get("RELBOARD_DATABASE", "").strip():
        kw["database"] = database
        if problem := _database(database):
            errors.append(f"RELBOARD_DATABASE: {problem}")
    if errors:
        raise ConfigError(errors)
    db = kw.pop("database", None) or str(default_database_path())
    db = db if "://" in db else os.path.expanduser(db)
    return Config(database=db, user=kw.pop("user", None) or _login_name(), source=source, **kw)
