"""``relboard check``: the config, the database, the theme and the keymap, each problem on a
line; exit code 1 if there is one. A database file this user cannot open for writing is
checked without opening it (``check_unopenable``), so nothing is made beside it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from relboard.cli.command import EXIT_OK, EXIT_PROBLEM, Command, Invocation


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repair", action="store_true",
                        help="recompute the stored clocks behind Today (SLA clocks, last "
                             "contacts) first")


def _board_problems(config: Any) -> list[str]:
    """Theme files, the chosen theme and the keymap, checked as the board would at start."""
    from relboard.app import RelboardApp

    app = RelboardApp(config)
    app.load_keymap()
    return app.startup_problems


def _check(call: Invocation) -> int:
    """The config, the database (and, with ``--repair``, its stored clocks and search index
    rebuilt first), the theme and the keymap; exit code 1 if anything is wrong."""
    from relboard.db import mask_url
    from relboard.services.dbcheck import check_database

    config = call.config
    print(f"config: {config.source or 'none found; all defaults'} — ok")
    where = "temporary demo database" if call.demo else mask_url(config.database)
    print(f"database: {where}")
    if call.args.repair:
        from relboard.db import write
        from relboard.services.clocks import rebuild
        from relboard.services.search import rebuild_index

        write(lambda: rebuild(config.sla))
        print("  stored clocks: recomputed")
        if write(rebuild_index):
            print("  search index: rebuilt (the word filter's trigrams too)")
    report = check_database(call.db, config.sla)
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


def _unopenable(call: Invocation) -> int | None:
    """Before opening: a file that cannot be opened for writing is checked as it is."""
    return None if call.demo else check_unopenable(call.config)


CHECK = Command("check", "validate the config and the database", _check, _arguments,
                verify_on_open=False, before_open=_unopenable)
