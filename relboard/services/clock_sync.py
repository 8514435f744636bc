"""The stored SLA clocks follow the config's working hours: at a board's or command's start,
when the hours, holidays, tier hours or targets differ from those the stored clocks were
computed with (the ``setting`` row ``sla_clocks``, schema 14), every open issue's clock is
recomputed (``clocks.rebuild``).

A wait on the customer pauses the resolution clock by the working time it covered, measured
when the wait ended and kept as ``paused_seconds``. When the hours change, each earlier wait
is measured again under the new hours, from the audit log's ``waiting_since`` changes (when
a wait began and when it ended), so a board moved from round the clock to office hours does
not count a three-day wait as 72 working hours. Only where the log explains the stored pause
(its waits, measured under the old hours, add up to it within a second per wait): an
imported issue whose trail is not there keeps its pause as it is.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from peewee import DatabaseError, InterfaceError

from relboard import models as m
from relboard.config import SlaConfig, SlaHours
from relboard.domain import OPEN_ISSUE_STATUSES as OPEN
from relboard.domain import SEVERITIES

if TYPE_CHECKING:
    from relboard.services.business_time import Calendar

SETTING = "sla_clocks"
"""The ``setting`` row naming what the stored SLA clocks were computed with."""


def _hours_json(h: SlaHours | None) -> Any:
    return None if h is None else [list(h.days), h.start.isoformat(), h.end.isoformat(),
                                   h.timezone]


def fingerprint(sla: SlaConfig) -> str:
    """What the stored clocks depend on, as text: "" round the clock (they hold the start
    then, whatever the targets); else the hours, holidays, tiers and targets."""
    if sla.round_the_clock:
        return ""
    return json.dumps({
        "hours": _hours_json(sla.hours), "holidays": [d.isoformat() for d in sla.holidays],
        "tiers": [[t, _hours_json(h)] for t, h in sla.tiers],
        "targets": [[s, sla.target(s).first_response_hours, sla.target(s).resolution_hours]
                    for s in SEVERITIES]}, sort_keys=True)


def _hours_of(raw: Any) -> SlaHours | None:
    if raw is None:
        return None
    days, start, end, zone = raw
    return SlaHours(tuple(days), _dt.time.fromisoformat(start), _dt.time.fromisoformat(end),
                    zone)


def settings_of(text: str) -> SlaConfig | None:
    """The working hours a fingerprint names (round the clock for ""); None when it cannot
    be read (then no wait is measured again)."""
    if not text:
        return SlaConfig()
    try:
        raw = json.loads(text)
        return SlaConfig(hours=_hours_of(raw["hours"]),
                         holidays=tuple(_dt.date.fromisoformat(d) for d in raw["holidays"]),
                         tiers=tuple((t, _hours_of(h)) for t, h in raw["tiers"]))
    except (ValueError, KeyError, TypeError):
        return None


def _waits(issue_id: int) -> list[tuple[_dt.datetime, _dt.datetime]]:
    """The ended waits of issue #``issue_id`` the audit log tells: (began, ended)."""
    a = m.Activity
    out, began = [], None
    for old, new, at in (a.select(a.old, a.new, a.at)
                         .where((a.entity == "issue") & (a.entity_id == issue_id)
                                & (a.field == "waiting_since")).order_by(a.at, a.id).tuples()):
        try:
            if new:
                began = _dt.datetime.fromisoformat(new)
            elif old and began is not None and _dt.datetime.fromisoformat(old) == began:
                out.append((began, at))
                began = None
        except ValueError:
            return []
    return out


def _measure(cal: Calendar | None, waits: list[tuple[_dt.datetime, _dt.datetime]]) -> int:
    """What ``issues.set_status`` adds up for these waits: each one's (working) seconds."""
    from relboard.services.business_time import work_seconds

    return sum(int(max(0.0, (b - a).total_seconds() if cal is None else
                       work_seconds(cal, a, b))) for a, b in waits)


def remeasure_waits(old: SlaConfig, new: SlaConfig) -> int:
    """Measure the earlier waits of open issues again under ``new``'s hours where the audit
    log explains their pause under ``old``'s; how many issues changed."""
    from relboard.services.clocks import calendar_of

    i, c = m.Issue, m.Customer
    changed = 0
    rows = (i.select(i.id, i.paused_seconds, c.tier).join(c, on=(i.customer == c.id))
            .where(i.status.in_(OPEN) & (i.paused_seconds > 0)).tuples())
    for issue_id, paused, tier in list(rows):
        changed += _remeasure(issue_id, paused, calendar_of(old, tier), calendar_of(new, tier))
    return changed


def _remeasure(issue_id: int, paused: int, before: Calendar | None,
               after: Calendar | None) -> bool:
    """Issue #``issue_id``'s earlier waits measured under ``after`` instead of ``before``,
    if the log explains its pause under ``before``; whether it changed."""
    if before is after:
        return False
    waits = _waits(issue_id)
    if not waits or abs(_measure(before, waits) - paused) > len(waits):
        return False
    again = _measure(after, waits)
    if again == paused:
        return False
    m.Issue.update(paused_seconds=again).where(m.Issue.id == issue_id).execute()
    return True


def tier_changed(customer_id: int, old_tier: str | None, sla: SlaConfig) -> None:
    """After customer #``customer_id``'s tier changed from ``old_tier`` (inside the write):
    its open issues' earlier waits measured under the new tier's hours, and their clocks."""
    if not sla.tiers:
        return
    from relboard.services.clocks import calendar_of, refresh_customer

    i, c = m.Issue, m.Customer
    rows = (i.select(i.id, i.paused_seconds, c.tier).join(c, on=(i.customer == c.id))
            .where((i.customer == customer_id) & i.status.in_(OPEN)
                   & (i.paused_seconds > 0)).tuples())
    for issue_id, paused, tier in list(rows):
        _remeasure(issue_id, paused, calendar_of(sla, old_tier), calendar_of(sla, tier))
    refresh_customer(customer_id, sla)


def _stored() -> str:
    """The fingerprint the stored clocks were computed with ("" when none is stored)."""
    s = m.Setting
    found = s.select(s.value).where(s.key == SETTING).tuples().first()
    return found[0] if found else ""


def sync(sla: SlaConfig) -> bool:
    """Inside a write: recompute every stored clock (earlier waits measured again) when the
    working hours, holidays, tiers or targets differ from those they were computed with;
    whether it did."""
    from relboard.services.clocks import rebuild

    s = m.Setting
    want = fingerprint(sla)
    stored = _stored()
    if stored == want:
        return False
    old = settings_of(stored)
    if old is not None:
        remeasure_waits(old, sla)
    rebuild(sla)
    s.insert(key=SETTING, value=want).on_conflict(
        conflict_target=[s.key], update={s.value: want}).execute()
    return True


def sync_config(config: Any) -> None:
    """At a board's or command's start: the stored SLA clocks follow ``config``'s working
    hours (``sync``, in its own write, when a read finds them computed with others: the
    usual start, nothing changed, takes no write lock); a read-only viewer changes nothing."""
    if config.read_only:
        return
    try:
        if _stored() == fingerprint(config.sla):
            return
    except (DatabaseError, InterfaceError, sqlite3.Error):
        pass  # said by the write, as any start's
    from relboard.db import write

    write(lambda: sync(config.sla))
