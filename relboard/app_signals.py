"""The board ends as ``q`` ends it when its terminal goes away or it is asked to stop.

A dropped SSH session, a closed terminal window or tmux's kill-session send SIGHUP; ``kill``
and a shutdown send SIGTERM. Either, by default, ends the process where it stands: the
database is not closed and ``--demo``'s temporary folder (a copy of the sample board) stays
in /tmp. Here either asks the app to exit (exit code 128 + the signal's number, as a shell
reports a process ended by it), so every ``finally`` on the way out runs. If the way out
is stuck (a terminal that stopped reading blocks the board's last writes), the process ends
where it stands after ``FORCE_AFTER_SECONDS``, removing ``--demo``'s folder first
(``removed_if_forced``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator

LEAVE_ON = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM")
                 if hasattr(signal, name))
"""The signals that end the board in order."""
FORCE_AFTER_SECONDS = 5.0
"""How long the board has to end in order once signalled; then the process ends where it
stands, as it did before (a board that hung on its way out, its terminal gone, stayed alive
with the database open)."""


_LAST_WORDS: list[Callable[[], None]] = []
"""What a forced end still does (``removed_if_forced``)."""


@contextlib.contextmanager
def removed_if_forced(folder: str) -> Iterator[None]:
    """While inside: ``folder`` (``--demo``'s temporary board) is removed even if a signal's
    forced end stops the process where it stands — say its terminal stopped reading, so the
    board's last writes never finish and the way out cannot end in order."""
    remove = functools.partial(shutil.rmtree, folder, ignore_errors=True)
    _LAST_WORDS.append(remove)
    try:
        yield
    finally:
        _LAST_WORDS.remove(remove)


def _force_end(code: int) -> None:
    """End the process where it stands, after what ``removed_if_forced`` asked for."""
    for last in list(_LAST_WORDS):
        try:
            last()
        except Exception:  # noqa: BLE001 - ending anyway
            pass
    os._exit(code)


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
        timer = threading.Timer(FORCE_AFTER_SECONDS, _force_end, args=(128 + number,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=128 + number)  # type: ignore[attr-defined]
