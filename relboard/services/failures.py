"""What any failure of a board's service call means for its user, as one line.

The board calls services in worker threads; whatever they raise goes through ``explain``: the
service's own refusal as it is, a failing database file or server as the same line the command
line prints (damaged: restore it; gone; full; read-only; the server not reachable), anything
else as one line of "unexpected database error" — never a traceback, never several lines.
"""

from __future__ import annotations

from relboard.services.errors import ServiceError


def explain(exc: BaseException) -> ServiceError:
    """``exc`` as the one-line refusal a user sees."""
    if isinstance(exc, ServiceError):
        return exc
    from relboard.db import database_failure

    problem = database_failure(exc)
    if problem is not None:
        return problem
    lines = str(exc).strip().splitlines()
    return ServiceError(f"unexpected database error: {lines[0] if lines else type(exc).__name__}")


def end_of_thread() -> None:
    """Close the calling thread's database connection (a board's writer thread at its end)."""
    from relboard.db import close_database

    try:
        close_database()
    except Exception:  # noqa: BLE001 - a connection that cannot close is gone anyway
        pass
