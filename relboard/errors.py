"""The base of every refusal a user can be shown and recover from (no traceback, data kept)."""


class ServiceError(Exception):
    """A write or read was refused: invalid input, a conflict, a busy or missing record."""
