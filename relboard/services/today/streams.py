"""What every source of Today shares: streams (index walks) and the filters on them.

A stream is a query whose rows come out of an index already ordered by urgency (an SLA clock's
start, a last contact, a due date), with a ``limit`` and a count. A source merges the streams
of a group in Python, over at most ``limit`` rows each, and sums their counts: what Today
costs grows with what it shows, not with the board. The filters every stream shares (archived
customers, snoozes) are subqueries over small sets; "my view" reads the owner of each walked
row's customer by its key, or walks an owner-keyed index. Streams of the same columns can
be read in one statement (``fetch_together``). A source turns rows into ``Candidate``s (sort
key, group, row, extra); ``board`` reads the customer names of the ones shown.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from operator import itemgetter
from typing import Any

from peewee import JOIN, OP, SQL, Expression, Join, ModelSelect, fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import not_in_query, rows, scalar, slot
from relboard.services.prepared_union import union_counts, union_rows

Candidate = tuple[tuple, str, dict[str, Any], Any]
"""(sort key, group, row, extra) for an item whose customer name is not read yet."""

COUNT_CAP = 100
"""Where a group stops counting on Today: a group of more reads "100+". A PM works through a
few dozen items a day; past 100 a group is more than a day's work, whether 150 or 30,000
issues breach their SLA, and the next key is the same. Counting on costs a walk of the
group's index (to 1000: 1.7 ms of a 12 ms board at 100k records; an exact count 78% of a
board at 1M). The digest and the Portfolio, reports, count exactly."""


class _Counting:
    """How the streams of one board count: a group up to ``cap`` in all (None: exactly).

    Capped, a stream that filled its page is counted later (``pending``: the stream and the
    rows it read), all of them in one statement when the board is read (``settle``): a round
    trip each on a server otherwise. ``hit``: the groups whose count reached the cap."""

    __slots__ = ("cap", "customers", "hit", "pending")

    def __init__(self, cap: int | None):
        self.cap = cap
        self.hit: set[str] = set()
        self.pending: list[tuple[Stream, int]] = []
        self.customers: dict[str, int] = {}
        """``customers_of`` each user, found once a board."""

    def settle(self, totals: dict[str, int]) -> None:
        """Count the pending streams into ``totals`` (which holds, per group, the rows its
        streams read and the exact counts of the ones that did not fill a page).

        A group's pending streams are counted together, read in turn and stopped where the
        group reaches the cap (what the others counted exactly is there in any case); a
        group whose rows read reach it already is not counted at all. Either way a group
        reads the cap (``hit``) exactly when it has that many, its exact count when fewer."""
        cap, pending, self.pending = self.cap, self.pending, []
        assert cap is not None
        groups: dict[str, list[tuple[Stream, int]]] = {}
        for stream, read in pending:
            groups.setdefault(stream.name, []).append((stream, read))
        walks = []
        for name, members in groups.items():
            read = sum(n for _, n in members)
            left = cap - (totals[name] - read)  # less what was counted exactly
            if left > read:
                walks.append((name, members, read, left))
        if walks:
            counts = union_counts(
                tuple(tuple(stream.key for stream, _ in members) for _, members, _, _ in walks),
                [[_walk(stream.build, stream.order if stream.in_order else None)
                  for stream, _ in members] for _, members, _, _ in walks],
                [([stream.values for stream, _ in members], left)
                 for _, members, _, left in walks])
            for (name, _, read, _), n in zip(walks, counts, strict=True):
                totals[name] += n - read
        self.hit |= {name for name in groups if totals[name] >= cap}


_COUNTING: ContextVar[_Counting | None] = ContextVar("today_counting", default=None)


@contextmanager
def counting(cap: int | None) -> Iterator[_Counting]:
    """The streams read inside count up to ``cap`` (None: exactly); the groups that reached
    it are in the ``hit`` of what this yields."""
    state = _Counting(cap)
    token = _COUNTING.set(state)
    try:
        yield state
    finally:
        _COUNTING.reset(token)


class Stream:
    """One index range: ``build()`` (filtered, unordered), its ``order``, the ``values`` of its
    slots and what it holds (``info``: an SLA stream's target hours, a cadence in days...).
    ``key`` names its shape: the SQL is written once. ``build`` and ``order`` are made once
    per shape too (``functools.cache``): a board only computes the values.

    ``in_order``: its capped count walks in ``order`` too. PostgreSQL's kept plan of an
    unordered walk under a LIMIT may read the table in its order instead, which finds the
    100th of a range that is a few percent of the table only after thousands of rows (the
    follow-ups due: 1.4 ms against 0.07 at 100k records, vacuumed as relboard leaves a
    board it loaded); SQLite walks the same index either way."""

    __slots__ = ("name", "key", "build", "order", "values", "info", "in_order")

    def __init__(self, name: str, key: tuple, build: Callable[[], ModelSelect],
                 order: Callable[[], tuple], values: dict[str, Any], info: Any = None,
                 in_order: bool = False):
        self.name, self.key, self.build, self.order = name, key, build, order
        self.values, self.info, self.in_order = values, info, in_order

    def rows(self, limit: int | None) -> list[dict[str, Any]]:
        """The first ``limit`` rows (None: all) in index order."""
        return rows(self.key + ("rows", limit is None), _ordered(self.build, self.order,
                                                                 limit is not None),
                    {**self.values, "limit": limit})

    def count(self, read: int = 0) -> int:
        """Every row of the range. Inside ``counting(cap)``: the ``read`` rows it has for
        now, the rest counted with the board's other streams by ``_Counting.settle`` (up to
        the cap: an index walk that stops there, instead of a pass over the whole range)."""
        state = _COUNTING.get()
        if state is None or state.cap is None:
            return scalar(self.key + ("count",),
                          lambda: self.build().select(fn.COUNT(SQL("*"))), self.values)
        state.pending.append((self, read))
        return read

    def fetch(self, limit: int | None) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` rows and the count of all (counted only when there are more)."""
        found = self.rows(limit)
        return found, (self.count(len(found)) if limit is not None and len(found) >= limit
                       else len(found))


