"""relboard's settings: one YAML file, loaded once and checked strictly into frozen dataclasses.

The file is ``$RELBOARD_CONFIG`` if set, else ``config.yaml`` in the user config folder (e.g.
``~/.config/relboard/config.yaml``); ``--config PATH`` names another. Every key is optional;
a missing or empty file means all defaults. Every mistake is reported at once, each as
``FILE:LINE:COL: key.path: what is wrong``; unknown keys are errors. Reference (defaults)::

    database: ~/.local/share/relboard/relboard.db  # a path (~ expanded) or a URL:
                                   #   sqlite:///relative/path, sqlite:////absolute/path,
                                   #   postgresql://user@host/db
    user: <login name>             # who you are: owner names, "Mine", audit trail
    team: []                       # the team's names, e.g. [alex, priya, sam]: with the users
                                   #   of the audit log, the names an owner field takes
                                   #   without asking (and the CLI's --owner without
                                   #   --new-owner)
    theme: relboard-dark           # colour theme
    animations: true               # true or false (not yes/no)
    read_only: false               # true: a viewer; nothing can be changed (also --read-only)
    keymap: {}                     # binding id -> keys, e.g. app.quit: "ctrl+q,q"
    cadence_days: 14               # default contact cadence, 1..365 days
    today: null                    # pin "today" as YYYY-MM-DD (demos, tests)
    timezone: null                 # where you are, e.g. Europe/Berlin (null: the system's zone):
                                   #   times are stored in UTC, shown and typed in this zone
    sla:                           # hours per severity; resolution >= first response
      critical: {first_response_hours: 1, resolution_hours: 8}
      high:     {first_response_hours: 4, resolution_hours: 24}
      medium:   {first_response_hours: 8, resolution_hours: 72}
      low:      {first_response_hours: 24, resolution_hours: 168}
      near_breach: 0.8             # fraction of a target elapsed that is "near breach", 0 < x < 1
      hours: null                  # when the clocks run (null: round the clock), e.g.
                                   #   {days: [mon, tue, wed, thu, fri], from: "09:00",
                                   #    to: "17:00", timezone: Europe/Berlin}
                                   #   (days default mon-fri, from 09:00, to 17:00,
                                   #   timezone the top-level timezone); wall-clock time there
      holidays: []                 # dates without working hours, e.g. [2026-12-25, 2026-12-26]
      tiers: {}                    # per customer tier (strategic, key, standard) its own hours:
                                   #   {strategic: {hours: null}} runs round the clock for them
    # With hours, a clock counts only working time: a high issue raised Friday 16:00 (4 working
    # hours to respond), Monday a holiday, is due Tuesday 12:00. Deadlines are stored with each
    # issue; a change of hours, holidays or targets recomputes open issues' at the next start.
    attention:
      expectations_due_days: 7     # expectations due within N days show on Today (0..365)
      follow_ups_ahead_days: 0     # follow-ups due within N days show on Today (0..365)
      joint_review_days: 30        # a risk shared with the customer (it has a customer-side
                                   #   owner) not gone through with them for N days shows
                                   #   on Today (1..365)
      renewal_days: 90             # customers renewing (and open projects ending) within
                                   #   N days show on Today, red health first (0..730)
      stakeholder_cadence: true    # check stakeholders' own contact cadence too
      mine: false                  # open Today (and the digest) in my view: my customers,
                                   #   my issues and expectations, and unowned ones
    insight:
      satisfaction_days: 90        # CSAT and NPS count the answers of the last N days
                                   #   (today included), 1..3650
    health:                        # the relationship health score, 0-100 per customer
      weights:                     # relative weight of each signal, 0..100 (0: not used);
        contact: 20                #   recency of contact against the cadence
        issues: 25                 #   open issues by severity, and those past their SLA
        expectations: 20           #   expectations at risk, overdue, or missed lately
        satisfaction: 15           #   CSAT and NPS of the satisfaction period
        sentiment: 10              #   average sentiment of recent touchpoints
        risks: 10                  #   open red risks
      bands: {amber: 50, green: 75}  # a score from amber is amber, from green green
                                   #   (below amber: red); 1 <= amber < green <= 100
      sentiment_days: 30           # touchpoints of the last N days give the sentiment, 1..365
      missed_days: 90              # a missed expectation counts while its due date is
                                   #   within the last N days, 1..3650
      drop_days: 7                 # "health dropped": the band is below the best band
                                   #   of the daily snapshots of the N days before today
    # A signal with no data (never contacted, no answers, no issues or risks ever recorded,
    # no expectation, no rated touchpoint lately) is left out of the weighted average.
    queues:                        # issue queues, in order (default: these four)
      - {name: Open, filter: {status: [new, acknowledged, in_progress, waiting_on_customer]}}
      - {name: Mine, filter: {owner: me,
                              status: [new, acknowledged, in_progress, waiting_on_customer]}}
      - {name: Critical, filter: {severity: [critical, high],
                                  status: [new, acknowledged, in_progress, waiting_on_customer]}}
      - {name: Resolved, filter: {status: [resolved, closed]}}
    # filter keys: owner (a user name or "me"), status and severity (one or a list),
    # customer (part of the customer's name)
    commands: []                   # programs run on the highlighted record, e.g.
      # - key: M                   #   one key (it must not be a key of those screens or the app)
      #   name: Mail the stakeholder
      #   screens: [today, issues, issue]   # where it applies (screen names)
      #   argv: [mail, -s, "{customer.name}", "{stakeholder.email}"]
      #   read_only: false         #   true: a viewer (read_only) may run it too
    # argv is run as it is, never through a shell: each item is one argument whatever the
    # record's field holds. Fields: customer.*, stakeholder.*, issue.*, expectation.*, risk.*
    # (relboard.command_spec.FIELDS); {{ and }} are literal braces.
    playbooks: {}                  # named series of steps applied to a customer, e.g.
      # onboarding:                #   a name: letters, digits, - and _ (up to 40)
      #   - {after_days: 0, do: Kickoff call}     # due N days after the start (0..3650)
      #   - {after_days: 14, do: Check-in}
      #   - {every_days: 90, do: Quarterly review}  # first due start+N, then every N days
      #                                             #   after each is done (1..3650)
    # Each step has `do` (what to do, shown on Today) and one of after_days or every_days.
    # Applied from the profile (L) or `relboard playbook apply NAME CUSTOMER [--from DATE]`:
    # each step becomes a planned follow-up; logging its touchpoint marks it done.

A section left empty (``sla:``) keeps its defaults; ``queues: []`` means no queues. Booleans
are only ``true``/``false``. Environment: ``RELBOARD_TODAY`` (YYYY-MM-DD) and
``RELBOARD_DATABASE`` override the file.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import platformdirs

from relboard.domain import (  # noqa: F401 - the config's words are the domain's
    HEALTH_BANDS,
    HEALTH_SIGNALS,
    ISSUE_STATUSES,
    SEVERITIES,
)
from relboard.domain import OPEN_ISSUE_STATUSES as OPEN_STATUSES  # noqa: F401


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
class SlaHours:
    """When SLA clocks run (``sla.hours``): ``days`` (0 Monday .. 6 Sunday), from ``start`` to
    ``end`` wall-clock time in ``timezone``."""

    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: _dt.time = _dt.time(9)
    end: _dt.time = _dt.time(17)
    timezone: str = "UTC"


@dataclass(frozen=True)
class SlaConfig:
    """SLA targets per severity, the fraction of a target that counts as near breach, and the
    working hours the clocks count (None: round the clock; ``tiers``: (tier, hours) pairs
    that differ from ``hours``)."""

    critical: SlaTarget = SlaTarget(1, 8)
    high: SlaTarget = SlaTarget(4, 24)
    medium: SlaTarget = SlaTarget(8, 72)
    low: SlaTarget = SlaTarget(24, 168)
    near_breach: float = 0.8
    hours: SlaHours | None = None
    holidays: tuple[_dt.date, ...] = ()
    tiers: tuple[tuple[str, SlaHours | None], ...] = ()

    def target(self, severity: str) -> SlaTarget:
        """The target for ``severity`` (critical, high, medium or low); ValueError otherwise."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        return getattr(self, severity)

    def hours_for(self, tier: str | None) -> SlaHours | None:
        """The working hours of a customer of ``tier`` (None: round the clock)."""
        for name, hours in self.tiers:
            if name == tier:
                return hours
        return self.hours

    @cached_property
    def round_the_clock(self) -> bool:
        """No working hours anywhere: every clock counts every second (the stored clocks
        need no calendar). Worked out once: Today asks it for every row it reads."""
        return self.hours is None and all(h is None for _, h in self.tiers)


