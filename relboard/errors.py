"""The bases of every refusal a user is shown: one line, no traceback."""


class ServiceError(Exception):
    """A write or read was refused: invalid input, a conflict, a busy or missing record.

    The board shows the message as a notification and a form keeps what was typed.
    """


class DatabaseUnusableError(Exception):
    """The database cannot be used as configured or as found (wrong kind of file, damaged,
    another application's, read-only, gone, disk full, no driver).

    The message is one line (what is wrong, what to do); the command line prints it and
    exits with code 2.
    """


class DatabaseSpecError(DatabaseUnusableError, ValueError):
    """The configured database location cannot be used (bad URL, unusable path or file)."""
