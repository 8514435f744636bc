"""Who is acting, what time it is, and the settings services need — passed to every call."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from relboard.config import AttentionConfig, Config, SlaConfig


@dataclass(frozen=True)
class Context:
    """The caller of a service: user name, settings, and an injectable clock.

    ``today`` pins the date (demos, tests) and keeps the real time of day; ``now`` pins the
    exact moment (tests of SLA clocks).
    """

    user: str
    cadence_days: int = 14
    sla: SlaConfig = field(default_factory=SlaConfig)
    attention: AttentionConfig = field(default_factory=AttentionConfig)
    today_override: _dt.date | None = None
    now_override: _dt.datetime | None = None

    @classmethod
    def from_config(cls, config: Config) -> "Context":
        """The context for the configured user and settings."""
        return cls(user=config.user, cadence_days=config.cadence_days, sla=config.sla,
                   attention=config.attention, today_override=config.today)

    def now(self) -> _dt.datetime:
        """The current moment (to the second), honouring the overrides."""
        if self.now_override is not None:
            return self.now_override
        real = _dt.datetime.now().replace(microsecond=0)
        if self.today_override is not None:
            return _dt.datetime.combine(self.today_override, real.time())
        return real

    def today(self) -> _dt.date:
        """Today's date, honouring the overrides."""
        return self.now().date()
