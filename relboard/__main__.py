"""The ``relboard`` command: wires config -> database -> services, the board or a command
(``commands``, ``capture``, ``admin``).

Exit codes: 0 ok, 1 a problem found (``check``) or the database stayed busy, 2 bad input
(config, database location, import file, arguments) or an unusable database (one line
each), 141 (128 + SIGPIPE, as for a process
killed by it) when the reader of standard output went away (``relboard export | head -1``):
the command then stops quietly.

Nothing a command writes holds a control character from data, config or a file: digest and
export escape them in their own formats, and everything else on standard output and error
passes through ``_TerminalSafe``, which shows a control as ``\x1b`` (as ``repr`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence

EXIT_OK, EXIT_PROBLEM, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 141


class _TerminalSafe(io.TextIOBase):
    """A text stream that writes through to ``raw`` with every control character except
    newline and tab shown as an escape: the last guard of what a command prints."""

    def __init__(self, raw) -> None:
        from relboard.text import escaped

        self.raw, self._escaped = raw, escaped

    def write(self, text: str) -> int:
        """Write ``text`` with its controls escaped; returns ``len(text)`` like a stream."""
        self.raw.write(self._escaped(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream (a closed pipe raises BrokenPipeError here)."""
        self.raw.flush()

    def fileno(self) -> int:
        """The underlying stream's file descriptor."""
        return self.raw.fileno()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return self.raw.isatty()

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        """The underlying stream's encoding."""
        return getattr(self.raw, "encoding", None)


