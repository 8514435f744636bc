"""Who is acting, what time it is, and the settings services need — passed to every call."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace

from relboard.clock import UTC, system_zone, to_local, to_utc, utc_now, zone_named
from relboard.config import (
    AttentionConfig,
    Config,
    HealthConfig,
    InsightConfig,
    PlaybookConfig,
    SlaConfig,
)


@dataclass(frozen=True)
class Context:
    """The caller of a service: user name, settings, time zone and an injectable clock.

    Moments are naive UTC (see ``relboard.clock``); ``zone`` is the user's time zone, in which
    "today" and every moment shown or typed are local. ``today_override`` pins the local date
    (demos, tests) and keeps the real time of day; ``now_override`` pins the exact moment, in
    UTC (tests of SLA clocks). Without a zone a Context works in UTC.
    """

    user: str
    cadence_days: int = 14
    sla: SlaConfig = field(default_factory=SlaConfig)
    attention: AttentionConfig = field(default_factory=AttentionConfig)
    insight: InsightConfig = field(default_factory=InsightConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    today_override: _dt.date | None = None
    now_override: _dt.datetime | None = None
    zone: _dt.tzinfo = UTC
    team: tuple[str, ...] = ()
    """The config's ``team:``: the names an owner field takes without asking (with the users
    of the audit log: ``services.team``)."""
    playbooks: tuple[PlaybookConfig, ...] = ()
    """The config's ``playbooks:`` (``services.playbooks`` applies them)."""
    pinned_today: _dt.date | None = field(default=None, repr=False, compare=False)
    """Set by ``pinned``: the local date of ``now_override``, worked out once."""

    def pinned(self) -> Context:
        """This context with its clock stopped at the current moment: one "now" (and one
        "today") for a computation that asks many times, such as Today's list."""
        now = self.now()
        return replace(self, now_override=now, pinned_today=self.local(now).date())

    @classmethod
    def from_config(cls, config: Config) -> Context:
        """The context for the configured user, settings and time zone."""
        zone = zone_named(config.timezone) if config.timezone else system_zone()
        return cls(user=config.user, cadence_days=config.cadence_days, sla=config.sla,
                   attention=config.attention, insight=config.insight, health=config.health,
                   today_override=config.today, zone=zone, team=config.team,
                   playbooks=config.playbooks)

    def now(self) -> _dt.datetime:
        """The current moment (naive UTC, to the second), honouring the overrides."""
        if self.now_override is not None:
            return self.now_override
        real = utc_now()
        if self.today_override is not None:
            local_time = self.local(real).time()
            return self.utc(_dt.datetime.combine(self.today_override, local_time))
        return real

    def today(self) -> _dt.date:
        """Today's date where the user is, honouring the overrides."""
        if self.pinned_today is not None:
            return self.pinned_today
        return self.local(self.now()).date()

    def local(self, moment: _dt.datetime) -> _dt.datetime:
        """A stored moment as the user's local time (for showing)."""
        return to_local(moment, self.zone)

    def utc(self, moment: _dt.datetime) -> _dt.datetime:
        """A moment the user typed (naive: local time; aware: converted) in the stored form."""
        return to_utc(moment, self.zone)
