"""``relboard serve`` without a browser: who is let in (the token, loopback hosts, other
sites' pages), one board process per session ended within 5 s of stopping, and every bad
start said in one line with exit code 2. (The browser itself: test_serve_browser.py.)"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import aiohttp
import pytest

from relboard.cli.serve import NEEDS_EXTRA, board_argv
from relboard.web import is_loopback
from tests.served import alive, drawn, sample_board, serve_env, served


def _get(url: str, **headers: str) -> tuple[int, str, dict]:
    """(status, body, headers) of a GET."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(), dict(refused.headers)


async def _handshake(url: str, **kwargs) -> int:
    """The status a websocket handshake to ``url`` gets (101: a session started)."""
    async with aiohttp.ClientSession() as http:
        try:
            async with http.ws_connect(url, **kwargs):
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def test_off_loopback_the_page_and_the_websocket_need_the_token(tmp_path):
    _, config = sample_board(tmp_path)
    with served(config, "--host", "0.0.0.0") as server:
        assert server.token and len(server.token) >= 32, server.line
        assert "token is not shown again" in server.line
        for token in (None, "not-the-token", server.token[:-1]):
            status, body, _ = _get(server.url("/", token=token))
            assert status == 403 and "needs its token" in body
            assert await _handshake(server.url("/ws", token=token)) == 403
        assert not server.boards()  # nothing refused started a board
        status, body, headers = _get(server.url("/"))
        assert status == 200
        assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in body
        assert server.token in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
        assert _get(server.url("/static/js/textual.js", token=None))[0] == 200  # public code
        # The page's websocket carries the token in the cookie the page left.
        cookie = headers["Set-Cookie"].split(";")[0]
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(server.url("/ws", token=None),
                                       headers={"Cookie": cookie}) as websocket:
                assert "Today —" in await drawn(websocket)
                assert len(server.boards()) == 1


async def test_on_loopback_no_token_but_only_localhost_names_and_its_own_pages(tmp_path):
    _, config = sample_board(tmp_path)
    with served(config) as server:
        assert server.token is None and "loopback only" in server.line and "ssh -L" in server.line
        assert _get(server.url("/"))[0] == 200
        assert _get(server.url("/"), Host=f"localhost:{server.port}")[0] == 200
        # A page of another site renamed to 127.0.0.1 (DNS rebinding) names its own host.
        status, body, _ = _get(server.url("/"), Host=f"evil.example:{server.port}")
        assert status == 403 and "localhost only" in body
        own = f"http://127.0.0.1:{server.port}"
        assert await _handshake(server.url("/ws"), origin="http://evil.example") == 403
        assert not server.boards()
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(server.url("/ws"), origin=own) as websocket:
                assert "Today —" in await drawn(websocket)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
async def test_stopping_serve_ends_every_sessions_board_within_5_seconds(tmp_path, number):
    _, config = sample_board(tmp_path)
    with served(config) as server:
        async with aiohttp.ClientSession() as http:
            first = await http.ws_connect(server.url("/ws"))
            second = await http.ws_connect(server.url("/ws"))
            for websocket in (first, second):
                await drawn(websocket)
            boards = server.boards()
            assert len(boards) == 2  # one board process per session
            code, seconds = server.stop(number)
            assert code == 0 and seconds < 5, (code, seconds)
            assert [pid for pid in boards if alive(pid)] == []
            ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            for websocket in (first, second):  # each page is told its session ended
                async with asyncio.timeout(5):
                    message = await websocket.receive()
                    while message.type == aiohttp.WSMsgType.BINARY:  # drawn before
                        message = await websocket.receive()
                assert message.type in ends, message


async def test_a_session_that_ends_ends_its_board_and_a_bad_message_is_ignored(tmp_path):
    _, config = sample_board(tmp_path)
    with served(config) as server:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(server.url("/ws")) as websocket:
                await drawn(websocket)
                [board] = server.boards()
                for junk in ("not json", "[]", '["resize", {"width": "x"}]', "{}"):
                    await websocket.send_str(junk)
                await websocket.send_str(json.dumps(["stdin", "?"]))  # still listening
                await drawn(websocket, "app.customers")  # the help screen: the keys
        for _ in range(50):  # the page went: its board is asked to quit
            if not alive(board):
                break
            await asyncio.sleep(0.1)
        assert not alive(board)


