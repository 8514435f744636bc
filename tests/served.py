"""``relboard serve`` run as a user runs it, for the tests of the board in a browser: a sample
board, the server started on a free port, its sessions' board processes, a websocket client.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from relboard.db import close_database, open_database
from relboard.services.context import Context
from relboard.services.sample import load_sample
from tests.conftest import NOW, TODAY

SCREEN = "Today —"
"""What the board shows once Today is drawn (as the pty tests wait for it)."""
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
"""Colours and cursor moves: a line redrawn in pieces reads as its text without them."""


def sample_board(tmp_path: Path, user: str = "alex") -> tuple[str, str]:
    """A sample board and a config naming it (and ``user``); (database, config)."""
    database = str(tmp_path / "board.db")
    open_database(database)
    try:
        load_sample(Context(user=user, now_override=NOW))
    finally:
        close_database()
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{database}"\nuser: {user}\nanimations: false\n')
    return database, str(config)


def serve_env(config: str) -> dict[str, str]:
    """The environment of the server (and so of its boards): the config, a pinned today."""
    return {**os.environ, "RELBOARD_CONFIG": config, "RELBOARD_TODAY": TODAY.isoformat(),
            "TEXTUAL_ANIMATIONS": "none"}


@dataclass
class Served:
    """A running ``relboard serve``: its process, the line it printed, port and token."""

    process: subprocess.Popen
    line: str
    port: int = 0
    token: str | None = None
    output: list[str] = field(default_factory=list)

    def url(self, path: str = "/", token: str | None = "") -> str:
        """``path`` on the server, through 127.0.0.1, with the token (``token=""``), another
        one, or none (None)."""
        token = self.token if token == "" else token
        query = f"?token={token}" if token else ""
        return f"http://127.0.0.1:{self.port}{path}{query}"

    def boards(self) -> list[int]:
        """The process ids of the server's children: its sessions' boards."""
        return children(self.process.pid)

    def stop(self, number: int = signal.SIGINT, timeout: float = 15) -> tuple[int, float]:
        """Send ``number`` and wait for the end; (exit code, seconds it took)."""
        start = time.monotonic()
        self.process.send_signal(number)
        code = self.process.wait(timeout=timeout)
        return code, time.monotonic() - start


def children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@contextlib.contextmanager
def served(config: str, *args: str) -> Iterator[Served]:
    """``relboard serve --port 0 ARGS`` until its first line says where it listens; stopped
    (and killed if it must be) at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "relboard", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=serve_env(config),
        start_new_session=True)
    try:
        line = _first_line(process, 30)
        found = re.search(r"http://\S+?:(\d+)/(?:\?token=(\S+))?", line)
        assert found, f"serve said: {line!r}"
        yield Served(process, line, int(found.group(1)), found.group(2))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _first_line(process: subprocess.Popen, seconds: float) -> str:
    """The first line ``process`` prints (what serve says when it listens)."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    line = process.stdout.readline() if ready else ""
    assert line, f"serve said nothing in {seconds} s (exit code {process.poll()})"
    return line


async def drawn(websocket, text: str = SCREEN, seconds: float = 20) -> str:
    """Read the board's output from ``websocket`` (an aiohttp client's) until ``text`` is
    drawn; all of it, as text without escapes."""
    import aiohttp

    seen, end = b"", time.monotonic() + seconds
    while text.encode() not in seen:
        left = end - time.monotonic()
        assert left > 0, f"{text!r} not drawn in {seconds} s: {seen[-500:]!r}"
        try:  # not receive(timeout=): aiohttp forgets it once it has answered a ping
            async with asyncio.timeout(left):
                message = await websocket.receive()
        except TimeoutError:
            raise AssertionError(f"{text!r} not drawn in {seconds} s: {seen[-800:]!r}") from None
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += ESCAPES.sub(b"", message.data)
    return seen.decode("utf-8", "replace")