def _quiet(stream) -> None:
    """After a broken pipe: point ``stream``'s file at /dev/null so the exit flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind the stream
        pass


BOARD_FLAGS = {"--demo": "demo", "--mine": "mine", "--read-only": "read_only",
               "--create": "create"}
"""The board's options without a value, as ``_parser`` names them."""


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments. The board with none, or only flags of ``BOARD_FLAGS``, is read without
    building the whole parser (its subcommands' modules included), to what it would give."""
    words = sys.argv[1:] if argv is None else list(argv)
    if all(word in BOARD_FLAGS for word in words):
        return argparse.Namespace(command=None, **{BOARD_FLAGS[w]: True for w in words})
    return _parser().parse_args(argv)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (default: $RELBOARD_CONFIG, else the user config dir)")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="use a fresh temporary database loaded with the sample portfolio")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="a viewer: open the database read-only, hide every write action")
    common.add_argument("--create", action="store_true", default=argparse.SUPPRESS,
                        help="make the database file if it does not exist (otherwise a "
                             "missing file is an error, except the default one on first run)")
    common.add_argument("--mine", action="store_true", default=argparse.SUPPRESS,
                        help="Today and the digest in my view: my customers, my issues and "
                             "expectations, and unowned ones")
    parser = argparse.ArgumentParser(
        prog="relboard", parents=[common],
        description="A keyboard-driven board for customer relationships while projects run.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    digest = sub.add_parser("digest", parents=[common], help="print today's attention list")
    digest.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    digest.add_argument("--user", metavar="NAME",
                        help="NAME's view (their customers, issues, expectations and unowned "
                             "ones), e.g. for a cron mail per PM")
    digest.add_argument("--all", action="store_true",
                        help="every item (default: the first 50 of each group, and a count)")
    check = sub.add_parser("check", parents=[common],
                           help="validate the config and the database")
    check.add_argument("--repair", action="store_true",
                       help="recompute the stored clocks behind Today (SLA clocks, last "
                            "contacts) first")
    imp = sub.add_parser("import", parents=[common],
                         help="import a YAML file (all or nothing)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--merge", action="store_true",
                     help="records whose id is already stored update it (version checked) "
                          "instead of refusing the import as duplicates")
    exp = sub.add_parser("export", parents=[common], help="export everything as YAML")
    exp.add_argument("file", metavar="FILE", nargs="?", help="default: standard output")
    move = sub.add_parser("migrate-to", parents=[common],
                          help="copy this board into an empty PostgreSQL database")
    move.add_argument("url", metavar="URL", help="postgresql://user@host/db")
    from relboard import admin, capture

    capture.add_commands(sub, common)
    admin.add_commands(sub, common)
    return parser


@contextlib.contextmanager
def _database(config, demo: bool, verify: bool = True,
              create: bool = True) -> Iterator[object]:
    """Open the configured database, or a temporary demo one with the sample data.

    ``verify``: refuse a shared file's bad permissions and a failed quick integrity check
    (``check`` reports them instead). While open, the file is marked in use (``presence``;
    without ``verify``, ``check``, only in a presence file already there: it makes none).
    """
    from relboard.db import close_database, open_database
    from relboard.presence import present

    if not demo:
        db = open_database(config.database, verify, read_only=config.read_only, create=create)
        try:
            with present(getattr(db, "file_path", None), create=verify):
                yield db
        finally:
            close_database()
        return
    from relboard.demo import demo_database

    with demo_database(config) as db:
        yield db


def _run(args: argparse.Namespace) -> int:
    """The board or the command of ``args``."""
    from relboard import admin, capture
    from relboard.config_check import load_config
    from relboard.launch import may_create, with_flags
    from relboard.services.context import Context

    if args.command in admin.COMMANDS:  # init, backup, restore: their own module
        return admin.run(args)

    config = with_flags(load_config(getattr(args, "config", None)), args)
    demo = getattr(args, "demo", False)
    ctx = Context.from_config(config)
    if args.command in capture.WRITES and config.read_only:
        print(f"relboard: {capture.read_only_refusal(args)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "check" and not demo:
        from relboard.commands import check_unopenable

        if (code := check_unopenable(config)) is not None:  # every problem, nothing opened
            return code
    with _database(config, demo, verify=args.command != "check",
                   create=may_create(config, args)) as db:
        if args.command is None:
            from relboard.app import RelboardApp

            app = RelboardApp(config, demo=demo)
            app.run()
            return app.return_code or EXIT_OK
        if args.command in capture.COMMANDS:  # log, issue add, expect, brief
            return capture.run(ctx, args)
        from relboard import commands

        return commands.run(args, config, ctx, db, demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(real[0]), _TerminalSafe(real[1])  # usage errors too
    try:
        return _main(argv, real)
    finally:
        sys.stdout, sys.stderr = real


FILE_ERRORS = (("relboard.services.export", "ExportFileError"),
               ("relboard.services.transfer", "ImportFileError"))
"""A file named on the command line that cannot be used (exit 2), by module and class."""


def _file_errors() -> tuple[type[BaseException], ...]:
    """The classes of FILE_ERRORS whose module is loaded: one not loaded raised nothing, and
    the board does not import the import/export code just to name its errors."""
    return tuple(getattr(sys.modules[module], name) for module, name in FILE_ERRORS
                 if module in sys.modules)


def _main(argv: Sequence[str] | None, real: tuple) -> int:
    """``main`` with standard output and error already guarded (``real``: the streams)."""
    args = _parse(argv)
    from relboard.config import ConfigError
    from relboard.errors import (
        BusyError,
        DatabaseUnusableError,  # bad, damaged, gone, full, read-only
    )

    if args.command is None:  # the board draws through Textual, which keeps data safe itself
        sys.stdout, sys.stderr = real
    try:
        code = _run(args)
        sys.stdout.flush()  # a reader that went away shows up here, not at exit
        return code
    except BrokenPipeError:
        _quiet(real[0])
        return EXIT_BROKEN_PIPE
    except (ConfigError, DatabaseUnusableError, *_file_errors()) as exc:
        print(f"relboard: {exc}" if not isinstance(exc, ConfigError) else str(exc),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except BusyError as exc:
        print(f"relboard: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except OSError as exc:
        print(f"relboard: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a read that met a damaged file: one line, not a traceback
        from relboard.db import database_failure

        if (problem := database_failure(exc)) is None:
            raise
        print(f"relboard: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
