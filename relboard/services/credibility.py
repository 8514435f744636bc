"""Credibility: how reliably the promises made to a customer were kept on time.

Which expectations are judged: those met or missed, and those still agreed, at risk or
renegotiated whose current due date is before today. Proposed (never agreed) and withdrawn
ones are not judged.

"Met on or before the baseline": the expectation's status is met, and the day it was met —
the local date of its latest trail row (ExpectationChange) that moved it *to* met from
another status — is on or before its baseline due date. An expectation recorded or imported
as already met has no such row; it then counts as met on its current due date (so it is on
the baseline when that date was never moved later).

"Renegotiated": its trail has a row that moved the due date (old and new due both set).
Its slip is current due - baseline due, in days (negative when it was brought forward).

Per customer and per owner (an expectation's owner; "" is nobody), each with the counts
behind the figures: ``share`` is met-on-baseline / judged (None with nothing judged) and
``average_slip_days`` the mean slip of the renegotiated ones (None with none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.scope import owned
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


def _judged(ctx: Context, customer_ids: Iterable[int] | None, who: str | None) -> Any:
    e, c = m.Expectation, m.Customer
    query = (e.select(e.id, e.customer, e.owner, e.status, e.baseline_due, e.current_due,
                      c.name.alias("customer_name"))
             .join(c, on=(e.customer == c.id))
             .where(e.status.in_(("met", "missed"))
                    | (e.status.in_(OPEN_JUDGED) & (e.current_due < ctx.today()))))
    if customer_ids is not None:
        query = query.where(e.customer.in_(list(customer_ids)))
    else:
        query = query.where(c.archived == False)  # noqa: E712
    if who is not None:
        query = query.where(owned(who, e.owner))
    return query


def _facts(ctx: Context, judged: Any) -> list[dict[str, Any]]:
    """Each judged expectation with ``on_baseline`` and ``slip`` (None: not renegotiated)."""
    x = m.ExpectationChange
    ids = judged.select(m.Expectation.id)
    met_at = dict(x.select(x.expectation, fn.MAX(x.changed_at))
                  .where((x.new_status == "met") & x.old_status.is_null(False)
                         & x.expectation.in_(ids))
                  .group_by(x.expectation).tuples())
    moved = {eid for (eid,) in x.select(x.expectation).distinct()
             .where(x.old_due.is_null(False) & x.new_due.is_null(False)
                    & x.expectation.in_(ids)).tuples()}
    rows = list(judged.dicts())
    for row in rows:
        baseline = row["baseline_due"] or row["current_due"]
        if row["status"] == "met":
            when = parse_stored(met_at.get(row["id"]))
            met_day = ctx.local(when).date() if when is not None else row["current_due"]
            row["on_baseline"] = met_day <= baseline
        else:
            row["on_baseline"] = False
        row["slip"] = (row["current_due"] - baseline).days if row["id"] in moved else None
    return rows


def _summarise(key: Any, name: str, rows: list[dict[str, Any]]) -> Credibility:
    slips = [r["slip"] for r in rows if r["slip"] is not None]
    return Credibility(key, name, len(rows), sum(r["on_baseline"] for r in rows), len(slips),
                       round(sum(slips) / len(slips), 1) if slips else None)


def by_customer(ctx: Context, customer_ids: Iterable[int] | None = None,
                who: str | None = None) -> list[Credibility]:
    """Credibility per customer with anything judged (``customer_ids``, or the active
    customers, ``who``'s share), lowest share first."""
    groups: dict[int, list[dict[str, Any]]] = {}
    names: dict[int, str] = {}
    for row in _facts(ctx, _judged(ctx, customer_ids, who)):
        groups.setdefault(row["customer"], []).append(row)
        names[row["customer"]] = row["customer_name"]
    out = [_summarise(cid, names[cid], rows) for cid, rows in groups.items()]
    return sorted(out, key=lambda c: (c.share, c.name.lower(), c.key))


def by_owner(ctx: Context, who: str | None = None) -> list[Credibility]:
    """Credibility per expectation owner across the active customers, lowest share first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _facts(ctx, _judged(ctx, None, who)):
        groups.setdefault(row["owner"] or "", []).append(row)
    out = [_summarise(owner, owner or "(nobody)", rows) for owner, rows in groups.items()]
    return sorted(out, key=lambda c: (c.share, c.name.lower()))


def customer_credibility(ctx: Context, customer_id: int) -> Credibility:
    """One customer's credibility (judged 0 and figures None when nothing is judged yet)."""
    found = by_customer(ctx, [customer_id])
    return found[0] if found else Credibility(customer_id, "", 0, 0, 0, None)


def portfolio_credibility(ctx: Context, who: str | None = None) -> Credibility:
    """Credibility over every judged expectation of the active customers."""
    return _summarise(None, "portfolio", _facts(ctx, _judged(ctx, None, who)))
