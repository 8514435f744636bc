"""Small builders for test records, all through the service layer."""

from __future__ import annotations

import datetime as _dt

from relboard.services import expectations, issues, records, touchpoints
from relboard.services.context import Context


def customer(ctx: Context, name: str = "Northwind Health", **values) -> int:
    """A customer with sensible defaults."""
    return records.create(ctx, "customer", {"name": name, **values})


def contact(ctx: Context, customer_id: int, name: str = "Dana Ruiz", **values) -> int:
    """A stakeholder of ``customer_id``."""
    return records.create(ctx, "contact", {"customer": customer_id, "name": name, **values})


def touchpoint(ctx: Context, customer_id: int, contacts=(), **values) -> int:
    """A logged call."""
    return touchpoints.log_touchpoint(
        ctx, {"customer": customer_id, "summary": "Weekly call", "channel": "call", **values},
        contacts)


def issue(ctx: Context, customer_id: int, title: str = "Export fails", **values) -> int:
    """A raised concern."""
    return issues.raise_issue(ctx, {"customer": customer_id, "title": title, **values})


def expectation(ctx: Context, customer_id: int, due, statement: str = "Pilot live",
                **values) -> int:
    """A promise due on ``due``."""
    return expectations.create(
        ctx, {"customer": customer_id, "statement": statement, "current_due": due, **values})


def database_file(path, customers: int = 200) -> bytes:
    """A real relboard database at ``path`` with ``customers`` customers, closed
    (checkpointed into the main file): its bytes."""
    from relboard.db import close_database, open_database

    open_database(str(path))
    ctx = Context(user="ann")
    for n in range(customers):
        records.create(ctx, "customer", {"name": f"C{n}", "notes": "x" * 400})
    close_database()
    return path.read_bytes()


def follow_ups_due(ctx: Context, count: int) -> list[int]:
    """One customer, Acme, with ``count`` follow-ups overdue by 1..``count`` days (Today
    lists them most overdue first: "Call 0" to "Call {count - 1}"), contacted lately
    (nothing else on Today); their touchpoints' ids in that order."""
    acme = customer(ctx, "Acme", cadence_days=30)
    today = ctx.today()
    return [touchpoint(ctx, acme, summary=f"Call {n}",
                       occurred_at=ctx.now() - _dt.timedelta(days=20 - n),
                       follow_up_on=today - _dt.timedelta(days=count - n))
            for n in range(count)]
