"""What is snoozed now: the items put off from Today, each with its customer and until when,
and taking a snooze back (un-snooze).

Issues keep their own ``snoozed_until``; customers, stakeholders, expectations, a customer's
health drop and risks are snoozed by a ``Snooze`` row. Follow-ups are not listed: snoozing one
moves its date, so nothing is left to take back.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard import models as m
from relboard.db import write
from relboard.services import issues
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.issues import OPEN_STATUSES
from relboard.services.records import log
from relboard.services.today.groups import KINDS
from relboard.services.today.sources import OF_KIND

ORDER = {name: n for n, name in enumerate(k.name for k in KINDS.values() if k.snooze != "date")}
"""The kinds listed as snoozed, in the order they go on a day (``groups.KINDS``)."""


def _words(kind: str) -> str:
    """What a kind is called on the list ("stakeholder")."""
    return KINDS[kind].words if kind in KINDS else kind


def _item(kind: str, record_id: int, title: str, customer_id: int, customer: str,
          until: _dt.date, version: int | None) -> dict[str, Any]:
    return {"id": f"{kind}:{record_id}", "kind": kind, "what": _words(kind),
            "record_id": record_id, "title": title or "", "customer_id": customer_id,
            "customer": customer or "", "until": until, "version": version}


def _snoozed_issues(today: _dt.date) -> list[dict[str, Any]]:
    i, c = m.Issue, m.Customer
    rows = (i.select(i.id, i.title, i.customer, c.name, i.snoozed_until, i.version)
            .join(c, on=(i.customer == c.id))
            .where((i.snoozed_until > today) & i.status.in_(OPEN_STATUSES)
                   & (c.archived == False))  # noqa: E712
            .tuples())
    return [_item("issue", iid, f"#{iid} {title}", cid, name, until, version)
            for iid, title, cid, name, until, version in rows]


def _named(kind: str, ids: list[int]) -> dict[int, tuple[str, int]]:
    """Record id -> (what it is called, its customer id) for Snooze rows of ``kind``."""
    if not ids:
        return {}
    named = getattr(OF_KIND.get(kind), "snoozed_names", None)  # the source that lists it
    if named is None:
        return {}
    rows = named(kind, ids)
    return {rid: (title, cid) for rid, title, cid in rows}


def _snoozed_rows(today: _dt.date) -> list[dict[str, Any]]:
    s = m.Snooze
    rows = list(s.select(s.entity, s.entity_id, s.until).where(s.until > today).tuples())
    by_kind: dict[str, list[int]] = {}
    for kind, rid, _ in rows:
        by_kind.setdefault(kind, []).append(rid)
    names = {kind: _named(kind, ids) for kind, ids in by_kind.items()}
    customers = {cid: (name, archived) for cid, name, archived in m.Customer.select(
        m.Customer.id, m.Customer.name, m.Customer.archived).where(m.Customer.id.in_(
            {cid for found in names.values() for _, cid in found.values()} or {0})).tuples()}
    out = []
    for kind, rid, until in rows:
        found = names.get(kind, {}).get(rid)
        if found is None:
            continue  # the record is gone (deleted with its customer)
        title, cid = found
        customer, archived = customers.get(cid, ("", False))
        if archived:
            continue  # Today leaves archived customers out anyway
        if kind in KINDS:
            title = KINDS[kind].snoozed_title.format(title)
        out.append(_item(kind, rid, title, cid, customer, until, None))
    return out


def snoozed_now(ctx: Context) -> list[dict[str, Any]]:
    """Everything snoozed past today, soonest back first: ``kind``, ``what`` (words),
    ``record_id``, ``title``, ``customer_id``, ``customer``, ``until`` and ``version`` (an
    issue's, for un-snoozing; None for the others); ``id`` is ``kind:record_id``."""
    today = ctx.today()
    items = _snoozed_issues(today) + _snoozed_rows(today)
    last = len(ORDER)
    items.sort(key=lambda it: (it["until"], ORDER.get(it["kind"], last), it["record_id"]))
    return items


def unsnooze(ctx: Context, kind: str, record_id: int, version: int | None = None) -> None:
    """Bring a snoozed item back to Today now.

    An issue is woken through ``issues.snooze`` with the ``version`` read (a conflict if
    someone else changed its snooze meanwhile); any other kind has its ``Snooze`` row removed,
    with an audit row, in one write transaction. ValidationError when it is not snoozed
    (any more).
    """
    if kind == "issue":
        issues.snooze(ctx, record_id, version, None)
        return

    def run() -> None:
        s = m.Snooze
        row = s.get_or_none((s.entity == kind) & (s.entity_id == record_id))
        if row is None:
            raise ValidationError("until", f"{_words(kind)} #{record_id} is not snoozed")
        s.delete().where(s.id == row.id).execute()
        log(ctx, kind, record_id, "unsnooze", "until", row.until.isoformat(), None)

    write(run)
