"""Screens that refresh when someone else saves: poll the database's change counter."""

from __future__ import annotations

from textual.dom import DOMNode

from relboard.services import changes

POLL_SECONDS = 3.0


class LiveRefresh(DOMNode):
    """Mixin: call ``start_live_refresh(callback)`` on mount; ``callback`` runs after changes."""

    _live_seen: int | None = None

    def start_live_refresh(self, callback) -> None:
        """Poll every few seconds while this screen is active."""
        self._live_seen = changes.version()

        def poll() -> None:
            if not getattr(self, "is_current", True):
                return
            now = changes.version()
            if now != self._live_seen:
                self._live_seen = now
                callback()

        self.set_interval(POLL_SECONDS, poll)
