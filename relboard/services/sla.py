"""SLA clocks of a customer concern: time to first response and to resolution.

Both clocks run from ``raised_at``; they stop at ``first_response_at`` / ``resolved_at``, and
pause while the issue waits on the customer (time already paused is kept in
``paused_seconds``; the wait under way runs from ``waiting_since``).

With working hours (a ``business_time.Calendar``) a clock counts only working time, and so
does a pause: ``paused_seconds`` is then the working time the earlier waits covered (measured
when each wait ended), so a wait moves the deadline by the working time it took.
"""

from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

from relboard.config import SlaConfig
from relboard.services.business_time import Calendar, add_work, work_seconds

OK, NEAR, BREACHED, MET, MISSED, PAUSED = "ok", "near", "breached", "met", "missed", "paused"
_RANK = {BREACHED: 0, NEAR: 1, PAUSED: 2, OK: 3, MISSED: 4, MET: 5}


class Clock(NamedTuple):
    """One clock: target and elapsed hours, and its state.

    state: ok / near (past the warning fraction) / breached (running and over) /
    paused (waiting on the customer) / met / missed (stopped within / over the target).
    """

    name: str
    target_hours: float
    elapsed_hours: float
    state: str
    due: _dt.datetime | None = None
    """When it runs: the moment it breaches (naive UTC)."""

    @property
    def remaining_hours(self) -> float:
        """Hours left before the target (negative once breached)."""
        return self.target_hours - self.elapsed_hours

    def describe(self) -> str:
        """Plain words, e.g. "first response breached by 3h (target 4h)"."""
        if self.state in (BREACHED, MISSED):
            return (f"{self.name} {'breached' if self.state == BREACHED else 'missed'} by "
                    f"{hours_text(-self.remaining_hours)} (target {hours_text(self.target_hours)})")
        if self.state == MET:
            return f"{self.name} met in {hours_text(self.elapsed_hours)}"
        left = hours_text(self.remaining_hours)
        if self.state == PAUSED:
            return f"{self.name} paused (waiting on customer), {left} left"
        return f"{self.name} due in {left} (target {hours_text(self.target_hours)})"


    def short(self) -> str:
        """A few words for Today's facts: "response due in 40m", "resolution overdue by
        3h", "paused, resolution 4h left"."""
        name = self.name.split()[-1]  # "first response": "response"
        if self.state == BREACHED:
            return f"{name} overdue by {hours_text(-self.remaining_hours)}"
        if self.state in (MET, MISSED):
            return f"{name} {self.state}"
        if self.state == PAUSED:
            return f"paused, {name} {hours_text(self.remaining_hours)} left"
        return f"{name} due in {hours_text(self.remaining_hours)}"


class SlaState(NamedTuple):
    """Both clocks of an issue and the worst state among the running ones."""

    response: Clock
    resolution: Clock

    @property
    def state(self) -> str:
        """The most urgent state of the two clocks."""
        return min((self.response.state, self.resolution.state), key=_RANK.__getitem__)

    @property
    def urgent_clock(self) -> Clock:
        """The clock that decides ``state`` (first response when they tie)."""
        return min((self.response, self.resolution), key=lambda c: _RANK[c.state])

    def describe(self) -> str:
        """The deciding clock in plain words."""
        return self.urgent_clock.describe()


def hours_text(hours: float) -> str:
    """Compact duration: 45m, 3h, 2d 4h."""
    minutes = int(round(abs(hours) * 60))
    if minutes < 60:
        return f"{minutes}m"
    h = minutes // 60
    if h < 48:
        return f"{h}h"
    return f"{h // 24}d {h % 24}h" if h % 24 else f"{h // 24}d"


def paused_hours(until: _dt.datetime, paused_seconds: int,
                 waiting_since: _dt.datetime | None, cal: Calendar | None = None) -> float:
    """Hours paused up to ``until``: earlier waits plus the current one (``cal``: its
    working time only)."""
    return _paused_seconds(until, paused_seconds, waiting_since, cal) / 3600


def _paused_seconds(until: _dt.datetime, paused_seconds: int,
                    waiting_since: _dt.datetime | None, cal: Calendar | None) -> float:
    seconds: float = paused_seconds or 0
    if waiting_since is not None and until > waiting_since:
        seconds += (until - waiting_since).total_seconds() if cal is None else \
            work_seconds(cal, waiting_since, until)
    return seconds


def _clock(name: str, target: float, raised_at: _dt.datetime, stopped: _dt.datetime | None,
           now: _dt.datetime, paused_seconds: int, waiting_since: _dt.datetime | None,
           near: float, cal: Calendar | None = None) -> Clock:
    end = stopped or now
    if cal is None:
        elapsed = max(0.0, (end - raised_at).total_seconds() / 3600
                      - paused_hours(end, paused_seconds, waiting_since))
    else:  # in seconds first: whole seconds stay exact at a target's edge
        elapsed = max(0.0, work_seconds(cal, raised_at, end)
                      - _paused_seconds(end, paused_seconds, waiting_since, cal)) / 3600
    due = None
    if stopped is None and waiting_since is None:
        seconds = (paused_seconds or 0) + target * 3600
        due = raised_at + _dt.timedelta(seconds=seconds) if cal is None else \
            add_work(cal, raised_at, seconds)
    if stopped is not None:
        state = MET if elapsed <= target else MISSED
    elif elapsed > target:
        state = BREACHED
    elif waiting_since is not None:
        state = PAUSED
    elif elapsed >= target * near:
        state = NEAR
    else:
        state = OK
    return Clock(name, target, round(elapsed, 4), state, due)


def sla_state(sla: SlaConfig, severity: str, raised_at: _dt.datetime,
              first_response_at: _dt.datetime | None, resolved_at: _dt.datetime | None,
              paused_seconds: int, waiting_since: _dt.datetime | None,
              now: _dt.datetime, cal: Calendar | None = None) -> SlaState:
    """Compute both clocks of an issue at ``now`` against the targets for its ``severity``
    (a name: critical, high, medium or low); ``cal``: the working hours they count (None:
    round the clock)."""
    target = sla.target(severity)
    # Any move out of "new" (waiting on the customer included) is the first response, so
    # waits never overlap the response clock: only the resolution clock pauses.
    return SlaState(
        _clock("first response", target.first_response_hours, raised_at, first_response_at,
               now, 0, None, sla.near_breach, cal),
        _clock("resolution", target.resolution_hours, raised_at, resolved_at, now,
               paused_seconds, waiting_since, sla.near_breach, cal),
    )
