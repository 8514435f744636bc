"""Open issues counted by severity and SLA state in SQL, from the stored clocks.

An issue's SLA state depends on "now", so it is not stored; what is stored (``clocks``) is
what it is measured from. For each severity, the state of an issue whose clock runs is a
range of ``clock_at`` (first response: breached when it started more than the target ago,
near when more than the near fraction of it; resolution the same with its own target), and a
waiting issue is breached when its frozen seconds are over the resolution target, else
paused. So a grouped query per clock counts them: a CASE gives each issue its state from
thresholds worked out once from now and bound as values. The stored clock stands for the
status as it does for Today (``clocks``: kept on every save; ``relboard check`` finds one out of
date), so the counts read the clock index, not the issue rows.

Everything the ranges cannot decide exactly is worked out row by row with ``sla_of``, as the
issue's own page does: issues within two seconds of a threshold (where the stored clock's
rounding or float arithmetic could tip it), odd shapes only an import makes (status new
though answered, an unanswered issue waiting, negative pause, open with both clocks
stopped), a wait that starts in the future, and a severity whose first-response target is
longer than its resolution target (where the first-response clock need not decide). On a
board these are a handful, so the count reads no issue into Python.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import Any

from peewee import SQL, Case, fn

from relboard import models as m
from relboard.domain import SEVERITIES, severity_name, severity_rank
from relboard.services import clocks, prepared
from relboard.services.clocks import near_bound, sla_calendars
from relboard.services.context import Context
from relboard.services.issues import OPEN_STATUSES, sla_of
from relboard.services.scope import of_active
from relboard.services.sla import BREACHED, NEAR, OK, PAUSED

EDGE = "edge"
"""The CASE's answer for an issue worked out row by row."""
MARGIN = _dt.timedelta(seconds=2)
"""How close to a threshold an issue is left to ``sla_of``."""
_CODES = (BREACHED, NEAR, PAUSED, OK, EDGE)


def _literal(name: str, value: Any, field: Any) -> Any:
    """A threshold written into the query as its value (the grid's counts)."""
    return value


def _running(ctx: Context, hours: float, near: float, bound: Any = _literal,
             name: str = "") -> Any:
    """The state of a running clock (``clock_at`` its start: with working hours, its
    deadline less the target) with this target, as a CASE. Where tiers have hours of their
    own, the near thresholds of their calendars differ: an issue between them is an edge.
    ``bound(name, value, field)`` puts each threshold in the query (a value, or a slot)."""
    at, now = m.Issue.clock_at, ctx.now()
    over = now - _dt.timedelta(hours=hours)  # started before: breached
    closes = [near_bound(now, cal, hours, near) for cal, _ in sla_calendars(ctx.sla)]
    return Case(None, [(at < bound(f"{name}a", over - MARGIN, at), _CODES.index(BREACHED)),
                       (at <= bound(f"{name}b", over + MARGIN, at), _CODES.index(EDGE)),
                       (at < bound(f"{name}c", min(closes) - MARGIN, at), _CODES.index(NEAR)),
                       (at <= bound(f"{name}d", max(closes) + MARGIN, at), _CODES.index(EDGE)),
                       (at.is_null(False), _CODES.index(OK))], _CODES.index(EDGE))


def _waiting(hours: float, bound: Any = _literal, name: str = "") -> Any:
    """The state of a waiting issue with this resolution target, as a CASE."""
    frozen, seconds = m.Issue.clock_frozen, int(hours * 3600)
    return Case(None, [(frozen > bound(f"{name}a", seconds + 2, None), _CODES.index(BREACHED)),
                       (frozen < bound(f"{name}b", seconds - 2, None), _CODES.index(PAUSED))],
                _CODES.index(EDGE))