@dataclass(frozen=True)
class AttentionConfig:
    """How far ahead the Today view looks, whether stakeholder cadences count, and whether
    Today opens in my view."""

    expectations_due_days: int = 7
    follow_ups_ahead_days: int = 0
    stakeholder_cadence: bool = True
    mine: bool = False
    joint_review_days: int = 30
    renewal_days: int = 90




@dataclass(frozen=True)
class InsightConfig:
    """How far back the satisfaction figures (CSAT, NPS) look."""

    satisfaction_days: int = 90


@dataclass(frozen=True)
class HealthWeights:
    """Relative weight of each health signal (0 leaves the signal out)."""

    contact: float = 20
    issues: float = 25
    expectations: float = 20
    satisfaction: float = 15
    sentiment: float = 10
    risks: float = 10


@dataclass(frozen=True)
class HealthBands:
    """Lowest score of the amber and of the green band; below amber is red."""

    amber: int = 50
    green: int = 75

    def band(self, score: float | None) -> str | None:
        """The band of a score (None for None)."""
        if score is None:
            return None
        return "green" if score >= self.green else "amber" if score >= self.amber else "red"


@dataclass(frozen=True)
class HealthConfig:
    """The health score's signal weights, bands and look-back periods."""

    weights: HealthWeights = HealthWeights()
    bands: HealthBands = HealthBands()
    sentiment_days: int = 30
    missed_days: int = 90
    drop_days: int = 7


