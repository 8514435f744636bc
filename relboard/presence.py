"""Who has the database open: a shared lock on ``DB-users`` per running relboard.

SQLite cannot say whether other processes have a file open. So every relboard that opens an
SQLite database (the board and every command) holds a shared ``flock`` on the file
``<database>-users`` beside it for as long as it runs; ``relboard restore`` takes the lock
exclusively, which fails while anyone holds it. The kernel drops a lock when its process
ends, even on ``kill -9``, so nothing goes stale. The file is empty and never removed; it has
the database's mode (group read/write in a shared folder), and ``flock`` needs only read
access. A board starting while a restore runs waits for it (up to ``WAIT_SECONDS``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from relboard.db import BusyError

WAIT_SECONDS = 15.0
"""How long a starting relboard waits for a restore that holds the database."""


class BoardInUseError(BusyError):
    """The database is held: others have it open (for restore), or a restore is running.

    A ``BusyError``: the command line exits 1, as for a database that stayed busy.
    """


def users_file(path: Path) -> Path:
    """The presence file of the database at ``path``."""
    return path.with_name(path.name + "-users")


def _open(path: Path, create: bool = True) -> int | None:
    """Open (creating, with the database's mode, unless not ``create``) the presence file;
    None if that fails. Never through a symbolic link (one left under that name would make
    relboard create or change the file it points at)."""
    target = users_file(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode) & 0o666
    except OSError:
        mode = 0o600
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    try:
        fd = os.open(target, flags, mode)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if info.st_uid == os.geteuid() and info.st_size == 0 and \
                stat.S_IMODE(info.st_mode) != mode:
            os.fchmod(fd, mode)  # the umask does not decide who may see a board open
    except OSError:
        pass
    return fd


@contextlib.contextmanager
def present(path: Path | None, wait: float = WAIT_SECONDS,
            create: bool = True) -> Iterator[None]:
    """Hold a shared lock on the database's presence file while the body runs.

    Best effort: when the file cannot be made (a read-only folder) the body runs unmarked;
    ``path`` None (a database server) marks nothing. ``create`` False (``relboard check``,
    which makes no file beside the database): a missing presence file is not made. Raises
    ``BoardInUseError`` when a restore holds the database longer than ``wait``.
    """
    fd = _open(path, create) if path is not None else None
    if fd is None:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BoardInUseError(
                        f"the database {path} is being restored (relboard restore) right now; "
                        "try again in a minute") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def alone(path: Path, force: bool = False) -> Iterator[bool]:
    """Hold the presence file exclusively: nobody else has the database open.

    Raises ``BoardInUseError`` when someone does, unless ``force`` (then yields False when
    others are present, True when alone).
    """
    fd = _open(path)
    if fd is None:
        raise BoardInUseError(
            f"cannot create {users_file(path)} to see who has the database open; "
            f"check that you can write its folder {path.parent}")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:
            if not force:
                raise BoardInUseError(
                    f"others have the database {path} open (the board or a relboard command); "
                    "ask them to quit relboard and try again, or add --force (their boards "
                    "then stop with 'deleted or replaced' and must be restarted)") from None
            held = False
        yield held
    finally:
        os.close(fd)