def fetch_together(streams: list[Stream], limit: int | None
                   ) -> list[tuple[list[dict[str, Any]], int]]:
    """``Stream.fetch`` of each of ``streams`` (of the same columns), their rows read in one
    statement: each stream a subquery with its own index walk and limit, in a UNION ALL."""
    if limit is None or len(streams) < 2:
        return [stream.fetch(limit) for stream in streams]
    return [(rows, stream.count(len(rows)) if len(rows) >= limit else len(rows))
            for stream, rows in zip(streams, rows_together(streams, limit), strict=True)]


def rows_together(streams: list[Stream], limit: int | None) -> list[list[dict[str, Any]]]:
    """``Stream.rows(limit)`` of each of ``streams`` (of the same columns), read in one
    statement (a UNION ALL of their walks, each with its own order and limit)."""
    if limit is None or len(streams) < 2:
        return [stream.rows(limit) for stream in streams]
    got = union_rows(tuple(s.key for s in streams),
                     [_ordered(s.build, s.order, True) for s in streams],
                     [{**s.values, "limit": limit} for s in streams])
    found: list[list[dict[str, Any]]] = [[] for _ in streams]
    for row in got:
        found[row.pop("arm")].append(row)
    return found


@lru_cache(maxsize=512)
def _ordered(build: Callable[[], ModelSelect], order: Callable[[], tuple],
             limited: bool) -> Callable[[], ModelSelect]:
    """``build()`` in ``order``, the first rows up to slot ``limit`` when ``limited`` (one
    function per shape: every stream's ``build`` and ``order`` are made once; bounded all
    the same, should a caller make them per call)."""
    def ordered() -> ModelSelect:
        query = build().order_by(*order())
        return query.limit(slot("limit")) if limited else query

    return ordered


@lru_cache(maxsize=512)
def _walk(build: Callable[[], ModelSelect],
          order: Callable[[], tuple] | None = None) -> Callable[[], ModelSelect]:
    """``build()``'s rows as a walk to count (one function per shape), in ``order`` if
    given (``Stream.in_order``)."""
    if order is None:
        return lambda: build().select(SQL("1"))
    return lambda: build().select(SQL("1")).order_by(*order())


_BY_KEY = itemgetter(0)
_ID_SLOTS = tuple(f"id{k}" for k in range(512))


