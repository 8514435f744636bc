"""The board ends as ``q`` ends it when its terminal goes away or it is asked to stop.

A dropped SSH session, a closed terminal window or tmux's kill-session send SIGHUP; ``kill``
and a shutdown send SIGTERM. Either, by default, ends the process where it stands: the
database is not closed and ``--demo``'s temporary folder (a copy of the sample board) stays
in /tmp. Here either asks the app to exit (exit code 128 + the signal's number, as a shell
reports a process ended by it), so every ``finally`` on the way out runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading

LEAVE_ON = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM")
                 if hasattr(signal, name))
"""The signals that end the board in order."""
FORCE_AFTER_SECONDS = 5.0
"""How long the board has to end in order once signalled; then the process ends where it
stands, as it did before (a board that hung on its way out, its terminal gone, stayed alive
with the database open)."""


class LeaveOnSignals:
    """Mixin for the app: ``leave_on_signals`` once it runs (in its ``on_mount``)."""

    def leave_on_signals(self) -> None:
        """Exit in order on SIGHUP and SIGTERM. Not for a headless app (tests): the signals
        are the test runner's own."""
        if self.is_headless:  # type: ignore[attr-defined]
            return
        loop = asyncio.get_running_loop()
        for number in LEAVE_ON:
            try:
                loop.add_signal_handler(number, self._leave, number)
            except (NotImplementedError, RuntimeError, ValueError):  # not here, or not main
                continue

    def _leave(self, number: int) -> None:
        """Exit as ``q`` does. If that has not ended the process within
        ``FORCE_AFTER_SECONDS`` (the way out stuck, say on a lock or a worker), it ends where
        it stands; so does the same signal again."""
        try:
            asyncio.get_running_loop().remove_signal_handler(number)
        except (RuntimeError, ValueError):
            pass
        timer = threading.Timer(FORCE_AFTER_SECONDS, os._exit, args=(128 + number,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=128 + number)  # type: ignore[attr-defined]
