"""Credibility: how reliably the promises made to a customer were kept on time.

Which expectations are judged: those met or missed, and those still agreed, at risk or
renegotiated whose current due date is before today. Proposed (never agreed) and withdrawn
ones are not judged.

"Met on or before the baseline": the expectation's status is met, and the day it was met —
the local date of its latest trail row (ExpectationChange) that moved it *to* met from
another status — is on or before its baseline due date. An expectation recorded or imported
as already met has no such row; it then counts as met on its current due date (so it is on
the baseline when that date was never moved later).

"Renegotiated": its trail has a row that moved the due date (old and new due both set),
counted whether it is judged yet or not (a promise moved to next month is renegotiated today,
as the register shows it); withdrawn ones are not counted. Its slip is current due - baseline
due, in days (negative when it was brought forward).

Per customer and per owner (an expectation's owner; "" is nobody), each with the counts
behind the figures: ``share`` is met-on-baseline / judged (None with nothing judged) and
``average_slip_days`` the mean slip of the renegotiated ones (None with none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import Case, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.scope import of_active, owned
from relboard.services.spec import parse_stored

OPEN_JUDGED = ("agreed", "at_risk", "renegotiated")


@dataclass(frozen=True)
class Credibility:
    """Promises kept on time by one customer's team or one owner.

    ``key`` is the customer id or the owner's name; ``name`` what to show.
    """

    key: Any
    name: str
    judged: int
    met_on_baseline: int
    renegotiated: int
    average_slip_days: float | None

    @property
    def share(self) -> float | None:
        """Percentage of the judged expectations met on or before their baseline (0-100)."""
        return round(100 * self.met_on_baseline / self.judged, 1) if self.judged else None


def _moved() -> Any:
    """Ids of expectations whose due date was moved (their trail says so)."""
    x = m.ExpectationChange
    return x.select(x.expectation).where(x.old_due.is_null(False) & x.new_due.is_null(False))


def _judged(ctx: Context, customer_ids: Iterable[int] | None, who: str | None,
            *columns: Any, customer: bool = False) -> Any:
    """The expectations judged or renegotiated (a moved one not judged yet counts only in
    ``renegotiated``: ``_facts_of`` tells them apart), selecting ``columns`` (default: what
    ``_facts_of`` reads; given, they are the expectation's own, or aggregates of them, unless
    ``customer``: the customer's columns are read too)."""
    e, c = m.Expectation, m.Customer
    moved = _moved()
    joined = not columns or customer or who is not None or customer_ids is not None
    columns = columns or (e.id, e.customer, e.owner, e.status, e.baseline_due, e.current_due,
                          c.name.alias("customer_name"))
    query = e.select(*columns)
    if joined:
        query = query.join(c, on=(e.customer == c.id))
    query = query.where(e.status.in_(("met", "missed"))
                        | (e.status.in_(OPEN_JUDGED) & (e.current_due < ctx.today()))
                        | ((e.status != "withdrawn") & e.id.in_(moved)))
    if customer_ids is not None:
        query = query.where(e.customer.in_(list(customer_ids)))
    elif not joined:  # columns of the expectation only: no customer row read for each
        query = query.where(of_active(e.customer + 0))
    else:
        query = query.where(c.archived == False)  # noqa: E712
    if who is not None:
        query = query.where(owned(who, e.owner))
    return query


def _facts_of(ctx: Context, rows: list[dict[str, Any]], ids: Any = None
              ) -> list[dict[str, Any]]:
    """Each of these judged expectation rows with ``judged``, ``on_baseline`` and ``slip``
    (None: not renegotiated); ``ids``: a query of their ids (None: theirs)."""
    x = m.ExpectationChange
    if ids is None:
        ids = [r["id"] for r in rows]
    met_at = dict(x.select(x.expectation, fn.MAX(x.changed_at))
                  .where((x.new_status == "met") & x.old_status.is_null(False)
                         & x.expectation.in_(ids))
                  .group_by(x.expectation).tuples())
    moved = {eid for (eid,) in x.select(x.expectation).distinct()
             .where(x.old_due.is_null(False) & x.new_due.is_null(False)
                    & x.expectation.in_(ids)).tuples()}
    today = ctx.today()
    for row in rows:
        baseline = row["baseline_due"] or row["current_due"]  # None: no date was ever set
        due = row["current_due"]
        row["judged"] = row["status"] in ("met", "missed") or (
            row["status"] in OPEN_JUDGED and due is not None and due < today)
        if row["status"] == "met":
            when = parse_stored(met_at.get(row["id"]))
            met_day = ctx.local(when).date() if when is not None else due
            row["on_baseline"] = met_day is not None and baseline is not None \
                and met_day <= baseline
        else:
            row["on_baseline"] = False
        row["slip"] = (due - baseline).days if row["id"] in moved and due is not None \
            and baseline is not None else None
    return rows


def _order(c: Credibility) -> tuple:
    """Lowest share first; nothing judged yet (only renegotiated) last."""
    return (c.share is None, c.share or 0.0, c.name.lower(), str(c.key))


def by_customer(ctx: Context, customer_ids: Iterable[int] | None = None,
                who: str | None = None) -> list[Credibility]:
    """Credibility per customer with anything judged or renegotiated (``customer_ids``, or
    the active customers, ``who``'s share), lowest share first."""
    found = _counted(ctx, customer_ids, who, m.Expectation.customer, m.Customer.name)
    return sorted((t.credibility(key, t.name) for key, t in found.items()), key=_order)


def by_owner(ctx: Context, who: str | None = None) -> list[Credibility]:
    """Credibility per expectation owner across the active customers, lowest share first."""
    found = _counted(ctx, None, who, m.Expectation.owner)
    return sorted((t.credibility(key or "", key or "(nobody)") for key, t in found.items()),
                  key=_order)


def customer_credibility(ctx: Context, customer_id: int) -> Credibility:
    """One customer's credibility (judged 0 and figures None when nothing is judged yet)."""
    found = by_customer(ctx, [customer_id])
    return found[0] if found else Credibility(customer_id, "", 0, 0, 0, None)


def portfolio_credibility(ctx: Context, who: str | None = None) -> Credibility:
    """Credibility over every judged expectation of the active customers."""
    return _counted(ctx, None, who, None).get(None, _Tally()).credibility(None, "portfolio")


@dataclass
class _Tally:
    """One group's counts as ``_counted`` adds them up (``name``: its name column's value)."""

    name: Any = None
    judged: int = 0
    on_time: int = 0
    slips: list[int] = field(default_factory=list)

    def credibility(self, key: Any, name: str) -> Credibility:
        """The figures of these counts."""
        slips = self.slips
        return Credibility(key, name, self.judged, self.on_time, len(slips),
                           round(sum(slips) / len(slips), 1) if slips else None)


def _counted(ctx: Context, customer_ids: Iterable[int] | None, who: str | None, key: Any,
             name: Any = None) -> dict[Any, _Tally]:
    """Per value of ``key`` (an expectation column; None: all in one) its tally, with its
    ``name`` column's value: judged, and met on the baseline when met without a trail row
    (on its current due date), counted in SQL in one grouped pass; read row by row only the
    expectations met through the app (the day they were met is a local date) and those moved
    (their slip), as ``_facts_of`` works each out."""
    e, x = m.Expectation, m.ExpectationChange
    today = ctx.today()
    judged = e.status.in_(("met", "missed")) | (e.status.in_(OPEN_JUDGED)
                                                 & (e.current_due < today))
    to_met = x.select(x.expectation).where((x.new_status == "met") & x.old_status.is_null(False))
    plain_met = ((e.status == "met") & e.id.not_in(to_met)
                 & (e.current_due <= fn.COALESCE(e.baseline_due, e.current_due)))
    group = [k for k in (key, name) if k is not None]
    grouped = _judged(ctx, customer_ids, who, *group, fn.SUM(Case(None, [(judged, 1)], 0)),
                      fn.SUM(Case(None, [(plain_met, 1)], 0)), customer=name is not None)
    tallies: dict[Any, _Tally] = {}
    for *keys, n_judged, n_on_time in (grouped.group_by(*group) if group else grouped).tuples():
        if n_judged is not None:  # None: no row at all (the ungrouped sum)
            tallies[keys[0] if key is not None else None] = _Tally(
                keys[-1] if name is not None else None, int(n_judged), int(n_on_time or 0))

    def tally(row: dict[str, Any]) -> _Tally:
        return tallies[row[key.name] if key is not None else None]

    columns = [e.id, e.status, e.baseline_due, e.current_due, *([key] if key is not None else [])]
    through_app = (e.status == "met") & e.id.in_(to_met)
    rows = list(_judged(ctx, customer_ids, who, *columns).where(through_app).dicts())
    if rows:  # the rule _facts_of applies, to these rows
        ids = _judged(ctx, customer_ids, who, e.id).where(through_app)
        for row in _facts_of(ctx, rows, ids):
            tally(row).on_time += row["on_baseline"]
    for row in _judged(ctx, customer_ids, who, *columns).where(e.id.in_(_moved())).dicts():
        due, baseline = row["current_due"], row["baseline_due"] or row["current_due"]
        if due is not None and baseline is not None:
            tally(row).slips.append((due - baseline).days)
    return tallies
