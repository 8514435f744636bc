"""The Portfolio's figures as last worked out, kept on the board so the screen opens on them.

Working the overview out is a count over every active customer's records (60 ms at 100k
records, 0.6 s at 1M, more on a server): the screen would open empty for that long. Each
time the figures are worked out (``current``), the screen keeps them (``keep``) in the board's
``setting`` table, a row per view (everyone's, or one PM's) and settings (SLA targets, health
weights, time zone, ...: another PM's settings make other figures); the next opening — by this
PM or any other on the same board — shows them at once (``latest``: one row, whatever the
board's size), stamped with when they were worked out, while today's are worked out again.
Kept with them is the newest audit row they count (``mark``): while nobody saves a record,
figures kept less than a minute before are today's (``current`` returns them), so the open
Portfolios of several PMs need not each work out every change.

The row is written in its own short write, never for a viewer's (read-only) board, and a
kept copy that cannot be written (a busy or full database) is simply not kept: nothing a
user typed is in it. A row this code cannot read (another version's, damaged, or not what
an overview can be: a band that is none, a figure missing, a count past any board's) is
passed over: ``latest`` returns None, the screen waits for the figures as before, and the
next figures worked out are written over it. Older figures never replace newer ones, unless
the newer are from further ahead than a clock can be wrong (``AHEAD``): those are wrong.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass

from peewee import fn

from relboard import models as m
from relboard.db import database_proxy, write
from relboard.domain import SEVERITIES
from relboard.services import changes, portfolio
from relboard.services.context import Context
from relboard.services.json_shapes import decode, encode, signature
from relboard.services.portfolio import BAND_ORDER, SLA_STATES, Overview

PREFIX = "portfolio:"
"""The ``setting`` keys of kept figures start so (the rest: a digest of view and settings)."""
KEPT_AT_MOST = 64
"""When more rows than this are kept (settings changed many times), the others go."""
SAME_FOR = _dt.timedelta(minutes=10)
"""Figures equal to those kept less than this before are not written again (a screen works
them out at every refresh; their stamp then moves on at most this late)."""
FRESH = _dt.timedelta(minutes=1)
"""Kept figures this recent, with no save since, are today's (``current``): what changes
with time alone (an SLA clock passing its target) waits at most this long."""
AHEAD = _dt.timedelta(minutes=10)
"""Kept figures stamped further ahead of a new computation than this are not "newer": a
clock that ran ahead (or a pinned day) must not lock the row until then."""
_SHAPE = signature(Overview)
_GAPS = {"stakeholders", "with_gap", "below", "above", "largest"}
_RISK_BANDS = {"red", "amber", "green"}


@dataclass(frozen=True)
class Kept:
    """The overview's figures, the moment (naive UTC) they were worked out at, and the newest
    audit row then (``changes.latest``: every save up to it is in them; None: not known, a
    row an earlier version kept)."""

    at: _dt.datetime
    figures: Overview
    mark: int | None = None


def key_of(ctx: Context, who: str | None) -> str:
    """The ``setting`` key of the figures of ``who``'s view (None: everyone's) under
    ``ctx``'s settings, as this code shapes them."""
    facts = repr((_SHAPE, who, ctx.cadence_days, ctx.sla, ctx.attention, ctx.insight,
                  ctx.health, ctx.today_override, _zone(ctx)))
    return PREFIX + hashlib.sha256(facts.encode()).hexdigest()[:40]


def _zone(ctx: Context) -> tuple:
    """The time zone as what the figures depend on: its name and its offsets from UTC in
    winter and summer (a zone taken from the system is named "localtime" wherever it is)."""
    year = ctx.today().year
    return (str(ctx.zone), *(ctx.zone.utcoffset(_dt.datetime(year, month, 15, 12))
                             for month in (1, 7)))


def current(ctx: Context, who: str | None = None) -> Kept:
    """Today's figures of ``who``'s view: those kept, when nobody has saved a record since
    they were worked out (the newest audit row the same) and they are at most ``FRESH`` old
    (any PM's, under the same settings: ``reusable``), else worked out now
    (``portfolio.overview``) with their moment and mark. Several PMs' open Portfolios then
    work each change out once between them, not once each, when they come to it apart."""
    ctx = ctx.pinned()
    at, mark = ctx.now(), changes.latest()  # read first: every save up to it is counted
    kept = _kept(key_of(ctx, who))
    if kept is not None and reusable(ctx, kept, mark):
        return kept
    return Kept(at, portfolio.overview(ctx, who), mark)


