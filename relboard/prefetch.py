"""Start-up in two processes: Today's first board is read while the screens' code loads.

Loading Textual and the screens takes most of a start; reading the config, opening the
database (PyYAML, Peewee, the models, the checks, the migrations) and reading Today's first
board takes most of the rest, and none of that needs Textual. Where ``fork`` exists, the
board does the second part in a child process, on another core, while the first part loads:
the child sends back the settings, the themes and the first board (pickled, through a pipe)
and exits. The board draws Today from them, then opens the database itself right after the
first paint, and before it handles any key (``relboard.app_start``).

Anything unusual (no ``fork``, a problem in the child: a config or database error, a crash,
a child killed) and the board starts the plain way, in one process, which reports the same
problem the usual way. ``RELBOARD_ONE_PROCESS=1`` asks for the plain way, and so does a
machine whose cores are all busy (``no_core_free``).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass
from typing import Any


@dataclass
class Prepared:
    """What the child read: the settings, the themes, Today's first board."""

    config: Any
    """``relboard.config.Config``, with the command line's flags."""
    themes: Any
    """The theme files' data (``theme_files.read_theme_files``)."""
    mine: bool
    """Whether the board was read for the user's view (``--mine``, ``attention.mine``)."""
    seen: int
    """The newest audit row when it was read (Today refreshes from there)."""
    first: tuple
    """What Today's first read gives: (board, None, has customers, day)."""
    demo: bool = False
    """A ``--demo`` board (its database a copy of the sample's, in a temporary folder)."""


class Started:
    """The child at work: ``wait`` for what it read; ``close`` when the board ends (a demo's
    temporary folder goes)."""

    def __init__(self, pid: int, reader: int, folder: str | None) -> None:
        self._pid, self._reader, self.folder = pid, reader, folder

    def wait(self) -> Prepared | None:
        """What the child read; None: start the plain way."""
        with os.fdopen(self._reader, "rb") as answer:
            data = answer.read()
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
        try:
            got = pickle.loads(data) if data else None
        except Exception:  # noqa: BLE001 - a cut answer: the plain way
            return None
        return got if isinstance(got, Prepared) else None

    def close(self) -> None:
        """Remove the demo's folder, if there is one."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def no_core_free() -> bool:
    """Whether every core is already busy (the last minute's load average): then a child would
    only compete with the board for a core, and the plain start is quicker (measured with
    ``benchmarks/bench_startup.py --busy 2``: 1.04x and 1.23x the plain start's time, against
    0.70x with a core free)."""
    try:
        load = os.getloadavg()[0]
    except (OSError, AttributeError):
        return False
    return load > (os.cpu_count() or 1) - 0.5


def start(args: Any) -> Started | None:
    """Fork the child that prepares the board for ``args`` (for ``--demo``, in a new
    temporary folder); None when there is no ``fork`` here."""
    if not hasattr(os, "fork") or os.environ.get("RELBOARD_ONE_PROCESS", "").strip():
        return None
    folder = tempfile.mkdtemp(prefix="relboard-demo-") if getattr(args, "demo", False) \
        else None
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        return None
    if pid == 0:  # the child: never back into the caller's code
        os.close(reader)
        _child(args, folder, writer)
    os.close(writer)
    return Started(pid, reader, folder)


def _child(args: Any, folder: str | None, writer: int) -> None:
    """Prepare, send, exit (quietly: the terminal belongs to the board)."""
    data = b""
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        data = pickle.dumps(prepare(args, folder, child=True),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the board reports it the plain way
        data = b""
    finally:
        try:
            with os.fdopen(writer, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)


def prepare(args: Any, folder: str | None = None, child: bool = False) -> Prepared:
    """What the plain start does before the app runs, and Today's first read; ``folder``:
    where the demo board goes (``--demo``). In the ``child``, a board on an SQLite file does
    not load the PostgreSQL drivers (Peewee loads any that are installed, some 10 ms)."""
    from relboard.config_check import load_config
    from relboard.launch import may_create, with_flags
    from relboard.theme_files import read_theme_files

    config = with_flags(load_config(getattr(args, "config", None)), args)
    create = may_create(config, args)
    if folder is not None:
        from relboard.demo import fill_demo_folder

        config = dataclasses.replace(config, database=fill_demo_folder(config, folder))
        create = False
    themes = read_theme_files()
    if child and "://" not in config.database:
        for driver in ("psycopg2", "psycopg"):
            sys.modules.setdefault(driver, None)  # type: ignore[arg-type]  # import fails
    from relboard.db import close_database, open_database
    from relboard.services import changes, lookups
    from relboard.services.attention import PER_GROUP, board
    from relboard.services.context import Context

    open_database(config.database, True, read_only=config.read_only, create=create)
    try:
        ctx = Context.from_config(config)
        mine = config.attention.mine
        seen = changes.latest()
        found = board(ctx, ctx.user if mine else None, PER_GROUP, None)
        has_customers = bool(found.items or lookups.first_customer() is not None)
        return Prepared(config, themes, mine, seen, (found, None, has_customers, ctx.today()),
                        folder is not None)
    finally:
        close_database()


class Opened:
    """The board's database, opened after the first paint; ``close`` when the board ends."""

    def __init__(self, config: Any) -> None:
        from relboard.db import open_database
        from relboard.presence import present

        # The child checked the file (permissions, integrity) and brought the schema up to
        # date a moment ago; the checks are not run twice.
        db = open_database(config.database, False, read_only=config.read_only, create=False)
        self._presence = present(getattr(db, "file_path", None))
        self._presence.__enter__()

    def close(self) -> None:
        """Leave the database (and the list of who has it open)."""
        from relboard.db import close_database

        try:
            self._presence.__exit__(None, None, None)
        finally:
            close_database()
