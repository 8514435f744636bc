"""The decision log: what was decided with the customer, the options, the rationale, who took
part (the customer's stakeholders, plus free text), when — and the expectation changes a
decision caused.

Records are written like every other (``records``: validated, version-checked, audited); the
stakeholders who took part are links (DecisionContact), audited as the decision's ``contacts``
field, so two PMs editing one decision merge or conflict as on any other field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from peewee import JOIN

from relboard import models as m
from relboard.db import write
from relboard.services import expectations, journal, prepared, records, tags
from relboard.services.context import Context
from relboard.services.errors import ConflictError, ValidationError
from relboard.services.lists import PAGE, Page, _slots, _window, _words
from relboard.services.risks import _not_archived
from relboard.services.scope import owned
from relboard.services.spec import F, clean
from relboard.services.touchpoints import stakeholder_ids


def _check_day(ctx: Context, values: dict[str, Any]) -> None:
    if "decided_on" not in values:
        return
    day = clean({"decided_on": F("date", required=True)},
                {"decided_on": values["decided_on"]}, partial=False,
                today=ctx.today())["decided_on"]
    if day > ctx.today():
        raise ValidationError("decided_on", "is in the future; record a decision once taken")


def _stored_contacts(decision_id: int) -> list[int]:
    dc = m.DecisionContact
    return [cid for (cid,) in dc.select(dc.contact).where(dc.decision == decision_id)
            .order_by(dc.contact).tuples()]


def _link(decision_id: int, ids: list[int]) -> None:
    dc = m.DecisionContact
    dc.delete().where(dc.decision == decision_id).execute()
    if ids:
        dc.insert_many([(decision_id, cid) for cid in ids],
                       fields=[dc.decision, dc.contact]).execute()


def _text(ids: list[int]) -> str | None:
    return ", ".join(f"#{i}" for i in ids) or None


def create(ctx: Context, values: dict[str, Any], contacts: Iterable[Any] = ()) -> int:
    """Record a decision (``decided_on`` today or earlier) with the stakeholders who took part;
    returns its id."""
    def run() -> int:
        _check_day(ctx, values)
        new_id = records.insert(ctx, "decision", values)
        row = cast(m.Decision, records.fetch("decision", new_id))
        ids = stakeholder_ids(row.customer_id, contacts)
        if ids:
            _link(new_id, ids)
            records.log(ctx, "decision", new_id, "update", "contacts", None, _text(ids), 1)
        return new_id

    return write(run)


def update(ctx: Context, decision_id: int, version: int, changes: dict[str, Any],
           contacts: Iterable[Any] | None = None) -> int:
    """Change a decision read at ``version`` (and, when ``contacts`` is given, who took part);
    returns the new version. Conflicts and merges as ``records.change``."""
    data = clean(records.entity("decision").rules, changes, partial=True, zone=ctx.zone,
                 today=ctx.today())
    records.fill_defaults(records.entity("decision"), data, creating=False)

    def run() -> int:
        _check_day(ctx, data)
        row = cast(m.Decision, records.fetch("decision", decision_id))
        read = journal.based_on("decision", decision_id, version)
        new_version = records.change(ctx, "decision", decision_id, read, data)
        if contacts is None:
            return new_version
        customer = data.get("customer", row.customer_id)
        ids, before = stakeholder_ids(customer, contacts), _stored_contacts(decision_id)
        if ids == before:
            return new_version
        if row.version != read:
            theirs = records.changed_since("decision", decision_id, read, row.version)
            if theirs is None or "contacts" in theirs:
                raise ConflictError("decision", decision_id, row.updated_by,
                                    ctx.local(row.updated_at), row.version,
                                    fields={"contacts": (_text(before), _text(ids))})
        d = m.Decision
        d.update(version=d.version + 1, updated_at=ctx.now(), updated_by=ctx.user).where(
            (d.id == decision_id) & (d.version == new_version)).execute()
        _link(decision_id, ids)
        records.log(ctx, "decision", decision_id, "update", "contacts", _text(before),
                    _text(ids), new_version + 1)
        journal.note_relink("decision", decision_id, before, new_version + 1)
        return new_version + 1

    return write(run)


def decide_and_renegotiate(ctx: Context, values: dict[str, Any], contacts: Iterable[Any],
                           expectation_id: int, expectation_version: int, *, reason: str,
                           new_due: Any = None, new_statement: str | None = None
                           ) -> tuple[int, int]:
    """Record a decision and the renegotiation it causes, all or nothing: the trail row links
    the decision. Returns (decision id, the expectation's new version)."""
    def run() -> tuple[int, int]:
        decision_id = create(ctx, {"expectation": expectation_id, **values}, contacts)
        version = expectations.renegotiate(ctx, expectation_id, expectation_version,
                                           reason=reason, new_due=new_due,
                                           new_statement=new_statement,
                                           decision_id=decision_id)
        return decision_id, version

    return write(run)


def _columns() -> list[Any]:
    d, c = m.Decision, m.Customer
    return [d.id, d.title, d.options, d.rationale, d.participants, d.decided_on, d.version,
            d.customer, d.project, d.expectation, c.name.alias("customer_name")]


def _with_people(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row gets ``contacts``: [(id, name)] of the stakeholders who took part."""
    ids = [r["id"] for r in rows]
    people: dict[int, list[tuple[int, str]]] = {}
    if ids:
        dc, k = m.DecisionContact, m.Contact
        for did, kid, name in (dc.select(dc.decision, k.id, k.name)
                               .join(k, on=(dc.contact == k.id))
                               .where(dc.decision.in_(ids)).tuples()):
            people.setdefault(did, []).append((kid, name))
    for row in rows:  # sorted here: a page's few links need no sort in the database
        row["contacts"] = sorted(people.get(row["id"], []), key=lambda p: (p[1], p[0]))
    return rows


def log_page(ctx: Context, *, customer_id: int | None = None, who: str | None = None,
             search: str | None = None, after: tuple | None = None,
             limit: int = PAGE) -> Page:
    """The decision log, newest first (decided_on, then id): one customer's, or the
    portfolio's (active customers, ``who``'s share); keyset-paged on an index. ``search``:
    words the title or the customer's name contain; its ``#name`` words: tags the customer
    carries."""
    d, c = m.Decision, m.Customer
    words, names = tags.split_search(search)

    def build() -> Any:
        query = d.select(*_columns()).join(c, on=(d.customer == c.id))
        if words:
            query = query.where(_words(len(words), d.title, c.name))
        if names:
            query = query.where(tags.tagged("customer", d.customer, len(names)))
        if customer_id is not None:
            return query.where(d.customer == prepared.slot("customer"))
        query = query.where(_not_archived(d.customer))
        return query if who is None else query.where(owned(prepared.slot("who")))

    query = prepared.Shaped(("decisions", len(words), customer_id is not None, who is not None,
                             len(names)), build, {"customer": customer_id, "who": who,
                                                  **_slots("word", words),
                                                  **tags.slots(names)})
    page = _window(query, [d.decided_on, d.id], ["decided_on", "id"], True, after, limit)
    _with_people(page.rows)
    return page


def decision(decision_id: int) -> dict[str, Any]:
    """One decision with its stakeholders and the expectation changes it caused."""
    row = records.get("decision", decision_id)
    row["contacts"] = _with_people([{"id": decision_id}])[0]["contacts"]
    row["expectation_changes"] = expectation_changes(decision_id)
    return row


def expectation_changes(decision_id: int) -> list[dict[str, Any]]:
    """The expectation changes a decision caused, oldest first, with the statement."""
    x, e = m.ExpectationChange, m.Expectation
    return list(x.select(x.id, x.expectation, x.changed_at, x.changed_by, x.old_status,
                         x.new_status, x.old_due, x.new_due, x.old_statement,
                         x.new_statement, x.reason, e.statement)
                .join(e, JOIN.INNER, on=(x.expectation == e.id))
                .where(x.decision == decision_id).order_by(x.changed_at, x.id).dicts())