def by_ids(key: tuple, select: Callable[[], Any], ids: Iterable[int]
           ) -> dict[int, dict[str, Any]]:
    """The rows of ``select()`` (a model's columns, ``id`` among them) of the records
    ``ids``, by id: a statement per 512 ids (a board names at most 450 customers), of few
    SQL texts (8, 32, 128 or 512 slots, each written once per ``key``). How a walk that
    read only its index's keys gets the rows of the few items a board shows."""
    wanted = sorted(set(ids))
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 512):
        part = wanted[start:start + 512]
        size = next(n for n in (8, 32, 128, 512) if n >= len(part))
        part += [part[-1]] * (size - len(part))

        def build(size: int = size) -> ModelSelect:
            query = select()
            key_field: Any = query.model._meta.primary_key
            return query.where(key_field.in_([slot(n) for n in _ID_SLOTS[:size]]))

        for row in rows(key + ("by ids", size), build,
                        dict(zip(_ID_SLOTS[:size], part, strict=True))):
            out[row["id"]] = row
    return out


def top(found: list[Candidate], limit: int | None) -> list[Candidate]:
    """``found`` in sort-key order, the first ``limit`` (None: all)."""
    found.sort(key=_BY_KEY)
    return found if limit is None else found[:limit]


def fetch_all(streams: Iterable[Stream], limit: int | None, totals: dict[str, int],
              candidate: Callable[[dict[str, Any], Stream], Candidate]) -> list[Candidate]:
    """The first ``limit`` candidates of ``streams`` (one group's, of the same columns: read
    in one statement), ``candidate(row, stream)`` each, their counts added to ``totals``."""
    found: list[Candidate] = []
    streams = list(streams)
    for stream, (got, total) in zip(streams, fetch_together(streams, limit), strict=True):
        totals[stream.name] += total
        found += [candidate(row, stream) for row in got]
    return top(found, limit)


def by_day(ctx: Context, streams: Iterable[Stream], limit: int | None,
           totals: dict[str, int], day_field: str) -> list[Candidate]:
    """Candidates of streams that come due by date (``day_field``): the earliest first, the
    undated last."""
    today, found = ctx.today(), []
    streams = list(streams)
    for stream, (got, total) in zip(streams, fetch_together(streams, limit), strict=True):
        totals[stream.name] += total
        for row in got:  # inline: a board puts up to a few hundred rows here
            day = row[day_field]
            key = ((day - today).days if day else 1_000_000, day or _dt.date.max, row["id"])
            found.append((key, stream.name, row, None))
    return top(found, limit)


def archived_customers():
    """Ids of archived customers (few: a subquery the database evaluates once)."""
    c = m.Customer
    return c.select(c.id).where(c.archived == True)  # noqa: E712


def _owner_of(customer) -> Any:
    """The owner of ``customer`` (a column of the walked table), read per row walked: a
    scalar subquery, one seek by primary key (never NULL: the column is NOT NULL and the
    customer is there, a foreign key). Not a list of the PM's customers built by each
    statement (an IN: at 1M records a PM owns 16,000 customers, and every walk of "my view"
    built that list again), nor an EXISTS, which PostgreSQL runs as a hash of that list."""
    c = m.Customer.alias("duty")
    return c.select(c.owner).where(c.id == customer)


def duties(who: str | None) -> list[str | None]:
    """The owners whose records make ``who``'s view, each walked as a range of an
    owner-keyed index: ``who`` and nobody ("": an owner column is never NULL), disjoint, so
    their counts add; everyone's view: one walk, no owner (``[None]``)."""
    return [None] if who is None else list(dict.fromkeys((who, "")))


def on_duty(customer) -> Any:
    """``customer`` is one the user in slot ``who`` owns or nobody owns (the owner is never
    NULL): checked on the walked row's customer, so a walk costs what it reads, not the size
    of the user's share."""
    return Expression(_owner_of(customer), OP.IN, [slot("who"), ""])


def snoozed(kind: str):
    """Ids of ``kind`` records snoozed on Today past the day in slot ``today``."""
    s = m.Snooze
    return s.select(s.entity_id).where((s.entity == kind) & (s.until > slot("today", s.until)))


SHARES = ("own", "unowned", "others", "theirs")
"""The parts of the user's items, for walks keyed by owner: those they own, those nobody
owns, and those others own for the user's customers (the owner column is NOT NULL): walked
on the owner-keyed index checking each one's customer ("others"), or, when the user has
few customers, sought from those customers ("theirs": ``from_customers``)."""
FEW = 64
"""Up to this many customers in a view's part, its walks start from those customers
(``from_customers``); beyond, they walk the table's urgency index and check each record's
customer, which soon finds what a view of many customers shows, but passes every other
PM's records when the view holds a few (a PM of 5 customers: 28 ms a board at 100k
records, 0.4 s at 1M)."""