def reusable(ctx: Context, kept: Kept, mark: int) -> bool:
    """Whether ``kept`` are today's figures still: no save since (audit row ``mark`` the
    newest then too), worked out at most ``FRESH`` before now (and not ahead of it: a clock
    that runs ahead must not pass its figures off as new), on the user's today."""
    now = ctx.now()
    return (kept.mark is not None and kept.mark >= mark
            and now - FRESH <= kept.at <= now + _dt.timedelta(seconds=1)
            and ctx.local(kept.at).date() == ctx.today())


def sensible(o: Overview) -> bool:
    """Whether ``o`` is what an overview can be, beyond its types: every band once and in
    order, every risk band and stakeholder figure there, issues of known severities and
    states, a renewal row and a lowest customer each once, their bands known."""
    bands = set(BAND_ORDER)
    return ([b.band for b in o.bands] == list(BAND_ORDER)
            and _RISK_BANDS <= o.risks.keys()
            and all(isinstance(v, int) for v in o.risks.values())
            and _GAPS <= o.stakeholders.keys()
            and all(isinstance(o.stakeholders[k], int)
                    and not isinstance(o.stakeholders[k], bool) for k in _GAPS)
            and all(sev in SEVERITIES and state in SLA_STATES for sev, state in o.issues)
            and len({r.label for r in o.renewals}) == len(o.renewals)
            and len({t.health.customer_id for t in o.lowest}) == len(o.lowest)
            and all(t.health.band in bands and t.then in bands for t in o.lowest))


def _read(raw: str) -> Kept | None:
    """A stored row's figures, or None when it is not what this code writes."""
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("at"), str):
            return None
        at = _dt.datetime.fromisoformat(data["at"])
        if at.tzinfo is not None:
            at = at.astimezone(_dt.UTC).replace(tzinfo=None)
        figures = decode(Overview, data.get("figures"))
        mark = data.get("mark")
        if mark is not None and (not isinstance(mark, int) or isinstance(mark, bool)
                                 or not 0 <= mark < 2 ** 63):
            return None
        return Kept(at, figures, mark) if sensible(figures) else None
    except Exception:  # noqa: BLE001 - whatever is in the row, it is passed over
        return None


def _stored(key: str) -> str | None:
    s = m.Setting
    row = s.select(s.value).where(s.key == key).tuples().first()
    return row[0] if row else None


def latest(ctx: Context, who: str | None = None) -> Kept | None:
    """The figures of ``who``'s view last kept on this board under these settings (by any
    PM), or None: none kept, or not readable by this code."""
    return _kept(key_of(ctx, who))


def _kept(key: str) -> Kept | None:
    raw = _stored(key)
    return None if raw is None else _read(raw)


def _put(key: str, kept: Kept) -> bool:
    """(Inside a write) store ``kept`` unless newer figures are there already."""
    s = m.Setting
    raw = _stored(key)
    before = None if raw is None else _read(raw)
    if before is not None and kept.at < before.at <= kept.at + AHEAD:
        return False
    value = json.dumps({"at": kept.at.isoformat(), "mark": kept.mark,
                        "figures": encode(Overview, kept.figures)}, separators=(",", ":"))
    s.insert(key=key, value=value).on_conflict(
        conflict_target=[s.key], update={s.value: value}).execute()
    mine = fn.SUBSTR(s.key, 1, len(PREFIX)) == PREFIX  # any collation's order
    if s.select().where(mine).count() > KEPT_AT_MOST:
        s.delete().where(mine & (s.key != key)).execute()
    return True


def keep(ctx: Context, who: str | None, kept: Kept) -> bool:
    """Keep ``kept`` as the figures of ``who``'s view (see the module); whether it was
    stored. Never raises for a database that cannot take it: a viewer's board, a busy or full
    one, a server away — the figures are simply not kept."""
    if getattr(database_proxy.obj, "read_only", False):
        return False
    try:
        key = key_of(ctx, who)
        raw = _stored(key)
        before = None if raw is None else _read(raw)
        if before is not None and before.figures == kept.figures \
                and before.at <= kept.at < before.at + SAME_FOR \
                and (kept.mark is None or (before.mark or -1) >= kept.mark):
            return False  # the same figures, kept a moment ago as of the same saves: no write
        return write(lambda: _put(key, kept))
    except Exception:  # noqa: BLE001 - refused, busy, full, away: a copy for speed, not kept
        return False


def as_of(ctx: Context, kept: Kept) -> str:
    """When the figures were worked out, as the screen says it: "10:02" today, else
    "3 Dec 10:02" (the user's local time)."""
    local = ctx.local(kept.at)
    if local.date() == ctx.today():
        return local.strftime("%H:%M")
    day = f"{local.day} {local.strftime('%b')}"
    return f"{day} {local.year} {local:%H:%M}" if local.year != ctx.today().year else \
        f"{day} {local:%H:%M}"
