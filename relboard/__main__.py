"""The ``relboard`` command: parses the arguments, guards what is printed and says every
failure in one line; the board or a command (``relboard.cli``) runs through ``cli.run``.

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

import io
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from relboard import startup_gc
from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEM

if TYPE_CHECKING:
    from relboard.cli.command import Arguments

__all__ = ["EXIT_BAD_INPUT", "EXIT_BROKEN_PIPE", "EXIT_OK", "EXIT_PROBLEM", "main"]
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
"""The board's options without a value, as the parser (``cli.registry``) names them."""


def _parse(argv: Sequence[str] | None) -> Arguments:
    """The arguments. The board with none, or only flags of ``BOARD_FLAGS``, is read without
    building the whole parser (its subcommands' modules included), to what it would give."""
    words = sys.argv[1:] if argv is None else list(argv)
    if all(word in BOARD_FLAGS for word in words):
        # as the parser gives them, without argparse (and gettext) loaded: ~2 ms of a start
        return cast("Arguments", SimpleNamespace(command=None,
                                                 **{BOARD_FLAGS[w]: True for w in words}))
    from relboard.cli.registry import parser

    return parser().parse_args(argv)


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
    if args.command is None:  # the board: dataclasses' code as compiled by an earlier start
        from relboard import code_kept

        code_kept.enable()
        startup_gc.after_release(code_kept.release)  # ... compiled as usual once painted
    from relboard.config import ConfigError
    from relboard.errors import (
        BusyError,
        DatabaseUnusableError,  # bad, damaged, gone, full, read-only
    )

    if args.command is None:  # the board draws through Textual, which keeps data safe itself
        sys.stdout, sys.stderr = real
        startup_gc.hold()  # until Today is painted (``startup_gc``)
        from relboard import yaml_kept

        yaml_kept.enable()  # the config and themes as parsed before, if their bytes are
        startup_gc.after_release(yaml_kept.save)  # ... and what had to be parsed, kept
    try:
        from relboard.cli.run import run

        code = run(args)
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
    finally:
        startup_gc.release()  # the board ended before Today was painted: collect as usual


if __name__ == "__main__":
    sys.exit(main())
