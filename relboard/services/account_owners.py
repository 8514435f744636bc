"""The stored account owners: ``account_owner`` of stakeholders (schema 17), issues (22),
touchpoints, risks and health snapshots (23) is the owner of the record's customer ("" for
nobody), so one PM's view of Today walks only that PM's share of a table (owner-keyed
indexes), instead of every stakeholder of a cadence, every follow-up due or every issue of
a clock, each checked against its customer.

``services.records`` keeps them on every save (a customer's new owner, a record created or
moved to another customer), an import sets them for what it adds, the day's health
snapshots are written with them, the schemas filled them, and ``clocks.rebuild``
(``relboard check --repair``) sets them again; ``clocks.stale`` counts the ones out of step
(``relboard check``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from peewee import PostgresqlDatabase, fn

from relboard import models as m
from relboard.db import database_proxy

KINDS = (m.Contact, m.Issue, m.Interaction, m.Risk, m.HealthSnapshot)
"""The tables that store their customer's owner."""
BY_KIND = {model._meta.table_name: model for model in KINDS}
"""Each of them by its kind's name (a record kind's name is its table's): what a save
(``services.records``) and an import (``services.transfer``) set the owner of."""


def _of_customer(model: Any) -> Any:
    c = m.Customer
    return fn.COALESCE(c.select(c.owner).where(c.id == model.customer), "")


FEW = 500
"""More ids than this are set by one pass over every record of the kind (no statement of
thousands of values: SQLite takes at most 32,766)."""


def refresh(customer_ids: Iterable[int] | None = None,
            records: Mapping[Any, Iterable[int]] | None = None,
            kinds: tuple[Any, ...] = KINDS) -> None:
    """Set ``account_owner`` of the ``kinds`` records of these customers, and of these
    ``records`` (ids per model), from their customer; with neither, or more than ``FEW`` ids
    of a kind, every record of that kind. Rows already right are left as they are."""
    everything = customer_ids is None and records is None
    customers = sorted(set(customer_ids or ()))
    for model in kinds:
        own = sorted(set((records or {}).get(model, ())))
        owner = _of_customer(model)
        query = model.update(account_owner=owner)
        where = model.account_owner != owner
        if not everything and len(customers) + len(own) <= FEW:
            if not customers and not own:
                continue
            chosen = None
            for column, picked in ((model.customer, customers), (model.id, own)):
                if picked:
                    part = column.in_(picked)
                    chosen = part if chosen is None else chosen | part
            where = chosen & where
            _wait_for_owner_changes(model, own)
        query.where(where).execute()


def _wait_for_owner_changes(model: Any, ids: list[int]) -> None:
    """PostgreSQL: share-lock the customers of these records first (``share_lock``)."""
    if ids and isinstance(database_proxy.obj, PostgresqlDatabase):
        share_lock(model.select(model.customer).where(model.id.in_(ids)))


def share_lock(customers: Any) -> None:
    """PostgreSQL: share-lock these customers (ids, or a query of them), in id order, before
    records of theirs are written with their owner. A customer's new owner being saved at
    the same moment (its records set in that transaction, which cannot see a record added
    now) is then waited for and read, or waits for this transaction and then sees the
    record (without it, an issue added meanwhile kept the old owner). SQLite writes one
    transaction at a time: nothing to do."""
    if not isinstance(database_proxy.obj, PostgresqlDatabase):
        return
    c = m.Customer
    share: Any = "FOR SHARE"  # Peewee takes the clause's words (its hint says a bool)
    list(c.select(c.id).where(c.id.in_(customers)).order_by(c.id).for_update(share).tuples())


def settle(read: Mapping[int, str]) -> None:
    """After records were written with the owners ``read`` of their customers (an import
    reads each customer's once, in a transaction of its own): set again those of every
    customer whose owner is no longer the one read. Another PM's save of a new owner
    meanwhile set the records it could see, not the ones still being written; on
    PostgreSQL one under way is waited for (``share_lock``), one to come waits for this
    transaction and then sees them."""
    c, ids, changed = m.Customer, sorted(read), []
    for start in range(0, len(ids), FEW):
        part = ids[start:start + FEW]
        share_lock(part)
        changed += [cid for cid, owner in c.select(c.id, c.owner).where(c.id.in_(part))
                    .tuples() if (owner or "") != read[cid]]
    for start in range(0, len(changed), FEW):
        refresh(changed[start:start + FEW])


def stale() -> int:
    """How many records' stored account owners (``KINDS``) differ from their customer's
    owner."""
    return sum(model.select().where(model.account_owner != _of_customer(model)).count()
               for model in KINDS)
