"""As an attacker would try it: the real board in a real pty, on a database of hostile text.

The board runs as a separate process (``python -m relboard``) in a pseudo-terminal; keys are
typed into it to visit Today, help, the palette, the customers list and filter, a profile's
tabs and rows, a form, the expectation register and detail, the issue queue and detail. Every
byte it writes is kept, and the control sequences that could only come from the data are
counted: they must be zero (Textual's own pointer-shape sequence, OSC 22, is set aside).
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from relboard.db import close_database, open_database
from relboard.services.context import Context
from tests import hostile
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

ESC = "\x1b"
TOUR = ["?", ESC, "c", "/", *"pwned", "\r", "\r", "2", "\r", ESC, "3", "\r", ESC, "4", "\r",
        ESC, "5", "1", "E", ESC, ESC, "e", "\r", ESC, "i", "\r", ESC, "t", "\x10", *"pwn",
        ESC, "q"]
"""Keys as a terminal sends them (``\\r`` enter, ``\\x10`` ctrl+p)."""

SIGNS = {
    "OSC (window title, hyperlink)": "\x1b]",
    "BEL": "\x07",
    "NUL": "\x00",
    "clear screen from data": "\x1b[2J",
    "colour from data": "\x1b[31m",
    "leave alternate screen from data": "\x1b[?1049lred",
}


def _run_board(database: str, config: str, cwd: str) -> str:
    """The board's whole output for ``TOUR``, decoded; the process must end by itself."""
    env = {**os.environ, "RELBOARD_CONFIG": config, "RELBOARD_DATABASE": database,
           "RELBOARD_TODAY": TODAY.isoformat(), "TERM": "xterm-256color", "COLUMNS": "100",
           "LINES": "30", "TEXTUAL_ANIMATIONS": "none"}
    env.pop("NO_COLOR", None)
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "relboard"], stdin=slave, stdout=slave,
                            stderr=slave, env=env, cwd=cwd, close_fds=True, start_new_session=True)
    os.close(slave)
    out = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    out.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        read_for(4.0)
        for key in TOUR:
            os.write(master, key.encode())
            read_for(0.6 if key == ESC else 0.35)
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            read_for(0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)
    return out.decode("utf-8", "replace")


def _database(tmp_path, name: str) -> str:
    path = str(tmp_path / name)
    open_database(path)
    hostile.seed(Context(user="alice", now_override=NOW), TODAY)
    close_database()
    return path


TEXTUAL_OWN = re.compile("\x1b\\]22;[a-z-]*\x07")
"""What Textual itself writes of these kinds: OSC 22, the mouse pointer's shape."""


def _counts(text: str) -> dict[str, int]:
    text = TEXTUAL_OWN.sub("", text)
    counts = {name: text.count(sign) for name, sign in SIGNS.items()}
    counts["C1, bidi or other C0 characters"] = len(
        [c for c in hostile.CONTROL.findall(text) if c not in "\x1b\r\x08\x07\x00"])
    return counts


def test_no_control_sequence_from_data_reaches_the_terminal(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("user: alice\nanimations: false\n")
    out = _run_board(_database(tmp_path, "hostile.db"), str(config), str(tmp_path))
    assert "Customers" in out and "Expectations" in out  # the tour reached the screens
    assert "\ufffd]0;pwned" in out  # the hostile names were shown, neutralised
    found = _counts(out)
    assert all(n == 0 for n in found.values()), found