def state_case(ctx: Context, bound: Any = _literal) -> tuple[Any, Any]:
    """Two CASEs, for an issue of a running clock and for a waiting one: the index in
    ``_CODES`` of its SLA state (EDGE: to be worked out row by row). Simple CASEs on clock
    and severity first, so an issue meets a handful of comparisons, not every threshold; the
    running one reads only columns of the clock index, so its count never visits the table.
    ``bound`` puts each threshold in the query (``_literal``: as a value)."""
    i, sla = m.Issue, ctx.sla
    edge = _CODES.index(EDGE)
    if not 0 < sla.near_breach < 1:  # outside what the settings allow: all row by row
        return (Case(None, [(i.id.is_null(), edge)], edge),) * 2
    response, resolution, waiting = [], [], []
    for name in SEVERITIES:
        target = sla.target(name)
        rank = severity_rank(name)
        if target.first_response_hours <= target.resolution_hours:
            response.append((rank, _running(ctx, target.first_response_hours, sla.near_breach,
                                            bound, f"r{rank}")))
        resolution.append((rank, _running(ctx, target.resolution_hours, sla.near_breach,
                                          bound, f"s{rank}")))
        waiting.append((rank, _waiting(target.resolution_hours, bound, f"w{rank}")))
    running = Case(i.clock, [(clocks.RESPONSE, Case(i.severity, response, edge)),
                             (clocks.RESOLUTION, Case(i.severity, resolution, edge))], edge)
    # A wait that starts in the future still runs the clock: row by row.
    waits = Case(None, [(i.clock != clocks.WAITING, edge),
                        (i.waiting_since >= bound("future", ctx.now() - MARGIN,
                                                  i.waiting_since), edge)],
                 Case(i.severity, waiting, edge))
    return running, waits


def state_filter(ctx: Context, states: Iterable[str]
                 ) -> tuple[tuple, Callable[[Any], Any], dict[str, Any]]:
    """For a list of issues filtered by SLA state: a condition on the stored clocks that
    keeps every issue whose state may be one of ``states`` (the state CASEs; an edge, an odd
    shape or an issue without a running clock is kept, for ``sla_of`` to decide row by row),
    as ``prepared.Shaped.also`` takes it: (key, change, values), the thresholds in slots. On a
    1M-record board "near" among 300,000 open issues took the queue 7 s, ``sla_of`` on each."""
    i, sla = m.Issue, ctx.sla
    values: dict[str, Any] = {}

    def slot(name: str, value: Any, field: Any) -> Any:
        values[f"sla_{name}"] = value
        return prepared.slot(f"sla_{name}", field)

    running, waits = state_case(ctx, slot)
    wanted = sorted({_CODES.index(s) for s in states if s in _CODES} | {_CODES.index(EDGE)})
    shape = ("sla-filter", tuple(wanted), 0 < sla.near_breach < 1,
             tuple(sla.target(n).first_response_hours <= sla.target(n).resolution_hours
                   for n in SEVERITIES))
    clock = i.clock + 0  # a condition on each row walked, not an index to walk

    def change(query: Any) -> Any:
        return query.where(
            (clock.in_((clocks.RESPONSE, clocks.RESOLUTION)) & running.in_(wanted))
            | ((clock == clocks.WAITING) & waits.in_(wanted))
            | clock.not_in((clocks.RESPONSE, clocks.RESOLUTION, clocks.WAITING))
            | ((clock == clocks.RESPONSE)  # the odd shapes ``count`` reads row by row
               & (i.waiting_since.is_null(False) | (fn.COALESCE(i.paused_seconds, 0) < 0))))

    return shape, change, values


def _issues(who: str | None, *columns: Any) -> Any:
    """Issues of active customers (``who``'s share, by ``owned``'s rule for items), selecting
    ``columns``: customers by id sets, so an index on the issue alone can answer."""
    i, c = m.Issue, m.Customer
    customer = i.customer + 0  # not a walk of every active customer's issues
    query = i.select(*columns).where(of_active(customer))
    if who is not None:
        query = query.where((i.owner == who) | (i.owner == "") | i.owner.is_null()
                            | customer.in_(c.select(c.id).where(c.owner == who)))
    return query


