"""The attention list as it was computed before Today moved into the database: the reference
``tests/test_attention_sql.py`` holds the new ``relboard.services.attention`` to.

It reads every candidate row and works SLA clocks, cadences and due dates out in Python, one
row at a time (correct, and slow at scale). The wording helpers are the service's own.
"""

from __future__ import annotations

import datetime as _dt

from peewee import fn

from relboard import models as m
from relboard.services.attention import (
    AttentionItem,
    _age_text,
    _first_line,
    _local,
    _overdue,
    due_text,
)
from relboard.services.context import Context
from relboard.services.issues import OPEN_STATUSES as OPEN_ISSUES
from relboard.services.issues import sla_of
from relboard.services.sla import BREACHED, NEAR

GROUPS: tuple[tuple[str, str], ...] = (
    ("sla", "SLA breaches and near-breaches"),
    ("unacknowledged", "New issues not acknowledged"),
    ("follow_up", "Follow-ups due"),
    ("contact", "Overdue for contact"),
    ("expectation", "Expectations due soon or at risk"),
    ("renewal", "Renewals ahead"),
)
DUE_STATUSES = ("proposed", "agreed", "renegotiated")


def _owned(who: str, item_owner=None):
    """Items ``who`` is on duty for: their customers, their own items, and unowned ones.

    With ``item_owner`` (an issue's or expectation's owner): owned by ``who``, or by nobody,
    or for a customer ``who`` owns. Without: a customer ``who`` owns, or one nobody owns.
    """
    c = m.Customer
    mine = (c.owner == who) | (c.owner == "") | c.owner.is_null()
    if item_owner is None:
        return mine
    return (item_owner == who) | (c.owner == who) | (item_owner == "") | item_owner.is_null()


def _scope(query, who: str | None, item_owner=None):
    """``query`` narrowed to ``who``'s items (see ``_owned``); everything when ``who`` is None."""
    return query if who is None else query.where(_owned(who, item_owner))


