"""Small lists for pickers: customers by name, a customer's stakeholders and projects, owners."""

from __future__ import annotations

import difflib
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.services.context import Context
from relboard.services.errors import ValidationError


def customer_choices(search: str = "", limit: int = 50) -> list[tuple[str, int]]:
    """(name, id) of active customers whose name contains ``search``, by name."""
    c = m.Customer
    query = c.select(c.name, c.id).where(c.archived == False)  # noqa: E712
    if search:
        query = query.where(c.name.contains(search))
    return list(query.order_by(c.name, c.id).limit(limit).tuples())


def contact_choices(customer_id: int) -> list[tuple[str, int]]:
    """("Name (role)", id) of a customer's active stakeholders, by name."""
    k = m.Contact
    rows = (k.select(k.name, k.role, k.id)
            .where((k.customer == customer_id) & (k.archived == False))  # noqa: E712
            .order_by(k.name).tuples())
    return [(f"{name} ({role})" if role else name, cid) for name, role, cid in rows]


def project_choices(customer_id: int) -> list[tuple[str, int]]:
    """(name, id) of a customer's projects, newest first."""
    p = m.Project
    return list(p.select(p.name, p.id).where(p.customer == customer_id)
                .order_by(p.start_date.desc(), p.id.desc()).tuples())


def owner_choices(ctx: Context) -> list[str]:
    """The team as owner fields suggest it (``services.team.known_users``): the config's
    ``team:``, the acting user and everyone who saved anything."""
    from relboard.services.team import known_users

    return known_users(ctx)


def customer_name(customer_id: int) -> str:
    """A customer's name (empty if it does not exist)."""
    return m.Customer.select(m.Customer.name).where(m.Customer.id == customer_id).scalar() or ""


def customer_named(name: str) -> tuple[int, str] | None:
    """(id, name) of a stored customer (archived ones too) named ``name``, ignoring case and
    surrounding blanks; the lowest id when several are; None when there is none."""
    wanted = (name or "").strip()
    if not wanted:
        return None
    c = m.Customer
    row = (c.select(c.id, c.name).where(fn.LOWER(fn.TRIM(c.name)) == wanted.lower())
           .order_by(c.id).limit(1).tuples().first())
    return tuple(row) if row else None


def first_customer() -> dict[str, Any] | None:
    """Any one customer (for empty-state checks), or None when there are none."""
    row = m.Customer.select(m.Customer.id, m.Customer.name).limit(1).dicts().first()
    return row


MAX_CANDIDATES = 10
"""How many names a refused match lists (and then "and N more")."""


def _match(kind: str, typed: str, rows: list[tuple[str, int]]) -> int:
    """The id of the one row whose name is ``typed`` (case-insensitive), else of the one row
    whose name contains it; ValidationError (field ``kind``) listing the candidates otherwise."""
    wanted = " ".join(str(typed).split()).casefold()
    if not wanted:
        raise ValidationError(kind, "is required: give a name or a part of it")
    exact = [(name, rid) for name, rid in rows if " ".join(name.split()).casefold() == wanted]
    if len(exact) == 1:
        return exact[0][1]
    found = exact or [(name, rid) for name, rid in rows if wanted in name.casefold()]
    if len(found) == 1:
        return found[0][1]
    if found:
        shown = "; ".join(f"{name} (#{rid})" for name, rid in found[:MAX_CANDIDATES])
        more = f"; and {len(found) - MAX_CANDIDATES} more" if len(found) > MAX_CANDIDATES else ""
        raise ValidationError(kind, f"{typed!r} matches {len(found)}: {shown}{more}; "
                              "give more of the name")
    close = difflib.get_close_matches(wanted, [name.casefold() for name, _ in rows],
                                      n=MAX_CANDIDATES, cutoff=0.5)
    names = [name for name, _ in rows if name.casefold() in close][:MAX_CANDIDATES]
    hint = f"; did you mean {'; '.join(names)}?" if names else ""
    raise ValidationError(kind, f"no {kind} named {typed!r}{hint}")


def find_customer(name: str) -> int:
    """The id of the active customer ``name`` names: its whole name (any case), or a part of
    exactly one name. ValidationError (``customer``) naming the candidates otherwise."""
    c = m.Customer
    rows = list(c.select(c.name, c.id).where(c.archived == False)  # noqa: E712
                .order_by(c.name, c.id).tuples())
    return _match("customer", name, rows)


def find_stakeholder(customer_id: int, name: str) -> int:
    """The id of the customer's active stakeholder ``name`` names, as ``find_customer``."""
    k = m.Contact
    rows = list(k.select(k.name, k.id)
                .where((k.customer == customer_id) & (k.archived == False))  # noqa: E712
                .order_by(k.name, k.id).tuples())
    return _match("stakeholder", name, rows)
