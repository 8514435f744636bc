"""The team-admin commands: ``init [--shared DIR]``, ``backup DEST``, ``restore SRC``.

None opens the database the way the other commands do, and none works on ``--demo``. Each
prints what it did in a few lines, or raises a one-line error (``BackupError``,
``SetupError``: exit 2; ``BoardInUseError``: exit 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from relboard.cli.command import EXIT_OK, Command, Invocation
from relboard.text import plural


def _init_arguments(init: argparse.ArgumentParser) -> None:
    init.add_argument("--shared", metavar="DIR",
                      help="the folder (made group-owned, setgid, mode 2770)")
    init.add_argument("--group", metavar="GROUP",
                      help="the Unix group of the PMs (default: the folder's group)")


def _backup_arguments(backup: argparse.ArgumentParser) -> None:
    backup.add_argument("dest", metavar="DEST", help="a new file, or a folder to put it in")


def _restore_arguments(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("src", metavar="SRC", help="a backup made by relboard backup")
    restore.add_argument("--force", action="store_true",
                         help="even while others have the board open")


def _sqlite_path(call: Invocation, what: str) -> Path:
    """The configured SQLite file; a PostgreSQL URL is refused with its own tool's command."""
    from relboard.db import mask_url, parse_database_spec
    from relboard.services.backup import BackupError, pg_dump_command, pg_restore_command

    args = call.args
    kind, where = parse_database_spec(call.config.database)
    if kind == "sqlite":
        return Path(where).absolute()
    if what == "backup":
        command = pg_dump_command(where, args.dest)
    else:
        command = pg_restore_command(where, args.src)
    raise BackupError(f"{what}: {mask_url(where)} is a PostgreSQL database, which relboard "
                      f"does not copy; use PostgreSQL's own tool: {command} (the password "
                      "comes from ~/.pgpass or PGPASSWORD)")


def _init_database(call: Invocation) -> int:
    """``relboard init``: make the configured database (an existing one is kept as it is)."""
    from relboard.db import close_database, mask_url, open_database, parse_database_spec

    config = call.config
    kind, where = parse_database_spec(config.database)
    existed = kind != "sqlite" or Path(where).exists()
    empty = kind == "sqlite" and existed and _is_empty_file(Path(where))
    open_database(config.database, empty_ok=True)  # init on a 0-byte file: a board, on purpose
    close_database()
    shown = str(Path(where).absolute()) if kind == "sqlite" else mask_url(where)
    print(f"database {shown}: " + ("was an empty (0-byte) file; made it an empty board"
                                   if empty else "exists; kept it as it was" if existed
                                   else "made (empty)"))
    return EXIT_OK


def _is_empty_file(path: Path) -> bool:
    """A regular file of 0 bytes (what ``init`` turns into a board on purpose)."""
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def _init(call: Invocation) -> int:
    """``init``: the configured database; ``init --shared DIR``: a team folder and its
    database, and the config snippet for the colleagues."""
    args = call.args
    if not args.shared:
        return _init_database(call)
    from relboard.services.shared_setup import init_shared

    setup = init_shared(args.shared, args.group)
    what = "made" if setup.created else "kept the existing"
    print(f"{what} database {setup.database}; folder {setup.folder} is group "
          f"{setup.group}, mode 2770 (setgid); the database mode 0660")
    print(f"config for your colleagues (also in {setup.snippet_path}):\n")
    print(setup.snippet)
    if setup.umask_note:
        print(f"note: {setup.umask_note}")
    return EXIT_OK


def _backup(call: Invocation) -> int:
    """``backup DEST``: a consistent copy of the SQLite file, checked."""
    from relboard.services.backup import backup_file

    copied = backup_file(_sqlite_path(call, "backup"), call.args.dest)  # "" stays ""
    print(f"backed up to {copied.path}: {plural(copied.records, 'record')}, schema version "
          f"{copied.schema}, integrity ok")
    return EXIT_OK


def _restore(call: Invocation) -> int:
    """``restore SRC``: a backup in place of the database, the old one kept."""
    from relboard.services.restore import restore_file

    args = call.args
    done = restore_file(Path(args.src), _sqlite_path(call, "restore"), force=args.force)
    print(f"restored {args.src} into {done.database}: {plural(done.records, 'record')}, schema "
          f"version {done.schema}, integrity ok")
    if done.kept is not None:
        print(f"the replaced database is kept as {done.kept}")
    if done.others_present:
        print("others had it open: their boards say 'deleted or replaced'; they restart "
              "relboard")
    return EXIT_OK


INIT = Command("init", "make the configured database (with --shared: prepare a team database "
               "folder several users share)", _init, _init_arguments,
               opens_database=False, with_demo=False)
BACKUP = Command("backup", "copy the database consistently while others work", _backup,
                 _backup_arguments, opens_database=False, with_demo=False)
RESTORE = Command("restore", "put a backup in place of the database (keeps the old one)",
                  _restore, _restore_arguments, opens_database=False, with_demo=False)
