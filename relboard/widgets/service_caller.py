"""The one way a screen or widget runs work off the UI thread: ``call_service``.

A busy database never freezes the screen, and no failure is ever silent:

* a **write** (the default) runs on the board's write queue (``write_queue``: one thread,
  first asked first run, so a board's own keys never race each other and each write is built
  on the one before); an async worker awaits it;
* a **read** (``parallel=True``) runs at once in a thread worker of its own, not waiting
  behind queued writes (``group``/``exclusive``: a newer read of the same group replaces an
  older one, whose answer is then dropped).

Either way ``done(result)`` runs on the UI thread, or the refusal (validation, conflict, busy, a
damaged file, a server away: ``services.failures.explain``) is shown in one line and
``failed(error)`` runs, so a form keeps what the user typed. A ``placeholder`` ("Loading…")
shows the failure's line instead of waiting for good, and an exception in ``done`` itself is
said in one line too. ``worker_failed`` is the app's safety net for any other worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState, get_current_worker

from relboard.services import ConflictError, NotFoundError, ServiceError
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


def one_line(exc: BaseException) -> str:
    """Any failure as the one line a user sees (``explain``), never a traceback."""
    return str(explain(exc))


def worker_failed(app: Any, worker: Worker) -> None:
    """The safety net for a worker that ended with an exception (Textual's
    ``Worker.StateChanged`` in ``ERROR``; workers run with ``exit_on_error=False``): one line,
    and the board goes on."""
    error = worker.error
    if error is None:
        return
    app.notify(one_line(error), title="Something went wrong", severity="error",
               markup=False, timeout=8)


class ServiceCaller(DOMNode):
    """Mixin for screens and widgets that call services (see the module)."""

    def call_service(self, fn: Callable[..., Any], *args: Any,
                     done: Callable[[Any], None] | None = None,
                     failed: Callable[[ServiceError], None] | None = None,
                     notify_errors: bool = True, parallel: bool = False,
                     placeholder: Any = None, group: str | None = None,
                     exclusive: bool = False, **kwargs: Any) -> Worker:
        """Run ``fn(*args, **kwargs)`` on the board's write queue (after every call asked
        before it has ended), or at once in a thread (``parallel``: a read); report back on
        the UI thread (see the module). ``placeholder``: a widget with an ``update`` showing
        "Loading…" until ``done`` fills it; a failure shows its line there.

        What it changes is one step of the app's undo journal (``u`` takes it back)."""
        app = self.app
        getattr(app, "journal", None)  # made here, on the UI thread: never by two threads

        def report(outcome: Outcome, worker: Worker | None = None) -> None:
            if worker is not None and worker.is_cancelled or not self.is_attached:
                return  # replaced by a newer read, or its screen has gone
            result, problem, loud = outcome
            try:
                if problem is not None:
                    self._service_failed(problem, failed,  # a read's failed says it
                                         notify_errors or (loud and not parallel),
                                         read=parallel)
                elif done is not None:
                    done(result)
                    return
            except Exception as exc:  # noqa: BLE001 - shown in one line; the board stays up
                problem = explain(exc)
                app.notify(str(problem), title="Something went wrong", severity="error",
                           markup=False, timeout=8)
            if problem is not None and placeholder is not None:
                self._clear(placeholder, problem)

        if parallel:
            def work() -> None:
                worker = get_current_worker()
                outcome = guarded(app, fn, args, kwargs)
                if not worker.is_cancelled:
                    try:
                        app.call_from_thread(report, outcome, worker)
                    except RuntimeError:  # the app is closing: nobody to tell
                        pass

            return self.run_worker(work, thread=True, group=group or "service-read",
                                   exclusive=exclusive, exit_on_error=False)
        future = writes_of(app).submit(lambda: guarded(app, fn, args, kwargs))

        async def wait() -> None:
            report(await asyncio.wrap_future(future))

        return self.run_worker(wait, group=group or "service", exit_on_error=False)

    @staticmethod
    def _clear(placeholder: Any, problem: ServiceError) -> None:
        """Show the failure where "Loading…" was (never "Loading…" for good)."""
        from relboard.widgets.safe import plain

        try:
            placeholder.update(plain(str(problem)))
        except Exception:  # noqa: BLE001 - the placeholder left with its screen
            pass

    def leave_when_gone(self, problem: ServiceError) -> None:
        """A read's ``failed``: leave this screen when its record is gone (deleted by someone
        else); the failure itself was said already."""
        if isinstance(problem, NotFoundError) and self.app.screen is self:
            self.app.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The safety net (``worker_failed``) for this node's workers."""
        if event.state == WorkerState.ERROR:
            worker_failed(self.app, event.worker)

    def report_unreadable(self, exc: Exception, *, leave: bool = False) -> None:
        """On the UI thread: say a read failed in one line (a damaged file says to restore it;
        leave the screen if its record is gone)."""
        self.app.notify(str(explain(exc)), severity="error", markup=False, timeout=8)
        if leave and self.app.screen is self:
            self.app.pop_screen()

    def _service_failed(self, exc: ServiceError,
                        failed: Callable[[ServiceError], None] | None, notify: bool,
                        read: bool = False) -> None:
        if notify:
            title = ("Changed by someone else" if isinstance(exc, ConflictError)
                     else None if read else "Not saved")
            self.app.notify(str(exc), title=title or "", severity="error", markup=False,
                            timeout=8)
        if failed is not None:
            failed(exc)