def customers_of(who: str) -> int:
    """How many active customers ``who`` owns, counted up to ``FEW`` + 1 (an index walk that
    stops there), once a board."""
    state = _COUNTING.get()
    found = state.customers.get(who) if state is not None else None
    if found is None:
        c = m.Customer
        found = len(rows(("customers-of",), lambda: c.select(c.id).where(
            (c.archived == False) & (c.owner == slot("who")))  # noqa: E712
            .limit(slot("limit")), {"who": who, "limit": FEW + 1}))
        if state is not None:
            state.customers[who] = found
    return found


def shares(who: str | None) -> tuple[str | None, ...]:
    """How the owner-keyed walks of ``who``'s view go (issues, expectations, risks due): one
    walk of everyone's (None), or one per share (``SHARES``): their own and nobody's, each a
    range of an index keyed by owner (schema 19), then others' records for ``who``'s
    customers when they have any: sought from each of them when few ("theirs"), else walked
    ("others"). One walk checking each record's owner passed every other PM's (a PM owning
    nothing: 0.4 s a board at 1M records, in the issues)."""
    if who is None:
        return (None,)
    owned = customers_of(who)
    found: tuple[str | None, ...] = SHARES[:2] + (
        () if not owned else ("theirs",) if owned <= FEW else ("others",))
    if who == "":  # nobody's view: its own records are nobody's, walked once
        found = tuple(share for share in found if share != "own")
    return found


def few_shares(who: str | None) -> tuple[str | None, ...]:
    """``shares`` of ``who``'s view for walks that find a PM's records soon in one walk when
    they have many customers (the new red and the shared risks: one walk, None, checking
    each record's owner and customer), one per share when they have few or none (one walk
    passed every other PM's records: a PM owning nothing, ~17 ms of a board at 1M
    records)."""
    if who is not None and customers_of(who) > FEW:
        return (None,)
    return shares(who)


def from_customers(query: ModelSelect, model: Any) -> ModelSelect:
    """``query`` of ``model`` (a table with a ``customer``) started from the active customers
    the user in slot ``who`` owns: a cross join from their index, each one's records sought
    on an index led by the customer (SQLite keeps a CROSS JOIN's order: the customers
    outside), not the table's urgency index walked."""
    c = m.Customer.alias("of_view")
    return query.from_(Join(c, model, JOIN.CROSS)).where(
        (model._meta.fields["customer"] == c.id) & (c.archived == False)  # noqa: E712
        & (c.owner == slot("who")))


def scoped(query, model, kind: str, mine: bool, *, owner=None, share: str | None = None):
    """``query`` without archived customers' and snoozed records; when ``mine``, only the
    items of the user in slot ``who`` (owned by them, by nobody, or for their customer), or
    only the ``share`` of them (``SHARES``). A table without an owner column (``owner``
    None) that stores its customer's owner (schema 23) gives the range of slot ``duty``
    (a stream per ``duties(who)``); one that does not checks each row's customer."""
    customer = model.customer
    query = query.where(not_in_query(customer, archived_customers())
                        & not_in_query(model.id, snoozed(kind)))
    if not mine:
        return query
    stored = model._meta.fields.get("account_owner")  # the customer's owner, kept (22, 23)
    if owner is None:
        return query.where(stored == slot("duty") if stored is not None else on_duty(customer))
    for_them = stored == slot("who") if stored is not None else \
        Expression(_owner_of(customer), OP.EQ, slot("who"))  # their customer's
    if share == "own":
        return query.where(owner == slot("who"))
    if share == "unowned":
        return query.where(owner == "")
    if share == "others":
        return query.where((owner != slot("who")) & (owner != "") & for_them)
    if share == "theirs":
        return from_customers(query.where((owner != slot("who")) & (owner != "")), model)
    return query.where((owner == slot("who")) | (owner == "") | owner.is_null() | for_them)


def values(ctx: Context, who: str | None, **more: Any) -> dict[str, Any]:
    """The slot values every stream has (``today``, ``who``) and ``more``."""
    return {"today": ctx.today(), "who": who, **more}
