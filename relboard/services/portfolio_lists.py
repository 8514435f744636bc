"""The records behind each figure of the portfolio overview, a page at a time.

Lists of stored rows (satisfaction answers) are keyset-paged like every list. Lists of
worked-out figures (health, credibility, loyalty: one row per customer, computed from grouped
queries) are computed whole and handed out a window at a time (``sliced``), so a screen still
only ever holds a window; the whole list is kept for the next windows while nothing is saved
(``whole``). The engagement matrix is sorted and windowed by the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from relboard import models as m
from relboard.services import (
    changes,
    credibility,
    loyalty,
    portfolio_health,
    prepared,
    stakeholders,
    tags,
)
from relboard.services.context import Context
from relboard.services.lists import PAGE, Page, _window
from relboard.services.portfolio import TREND_DAYS, TREND_SLACK, Trended
from relboard.services.scope import active_customers, first_day, owned

_KEPT: dict[str, tuple[tuple, list[Any]]] = {}


def whole(name: str, key: tuple, after: tuple | None, compute: Callable[[], list[Any]]
          ) -> list[Any]:
    """A computed list (``name`` with its arguments ``key``), worked out afresh for its first
    window and kept for the next ones while nothing is saved (the newest audit row, the
    database and the day the same): scrolling a list of a 1M-record board must not work it
    out again at every window (credibility per customer: 2.3 s there)."""
    stamp = (id(m.database_proxy.obj), key, changes.latest())
    kept = _KEPT.get(name)
    if after is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    rows = compute()
    _KEPT[name] = (stamp, rows)
    return rows


def sliced(rows: list[dict[str, Any]], after: tuple | None, limit: int) -> Page:
    """One window of a computed list; the cursor is the offset of the next window."""
    start = after[0] if after else 0
    end = start + limit
    return Page(rows[start:end], (end,) if end < len(rows) else None)


def weakest_signal(health: Any) -> str:
    """The explanation of the signal that pulls the score down most (the lowest value)."""
    present = [s for s in health.signals if s.value is not None]
    if not present:
        return "no signal has data"
    return min(present, key=lambda s: (s.value, s.key)).explanation


def band_page(ctx: Context, band: str | None, who: str | None = None, *,
              after: tuple | None = None, limit: int = PAGE) -> Page:
    """The customers in a health band (None: no score), worst first: ``id``, ``name``,
    ``score``, ``band``, ``then`` (the band a week ago), ``direction``, ``reason``. The
    customers the overview counted (today's snapshots, ``portfolio_health.members``); the
    reasons (signals) worked out for the window's customers only."""
    found = whole("band", (ctx.today(), who, band), after, lambda: portfolio_health.members(
        ctx, who, band, TREND_DAYS, TREND_SLACK))
    start = after[0] if after else 0
    window = portfolio_health.with_signals(ctx, found[start:start + limit])
    rows = [{"id": h.customer_id, "name": h.name, "score": h.score, "band": h.band,
             "then": then, "direction": Trended(h, then).direction,
             "reason": weakest_signal(h)} for h, then in window]
    end = start + limit
    return Page(rows, (end,) if end < len(found) else None)


def feedback_page(ctx: Context, kind: str, who: str | None = None, *,
                  after: tuple | None = None, limit: int = PAGE) -> Page:
    """The satisfaction answers of a kind (csat, nps) behind the portfolio figure: those of
    the period (``insight.satisfaction_days``) of the active customers, newest first."""
    f, c = m.Feedback, m.Customer
    days, slot = ctx.insight.satisfaction_days, prepared.slot

    def build() -> Any:
        query = (f.select(f.id, f.kind, f.score, f.comment, f.received_on, f.customer,
                          c.name.alias("customer_name"))
                 .join(c, on=(f.customer == c.id))
                 .where((f.kind == slot("kind"))
                        & f.received_on.between(slot("first", f.received_on),
                                                slot("last", f.received_on))
                        & (c.archived == False)))  # noqa: E712
        return query if who is None else query.where(owned(slot("who")))

    query = prepared.Shaped(("feedback", who is not None), build, {
        "kind": kind, "first": first_day(ctx, days), "last": ctx.today(), "who": who})
    return _window(query, [f.received_on, f.id], ["received_on", "id"], True, after, limit)


def credibility_page(ctx: Context, who: str | None = None, *, after: tuple | None = None,
                     limit: int = PAGE) -> Page:
    """Credibility per customer, lowest share first: ``id``, ``name``, ``judged``,
    ``met_on_baseline``, ``share``, ``renegotiated``, ``average_slip_days``."""
    found = whole("credibility", (ctx.today(), who), after,
                  lambda: credibility.by_customer(ctx, who=who))
    rows = [{"id": c.key, "name": c.name, "judged": c.judged,
             "met_on_baseline": c.met_on_baseline, "share": c.share,
             "renegotiated": c.renegotiated, "average_slip_days": c.average_slip_days}
            for c in found]
    return sliced(rows, after, limit)


def loyalty_page(who: str | None = None, *, after: tuple | None = None,
                 limit: int = PAGE) -> Page:
    """Customers with repeat projects or referrals, most of both first: ``id``, ``name``,
    ``projects``, ``repeat_projects``, ``referrals`` (by status), ``referrals_total``."""
    return sliced(whole("loyalty", (who,), after, lambda: _loyal(who)), after, limit)


def _loyal(who: str | None) -> list[dict[str, Any]]:
    """``loyalty_page``'s whole list."""
    c = m.Customer
    names = dict(c.select(c.id, c.name).where(c.id.in_(active_customers(who))).tuples())
    rows = [{"id": cid, "name": names.get(cid, ""), "projects": x.projects,
             "repeat_projects": x.repeat_projects, "referrals": x.referrals,
             "referrals_total": x.referrals_total}
            for cid, x in loyalty.by_customer(who=who).items()
            if x.repeat_projects or x.referrals_total]
    rows.sort(key=lambda r: (-(r["repeat_projects"] + r["referrals_total"]),
                             r["name"].lower(), r["id"]))
    return rows


def stakeholder_rows(found: Iterable[stakeholders.Stakeholder]) -> list[dict[str, Any]]:
    """Stakeholders as plain rows (``id`` is the contact's)."""
    return [{"id": s.contact_id, "customer_id": s.customer_id, "customer": s.customer,
             "name": s.name, "role": s.role, "influence": s.influence, "interest": s.interest,
             "current": s.current, "desired": s.desired, "gap": s.gap, "quadrant": s.quadrant}
            for s in found]


def matrix_page(customer_id: int | None = None, who: str | None = None,
                gaps_only: bool = False, *, search: str | None = None,
                after: tuple | None = None, limit: int = PAGE) -> Page:
    """The engagement matrix (largest gaps first) a window at a time, sorted and windowed by
    the database; ``search``: words the stakeholder's name, role or customer contain; its
    ``#name`` words: tags their customer carries. The cursor is the next window's offset."""
    k, c, t = m.Contact, m.Customer, m.Tag
    query = stakeholders.matrix_query(customer_id, who, gaps_only)
    words, names = tags.split_search(search)
    for name in names:
        query = query.where(k.customer.in_(
            t.select(t.record_id).where((t.name == name) & (t.kind == "customer"))))
    for word in " ".join(words).split():
        query = query.where(k.name.contains(word) | k.role.contains(word)
                            | c.name.contains(word))
    start = after[0] if after else 0
    found = stakeholder_rows(stakeholders.rows_of(query.limit(limit + 1).offset(start)))
    return Page(found[:limit], (start + limit,) if len(found) > limit else None)
