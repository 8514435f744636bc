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


class BusyError(ServiceError):
    """Another user kept the database locked through every retry; nothing was written."""


class DatabaseFileError(ServiceError, DatabaseUnusableError):
    """The database itself stopped being usable; nothing was saved.

    A ``ServiceError``, so the board shows it and forms keep their data; a
    ``DatabaseUnusableError``, so the command line prints it and exits 2.
    """


class DatabaseGoneError(DatabaseFileError):
    """The database file was deleted, replaced or emptied while relboard was running."""

    def __init__(self, where: str, how: str = "was deleted or replaced"):
        self.where = where
        super().__init__(f"the database file {where} {how} while relboard was running; "
                         "nothing was saved — restart relboard")


class DiskFullError(DatabaseFileError):
    """A write ran out of disk space (SQLITE_FULL); SQLite rolled it back whole."""

    def __init__(self, where: str):
        self.where = where
        super().__init__(f"disk full: no room left for the database {where}; "
                         "nothing was saved — free some space (or ask the server's admin), "
                         "then save again")


class DatabaseReadOnlyError(DatabaseFileError):
    """This user cannot write the database file (or its folder, or its -wal/-shm files)."""


class DatabaseDamagedError(DatabaseFileError):
    """SQLite found the file damaged (malformed, truncated, not a database)."""

    def __init__(self, where: str, detail: str):
        self.where = where
        super().__init__(f"the database {where} is damaged ({detail}); relboard changed "
                         "nothing — restore it from a backup (relboard restore BACKUP) or "
                         "point database: at another file")
