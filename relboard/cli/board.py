"""The board itself (``relboard`` with no command), declared as the commands are."""

from __future__ import annotations

import os
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, GLOBAL_OPTIONS, Command, Invocation

DUMB_TERMINALS = ("dumb", "unknown")
"""TERM values of terminals that cannot draw a screen (no cursor movement)."""
FRAMES_PER_SECOND = 120
"""Textual's frame cap for the board unless ``TEXTUAL_FPS`` sets one. Textual paints a change at
the next frame, and a change that misses one waits for the frame after it (its timer skips to
a whole frame ahead): at its 60 that was up to 33 ms between Today's list being ready and on
screen after a triage key (``benchmarks/bench_repaint.py``). The board changes on keys, not
continuously, so a higher cap paints no more frames, only sooner; a held key or an animated
scroll is still one frame per change at most."""


def _terminal_problem(call: Invocation) -> int | None:
    """A terminal that cannot draw the board (``TERM=dumb``: an editor's shell, a pipe to a
    printer) is refused before anything is opened, with what works there instead."""
    term = os.environ.get("TERM", "").strip().lower()
    if term in DUMB_TERMINALS:
        print(f"relboard: this terminal (TERM={term}) cannot draw the board; "
              "`relboard digest` prints today's list as text, or run relboard in a terminal "
              "(TERM=xterm-256color)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return None


def _before_open(call: Invocation) -> int | None:
    """Refuse a terminal that cannot draw the board; else, on a SQLite board, load Peewee
    without its PostgreSQL driver (``_peewee_for_sqlite``)."""
    problem = _terminal_problem(call)
    if problem is None:
        _peewee_for_sqlite(call)
    return problem


def _peewee_for_sqlite(call: Invocation) -> None:
    """The board on a SQLite file (or ``--demo``'s) loads Peewee without letting it look for
    psycopg2: the driver and what it loads (ssl, uuid) were ~10 ms of every start, and a
    board process never opens a second database. Peewee takes the driver as absent; the
    package itself stays importable."""
    if "peewee" in sys.modules or "psycopg2" in sys.modules:
        return
    if not call.demo:
        from relboard.dburl import parse_database_spec
        from relboard.errors import DatabaseSpecError

        try:
            kind, _ = parse_database_spec(call.config.database)
        except DatabaseSpecError:
            return  # said as the database is opened
        if kind != "sqlite":
            return
    sys.modules["psycopg2"] = None  # type: ignore[assignment]  # "not installed", to Peewee
    try:
        import peewee  # noqa: F401 - loaded now, without the driver
    finally:
        del sys.modules["psycopg2"]


def _board(call: Invocation) -> int:
    """Run the board on the open database until the user leaves it."""
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))  # before Textual is loaded
    from relboard import startup_gc
    from relboard.app import RelboardApp
    from relboard.services import prepared, prepared_kept

    prepared_kept.enable(call.config)  # Today's first read from the texts written before
    startup_gc.after_release(prepared_kept.save)  # ... and what it had to write, kept
    prepared.write_later()  # the texts' code, once Today is painted
    startup_gc.after_release(prepared.write_code)

    app = RelboardApp(call.config, demo=call.demo)
    app.run()
    return app.return_code or EXIT_OK


BOARD = Command("", "the board", _board, before_open=_before_open, options=GLOBAL_OPTIONS)
"""Not in the registry: it is what ``relboard`` runs without a command."""
