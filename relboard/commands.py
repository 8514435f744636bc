"""The command line's commands that read or write the board's data: digest, check, import,
export and migrate-to (``relboard.__main__`` parses the arguments, guards the output and opens
the database; ``capture`` and ``admin`` hold the others).

Each returns its exit code: 0 ok, 1 a problem found (``check``); bad input raises, and
``__main__`` says it in one line with exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEM, EXIT_BAD_INPUT = 0, 1, 2


def run(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """Run ``args.command`` on the open database ``db`` (a temporary one when ``demo``)."""
    command = COMMANDS.get(args.command)
    if command is None:
        raise AssertionError(args.command)  # pragma: no cover - the parser knows them all
    return command(args, config, ctx, db, demo)


def _digest(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """Today's attention list, as text, Markdown or JSON."""
    from relboard.services.attention import PER_GROUP as PER_DIGEST
    from relboard.services.digest import render

    if args.user is not None:
        from relboard.services.team import user_problem

        if problem := user_problem(ctx, args.user):
            print(f"relboard: --user: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
    who = args.user or (ctx.user if config.attention.mine else None)
    if args.user:
        ctx = dataclasses.replace(ctx, user=args.user)
    sys.stdout.write(render(ctx, args.format, who=who,
                            per_group=None if args.all else PER_DIGEST))
    return EXIT_OK


def _board_problems(config: Any) -> list[str]:
    """Theme files, the chosen theme and the keymap, checked as the board would at start."""
    from relboard.app import RelboardApp

    app = RelboardApp(config)
    app.load_keymap()
    return app.startup_problems


def _check(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """The config, the database (and, with ``--repair``, its stored clocks and search index
    rebuilt first), the theme and the keymap; exit code 1 if anything is wrong."""
    from relboard.db import mask_url
    from relboard.services.dbcheck import check_database

    print(f"config: {config.source or 'none found; all defaults'} — ok")
    where = "temporary demo database" if demo else mask_url(config.database)
    print(f"database: {where}")
    if args.repair:
        from relboard.db import write
        from relboard.services.clocks import rebuild
        from relboard.services.search import rebuild_index

        write(rebuild)
        print("  stored clocks: recomputed")
        if write(rebuild_index):
            print("  search index: rebuilt")
    report = check_database(db)
    for line in report.lines:
        print(f"  {line}")
    for problem in report.problems:
        print(f"  problem: {problem}")
    board = _board_problems(config)
    print("board: theme and keymap " + ("ok" if not board else "have problems"))
    for problem in board:
        print(f"  problem: {problem}")
    return EXIT_OK if report.ok and not board else EXIT_PROBLEM


def check_unopenable(config: Any) -> int | None:
    """``check`` of an SQLite file this user cannot open for writing: print every problem
    (``dbfile.writable_problems``, then the sharing ones not about the same files) without
    opening it, so nothing is made beside it; exit code 1. None: the file may be opened (or
    is a server, or is refused as unusable when opened)."""
    from relboard.db import parse_database_spec
    from relboard.dbaccess import writable_problems_of
    from relboard.sharing import sharing_problems

    kind, where = parse_database_spec(config.database)
    path = Path(os.path.abspath(where)) if kind == "sqlite" else None
    if path is None or not path.is_file():
        return None
    found = writable_problems_of(path)
    if not found:
        return None
    about = tuple(f"{p} " for p in found)
    problems = [*found.values(), *(line for line in sharing_problems(path)
                                   if not any(name in line for name in about))]
    print(f"config: {config.source or 'none found; all defaults'} — ok")
    print(f"database: {path} (not opened: it cannot be, for you, until these are fixed)")
    for problem in problems:
        print(f"  problem: {problem}")
    board = _board_problems(config)
    print("board: theme and keymap " + ("ok" if not board else "have problems"))
    for problem in board:
        print(f"  problem: {problem}")
    return EXIT_PROBLEM


def _import(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """A YAML file, all or nothing, with a progress line on a terminal."""
    from relboard.progress import terminal_progress
    from relboard.services.transfer import import_file, section_count
    from relboard.text import plural

    # quiet when piped; the line holds only numbers, so it may skip the escaping
    progress = terminal_progress(getattr(sys.stderr, "raw", sys.stderr))
    try:
        result = import_file(ctx, args.file, progress, merge=args.merge)
    finally:
        if progress:
            progress.done()
    print(f"imported {plural(result.total, 'record')}: "
          + ", ".join(section_count(s, n) for s, n in result.counts.items()))
    if args.merge:
        new = result.total - result.updated - result.unchanged
        print(f"by id: {new} new, {result.updated} updated, {result.unchanged} "
              "left as stored")
    return EXIT_OK


def _export(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """Everything as YAML, to a file (all or nothing) or standard output."""
    from relboard.safe_write import is_stdout
    from relboard.services.export import export_file, export_yaml

    if args.file is not None and not is_stdout(args.file):  # "-": standard output
        export_file(args.file, ctx.now())  # all or nothing: a temporary file, renamed
    else:
        export_yaml(sys.stdout, ctx.now())
    return EXIT_OK


def _migrate_to(args: argparse.Namespace, config: Any, ctx: Any, db: Any, demo: bool) -> int:
    """This board copied into an empty PostgreSQL database."""
    from relboard.services.migrate_to import migrate_to, report

    sys.stdout.write(report(migrate_to(db, args.url), args.url))
    return EXIT_OK


COMMANDS = {"digest": _digest, "check": _check, "import": _import, "export": _export,
            "migrate-to": _migrate_to}
"""The commands run here, by name."""