def _issues(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    i, c = m.Issue, m.Customer
    rows = _scope(
        i.select(i.id, i.title, i.severity, i.status, i.raised_at, i.first_response_at,
                 i.resolved_at, i.paused_seconds, i.waiting_since, i.version, i.customer,
                 i.owner, c.name.alias("customer_name"))
        .join(c, on=(i.customer == c.id))
        .where(i.status.in_(OPEN_ISSUES) & (c.archived == False)  # noqa: E712
               & (i.snoozed_until.is_null() | (i.snoozed_until <= today))
               & _sla_candidates(ctx)), who, i.owner).dicts()
    items = []
    for row in rows:
        sla = sla_of(ctx, row)
        severity = m.SEVERITIES[row["severity"] - 1]
        owner = f"; owner {row['owner']}" if row["owner"] else "; no owner"
        if sla.state in (BREACHED, NEAR):
            group, urgency = "sla", sla.urgent_clock.remaining_hours
            reason = f"{severity}: {sla.describe()}{owner}"
        elif row["status"] == "new":
            age = ctx.now() - row["raised_at"]
            group, urgency = "unacknowledged", -age.total_seconds()
            reason = f"{severity}, raised {_age_text(age)} ago, not acknowledged"
        else:
            continue
        items.append(AttentionItem(group, "issue", row["id"], row["customer"],
                                   row["customer_name"], row["title"], reason, urgency,
                                   row["version"]))
    return items


def _sla_candidates(ctx: Context):
    """Issues that can be new, near or past a target: the rest need no clock maths.

    A clock's elapsed time is at most ``now - raised_at`` (pauses only subtract), so an issue
    raised after ``now - near x target`` cannot be near breach yet.
    """
    i, now, near = m.Issue, ctx.now(), ctx.sla.near_breach
    cond = i.status == "new"
    for rank, name in enumerate(m.SEVERITIES, start=1):
        target = ctx.sla.target(name)
        respond_by = now - _dt.timedelta(hours=target.first_response_hours * near)
        resolve_by = now - _dt.timedelta(hours=target.resolution_hours * near)
        cond |= (i.severity == rank) & (
            (i.raised_at <= resolve_by)
            | (i.first_response_at.is_null() & (i.raised_at <= respond_by)))
    return cond




def _follow_ups(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    i, c = m.Interaction, m.Customer
    horizon = today + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    rows = _scope(
        i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version, i.customer,
                 c.name.alias("customer_name"))
        .join(c, on=(i.customer == c.id))
        .where(i.follow_up_done_at.is_null() & (i.follow_up_on <= horizon)
               & (c.archived == False)), who).dicts()  # noqa: E712
    return [
        AttentionItem("follow_up", "interaction", r["id"], r["customer"], r["customer_name"],
                      _first_line(r["summary"]),
                      f"follow-up {due_text(r['follow_up_on'], today)} "
                      f"(from the touchpoint of {ctx.local(r['occurred_at']):%Y-%m-%d})",
                      (r["follow_up_on"] - today).days, r["version"])
        for r in rows
    ]






def _steps(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    """Open playbook steps due by the follow-ups' horizon, in "Follow-ups due"."""
    s, r, c = m.PlaybookStep, m.PlaybookRun, m.Customer
    horizon = today + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    rows = _scope(
        s.select(s.id, s.do, s.due_on, s.version, s.customer, r.name.alias("playbook"),
                 c.name.alias("customer_name"))
        .join(r, on=(s.run == r.id)).switch(s).join(c, on=(s.customer == c.id))
        .where(s.done_at.is_null() & (s.due_on <= horizon)
               & (c.archived == False)), who).dicts()  # noqa: E712
    return [
        AttentionItem("follow_up", "step", r["id"], r["customer"], r["customer_name"],
                      _first_line(r["do"]),
                      f"playbook step {due_text(r['due_on'], today)} ({r['playbook']})",
                      (r["due_on"] - today).days, r["version"])
        for r in rows
    ]


def _contacts(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    c, i = m.Customer, m.Interaction
    last = (i.select(fn.MAX(i.occurred_at))
            .where((i.customer == c.id) & (i.internal == False)))  # noqa: E712
    rows = _scope(c.select(c.id, c.name, c.cadence_days, c.owner, c.version, last.alias("last"))
                  .where(c.archived == False), who).tuples()  # noqa: E712
    items = []
    for cid, name, cadence, _owner, version, last_at in rows:
        cadence = cadence or ctx.cadence_days
        overdue, reason, by = _overdue(_local(ctx, last_at), cadence, today)
        if overdue:
            items.append(AttentionItem("contact", "customer", cid, cid, name, name, reason,
                                       -by, version))
    if ctx.attention.stakeholder_cadence:
        items.extend(_stakeholders(ctx, today, who))
    return items




def _stakeholders(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    k, c, i, ic = m.Contact, m.Customer, m.Interaction, m.InteractionContact
    last = (ic.select(fn.MAX(i.occurred_at)).join(i, on=(ic.interaction == i.id))
            .where((ic.contact == k.id) & (i.internal == False)))  # noqa: E712
    rows = _scope(k.select(k.id, k.name, k.role, k.cadence_days, k.version, k.customer,
                           c.name.alias("customer_name"), last.alias("last"))
                  .join(c, on=(k.customer == c.id))
                  .where(k.cadence_days.is_null(False) & (k.archived == False)  # noqa: E712
                         & (c.archived == False)), who).dicts()  # noqa: E712
    items = []
    for r in rows:
        overdue, reason, by = _overdue(_local(ctx, r["last"]), r["cadence_days"], today)
        if overdue:
            title = f"{r['name']} ({r['role']})" if r["role"] else r["name"]
            items.append(AttentionItem("contact", "contact", r["id"], r["customer"],
                                       r["customer_name"], title,
                                       "stakeholder: " + reason.replace("cadence", "own cadence"),
                                       -by, r["version"]))
    return items


def _expectations(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    e, c = m.Expectation, m.Customer
    horizon = today + _dt.timedelta(days=ctx.attention.expectations_due_days)
    rows = _scope(
        e.select(e.id, e.statement, e.status, e.current_due, e.version, e.customer,
                 c.name.alias("customer_name"))
        .join(c, on=(e.customer == c.id))
        .where((((e.status.in_(DUE_STATUSES)) & (e.current_due <= horizon))
                | (e.status == "at_risk")) & (c.archived == False)),  # noqa: E712
        who, e.owner).dicts()
    items = []
    for r in rows:
        due = due_text(r["current_due"], today)
        reason = f"at risk; {due}" if r["status"] == "at_risk" else f"{r['status']}; {due}"
        items.append(AttentionItem("expectation", "expectation", r["id"], r["customer"],
                                   r["customer_name"], _first_line(r["statement"]), reason,
                                   (r["current_due"] - today).days, r["version"]))
    return items


def _bands(today: _dt.date) -> dict[int, str]:
    """Each customer's band of its latest snapshot on or before ``today`` (every row read)."""
    s, latest = m.HealthSnapshot, {}
    for cid, day, band in s.select(s.customer, s.day, s.band).tuples():
        if day <= today and (cid not in latest or day > latest[cid][0]):
            latest[cid] = (day, band)
    return {cid: band for cid, (_, band) in latest.items()}


def _renewals(ctx: Context, today: _dt.date, who: str | None = None) -> list[AttentionItem]:
    """Customers whose renewal date is by the horizon (passed ones too), and live projects
    not closed ending from today to the horizon; red customers first, then by date."""
    from relboard.services.today.renewals import band_words, urgency, when_text

    c, p = m.Customer, m.Project
    horizon = today + _dt.timedelta(days=ctx.attention.renewal_days)
    bands = _bands(today)
    items = []
    for r in _scope(c.select(c.id, c.name, c.renews_on, c.version).where(
            c.archived == False), who).dicts():  # noqa: E712
        day = r["renews_on"]
        if day is None or day > horizon:
            continue
        band = bands.get(r["id"])
        health = band_words(band)
        items.append(AttentionItem("renewal", "renewal", r["id"], r["id"], r["name"],
                                   f"Renewal ({health})",
                                   f"{when_text(day, today)}; {health}",
                                   urgency(band == "red", day, today), r["version"]))
    for r in _scope(p.select(p.id, p.name, p.end_date, p.phase, p.version, p.customer,
                             c.name.alias("customer_name"))
                    .join(c, on=(p.customer == c.id))
                    .where((p.archived == False) & (c.archived == False)), who).dicts():  # noqa: E712
        day = r["end_date"]
        if day is None or not today <= day <= horizon or r["phase"] == "closed":
            continue
        band = bands.get(r["customer"])
        health = band_words(band)
        items.append(AttentionItem("renewal", "project", r["id"], r["customer"],
                                   r["customer_name"], f"Project {r['name']} ends ({health})",
                                   f"{when_text(day, today, 'ends')}; {health}",
                                   urgency(band == "red", day, today), r["version"]))
    return items


def _snoozed(today: _dt.date) -> set[tuple[str, int]]:
    s = m.Snooze
    return set(s.select(s.entity, s.entity_id).where(s.until > today).tuples())


def attention(ctx: Context, who: str | None = None) -> list[AttentionItem]:
    """Everything that needs attention today, grouped in GROUPS order, most urgent first.

    ``who`` scopes it to one PM ("my view"): their customers, the issues and expectations they
    own, and whatever nobody owns (someone on duty must see it); None: everyone's.
    """
    today = ctx.today()
    items = (_issues(ctx, today, who) + _follow_ups(ctx, today, who)
             + _steps(ctx, today, who) + _contacts(ctx, today, who)
             + _expectations(ctx, today, who) + _renewals(ctx, today, who))
    snoozed = _snoozed(today)
    if snoozed:
        items = [it for it in items if (it.kind, it.record_id) not in snoozed]
    order = {g: n for n, (g, _) in enumerate(GROUPS)}
    items.sort(key=lambda it: (order[it.group], it.urgency, it.customer.lower(), it.record_id))
    return items


def counts(items: list[AttentionItem]) -> dict[str, int]:
    """Items per group, in GROUPS order (groups with none included as 0)."""
    out = {g: 0 for g, _ in GROUPS}
    for item in items:
        out[item.group] += 1
    return out
