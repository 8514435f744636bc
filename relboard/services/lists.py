"""Keyset-paged list queries behind every list screen.

A page is fetched by ``(sort key) > (last key seen)`` on an index that matches the ORDER BY, so
page 100 of 20,000 issues costs what page 1 does and nothing is sorted in a temporary B-tree.
Rows are plain dicts; ``Page.after`` is the cursor for the next page (None at the end).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import JOIN, Expression, Field, Tuple, fn

from relboard import models as m
from relboard.db import dialect
from relboard.domain import OPEN_ISSUE_STATUSES, severity_name, severity_rank
from relboard.services import customer_order, prepared, rules, sla_grid, tags
from relboard.services.context import Context
from relboard.services.issues import local_deadline, sla_of
from relboard.services.page import Back, Page
from relboard.services.prepared_union import union_rows
from relboard.services.scope import owned
from relboard.services.sla_order import sla_window
from relboard.services.spec import parse_stored

PAGE = 200


def _window(query: prepared.Shaped | list[prepared.Shaped], keys: Sequence[Field],
            names: Sequence[str], desc: bool, after: tuple | None, limit: int,
            nullable: bool = False) -> Page:
    """Apply keyset paging on ``keys`` (all ascending or all descending) to ``query``; its
    SQL is written once per shape (``prepared.Shaped``), the cursor and limit are bound.
    A ``Back`` cursor reads the window before it (the last window when empty) by walking
    the same index the other way. A list of queries (``_looked_up``'s arms, disjoint) is
    paged as their union: each one's window, read in one statement, merged. ``nullable``:
    the first key may be NULL (the database's place for NULL: first on SQLite, last on
    PostgreSQL), which no comparison with a cursor passes: the rows with it and those
    without are then windows of their own (``_parts``)."""
    if isinstance(after, Back):
        page = _window(query, keys, names, not desc, tuple(after) or None, limit, nullable)
        return Page(page.rows[::-1], Back(page.after) if page.after is not None else None)
    arms = query if isinstance(query, list) else [query]
    values = {f"after{n}": v for n, v in enumerate(after or ())}
    if nullable:
        arms = [part for arm in arms for part in _parts(arm, keys, desc, after)]
    else:
        arms = [_keyset(arm, keys, desc, after is not None) for arm in arms]
    arms = [arm.also("limit", lambda q: q.limit(prepared.slot("limit")), limit=limit + 1,
                     **values) for arm in arms]
    if len(arms) == 1:
        rows = arms[0].rows()
    else:
        rows = union_rows(tuple(arm.key for arm in arms), [arm.build for arm in arms],
                          [arm.values for arm in arms])
        for row in rows:
            del row["arm"]
        rows.sort(key=_in_order(names), reverse=desc)
        rows = rows[:limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = tuple(rows[-1][n] for n in names) if more and rows else None
    return Page(rows, cursor)


def _keyset(query: prepared.Shaped, keys: Sequence[Field], desc: bool, beyond: bool,
            first_slot: int = 0) -> prepared.Shaped:
    """``query`` in the order of ``keys``, past the cursor in slots ``after<first_slot>``...
    when ``beyond``."""
    def window(q: Any) -> Any:
        if beyond:
            marks = Tuple(*(prepared.slot(f"after{first_slot + n}") for n in range(len(keys))))
            q = q.where(Tuple(*keys) < marks if desc else Tuple(*keys) > marks)
        return q.order_by(*(k.desc() if desc else k for k in keys))

    return query.also(("window", tuple(k.name for k in keys), desc, beyond, first_slot),
                      window)


def _parts(query: prepared.Shaped, keys: Sequence[Field], desc: bool, after: tuple | None
           ) -> list[prepared.Shaped]:
    """The windows of ``query`` past ``after`` when its first key may be NULL: the rows
    with a value (ordered by ``keys``) and those without (by the other keys), each where it
    can still come. In this direction the NULLs come after the values on PostgreSQL
    ascending and SQLite descending, before them otherwise."""
    first, rest = keys[0], keys[1:]
    nulls_after = (dialect(m.database_proxy.obj) == "postgresql") != desc
    valued = query.also("valued", lambda q: q.where(first.is_null(False)))
    empty = query.also("empty", lambda q: q.where(first.is_null()))
    if after is None:
        return [_keyset(valued, keys, desc, False), _keyset(empty, rest, desc, False)]
    if after[0] is None:  # the cursor among the NULLs: past it there, and the values after
        parts = [_keyset(empty, rest, desc, True, first_slot=1)]
        return parts if nulls_after else parts + [_keyset(valued, keys, desc, False)]
    parts = [_keyset(valued, keys, desc, True)]  # the cursor among the values
    return parts + [_keyset(empty, rest, desc, False)] if nulls_after else parts


def _in_order(names: Sequence[str]) -> Any:
    """A sort key putting rows in the database's ascending order of ``names``: NULL first
    on SQLite, last on PostgreSQL; on SQLite a moment or a date as the text it is stored as
    (a stored value no date reader took stays that text, and still sorts among them)."""
    nulls_last = dialect(m.database_proxy.obj) == "postgresql"

    def stored(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value.isoformat(" ")
        return value.isoformat() if isinstance(value, _dt.date) else value

    def key(row: dict[str, Any]) -> tuple:
        if nulls_last:
            return tuple((1,) if row[n] is None else (0, row[n]) for n in names)
        return tuple((0,) if row[n] is None else (1, stored(row[n])) for n in names)
    return key


def _scan(field: Field) -> Expression:
    """``field`` made unusable for index lookups, so the planner walks the sort index instead.

    A multi-value IN on an indexed column would make SQLite fetch by that index and then sort
    in a temporary B-tree; filtering while walking the ORDER BY index keeps pages cheap.
    """
    return field.concat("")


def _words(count: int, *fields: Field) -> Expression | None:
    """Rows where each word (in slots ``word0``, ``word1``...) is in one of ``fields``, case
    ignored."""
    out: Expression | None = None
    for n in range(count):
        part: Expression | None = None
        for f in fields:
            hit = prepared.contains(fn.COALESCE(f, ""), f"word{n}")
            part = hit if part is None else part | hit
        out = part if out is None else out & part
    return out


def _looked_up(query: prepared.Shaped, kind: str, words: Sequence[str],
               owner_index: bool = False) -> list[prepared.Shaped] | None:
    """``word_lookup.narrowed``: ``query`` as it is without words, else narrowed to what
    the words' lookups allow (None: nothing can match)."""
    if not words:
        return [query]
    from relboard.services import word_lookup  # a filter typed: not on the board's start

    return word_lookup.narrowed(query, kind, words, owner_index)


def _slots(name: str, values: Sequence[Any]) -> dict[str, Any]:
    """``values`` for slots ``name0``, ``name1``..."""
    return {f"{name}{n}": v for n, v in enumerate(values)}


def _in_slots(node: Any, name: str, count: int) -> Expression | None:
    """``node`` is one of the ``count`` values in slots ``name0``...; None when none."""
    return node.in_([prepared.slot(f"{name}{n}") for n in range(count)]) if count else None


def _and(*parts: Expression | None) -> Expression | None:
    out = None
    for part in parts:
        if part is not None:
            out = part if out is None else out & part
    return out


ISSUE_SORTS = {
    "severity": (("severity", "raised_at", "id"), False),
    "sla": ((), False),  # SLA time left, soonest first: services.sla_order
    "oldest": (("raised_at", "id"), False),
    "newest": (("raised_at", "id"), True),
}


def issues_page(ctx: Context, *, status: Iterable[str] = (), owner: str | None = None,
                severity: Iterable[str] = (), customer_id: int | None = None,
                customer_search: str | None = None, search: str | None = None,
                sort: str = "severity",
                sla: Iterable[str] = (), who: str | None = None, active_only: bool = False,
                tag: Iterable[str] = (), after: tuple | None = None, limit: int = PAGE) -> Page:
    """The issue queue: filters, a sort from ISSUE_SORTS, SLA state added to each row.

    ``search``: words the title, the customer's name or the owner contain (what the queue
    shows; ``customer_search`` is a saved queue's customer filter). ``sla`` keeps issues whose
    SLA state (``sla.OK``, ``NEAR``, ``BREACHED``, ``PAUSED``...) is one of those given: the
    state depends on the clock, not on a column, so windows of the sorted query are read and
    filtered until ``limit`` rows match (the cursor is the last row read, so the next page goes
    on from there). ``who``: Today's "my view" rule;
    ``active_only``: leave out archived customers' issues (as the portfolio figures do).
    ``tag`` (a saved queue's) and the ``#name`` or ``tag:name`` words of ``search``: issues
    carrying each tag, themselves or through their customer (``tags.tagged``).
    """
    i, c = m.Issue, m.Customer
    ctx = ctx.pinned()  # one "now" for every row's SLA clocks and age
    names, desc = ISSUE_SORTS[sort]
    status = list(status or ())
    ranks = [severity_rank(s) for s in severity or ()]
    words, tagged = tags.split_search(search)
    tagged = list(dict.fromkeys([*(t.lower() for t in tag), *tagged]))
    owner = ctx.user if owner == "me" else owner
    by_owner = owner is not None and sort == "severity" and customer_id is None
    by_customer = customer_id is not None and sort == "severity"
    slot = prepared.slot

    def build() -> Any:
        where = _and(
            _in_slots(_scan(i.status), "status", len(status)),
            (i.owner if by_owner else _scan(i.owner)) == slot("owner")
            if owner is not None else None,
            _in_slots(i.severity + 0, "rank", len(ranks)),
            (i.customer if by_customer else i.customer + 0) == slot("customer")
            if customer_id is not None else None,
            prepared.contains(c.name, "customer_search") if customer_search else None,
            _words(len(words), i.title, c.name, i.owner),
            owned(slot("who"), i.owner) if who is not None else None,
            (c.archived == False) if active_only else None,  # noqa: E712
            tags.tagged("issue", i.id, len(tagged), i.customer),
        )
        query = (i.select(i.id, i.title, i.severity, i.status, i.owner, i.raised_at,
                          i.first_response_at, i.resolved_at, i.paused_seconds,
                          i.waiting_since, i.snoozed_until, i.version, i.customer,
                          c.name.alias("customer_name"), i.clock_at, i.clock_frozen)
                 .join(c, on=(i.customer == c.id)))
        return query if where is None else query.where(where)

    shape = ("issues", len(status), owner is not None, by_owner, len(ranks),
             customer_id is not None, by_customer, bool(customer_search), len(words),
             who is not None, active_only, len(tagged))
    query = prepared.Shaped(shape, build, {
        **_slots("status", status), "owner": owner, **_slots("rank", ranks),
        "customer": customer_id, "customer_search": customer_search,
        **_slots("word", words), "who": who, **tags.slots(tagged)})
    arms = _looked_up(query, "issues", words, owner_index=sort == "severity")
    if arms is None:
        return Page([], None)
    keys = [getattr(i, n) for n in names]
    states = set(sla or ())
    if states:  # only the issues whose stored clocks may be in one of them (sla_grid)
        key, narrow, values = sla_grid.state_filter(ctx, states)
        arms = [arm.also(key, narrow, **values) for arm in arms]
    rows: list[dict[str, Any]] = []
    while True:
        page = (Page(*sla_window(ctx, arms[0], after, limit)) if sort == "sla"
                else _window(arms, keys, names, desc, after, limit))
        issue_facts(ctx, page.rows)
        rows += [r for r in page.rows if not states or r["sla"].state in states]
        after = page.after
        if not states or after is None or len(rows) >= limit:
            break
    return Page(rows, after)


def issue_facts(ctx: Context, rows: list[dict[str, Any]]) -> None:
    """What the queue shows of each issue row beyond its columns, added to it: the SLA state
    (``sla``), ``age_hours`` and ``snoozed``; the stored severity rank becomes its name."""
    now, today = ctx.now(), ctx.today()
    for row in rows:
        row["sla"] = sla_of(ctx, row)
        row["sla_by"] = local_deadline(ctx, row["sla"].urgent_clock)  # working hours only
        row["age_hours"] = (now - row["raised_at"]).total_seconds() / 3600
        row["snoozed"] = row["snoozed_until"] is not None and row["snoozed_until"] > today
        row["severity"] = severity_name(row["severity"])


def customers_page(ctx: Context, *, search: str | None = None,
                   include_archived: bool = False, sort: str = "name",
                   after: tuple | None = None, limit: int = PAGE) -> Page:
    """Customers by name (``sort`` "owner": owner, then name; "tier", "contact",
    "overdue" and "renewal": ``services.customer_order``) with last contact against cadence, open
    issues and expectations at risk; ``search``: words the name, owner, tier or industry
    contain, and it carries each of its ``#name`` words as a tag.

    ``include_archived``: the archived customers too, listed after the active ones (each part
    in the sort's order, on its own walk of the ``customer(archived, ...)`` index, so no
    page is sorted); the cursor then starts with the part (0 active, 1 archived)."""
    if not include_archived:
        return _customers_part(ctx, False, search, sort, after, limit)
    part, inner = (after[0], after[1:] or None) if after else (0, None)
    rows: list[dict[str, Any]] = []
    while part < 2:
        page = _customers_part(ctx, bool(part), search, sort, inner, limit - len(rows))
        rows += page.rows
        if page.after is not None:
            return Page(rows, (part, *page.after))
        part, inner = part + 1, None
        if len(rows) >= limit:
            return Page(rows, (part,) if part < 2 else None)
    return Page(rows, None)


def _customers_part(ctx: Context, archived: bool, search: str | None, sort: str,
                    after: tuple | None, limit: int) -> Page:
    """One window of the active (or the archived) customers, as ``customers_page`` says."""
    c, s, e = m.Customer, m.Issue, m.Expectation
    ctx = ctx.pinned()
    words, tagged = tags.split_search(search)

    def build() -> Any:
        open_issues = s.select(fn.COUNT(s.id)).where(
            (s.customer == c.id) & s.status.in_(OPEN_ISSUE_STATUSES))
        at_risk = e.select(fn.COUNT(e.id)).where((e.customer == c.id)
                                                 & (e.status == "at_risk"))
        query = c.select(c.id, c.name, c.owner, c.tier, c.industry, c.cadence_days,
                         c.version, c.archived, c.last_contact_at.alias("last_contact"),
                         c.renews_on,
                         open_issues.alias("open_issues"), at_risk.alias("at_risk")
                         ).where(c.archived == archived)
        if words:
            query = query.where(_words(len(words), c.name, c.owner, c.tier, c.industry))
        if tagged:
            query = query.where(tags.tagged("customer", c.id, len(tagged)))
        return query

    query = prepared.Shaped(("customers", archived, len(words), len(tagged)), build,
                            {**_slots("word", words), **tags.slots(tagged)})
    if sort == "contact":
        page = customer_order.by_contact(query, after, limit, _window)
    elif sort == "tier":
        page = customer_order.by_tier(query, after, limit, _window)
    elif sort == "overdue":
        page = customer_order.by_overdue(ctx, query, after, limit, _window)
    elif sort == "renewal":
        page = customer_order.by_renewal(query, after, limit, _window)
    else:
        names = ["owner", "name", "id"] if sort == "owner" else ["name", "id"]
        page = _window(query, [getattr(c, n) for n in names], names, False, after, limit)
    customer_facts(ctx, page.rows)
    return page


def customer_facts(ctx: Context, rows: list[dict[str, Any]]) -> None:
    """What the customer list shows of each row beyond its columns, added to it: the last
    contact as a moment, the ``cadence`` in force, ``days_since_contact`` and ``overdue``."""
    for row in rows:
        row["last_contact"] = parse_stored(row["last_contact"])
        row["cadence"] = rules.cadence(row["cadence_days"], ctx)
        row["days_since_contact"] = days = rules.days_since(ctx, row["last_contact"])
        row["overdue"] = rules.overdue(days, row["cadence"])


def expectations_page(ctx: Context, *, status: Iterable[str] = (),
                      customer_id: int | None = None, due_within: int | None = None,
                      search: str | None = None, after: tuple | None = None,
                      limit: int = PAGE) -> Page:
    """The expectation register by current due date (then id); ``search``: words the
    statement, the customer's name, the owner or the category contain; its ``#name`` words:
    tags the expectation or its customer carries."""
    e, c = m.Expectation, m.Customer
    status = list(status or ())
    words, tagged = tags.split_search(search)

    def build() -> Any:
        where = _and(
            _in_slots(_scan(e.status), "status", len(status)),
            e.customer == prepared.slot("customer") if customer_id is not None else None,
            e.current_due <= prepared.slot("due_by", e.current_due)
            if due_within is not None else None,
            _words(len(words), e.statement, c.name, e.owner, e.category),
            tags.tagged("expectation", e.id, len(tagged), e.customer),
        )
        query = (e.select(e.id, e.statement, e.category, e.owner, e.status, e.baseline_due,
                          e.current_due, e.version, e.customer, c.name.alias("customer_name"))
                 .join(c, on=(e.customer == c.id)))
        return query if where is None else query.where(where)

    shape = ("expectations", len(status), customer_id is not None, due_within is not None,
             len(words), len(tagged))
    query = prepared.Shaped(shape, build, {
        **_slots("status", status), "customer": customer_id, **_slots("word", words),
        **tags.slots(tagged),
        "due_by": ctx.today() + _dt.timedelta(days=due_within) if due_within is not None
        else None})
    arms = _looked_up(query, "expectations", words, owner_index=True)
    if arms is None:
        return Page([], None)
    return _window(arms, [e.current_due, e.id], ["current_due", "id"], False, after, limit,
                   nullable=True)


def touchpoints_page(customer_id: int, *, include_internal: bool = True,
                     after: tuple | None = None, limit: int = PAGE) -> Page:
    """A customer's communication timeline, newest first."""
    i, p = m.Interaction, m.Project

    def build() -> Any:
        query = (i.select(i.id, i.occurred_at, i.channel, i.summary, i.sentiment,
                          i.follow_up_on, i.follow_up_done_at, i.internal, i.version,
                          p.name.alias("project_name"))
                 .join(p, JOIN.LEFT_OUTER, on=(i.project == p.id))
                 .where(i.customer == prepared.slot("customer")))
        return query if include_internal else query.where(i.internal == False)  # noqa: E712

    query = prepared.Shaped(("touchpoints", include_internal), build, {"customer": customer_id})
    return _window(query, [i.occurred_at, i.id], ["occurred_at", "id"], True, after, limit)


def activity_page(*, entity: str | None = None, entity_id: int | None = None,
                  after: tuple | None = None, limit: int = PAGE) -> Page:
    """The audit log, newest first; optionally of one record."""
    a = m.Activity

    def build() -> Any:
        query = a.select(a.id, a.at, a.user, a.entity, a.entity_id, a.action, a.field, a.old,
                         a.new)
        if entity is None:
            return query
        return query.where((a.entity == prepared.slot("entity"))
                           & (a.entity_id == prepared.slot("entity_id")))

    query = prepared.Shaped(("activity", entity is not None), build,
                            {"entity": entity, "entity_id": entity_id})
    return _window(query, [a.at, a.id], ["at", "id"], True, after, limit)