@dataclass(frozen=True)
class QueueFilter:
    """Which issues a queue shows; empty parts do not filter. ``owner`` may be ``"me"``;
    ``tag``: tag names (space separated) the issue or its customer carries, each."""

    owner: str | None = None
    status: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    customer: str | None = None
    tag: str | None = None


@dataclass(frozen=True)
class QueueConfig:
    """A named issue queue."""

    name: str
    filter: QueueFilter = QueueFilter()


@dataclass(frozen=True)
class CommandConfig:
    """A program run on the highlighted record by a key (``commands:``): ``argv`` is a list of
    arguments with ``{kind.field}`` places, run without a shell."""

    key: str
    name: str
    argv: tuple[str, ...]
    screens: tuple[str, ...]
    read_only: bool = False


@dataclass(frozen=True)
class PlaybookStepConfig:
    """One step of a playbook: what to do, due ``after_days`` after the start, or first at
    ``every_days`` after it and again every ``every_days`` after each is done."""

    do: str
    after_days: int | None = None
    every_days: int | None = None


@dataclass(frozen=True)
class PlaybookConfig:
    """A named series of steps (``playbooks:``) applied to a customer."""

    name: str
    steps: tuple[PlaybookStepConfig, ...]


DEFAULT_QUEUES: tuple[QueueConfig, ...] = (
    QueueConfig("Open", QueueFilter(status=OPEN_STATUSES)),
    QueueConfig("Mine", QueueFilter(owner="me", status=OPEN_STATUSES)),
    QueueConfig("Critical", QueueFilter(status=OPEN_STATUSES, severity=("critical", "high"))),
    QueueConfig("Resolved", QueueFilter(status=("resolved", "closed"))),
)


@dataclass(frozen=True)
class Config:
    """Every setting of relboard, checked; the module docstring describes each key."""

    database: str
    user: str
    theme: str = "relboard-dark"
    animations: bool = True
    read_only: bool = False
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    cadence_days: int = 14
    sla: SlaConfig = SlaConfig()
    attention: AttentionConfig = AttentionConfig()
    insight: InsightConfig = InsightConfig()
    health: HealthConfig = HealthConfig()
    today: _dt.date | None = None
    timezone: str | None = None
    queues: tuple[QueueConfig, ...] = DEFAULT_QUEUES
    team: tuple[str, ...] = ()
    commands: tuple[CommandConfig, ...] = ()
    playbooks: tuple[PlaybookConfig, ...] = ()
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


def login_name() -> str:
    """The login name, or ``me`` when the system cannot tell."""
    try:
        return getpass.getuser() or "me"
    except Exception:  # noqa: BLE001 - OSError or KeyError, depending on the platform
        return "me"
