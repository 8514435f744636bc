"""The joint risk register: score and band of a risk, the register across customers, and the
risks that need a look (due for review, newly red).

A risk's score is likelihood (1-5) x impact (1-5) = 1-25, stored as ``Risk.score`` (kept by
``records``) so the register pages on an index. Bands: 15-25 red, 5-14 amber, 1-4 green. A
risk is open until closed: statuses open, mitigating and occurred.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from peewee import JOIN, fn

from relboard import models as m
from relboard.domain import OPEN_RISK_STATUSES as OPEN_STATUSES
from relboard.services import prepared, tags
from relboard.services.context import Context
from relboard.services.lists import PAGE, Page, _and, _in_slots, _scan, _slots, _window, _words
from relboard.services.scope import of_active, owned, start_of

STATUSES = m.RISK_STATUSES
"""Every risk status, in the order a filter cycles them."""
BANDS = {"red": (15, 25), "amber": (5, 14), "green": (1, 4)}
"""Band -> lowest and highest score in it."""


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood x impact (each 1-5): 1-25."""
    return likelihood * impact


def band_of(score: int) -> str:
    """The band of a risk score: red 15-25, amber 5-14, green 1-4."""
    return "red" if score >= 15 else "amber" if score >= 5 else "green"


def _band_filter(score: Any, count: int) -> Any:
    """``score`` in one of ``count`` bands, each from slot ``lowN`` to slot ``highN``."""
    parts = [score.between(prepared.slot(f"low{n}"), prepared.slot(f"high{n}"))
             for n in range(count)]
    out = None
    for part in parts:
        out = part if out is None else out | part
    return out


def _not_archived(customer: Any) -> Any:
    """Rows of active customers, as a test beside the walk of the sort index (a join filter
    on ``archived`` would make the planner start from the customers and sort afterwards)."""
    c = m.Customer
    return prepared.not_in_query(customer, c.select(c.id).where(c.archived == True))  # noqa: E712


def _decorate(rows: list[dict[str, Any]], today: _dt.date) -> list[dict[str, Any]]:
    for row in rows:
        row["band"] = band_of(row["score"])
        row["review_due"] = (row["status"] in OPEN_STATUSES and row["review_on"] is not None
                             and row["review_on"] <= today)
        # a red risk needs a trigger to watch and a contingency ready (said, not refused)
        row["missing"] = [name for name in ("trigger", "contingency")
                          if row["band"] == "red" and not (row[name] or "").strip()]
    return rows


def _columns() -> list[Any]:
    r, c = m.Risk, m.Customer
    return [r.id, r.title, r.likelihood, r.impact, r.score, r.trigger, r.mitigation,
            r.contingency, r.owner, r.review_on, r.status, r.version, r.customer, r.project,
            r.created_at, c.name.alias("customer_name")]


SORTS = ("score", "review", "newest")
"""Register orders: highest score first; earliest review date first (risks without one
last); most recently recorded first."""


def register_page(ctx: Context, *, status: Iterable[str] = OPEN_STATUSES,
                  band: Iterable[str] = (), owner: str | None = None,
                  customer_id: int | None = None, who: str | None = None,
                  review_due: bool = False, sort: str = "score", search: str | None = None,
                  after: tuple | None = None, limit: int = PAGE) -> Page:
    """The risk register, keyset-paged: by ``sort`` (SORTS; default the highest score first,
    then newest, on the score index).

    Filters: ``status`` (default the open ones; empty: every status), ``band`` (red, amber,
    green), ``owner`` (a user, or "me"), ``customer_id``, ``who`` (Today's "my view" rule),
    ``review_due`` (the review date is today or past), ``search`` (words the title, the
    customer's name or the owner contain; its ``#name`` words: tags the risk or its customer
    carries). Archived customers' risks are left out
    unless ``customer_id`` names one. Each row also has ``band``, ``review_due``,
    ``missing`` (what a red risk lacks: trigger, contingency) and ``tags``.
    """
    r, c = m.Risk, m.Customer
    owner = ctx.user if owner == "me" else owner
    status = list(status or ())
    bands = [b for b in band or () if b in BANDS]
    words, names = tags.split_search(search)
    slot = prepared.slot

    def build() -> Any:
        where = _and(
            _in_slots(_scan(r.status), "status", len(status)),
            _band_filter(r.score + 0, len(bands)) if bands else None,
            _scan(r.owner) == slot("owner") if owner is not None else None,
            r.customer == slot("customer") if customer_id is not None
            else _not_archived(r.customer),
            owned(slot("who"), r.owner) if who is not None else None,
            (r.review_on <= slot("today", r.review_on)) if review_due else None,
            _words(len(words), r.title, c.name, r.owner),
            tags.tagged("risk", r.id, len(names), r.customer),
        )
        query = r.select(*_columns()).join(c, on=(r.customer == c.id))
        return query if where is None else query.where(where)

    shape = ("risks", len(status), len(bands), owner is not None, customer_id is not None,
             who is not None, review_due, len(words), len(names))
    values = {**_slots("status", status), "owner": owner, "customer": customer_id,
              "who": who, "today": ctx.today(), **_slots("word", words), **tags.slots(names)}
    for n, name in enumerate(bands):
        values[f"low{n}"], values[f"high{n}"] = BANDS[name]
    query = prepared.Shaped(shape, build, values)
    if sort == "newest":
        page = _window(query, [r.id], ["id"], True, after, limit)
    elif sort == "review":
        page = _review_window(query, after, limit)
    else:
        page = _window(query, [r.score, r.id], ["score", "id"], True, after, limit)
    _decorate(page.rows, ctx.today())
    found = tags.of_many("risk", [row["id"] for row in page.rows])
    for row in page.rows:
        row["tags"] = found.get(row["id"], ())
    return page


