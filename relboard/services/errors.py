"""What a service call can refuse with; every message is meant to be shown to a user as is."""

from __future__ import annotations

import datetime as _dt

from relboard.errors import (
    BusyError,
    DatabaseDamagedError,
    DatabaseFileError,
    DatabaseGoneError,
    DatabaseReadOnlyError,
    DiskFullError,
    ServiceError,
)
from relboard.text import clipped

__all__ = ["BusyError", "ConflictError", "DatabaseDamagedError", "DatabaseFileError",
           "DatabaseGoneError", "DatabaseReadOnlyError", "DiskFullError", "NotFoundError",
           "ServiceError", "ValidationError"]


class ValidationError(ServiceError):
    """One or more fields are invalid; ``errors`` maps field name -> reason. Nothing was saved."""

    def __init__(self, errors: dict[str, str] | str, reason: str | None = None):
        if isinstance(errors, str):
            errors = {errors: reason or "is invalid"}
        self.errors = dict(errors)  # a field named in the input is quoted cut (text.clipped)
        super().__init__("; ".join(f"{clipped(k)}: {v}" for k, v in self.errors.items()))

    @property
    def field(self) -> str:
        """The first invalid field."""
        return next(iter(self.errors))


class NotFoundError(ServiceError):
    """The record does not exist (or no longer does)."""

    def __init__(self, entity: str, record_id: int):
        self.entity, self.record_id = entity, record_id
        super().__init__(f"{entity} #{record_id} does not exist")


class ConflictError(ServiceError):
    """Someone saved the same field(s) since the record was read; nothing was overwritten.

    ``changed_at`` is the reader's local time (it is shown, never stored). ``fields`` maps each
    field both changed to ``(theirs, yours)`` as text (empty when the audit log cannot tell
    which fields the other save touched).
    """

    def __init__(self, entity: str, record_id: int, changed_by: str,
                 changed_at: _dt.datetime | None, current_version: int,
                 fields: dict[str, tuple[str | None, str | None]] | None = None):
        self.entity, self.record_id = entity, record_id
        self.changed_by, self.changed_at = changed_by, changed_at
        self.current_version = current_version
        self.fields = dict(fields or {})
        when = changed_at.strftime("%Y-%m-%d %H:%M") if changed_at else "just now"
        both = "; ".join(f"{name.replace('_', ' ')}: theirs {_quote(theirs)}, yours {_quote(yours)}"
                         for name, (theirs, yours) in self.fields.items())
        super().__init__(
            f"{entity} #{record_id} was changed by {changed_by} at {when} after you opened it"
            + (f" ({both})" if both else "") + "; nothing was overwritten"
        )


def _quote(value: str | None) -> str:
    """A value in a message: quoted and cut, or "empty"."""
    if value in (None, ""):
        return "empty"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")
