"""Today's attention list: what needs the PM now, each item with a plain-language reason.

Groups, most urgent first: SLA breaches and near-breaches, new issues not yet acknowledged,
follow-ups due, customers and stakeholders overdue for contact, expectations due soon or at
risk. Archived customers and snoozed issues are left out; an issue shows once, in its most
urgent group. Within a group: most urgent first, then the earlier clock (issues, contacts),
then the record's id.

``board`` asks the database for the first ``per_group`` items of each group and the count of
the rest (``attention_sql``: every group is a few index walks in urgency order); only the
items shown are worked out here, in Python.
"""

from __future__ import annotations

import datetime as _dt
from operator import itemgetter
from typing import Any, Iterable

from relboard import models as m
from relboard.clock import to_local
from relboard.services import attention_contacts as qc
from relboard.services import attention_dates as qd
from relboard.services import attention_health as qh
from relboard.services import attention_sql as q
from relboard.services import prepared
from relboard.services.context import Context
from relboard.services.issues import sla_of
from relboard.services.sla import BREACHED, NEAR
from relboard.services.spec import parse_stored  # SQLite aggregates come back as text
from relboard.services.wording import ago_text, days_text, due_text  # noqa: F401 - re-exported
from relboard.services.attention_items import (  # noqa: F401 - re-exported
    AFFECTS, ALL_GROUPS, GROUP_TITLES, GROUPS, PER_GROUP, AttentionItem, Board, groups_for, merged)

DUE_STATUSES = qd.DUE_STATUSES


