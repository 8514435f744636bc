"""Calling services off the UI thread: a busy database never freezes the screen.

``call_service`` runs a service function on the board's write queue (``write_queue``: one
thread, first asked first run, so a board's own keys never race each other and each write is
built on the one before), then calls ``done(result)`` on the UI thread, or shows the refusal
(validation, conflict, busy, a damaged file, a server away) in one line and calls
``failed(error)`` so a form can keep what the user typed. ``parallel=True`` (reads that write
nothing) runs in a thread worker of its own instead, not waiting behind queued writes.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager
from typing import Any, Callable

from textual.dom import DOMNode
from textual.worker import Worker

from relboard.services import ConflictError, ServiceError
from relboard.widgets.write_queue import WriteQueue


def recording_for(app: Any) -> AbstractContextManager:
    """``journal.recording`` of the app's undo journal (the journal is imported with the first
    service call, not before Today is drawn)."""
    from relboard.services.journal import recording

    return recording(getattr(app, "journal", None))


def explain(exc: BaseException) -> ServiceError:
    """Any failure of a service call as the one line a user sees (``services.failures``)."""
    from relboard.services.failures import explain as explained

    return explained(exc)


def _end_of_thread() -> None:
    from relboard.services.failures import end_of_thread

    end_of_thread()


def writes_of(app: Any) -> WriteQueue:
    """The app's write queue (one per board), made with its first write."""
    found = getattr(app, "_write_queue", None)
    if found is None:
        found = app._write_queue = WriteQueue(on_exit=_end_of_thread)
    return found


Outcome = tuple[Any, ServiceError | None, bool]
"""A call's result, or the refusal to show and whether to notify it even when told not to."""


def guarded(app: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Outcome:
    """Run ``fn`` (in a worker thread) as one undo step; never raises an ``Exception``."""
    try:
        with recording_for(app):  # what it changes can be undone (u)
            return fn(*args, **kwargs), None, False
    except Exception as exc:  # noqa: BLE001 - a lost database must not end the board
        return None, explain(exc), not isinstance(exc, ServiceError)


class ServiceCaller(DOMNode):
    """Mixin for screens and widgets that call services."""

    def call_service(self, fn: Callable[..., Any], *args: Any,
                     done: Callable[[Any], None] | None = None,
                     failed: Callable[[ServiceError], None] | None = None,
                     notify_errors: bool = True, parallel: bool = False,
                     **kwargs: Any) -> Worker:
        """Run ``fn(*args, **kwargs)`` on the board's write queue (after every call asked
        before it has ended); report back on the UI thread. ``parallel``: a read, run at once
        in a thread of its own.

        What it changes is one step of the app's undo journal (``u`` takes it back)."""
        app = self.app

        def report(outcome: Outcome) -> None:
            result, problem, loud = outcome
            if problem is not None:
                self._service_failed(problem, failed, notify_errors or loud)
            elif done is not None:
                done(result)

        if parallel:
            def work() -> None:
                outcome = guarded(app, fn, args, kwargs)
                app.call_from_thread(report, outcome)

            return self.run_worker(work, thread=True, group="service-read",
                                   exit_on_error=False)
        future = writes_of(app).submit(lambda: guarded(app, fn, args, kwargs))

        async def wait() -> None:
            report(await asyncio.wrap_future(future))

        return self.run_worker(wait, group="service", exit_on_error=False)

    def report_unreadable(self, exc: Exception, *, leave: bool = False) -> None:
        """On the UI thread: say a read failed in one line (a damaged file says to restore it;
        leave the screen if its record is gone)."""
        self.app.notify(str(explain(exc)), severity="error", markup=False, timeout=8)
        if leave and self.app.screen is self:
            self.app.pop_screen()

    def _service_failed(self, exc: ServiceError,
                        failed: Callable[[ServiceError], None] | None, notify: bool) -> None:
        if notify:
            title = "Changed by someone else" if isinstance(exc, ConflictError) else "Not saved"
            self.app.notify(str(exc), title=title, severity="error", markup=False, timeout=8)
        if failed is not None:
            failed(exc)