def _serve(config: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "relboard", "serve", *args],
                          capture_output=True, text=True, env=serve_env(config), timeout=60)


def test_a_port_in_use_or_an_unknown_host_is_one_line_and_exit_code_2(tmp_path):
    _, config = sample_board(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        out = _serve(config, "--port", port)
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.splitlines() == [
            f"relboard serve: cannot listen on 127.0.0.1 port {port}: address already in use; "
            "choose another --host or --port"]
    out = _serve(config, "--host", "no-such-host.invalid", "--port", "0")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert out.stderr.startswith("relboard serve: cannot listen on no-such-host.invalid")
    out = _serve(config, "--port", "70000")
    assert out.returncode == 2 and "a port is 0 to 65535" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_bad_database_is_said_before_listening(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{tmp_path / "missing.db"}"\nuser: alex\n')
    out = _serve(str(config), "--port", "0")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert out.stderr.startswith("relboard: ") and "missing.db" in out.stderr
    assert "the board is on" not in out.stdout


def test_without_the_web_extra_serve_says_how_to_install_it(tmp_path):
    _, config = sample_board(tmp_path)
    code = ("import sys; sys.modules['textual_serve'] = None; "
            "from relboard.__main__ import main; sys.exit(main(['serve']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=serve_env(config), timeout=60)
    assert out.returncode == 2
    assert out.stderr.splitlines() == [NEEDS_EXTRA]


def test_each_session_runs_the_board_with_serves_flags_as_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(config="my config.yaml; rm -rf ~", read_only=True, mine=True)
    assert board_argv(args, demo=False) == [
        sys.executable, "-m", "relboard", "--config", str(tmp_path / "my config.yaml; rm -rf ~"),
        "--read-only", "--mine"]
    assert board_argv(argparse.Namespace(), demo=True) == [
        sys.executable, "-m", "relboard", "--demo"]


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("LOCALHOST.", True), ("0.0.0.0", False), ("::", False),
    ("192.168.1.10", False), ("example.com", False), ("localhost.example.com", False)])
def test_which_hosts_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


async def test_a_board_that_does_not_quit_is_killed():
    """A session's board that ignores the request to quit (here: one that never reads it)
    is killed after QUIT_SECONDS, so stopping serve stays within 5 s."""
    import time

    from textual_serve.download_manager import DownloadManager

    from relboard.web import QUIT_SECONDS, BoardSession

    async def ignore(*_args) -> None:
        return None

    stuck = BoardSession([sys.executable, "-c", "import time; time.sleep(60)"],
                         write_bytes=ignore, write_str=ignore, close=ignore,
                         download_manager=DownloadManager())
    await stuck.start(80, 24)
    assert stuck.pid is not None and alive(stuck.pid)
    start = time.monotonic()
    await asyncio.gather(stuck.end(), stuck.end())  # the page going and serve stopping
    assert QUIT_SECONDS <= time.monotonic() - start < QUIT_SECONDS + 1.5
    assert not alive(stuck.pid)


async def test_a_read_only_serve_serves_viewers(tmp_path):
    database, config = sample_board(tmp_path)
    before = _activity(database)
    with served(config, "--read-only") as server:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(server.url("/ws")) as websocket:
                await drawn(websocket, "Read-only:")
                # z asks "Snooze until" on a board that writes (and ? is then typed into
                # that question); on a viewer z is refused and ? shows the help.
                for key in ("z", "?"):
                    await websocket.send_str(json.dumps(["stdin", key]))
                await drawn(websocket, "app.customers")
    assert _activity(database) == before


def _activity(database: str) -> int:
    import sqlite3

    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM activity").fetchone()[0]
