"""The stakeholders' stored account owners (schema 17): ``contact.account_owner`` is the owner
of the stakeholder's customer ("" for nobody), so one PM's view of Today walks only that PM's
stakeholders (an owner-keyed index) instead of every stakeholder of a cadence.

``services.records`` keeps it on every save (a customer's new owner, a stakeholder created or
moved to another customer), an import sets it for what it adds, schema 17 filled it, and
``clocks.rebuild`` (``relboard check --repair``) sets it again; ``clocks.stale`` counts the
ones out of step (``relboard check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import fn

from relboard import models as m


def _of_customer() -> Any:
    c, k = m.Customer, m.Contact
    return fn.COALESCE(c.select(c.owner).where(c.id == k.customer), "")


FEW = 500
"""More ids than this are set by one pass over every stakeholder (no statement of thousands of
values: SQLite takes at most 32,766)."""


def refresh(customer_ids: Iterable[int] | None = None,
            contact_ids: Iterable[int] | None = None) -> None:
    """Set ``account_owner`` of the stakeholders of these customers, and of these
    stakeholders, from their customer (both None, or more than ``FEW`` ids: every
    stakeholder)."""
    k = m.Contact
    query = k.update(account_owner=_of_customer())
    customers, contacts = sorted(set(customer_ids or ())), sorted(set(contact_ids or ()))
    if (customer_ids is not None or contact_ids is not None) \
            and len(customers) + len(contacts) <= FEW:
        if not customers and not contacts:
            return
        where = None
        for column, ids in ((k.customer, customers), (k.id, contacts)):
            if ids:
                part = column.in_(ids)
                where = part if where is None else where | part
        query = query.where(where)
    query.execute()


def stale() -> int:
    """How many stakeholders' stored account owners differ from their customer's owner."""
    k = m.Contact
    return k.select().where(k.account_owner != _of_customer()).count()