def _review_window(query: prepared.Shaped, after: tuple | None, limit: int) -> Page:
    """Earliest review date first, then the risks with none (by id): two keyset walks; the
    cursor says which one it is in: ``(0, review_on, id)`` or ``(1, id or None)``."""
    r = m.Risk
    rows: list[dict[str, Any]] = []
    start: tuple | None = None
    if after is None or after[0] == 0:
        page = _window(query.also("reviewed", lambda q: q.where(r.review_on.is_null(False))),
                       [r.review_on, r.id],
                       ["review_on", "id"], False, after[1:] if after else None, limit)
        if page.after is not None:
            return Page(page.rows, (0, *page.after))
        rows = page.rows
        if len(rows) >= limit:
            return Page(rows, (1, None))  # the risks without a review date come next
    elif after[1] is not None:
        start = (after[1],)
    page = _window(query.also("unreviewed", lambda q: q.where(r.review_on.is_null())), [r.id],
                   ["id"], False, start,
                   limit - len(rows))
    return Page(rows + page.rows, (1, page.after[0]) if page.after else None)


def _due_query(ctx: Context, who: str | None, *columns: Any) -> Any:
    """Open risks of active customers (``who``'s share) whose review date is today or past."""
    r, c = m.Risk, m.Customer
    query = (r.select(*columns).join(c, on=(r.customer == c.id))
             .where(r.status.in_(OPEN_STATUSES) & (r.review_on <= ctx.today())
                    & (c.archived == False)))  # noqa: E712
    return query if who is None else query.where(owned(who, r.owner))


def due_for_review(ctx: Context, who: str | None = None) -> list[dict[str, Any]]:
    """Open risks whose review date is today or past, earliest first (active customers)."""
    r = m.Risk
    query = _due_query(ctx, who, *_columns()).order_by(r.review_on, r.id)
    return _decorate(list(query.dicts()), ctx.today())


def count_due_for_review(ctx: Context, who: str | None = None) -> int:
    """How many risks ``due_for_review`` lists, counted by the database."""
    return int(_due_query(ctx, who, fn.COUNT(m.Risk.id)).scalar() or 0)


def new_red_risks(ctx: Context, days: int = 7, who: str | None = None) -> list[dict[str, Any]]:
    """Open red risks recorded in the last ``days`` days (today included), highest first."""
    r, c = m.Risk, m.Customer
    since = start_of(ctx, ctx.today() - _dt.timedelta(days=days - 1))
    query = (r.select(*_columns()).join(c, on=(r.customer == c.id))
             .where(r.status.in_(OPEN_STATUSES) & (r.score >= 15) & (r.created_at >= since)
                    & (c.archived == False))  # noqa: E712
             .order_by(r.score.desc(), r.id.desc()))
    if who is not None:
        query = query.where(owned(who, r.owner))
    return _decorate(list(query.dicts()), ctx.today())


def customer_risks(ctx: Context, customer_id: int,
                   include_closed: bool = False) -> list[dict[str, Any]]:
    """One customer's risks, highest score first (the profile's Risks tab), each with the
    name of its owner on the customer's side (``their_owner``: "" when not shared) and when
    it was last gone through with them."""
    r, p, k = m.Risk, m.Project, m.Contact
    query = (r.select(*_columns(), p.name.alias("project_name"),
                      k.name.alias("their_owner"), r.reviewed_with_customer_on)
             .join(m.Customer, on=(r.customer == m.Customer.id))
             .join(p, JOIN.LEFT_OUTER, on=(r.project == p.id))
             .join(k, JOIN.LEFT_OUTER, on=(r.customer_owner == k.id))
             .where(r.customer == customer_id).order_by(r.score.desc(), r.id.desc()))
    if not include_closed:
        query = query.where(r.status.in_(OPEN_STATUSES))
    return _decorate(list(query.dicts()), ctx.today())


def customer_risks_all(ctx: Context, customer_id: int) -> list[dict[str, Any]]:
    """Every risk of one customer, closed ones too: the profile's Risks tab (``Kind.tab``)."""
    return customer_risks(ctx, customer_id, include_closed=True)


def counts_by_band(ctx: Context, who: str | None = None) -> dict[str, int]:
    """Open risks per band across the active customers (``who``'s share if given)."""
    out = {band: 0 for band in BANDS}
    r, c = m.Risk, m.Customer
    if who is None:  # no join: each risk's customer looked up among the few archived
        query = (r.select(r.score, fn.COUNT(r.id))
                 .where(r.status.in_(OPEN_STATUSES) & of_active(r.customer + 0))
                 .group_by(r.score))
    else:
        query = (r.select(r.score, fn.COUNT(r.id)).join(c, on=(r.customer == c.id))
                 .where(r.status.in_(OPEN_STATUSES) & (c.archived == False)  # noqa: E712
                        & owned(who, r.owner))
                 .group_by(r.score))
    for score, count in query.tuples():
        out[band_of(score)] += count
    return out