def _age_text(age: _dt.timedelta) -> str:
    hours = age.total_seconds() / 3600
    if hours < 1:
        return f"{max(0, int(hours * 60))}m"
    return f"{int(hours)}h" if hours < 48 else days_text(int(hours // 24))


def _first_line(text: str, width: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _overdue_by(last: _dt.datetime | None, cadence: int, today: _dt.date) -> int:
    """How many days a last contact (local time) is past ``cadence`` days (never: 10,000)."""
    return 10_000 if last is None else (today - last.date()).days - cadence


def _overdue(last: _dt.datetime | None, cadence: int, today: _dt.date) -> tuple[bool, str, int]:
    """Whether a last contact (local time) is past ``cadence`` days, the reason, and by how much."""
    by = _overdue_by(last, cadence, today)
    return last is None or by > 0, _overdue_reason(last, cadence, today), by


def _overdue_reason(last: _dt.datetime | None, cadence: int, today: _dt.date) -> str:
    """Why a contact is overdue, in words (for the items shown only)."""
    if last is None:
        return f"no touchpoint logged yet; cadence {cadence}"
    return f"last contact {ago_text((today - last.date()).days)}; cadence {cadence}"


def _local(ctx: Context, stored: object) -> _dt.datetime | None:
    """A stored moment (or an aggregate's text) as the user's local time."""
    moment = parse_stored(stored)
    return None if moment is None else ctx.local(moment)


Candidate = tuple[tuple, str, dict[str, Any], Any]
"""(sort key, group, row, extra) for an item whose customer name is not read yet."""


_BY_KEY = itemgetter(0)
_ID_SLOTS = tuple(f"id{k}" for k in range(128))


def _top(found: list[Candidate], limit: int | None) -> list[Candidate]:
    found.sort(key=_BY_KEY)
    return found if limit is None else found[:limit]


def _issue_candidates(ctx: Context, who: str | None, limit: int | None,
                      totals: dict[str, int]) -> list[Candidate]:
    sla, new = [], []
    streams = q.sla_streams(ctx, who) + q.unacknowledged_streams(ctx, who)
    for stream, (rows, total) in zip(streams, q.fetch_together(streams, limit)):
        group = stream.name
        totals[group] += total
        (sla if group == "sla" else new).extend(_issue(ctx, row, group, stream.info)
                                                for row in rows)
    for row in q.odd_new_issues(ctx, who):  # status new though answered: worked out here
        group = "sla" if sla_of(ctx, row).state in (BREACHED, NEAR) else "unacknowledged"
        totals[group] += 1
        (sla if group == "sla" else new).append(_issue(ctx, row, group, None))
    return _top(sla, limit) + _top(new, limit)


def _issue(ctx: Context, row: dict[str, Any], group: str, target: float | None) -> Candidate:
    """Ordered by hours left on the deciding clock: from the stored clock when the stream
    knows its target (``target`` hours), else (odd rows) from the SLA state itself."""
    if group == "sla":
        now = ctx.now()
        if target is None:
            left = sla_of(ctx, row).urgent_clock.remaining_hours
        elif row["clock_frozen"] is not None:
            left = target - row["clock_frozen"] / 3600
        else:
            left = target - max(0.0, (now - row["clock_at"]).total_seconds() / 3600)
        return (left, row["clock_at"] or now, row["id"]), group, row, None
    return (-(ctx.now() - row["raised_at"]).total_seconds(), row["raised_at"], row["id"]), \
        group, row, None


def _contact_candidates(ctx: Context, who: str | None, limit: int | None,
                        totals: dict[str, int]) -> list[Candidate]:
    today, found = ctx.today(), []
    streams = qc.customer_streams(ctx, who)
    if ctx.attention.stakeholder_cadence:
        streams += qc.stakeholder_streams(ctx, who)
    zone = ctx.zone
    for stream in streams:
        rows, total = stream.fetch(limit)
        totals["contact"] += total
        cadence = stream.info
        for row in rows:  # days overdue from the local date only (the words: items shown)
            stored = row["last_contact_at"]
            if stored is None:
                by = 10_000
            elif isinstance(stored, _dt.datetime):
                by = (today - to_local(stored, zone).date()).days - cadence
            else:
                by = _overdue_by(_local(ctx, stored), cadence, today)
            found.append(((-by, stored or _dt.datetime.min, row["id"]), "contact", row, cadence))
    return _top(found, limit)


def _simple_candidates(ctx: Context, streams: Iterable[q.Stream], limit: int | None,
                       totals: dict[str, int], day_field: str) -> list[Candidate]:
    today, found = ctx.today(), []
    for stream in streams:
        rows, total = stream.fetch(limit)
        totals[stream.name] += total
        for row in rows:
            day = row[day_field]
            key = ((day - today).days if day else 1_000_000, day or _dt.date.max, row["id"])
            found.append((key, stream.name, row, None))
    return _top(found, limit)


def _insight_candidates(ctx: Context, who: str | None, limit: int | None,
                        totals: dict[str, int], want: frozenset[str]) -> list[Candidate]:
    found: list[Candidate] = []
    today = ctx.today()
    if "health" in want:
        health = []
        for stream in qh.health_streams(ctx, who):
            rows, total = stream.fetch(limit)
            totals["health"] += total
            health += [(qh.health_key(row), "health", row, None) for row in rows]
        found += _top(health, limit)
    if "risk" in want:
        risky = []
        for stream in qh.risk_streams(ctx, who):
            rows, total = stream.fetch(limit)
            totals["risk"] += total
            risky += [(qh.risk_key(row, stream.info, today), "risk", row, stream.info)
                      for row in rows]
        found += _top(risky, limit)
    return found


def _names(found: list[Candidate]) -> dict[int, str]:
    ids = {row["customer"] if "customer" in row else row["id"]
           for _, group, row, _ in found}
    if not ids:
        return {}
    c, names = m.Customer, {}
    ids = sorted(ids)
    for start in range(0, len(ids), 128):
        part = ids[start:start + 128]
        size = next(n for n in (8, 32, 128) if n >= len(part))  # few SQL texts, each written once
        part += [part[-1]] * (size - len(part))
        got = prepared.rows(("names", size), lambda: c.select(c.id, c.name).where(
            c.id.in_([prepared.slot(name) for name in _ID_SLOTS[:size]])),
            dict(zip(_ID_SLOTS, part)))
        names.update((row["id"], row["name"]) for row in got)
    return names


def _item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    key, group, row, extra = candidate
    today = ctx.today()
    if group in ("sla", "unacknowledged"):
        severity = m.SEVERITIES[row["severity"] - 1]
        owner = f"; owner {row['owner']}" if row["owner"] else "; no owner"
        if group == "sla":
            reason = f"{severity}: {sla_of(ctx, row).describe()}{owner}"
        else:
            reason = (f"{severity}, raised {_age_text(ctx.now() - row['raised_at'])} ago, "
                      "not acknowledged")
        return AttentionItem(group, "issue", row["id"], row["customer"],
                             names.get(row["customer"], ""), row["title"], reason, key[0],
                             row["version"])
    if group == "follow_up":
        return AttentionItem(group, "interaction", row["id"], row["customer"],
                             names.get(row["customer"], ""), _first_line(row["summary"]),
                             f"follow-up {due_text(row['follow_up_on'], today)} "
                             f"(from the touchpoint of {ctx.local(row['occurred_at']):%Y-%m-%d})",
                             key[0], row["version"])
    if group == "contact":
        extra = _overdue_reason(_local(ctx, row["last_contact_at"]), extra, today)
        if "customer" not in row:  # a customer
            name = names.get(row["id"], row["name"])
            return AttentionItem(group, "customer", row["id"], row["id"], name, name, extra,
                                 key[0], row["version"])
        title = f"{row['name']} ({row['role']})" if row["role"] else row["name"]
        return AttentionItem(group, "contact", row["id"], row["customer"],
                             names.get(row["customer"], ""), title,
                             "stakeholder: " + extra.replace("cadence", "own cadence"), key[0],
                             row["version"])
    if group == "health":
        name = names.get(row["customer"], "")
        return AttentionItem(group, "health", row["customer"], row["customer"], name, name,
                             qh.health_reason(row), key[1], 0)
    if group == "risk":
        return AttentionItem(group, "risk", row["id"], row["customer"],
                             names.get(row["customer"], ""), row["title"],
                             qh.risk_reason(ctx, row, extra), key[1], row["version"])
    due = due_text(row["current_due"], today) if row["current_due"] else "no due date"
    reason = f"at risk; {due}" if row["status"] == "at_risk" else f"{row['status']}; {due}"
    return AttentionItem(group, "expectation", row["id"], row["customer"],
                         names.get(row["customer"], ""), _first_line(row["statement"]), reason,
                         key[0], row["version"])


def board(ctx: Context, who: str | None = None, per_group: int | None = PER_GROUP,
          groups: Iterable[str] | None = None) -> Board:
    """Today: the first ``per_group`` items of every group (None: all) and each group's count.

    ``who`` scopes it to one PM ("my view"): their customers, the issues and expectations they
    own, and whatever nobody owns (someone on duty must see it); None: everyone's. ``groups``
    names the groups to work out (None: all); the others come back empty, with a count of 0.
    """
    want = ALL_GROUPS if groups is None else frozenset(groups)
    ctx = ctx.pinned()  # one "now" for every group (and "today" worked out once)
    totals = {g: 0 for g, _ in GROUPS}
    found: list[Candidate] = []
    if want & {"sla", "unacknowledged"}:
        found += [c for c in _issue_candidates(ctx, who, per_group, totals) if c[1] in want]
    if "follow_up" in want:
        found += _simple_candidates(ctx, [qd.follow_up_stream(ctx, who)], per_group, totals,
                                    "follow_up_on")
    if "contact" in want:
        found += _contact_candidates(ctx, who, per_group, totals)
    if "expectation" in want:
        found += _simple_candidates(ctx, qd.expectation_streams(ctx, who), per_group, totals,
                                    "current_due")
    found += _insight_candidates(ctx, who, per_group, totals, want)
    names = _names(found)
    return Board([_item(ctx, c, names) for c in found],
                 {g: (n if g in want else 0) for g, n in totals.items()})


def attention(ctx: Context, who: str | None = None) -> list[AttentionItem]:
    """Everything that needs attention today, grouped in GROUPS order, most urgent first
    (``board`` with no limit; Today and the digest show the first of each group)."""
    return board(ctx, who, None).items


def counts(items: list[AttentionItem]) -> dict[str, int]:
    """Items per group, in GROUPS order (groups with none included as 0)."""
    out = {g: 0 for g, _ in GROUPS}
    for item in items:
        out[item.group] += 1
    return out
