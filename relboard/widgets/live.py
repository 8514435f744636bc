"""Screens that refresh when someone else saves: poll the database's change counter."""

from __future__ import annotations

from textual.dom import DOMNode

from relboard.services import ServiceError
from relboard.widgets.service_caller import explain


def _changes():
    """The change counter's service (imported when a screen first polls: after Today is
    drawn, not before)."""
    from relboard.services import changes

    return changes

POLL_SECONDS = 1.0
"""Other PMs' saves show within about a second; a poll reads one counter (SQLite: ~3 µs)."""


class LiveRefresh(DOMNode):
    """Mixin: call ``start_live_refresh(callback)`` on mount; ``callback`` runs after changes."""

    _live_seen: int | None = None
    _away = False

    def on_screen_suspend(self) -> None:
        """Another screen came on top: the next resume is a return (see ``returned``)."""
        self._away = True

    def returned(self) -> bool:
        """True once after coming back from another screen; False on the first showing, so a
        screen loads once at start, not twice."""
        back, self._away = self._away, False
        return back

    def start_live_refresh(self, callback) -> None:
        """Poll every few seconds while this screen is active."""
        self._live_seen = self._live_version()
        self._live_audit = self._audit_mark()
        self._live_callback = callback

        def poll() -> None:
            if not getattr(self, "is_current", True):
                return
            now = self._live_version()
            if now is not None and now != self._live_seen:
                self._live_seen = now
                if self._saved_records():
                    callback()

        self.set_interval(POLL_SECONDS, poll)

    _live_audit: int | None = None
    _live_callback = None

    def refresh_now(self) -> None:
        """Show the stored data again now (after an undo: this session's own writes do not
        move the change counter the poll reads)."""
        if self._live_callback is not None:
            self._live_callback()

    def _audit_mark(self) -> int | None:
        try:
            return _changes().latest()
        except Exception:  # noqa: BLE001 - reported by the version poll
            return None

    def _saved_records(self) -> bool:
        """Whether the commits seen saved any record (an audit row): the day's health
        snapshots, say, change no list, and must not send one back to its first window."""
        if self._live_audit is None:
            self._live_audit = self._audit_mark()
            return True
        try:
            self._live_audit, kinds = _changes().since(self._live_audit)
        except Exception:  # noqa: BLE001 - reported by the version poll
            return True
        return kinds is None or bool(kinds)

    def _live_version(self) -> int | None:
        """The change counter, or None when it cannot be read (the database file deleted or
        replaced, a lost server): said once for the whole board, never ending it."""
        try:
            seen = _changes().version()
        except Exception as exc:  # noqa: BLE001 - a vanished database must not end the board
            if not getattr(self.app, "_live_failure_reported", False):
                self.app._live_failure_reported = True
                problem = explain(exc)
                self.app.notify(str(problem) if isinstance(exc, ServiceError)
                                or not str(problem).startswith("unexpected") else
                                f"Could not check for other people's changes: {problem}",
                                title="Database problem", severity="error", markup=False,
                                timeout=30)
            return None
        self.app._live_failure_reported = False  # back (a server restarted): said again later
        return seen
