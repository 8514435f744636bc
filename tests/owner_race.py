"""PostgreSQL runs two PMs' saves at once: a write of records that store their customer's
owner, made while another connection saves that customer's new owner."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any


def during_new_owner(db_spec: str, customer_id: int, owner: str, tables: Iterable[str],
                     action: Callable[[], Any]) -> Any:
    """``action()`` run while another connection saves customer ``customer_id``'s new
    ``owner`` (and sets it on the customer's rows of ``tables``, as the saves do), not yet
    committed; asserts ``action`` waited for that save, and returns what it returned."""
    import psycopg2

    other = psycopg2.connect(db_spec)
    try:
        cur = other.cursor()
        cur.execute("UPDATE customer SET owner = %s, version = version + 1 WHERE id = %s",
                    (owner, customer_id))
        for table in tables:
            cur.execute(f'UPDATE "{table}" SET account_owner = %s WHERE customer_id = %s',
                        (owner, customer_id))
        done: list[Any] = []
        worker = threading.Thread(target=lambda: done.append(action()))
        worker.start()
        time.sleep(0.5)
        waited = worker.is_alive()
        other.commit()
    finally:
        other.close()
    worker.join(10)
    assert waited, "it did not wait for the new owner's save"
    assert done, "it did not end"
    return done[0]
