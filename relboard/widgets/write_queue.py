"""One board's writes, one at a time, in the order they were asked for.

Keys pressed quickly (two severity keys 0.1 s apart, a key while another PM holds the write
lock) must not race: run as parallel workers they would each send the version the table last
read, and the second would be refused as a conflict with the user themself, or commit before
the first and be overwritten by it. ``WriteQueue`` runs every write of a board on one thread,
first asked first run (Textual's ``exclusive`` workers would cancel the earlier ones instead);
each write starts only once the one before has ended, so it is built on its result (the
versions it made: ``services.journal`` keeps them for the board).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class WriteQueue:
    """A FIFO of calls run on one thread of their own (started with the first call)."""

    def __init__(self, name: str = "relboard-writes",
                 on_exit: Callable[[], None] | None = None) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future] | None] = \
            queue.SimpleQueue()
        self._name = name
        self._on_exit = on_exit
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False

    def submit(self, fn: Callable[[], Any]) -> Future:
        """Queue ``fn``; the returned future holds its result (or its exception)."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                future.set_exception(RuntimeError("the board is closing"))
                return future
            self._waiting += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name,
                                                daemon=True)
                self._thread.start()
            self._jobs.put((fn, future))
        return future

    def idle(self) -> bool:
        """Whether every queued call has ended."""
        with self._lock:
            return self._waiting == 0

    def close(self, timeout: float = 5.0) -> None:
        """Let what is queued finish (up to ``timeout`` s), then end the thread."""
        with self._lock:
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._jobs.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                fn, future = job
                try:
                    if future.set_running_or_notify_cancel():
                        try:
                            future.set_result(fn())
                        except BaseException as exc:  # noqa: BLE001 - handed to the caller
                            future.set_exception(exc)
                finally:
                    with self._lock:
                        self._waiting -= 1
        finally:
            if self._on_exit is not None:
                try:
                    self._on_exit()
                except Exception:  # noqa: BLE001 - a connection that cannot close is gone
                    pass
