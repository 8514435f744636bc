"""Calling services off the UI thread: a busy database never freezes the screen.

``call_service`` runs a service function in a thread worker, then calls ``done(result)`` on the
UI thread, or shows the refusal (validation, conflict, busy) and calls ``failed(error)`` so a
form can keep what the user typed.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Callable

from textual.dom import DOMNode
from textual.worker import Worker

from relboard.services import ConflictError, ServiceError


def recording_for(app: Any) -> AbstractContextManager:
    """``journal.recording`` of the app's undo journal (the journal is imported with the first
    service call, not before Today is drawn)."""
    from relboard.services.journal import recording

    return recording(getattr(app, "journal", None))


class ServiceCaller(DOMNode):
    """Mixin for screens and widgets that call services."""

    def call_service(self, fn: Callable[..., Any], *args: Any,
                     done: Callable[[Any], None] | None = None,
                     failed: Callable[[ServiceError], None] | None = None,
                     notify_errors: bool = True, **kwargs: Any) -> Worker:
        """Run ``fn(*args, **kwargs)`` in a thread; report back on the UI thread.

        What it changes is one step of the app's undo journal (``u`` takes it back)."""

        app = self.app

        def work() -> None:
            try:
                with recording_for(app):  # what it changes can be undone (u)
                    result = fn(*args, **kwargs)
            except ServiceError as exc:
                self.app.call_from_thread(self._service_failed, exc, failed, notify_errors)
                return
            except Exception as exc:  # noqa: BLE001 - a lost connection must not end the board
                self.app.call_from_thread(
                    self._service_failed, ServiceError(f"unexpected database error: {exc}"),
                    failed, True)
                return
            if done is not None:
                self.app.call_from_thread(done, result)

        return self.run_worker(work, thread=True, group="service", exit_on_error=False)

    def report_unreadable(self, exc: Exception, *, leave: bool = False) -> None:
        """On the UI thread: say a read failed (and leave the screen if its record is gone)."""
        self.app.notify(str(exc) if isinstance(exc, ServiceError)
                        else f"Could not read from the database: {exc}",
                        severity="error", markup=False, timeout=8)
        if leave and self.app.screen is self:
            self.app.pop_screen()

    def _service_failed(self, exc: ServiceError,
                        failed: Callable[[ServiceError], None] | None, notify: bool) -> None:
        if notify:
            title = "Changed by someone else" if isinstance(exc, ConflictError) else "Not saved"
            self.app.notify(str(exc), title=title, severity="error", markup=False, timeout=8)
        if failed is not None:
            failed(exc)
