"""The team-admin commands: ``init [--shared DIR]``, ``backup DEST``, ``restore SRC``.

``__main__`` adds them with ``add_commands`` and hands them to ``run``; each prints what it
did in a few lines, or raises a one-line error (``BackupError``, ``SetupError``: exit 2;
``BoardInUseError``: exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from relboard.text import plural

COMMANDS = ("init", "backup", "restore")


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    """Add the admin subcommands to the ``relboard`` parser's ``sub``."""
    init = sub.add_parser("init", parents=[common],
                          help="make the configured database (with --shared: prepare a team "
                               "database folder several users share)")
    init.add_argument("--shared", metavar="DIR",
                      help="the folder (made group-owned, setgid, mode 2770)")
    init.add_argument("--group", metavar="GROUP",
                      help="the Unix group of the PMs (default: the folder's group)")
    backup = sub.add_parser("backup", parents=[common],
                            help="copy the database consistently while others work")
    backup.add_argument("dest", metavar="DEST", help="a new file, or a folder to put it in")
    restore = sub.add_parser("restore", parents=[common],
                             help="put a backup in place of the database (keeps the old one)")
    restore.add_argument("src", metavar="SRC", help="a backup made by relboard backup")
    restore.add_argument("--force", action="store_true",
                         help="even while others have the board open")


def _sqlite_path(args: argparse.Namespace, what: str) -> Path:
    """The configured SQLite file; a PostgreSQL URL is refused with its own tool's command."""
    from relboard.config_check import load_config
    from relboard.db import mask_url, parse_database_spec
    from relboard.services.backup import BackupError, pg_dump_command, pg_restore_command

    config = load_config(getattr(args, "config", None))
    kind, where = parse_database_spec(config.database)
    if kind == "sqlite":
        return Path(where).absolute()
    if what == "backup":
        command = pg_dump_command(where, args.dest)
    else:
        command = pg_restore_command(where, args.src)
    raise BackupError(f"{what}: {mask_url(where)} is a PostgreSQL database, which relboard "
                      f"does not copy; use PostgreSQL's own tool: {command} (the password "
                      "comes from ~/.pgpass or PGPASSWORD)")


def _init_database(args: argparse.Namespace) -> int:
    """``relboard init``: make the configured database (an existing one is kept as it is)."""
    from relboard.config_check import load_config
    from relboard.db import close_database, mask_url, open_database, parse_database_spec

    if getattr(args, "demo", False):
        print("relboard: init works on the configured database, not on --demo; leave --demo "
              "out", file=sys.stderr)
        return 2
    config = load_config(getattr(args, "config", None))
    kind, where = parse_database_spec(config.database)
    existed = kind != "sqlite" or Path(where).exists()
    empty = kind == "sqlite" and existed and _is_empty_file(Path(where))
    open_database(config.database, empty_ok=True)  # init on a 0-byte file: a board, on purpose
    close_database()
    shown = str(Path(where).absolute()) if kind == "sqlite" else mask_url(where)
    print(f"database {shown}: " + ("was an empty (0-byte) file; made it an empty board"
                                   if empty else "exists; kept it as it was" if existed
                                   else "made (empty)"))
    return 0


def _is_empty_file(path: Path) -> bool:
    """A regular file of 0 bytes (what ``init`` turns into a board on purpose)."""
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    """Run the admin command in ``args``; return the exit code."""
    if args.command == "init" and not args.shared:
        return _init_database(args)
    if args.command == "init":
        from relboard.services.shared_setup import init_shared

        setup = init_shared(args.shared, args.group)
        what = "made" if setup.created else "kept the existing"
        print(f"{what} database {setup.database}; folder {setup.folder} is group "
              f"{setup.group}, mode 2770 (setgid); the database mode 0660")
        print(f"config for your colleagues (also in {setup.snippet_path}):\n")
        print(setup.snippet)
        if setup.umask_note:
            print(f"note: {setup.umask_note}")
        return 0
    if getattr(args, "demo", False):
        print(f"relboard: {args.command} works on the configured database, not on --demo; "
              "leave --demo out", file=sys.stderr)
        return 2
    if args.command == "backup":
        from relboard.services.backup import backup_file

        copied = backup_file(_sqlite_path(args, "backup"), args.dest)  # "" stays ""
        print(f"backed up to {copied.path}: {plural(copied.records, 'record')}, schema version "
              f"{copied.schema}, integrity ok")
        return 0
    from relboard.services.restore import restore_file

    done = restore_file(Path(args.src), _sqlite_path(args, "restore"), force=args.force)
    print(f"restored {args.src} into {done.database}: {plural(done.records, 'record')}, schema "
          f"version {done.schema}, integrity ok")
    if done.kept is not None:
        print(f"the replaced database is kept as {done.kept}")
    if done.others_present:
        print("others had it open: their boards say 'deleted or replaced'; they restart "
              "relboard")
    return 0
