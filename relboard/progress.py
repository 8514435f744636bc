"""A one-line progress report on a terminal (``relboard import``), silent otherwise.

``terminal_progress(stream)`` answers a callback for ``transfer.import_file`` when ``stream``
is a terminal, else None: piped or redirected output gets no progress lines at all. The
line is redrawn in place (carriage return) at most ``per_second`` times a second and erased
by ``done()``.
"""

from __future__ import annotations

import time
from typing import Any, TextIO


class LineProgress:
    """Redraws ``importing: 42% (12.1 of 28.8 MB), 40,000 records`` on one line."""

    def __init__(self, stream: TextIO, per_second: float = 4.0) -> None:
        self.stream, self.interval = stream, 1.0 / per_second
        self.last = 0.0
        self.width = 0

    def __call__(self, done: int, total: int, records: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        share = f"{100 * done // total}% " if total else ""
        text = (f"importing: {share}({done / 1e6:.1f} of {total / 1e6:.1f} MB), "
                f"{records:,} records")
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def done(self) -> None:
        """Erase the line (nothing was drawn: nothing to erase)."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def terminal_progress(stream: Any) -> LineProgress | None:
    """A progress line on ``stream`` if it is a terminal; None when piped or redirected."""
    try:
        return LineProgress(stream) if stream.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None