def odd_unanswered() -> Any:
    """Waiting though unanswered, or paused less than nothing: the condition of the partial
    index ``issue_odd_unanswered`` (schema 19), written so that it answers it: the numbers in
    the SQL, not bound (a bound value could be anything)."""
    i = m.Issue
    return i.waiting_since.is_null(False) | (fn.COALESCE(i.paused_seconds, SQL("0")) < SQL("0"))


_INPUTS = ("severity", "raised_at", "first_response_at", "resolved_at", "paused_seconds",
           "waiting_since", "customer")


def _by_row(ctx: Context, query: Any, out: dict[tuple[str, str], int]) -> None:
    """Count each issue of ``query`` at the state ``sla_of`` gives it."""
    for row in query.dicts():
        key = (severity_name(row["severity"]), sla_of(ctx, row).state)
        out[key] = out.get(key, 0) + 1


def count(ctx: Context, who: str | None = None) -> dict[tuple[str, str], int]:
    """Open issues of active customers (``who``'s share) by (severity name, SLA state): what
    ``sla_of`` gives each one, counted (every (severity, breached/near/paused/ok) pair is
    present, 0 when empty)."""
    ctx = ctx.pinned()  # one "now" for the thresholds and the rows worked out here
    i = m.Issue
    out = {(sev, state): 0 for sev in m.SEVERITIES for state in (BREACHED, NEAR, PAUSED, OK)}
    running, waits = state_case(ctx)
    columns = [getattr(i, f) for f in _INPUTS]
    # One clock at a time: an equality SQLite walks on the clock index (an IN it scans).
    for case, clock in ((running, clocks.RESPONSE), (running, clocks.RESOLUTION),
                        (waits, clocks.WAITING)):
        where = i.clock == clock
        states = _issues(who, i.severity.alias("sev"), case.alias("state")).where(where)
        states = states.alias("states")
        edges = 0
        for rank, code, n in (i.select(states.c.sev, states.c.state, fn.COUNT(states.c.sev))
                              .from_(states).group_by(states.c.sev, states.c.state).tuples()):
            if _CODES[int(code)] == EDGE:
                edges += int(n)
            else:
                key = (severity_name(rank), _CODES[int(code)])
                out[key] = out.get(key, 0) + int(n)
        if edges:  # their ids from the index alone, then those rows
            ids = [iid for (iid,) in _issues(who, i.id).where(
                where & (case == _CODES.index(EDGE))).tuples()]
            _by_row(ctx, i.select(*columns).where(i.id.in_(ids)), out)
    # Unanswered yet waiting, or paused less than nothing (an import's): counted above by
    # the first-response clock alone, which need not decide for them.
    odd = [iid for (iid,) in _issues(who, i.id).where(
        (i.clock == clocks.RESPONSE) & odd_unanswered()).tuples()]
    if odd:
        fixed = _issues(who, i.id, *columns, running.alias("state")).where(
            i.id.in_(odd) & (running != _CODES.index(EDGE)))
        for row in fixed.dicts():
            out[(severity_name(row["severity"]), _CODES[int(row["state"])])] -= 1
            _by_row(ctx, _issues(who, *columns).where(i.id == row["id"]), out)
    _by_row(ctx, _issues(who, *columns).where(i.clock == clocks.ODD_NEW), out)
    if _open_unclocked():
        _by_row(ctx, _issues(who, *columns).where(
            (i.clock == clocks.NONE) & i.status.in_(OPEN_STATUSES)), out)
    return out


def _open_unclocked() -> bool:
    """Whether any open issue has no running clock (answered and resolved yet open: only an
    import makes one): open issues against issues with a clock, both counted on an index."""
    i = m.Issue
    open_ = i.select().where(i.status.in_(OPEN_STATUSES)).count()
    return open_ > i.select().where(i.clock > clocks.NONE).count()
