"""The app's side of a start in two processes (``relboard.prefetch``).

The board starts with the settings, the themes and Today's first board a child process
read, and without the database: Today is drawn from the board it was given, and the database
is opened right after that first frame (Textual's ``Ready``), or before the first key, click
or paste if one comes sooner. Whatever must read the database once the screen is up (the
live refresh, the clock, the day's health scores) waits for it with ``when_database_open``.

On a plain start the database was opened before the app, and all of this does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events

from relboard.prefetch import Opened, Prepared

OPEN_AFTER_SECONDS = 0.02
"""How long after the first frame the database is opened: the frame's bytes go out in
Textual's writer thread, which needs the interpreter the opening holds for tens of ms."""
INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseUp, events.Click, events.Paste,
                events.MouseScrollDown, events.MouseScrollUp)
"""What the user does: none is handled before the database is open."""


class PreparedStart:
    """Mixin for the app: ``prepared`` (None: a plain start, the database already open)."""

    _prepared: Prepared | None = None
    _opened: Opened | None = None
    _waiting: list[Callable[[], Any]]

    def start_prepared(self, prepared: Prepared | None) -> None:
        """Call in ``__init__``: what the child read, if it did."""
        self._prepared = prepared
        self._first = prepared
        self._waiting = []

    @property
    def database_open(self) -> bool:
        """Whether services may be called (always, on a plain start)."""
        return self._prepared is None or self._opened is not None

    def take_first_board(self, mine: bool) -> tuple | None:
        """The first board read at start, once, for Today in the view it was read for:
        (audit mark, what Today's read gives); None otherwise."""
        first, self._first = self._first, None
        if first is None or first.mine != mine:
            return None
        return first.seen, first.first

    def when_database_open(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` now if the database is open, else as soon as it is."""
        if self.database_open:
            fn()
        else:
            self._waiting.append(fn)

    def open_database_now(self) -> None:
        """Open the database (once), then run what waited for it. A database that can no
        longer be opened ends the board with the reason."""
        if self.database_open:
            return
        try:
            self._opened = Opened(self._prepared.config)
        except Exception as exc:  # noqa: BLE001 - said in one line, not a traceback
            self.exit(return_code=2, message=f"relboard: {exc}")  # type: ignore[attr-defined]
            return
        waiting, self._waiting = self._waiting, []
        for fn in waiting:
            fn()

    def close_database(self) -> None:
        """When the board ends: close what ``open_database_now`` opened."""
        opened, self._opened = self._opened, None
        if opened is not None:
            opened.close()

    async def on_event(self, event: events.Event) -> None:
        """The first frame is out: open the database; the first key, click or paste opens it
        first if that has not yet."""
        if not self.database_open:
            if isinstance(event, events.Ready):
                self.set_timer(OPEN_AFTER_SECONDS, self.open_database_now)  # type: ignore
            elif isinstance(event, INPUT_EVENTS):
                self.open_database_now()
        await super().on_event(event)  # type: ignore[misc]
