"""The service layer: every query and write of relboard, and nothing of the screen.

Screens and the CLI call these functions with a ``Context`` (who, when, settings) and get plain
dicts and dataclasses back. Refusals are ``ValidationError`` (field -> reason),
``ConflictError`` (someone else saved first), ``NotFoundError`` and ``BusyError``.
"""

from relboard.services.context import Context
from relboard.services.errors import (
    BusyError,
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)

__all__ = [
    "BusyError", "ConflictError", "Context", "NotFoundError", "ServiceError", "ValidationError",
]
