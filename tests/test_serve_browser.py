"""The board in a browser: ``relboard serve`` opened in headless Chromium (the system's, through
Playwright), keys pressed on the page as a user presses them, the change stored.

What the board draws reaches the page over its websocket (xterm.js paints it on a canvas): the
test reads those frames to know what is on the screen before pressing the next key.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

from tests.browser import chromium_page
from tests.conftest import TODAY
from tests.served import ESCAPES, SCREEN, sample_board, served

TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


class Screen:
    """What the page's websocket brought from the board, as text (escapes left out)."""

    def __init__(self, page) -> None:
        self.page, self.data = page, bytearray()
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):  # the board's output; text frames are pongs
            self.data += ESCAPES.sub(b"", payload)

    def wait_for(self, text: str, seconds: float = 15, since: int = 0) -> int:
        """Wait until ``text`` is drawn (after byte ``since``); where the data ends now."""
        end = time.monotonic() + seconds
        while text.encode() not in self.data[since:]:
            assert time.monotonic() < end, f"{text!r} not drawn in {seconds} s: " \
                f"{bytes(self.data[since:])[-3000:]!r}"
            self.page.wait_for_timeout(50)  # lets Playwright deliver the frames
        return len(self.data)


def _snoozes(database: str) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT user, entity, field, new FROM activity "
                            "WHERE action = 'snooze'").fetchall()


def test_a_key_pressed_in_the_browser_snoozes_an_item_and_it_is_stored(tmp_path):
    database, config = sample_board(tmp_path, user="alex")
    with chromium_page() as page, served(config) as server:
        screen = Screen(page)
        page.goto(server.url("/"))
        at = screen.wait_for(SCREEN)
        page.wait_for_selector("body.-first-byte", timeout=10_000)  # the terminal is shown
        page.focus(".xterm-helper-textarea")  # the terminal has the keyboard
        page.keyboard.press("z")
        at = screen.wait_for("Snooze:", since=at)
        page.keyboard.press("Enter")  # the proposed day: tomorrow
        screen.wait_for(f"Snoozed until {TOMORROW}", since=at)
        # Stored by the configured user, as the terminal board stores it.
        assert [(user, new) for user, _, _, new in _snoozes(database)] == [("alex", TOMORROW)]
        boards = server.boards()
        assert len(boards) == 1  # this page's own board process


def test_off_loopback_the_browser_gets_in_with_the_printed_url_only(tmp_path):
    """The token in the printed URL opens the page, and the page's websocket gets in with
    the cookie the page left (the browser's own way, SameSite included)."""
    _, config = sample_board(tmp_path)
    with chromium_page() as page, served(config, "--host", "0.0.0.0") as server:
        screen = Screen(page)
        response = page.goto(server.url("/", token=None))
        assert response.status == 403 and "needs its token" in page.content()
        assert not screen.data and not server.boards()
        page.goto(server.url("/"))  # as printed, through 127.0.0.1
        screen.wait_for(SCREEN)
        assert len(server.boards()) == 1
