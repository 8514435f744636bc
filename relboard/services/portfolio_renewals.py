"""The portfolio's renewals by quarter and health band: how many active customers (or ``who``'s
share) renew in each of the next four calendar quarters (the current one from today), and how
many renewal dates have passed with no new one recorded, each split red / amber / green /
unscored.

The band is the customer's stored one, as on Today's "Renewals ahead": its latest health
snapshot on or before today (no snapshot: unscored). Counted in SQL, a row per (quarter,
band), over the index ``customer(archived, renews_on, id)``: no customer is loaded.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from peewee import Case, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.lists import PAGE, Page
from relboard.services.scope import as_int, scoped

QUARTERS = 4
"""Calendar quarters the figure covers, the current one first."""
PASSED = "passed"
"""The label of the renewals whose date has passed with no new one recorded."""


@dataclass(frozen=True)
class QuarterRenewals:
    """Customers renewing in one quarter (or whose renewal date has passed), by band."""

    label: str
    """"Q1 2027", or ``PASSED``."""
    first: _dt.date | None
    """Its first day counted (today for the current quarter; None for the passed)."""
    last: _dt.date
    """Its last day counted."""
    red: int = 0
    amber: int = 0
    green: int = 0
    unscored: int = 0

    @property
    def total(self) -> int:
        """Every customer of the quarter."""
        return self.red + self.amber + self.green + self.unscored


def quarter_of(day: _dt.date) -> tuple[_dt.date, _dt.date]:
    """The first and last day of the calendar quarter ``day`` is in."""
    first = _dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    after = _dt.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, after - _dt.timedelta(days=1)


def periods(today: _dt.date, quarters: int = QUARTERS) -> list[tuple[str, _dt.date | None,
                                                                      _dt.date]]:
    """(label, first, last) of the passed renewals and of each quarter, the current one
    from ``today``."""
    out: list[tuple[str, _dt.date | None, _dt.date]] = [
        (PASSED, None, today - _dt.timedelta(days=1))]
    first = today
    for _ in range(quarters):
        start, last = quarter_of(first)
        out.append((f"Q{(start.month - 1) // 3 + 1} {start.year}", first, last))
        first = last + _dt.timedelta(days=1)
    return out


def by_quarter(ctx: Context, who: str | None = None,
               quarters: int = QUARTERS) -> list[QuarterRenewals]:
    """Customers renewing per quarter by band: the passed first, then each quarter."""
    today = ctx.today()
    spans = periods(today, quarters)
    c, s = m.Customer, m.HealthSnapshot.alias("renewal_band")
    band = (s.select(s.band).where((s.customer == c.id) & (s.day <= today))
            .order_by(s.day.desc()).limit(1))
    bucket = Case(None, [(c.renews_on <= last, n) for n, (_, _, last) in enumerate(spans)])
    inner = scoped(c.select(bucket.alias("q"), band.alias("band")).where(
        (c.archived == False) & (c.renews_on <= spans[-1][2])), who)  # noqa: E712
    rows = inner.alias("renewals")
    counts: dict[int, dict[str, int]] = {}
    for q, name, n in (c.select(rows.c.q, rows.c.band, fn.COUNT(rows.c.q)).from_(rows)
                       .group_by(rows.c.q, rows.c.band).tuples()):
        key = name if name in m.HEALTH_BANDS else "unscored"
        part = counts.setdefault(int(q), {})
        part[key] = part.get(key, 0) + as_int(n)
    return [QuarterRenewals(label, first, last, **counts.get(n, {}))
            for n, (label, first, last) in enumerate(spans)]


def renewals_page(ctx: Context, first: _dt.date | None, last: _dt.date,
                  who: str | None = None, *, after: tuple | None = None,
                  limit: int = PAGE) -> Page:
    """The customers behind one row of the figure (renewing from ``first``, None: any day
    before, to ``last``), by renewal date: ``id``, ``name``, ``owner``, ``renews_on``,
    ``band``; a window at a time (``after``: the offset of the next one)."""
    c, s = m.Customer, m.HealthSnapshot.alias("renewal_band")
    band = (s.select(s.band).where((s.customer == c.id) & (s.day <= ctx.today()))
            .order_by(s.day.desc()).limit(1))
    span = c.renews_on <= last
    if first is not None:
        span &= c.renews_on >= first
    start = after[0] if after else 0
    rows = list(scoped(c.select(c.id, c.name, c.owner, c.renews_on, band.alias("band"))
                       .where((c.archived == False) & span), who)  # noqa: E712
                .order_by(c.archived, c.renews_on, c.id).offset(start).limit(limit + 1).dicts())
    for row in rows:
        row["band"] = row["band"] if row["band"] in m.HEALTH_BANDS else None
    more = len(rows) > limit
    return Page(rows[:limit], (start + limit,) if more else None)
