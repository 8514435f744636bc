"""Screens that refresh when someone else saves: poll the database's change counter.

The poll never reads on the UI thread: each reading runs on the board's poll thread (one
thread, one connection, made with the first poll: SQLite's ``data_version`` only compares
readings of the same connection); its answer comes back to the screen on the UI thread when
there is one (the counter moved, a failure). A reading is asked for only when the last one
has ended, so a slow database never piles polls up. The board's own saves are left out
(``changes.since`` with the undo journal's ``mine``): the screen that saved shows them
already, once.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode

from relboard.widgets.service_caller import explain
from relboard.widgets.write_queue import WriteQueue

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

POLL_SECONDS = 1.0
"""Other PMs' saves show within about a second; a poll reads one counter (SQLite: ~3 µs)."""


def _changes():
    """The change counter's service (imported when a screen first polls: after Today is
    drawn, not before)."""
    from relboard.services import changes

    return changes


def polls_of(app: Any) -> WriteQueue:
    """The app's poll thread (one per board; closed with the board, ``RelboardApp``)."""
    found = getattr(app, "_poll_queue", None)
    if found is None:
        from relboard.widgets.service_caller import _end_of_thread

        found = app._poll_queue = WriteQueue(name="relboard-poll", on_exit=_end_of_thread)
    return found


Reading = tuple[int | None, int | None, bool, BaseException | None]
"""A poll's answer: the counter, the audit mark, whether others saved records, the failure."""


def read_changes(seen: int | None, audit: int | None, mine: Any) -> Reading:
    """(The poll thread) the counter; when it moved, whether someone else saved a record
    since audit row ``audit`` (the day's health snapshots, say, change no list, and must not
    send one back to its first window). Never raises."""
    changes = _changes()
    try:
        now = changes.version()
    except Exception as exc:  # noqa: BLE001 - a vanished database must not end the board
        return seen, audit, False, exc
    if now == seen:
        return now, audit, False, None
    try:
        if audit is None:
            return now, changes.latest(), seen is not None, None
        audit, kinds = changes.since(audit, mine)
    except Exception:  # noqa: BLE001 - the counter moved: read the screen again
        return now, audit, True, None
    return now, audit, kinds is None or bool(kinds), None


def on_top(node: Any) -> bool:
    """Whether ``node``'s screen is the one on top. Textual's ``is_current`` also counts the
    screen just beneath the top one, whatever covers it, so a Portfolio under the list of
    one of its figures worked its figures out at every save (0.55 s at 1M records)."""
    try:
        return node.screen is node.app.screen
    except Exception:  # noqa: BLE001 - no screen stack (ending), or not mounted: not shown
        return False


class LiveRefresh(DOMNode):
    """Mixin: call ``start_live_refresh(callback)`` on mount; ``callback`` runs after changes."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    _live_seen: int | None = None
    _live_audit: int | None = None
    _live_callback = None
    _live_now = None
    _live_asking = False
    _away = False

    def on_screen_suspend(self) -> None:
        """Another screen came on top: the next resume is a return (see ``returned``)."""
        self._away = True

    def returned(self) -> bool:
        """True once after coming back from another screen; False on the first showing, so a
        screen loads once at start, not twice."""
        back, self._away = self._away, False
        return back

    def live_shown(self) -> bool:
        """Whether this screen is the one on top (``on_top``)."""
        return on_top(self)

    def start_list_refresh(self, table: Any) -> None:
        """``start_live_refresh`` for a screen that shows one ``PagedTable``: others' saves
        reload it after its rest (``live_reload``), the user's asking at once (``reload``)."""
        self.start_live_refresh(table.live_reload, now=table.reload)

    def start_live_refresh(self, callback, now=None) -> None:
        """Poll every ``POLL_SECONDS`` while this screen is active; the first reading (the
        marks later ones compare with) is asked for at once. ``callback`` runs after others'
        saves; ``now`` (default: ``callback``) when the user asks (``ctrl+r``, an undo): a
        screen whose refreshes rest (``OneAtATime``) reads again at once then."""
        self._live_callback, self._live_now = callback, now
        self._live_seen = self._live_audit = None
        self._ask_changes()
        self.set_interval(POLL_SECONDS, self._poll)

    def refresh_now(self) -> None:
        """Show the stored data again now (after an undo, which the poll leaves out)."""
        callback = self._live_now or self._live_callback
        if callback is not None:
            callback()

    def read_again(self) -> None:
        """``ctrl+r``: read what the screen shows again now (the app's ``refresh``)."""
        self.refresh_now()

    def _poll(self) -> None:
        if self.live_shown() and not self._live_asking:
            self._ask_changes()

    def _ask_changes(self) -> None:
        """Read the counter on the poll thread; ``_answered`` gets the reading on the UI
        thread, only when there is something to do (a quiet board is not woken every poll)."""
        self._live_asking = True
        app, seen, audit = self.app, self._live_seen, self._live_audit
        # the journal (loaded with the database code) once the first reading is in: Today is
        # drawn by then
        mine = None if audit is None else getattr(getattr(app, "journal", None), "mine", None)
        loop = asyncio.get_running_loop()
        # the answer runs in this context, as a message handler would: Textual's (the active
        # app and screen); without it, a timer set on the way never fires (its task fails)
        context = contextvars.copy_context()

        def run() -> None:
            reading = read_changes(seen, audit, mine)
            now, marks, _saved, problem = reading
            if (problem is None and now == seen and marks == audit
                    and not getattr(app, "_live_failure_reported", False)):
                self._live_asking = False  # nothing moved: nothing to tell
                return
            loop.call_soon_threadsafe(self._answered, reading, context=context)

        polls_of(app).submit(run)

    def _answered(self, reading: Reading) -> None:
        self._live_asking = False
        if not self.is_attached:
            return
        now, audit, saved, problem = reading
        if problem is not None:
            self._say_unreadable(problem)
            return
        self.app._live_failure_reported = False  # back (a server restarted): said again later
        if saved and not self.live_shown():
            return  # left meanwhile: the next poll, once back, sees these saves again
        self._live_seen, self._live_audit = now, audit
        if saved and self._live_callback is not None:
            self._live_callback()

    def _say_unreadable(self, exc: BaseException) -> None:
        """The counter could not be read (the database file deleted or replaced, a lost
        server): said once for the whole board, never ending it."""
        if getattr(self.app, "_live_failure_reported", False):
            return
        self.app._live_failure_reported = True
        problem = str(explain(exc))
        self.app.notify(problem if not problem.startswith("unexpected") else
                        f"Could not check for other people's changes: {problem}",
                        title="Database problem", severity="error", markup=False, timeout=30)
