"""The board in a browser (``relboard serve``): textual-serve's server, where each browser
session is its own board process.

Each session runs ``argv`` (the same Python running ``relboard`` with the flags ``serve`` was
given) directly, never through a shell: textual-serve's own ``AppService`` starts a shell
command line, so ``BoardSession`` replaces that one method with ``create_subprocess_exec``.

Who may connect: on a loopback address the page and the websocket answer only requests naming
a loopback host (``localhost``, ``127.0.0.1``, ``[::1]``: what ``ssh -L`` gives; a page of
another site that renames itself to 127.0.0.1 is refused). On any other address they need
the secret token: ``?token=`` on the page, which leaves it in a cookie for the websocket
(the token in the websocket's address works too). A websocket opened by a page of another
origin is refused either way. Stopping (SIGINT, SIGTERM) ends every session's board: asked
to quit, killed if it has not within ``QUIT_SECONDS``.

This module imports textual-serve and aiohttp (the ``web`` extra); nothing else imports it
but ``relboard.cli.serve``, lazily.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import shlex
import signal
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

QUIT_SECONDS = 2.5
"""How long a board is given to quit when its session ends, before it is killed."""

COOKIE = "relboard_token_{port}"
"""The cookie that carries the token from the page to its websocket (one per port)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name, IPv6 with or without brackets) is this
    machine only: ``localhost`` or a loopback address. Any other name is not."""
    host = host.strip().strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """``host`` as written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def tokens_match(given: str | None, token: str) -> bool:
    """Whether ``given`` is ``token`` (compared in constant time)."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class BoardSession(AppService):
    """One browser session's board: ``argv`` started without a shell, and ended for sure."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)  # the shell line only names it in logs
        self.argv = list(argv)
        self._ending: asyncio.Future[None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TERM"] = "xterm-256color"  # the board refuses a dumb TERM serve ran with
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        pipe = asyncio.subprocess.PIPE
        # Its own session: Ctrl+C on serve's terminal reaches serve, which ends the boards.
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=pipe, stdout=pipe, stderr=pipe, env=environment,
            start_new_session=True)
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        """The board process's id, once started."""
        return self._process.pid if self._process is not None else None

    def end(self) -> asyncio.Future[None]:
        """Ask the board to quit; kill it if it has not within ``QUIT_SECONDS``. Calling it
        again waits for the same ending."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        return asyncio.shield(self._ending)

    async def _end(self) -> None:
        process, task = self._process, self._task
        self._task = None
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 0.5)
            try:
                await asyncio.wait_for(process.wait(), QUIT_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, 1)
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)


class BoardServer(Server):
    """textual-serve's server for the board: ``argv`` per session, guarded (see the module),
    and stopped with every session's board."""

    def __init__(self, argv: Sequence[str], host: str, port: int,
                 token: str | None = None) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="relboard")
        self.argv, self.token = list(argv), token
        self.loopback = is_loopback(host)
        self.sessions: set[BoardSession] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.stopping = False

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: ``serve`` says where the board is once it listens."""

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` is refused, or None."""
        hostname = urlsplit(f"//{request.host}").hostname or ""
        if self.loopback and not is_loopback(hostname):
            return "this board answers on localhost only (reach it through ssh -L)"
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and \
                urlsplit(origin).netloc.lower() != request.host.lower():
            return "a page of another site may not open this board"
        if self.token is None or request.path.startswith("/static/"):
            return None
        given = request.query.get("token") or request.cookies.get(self._cookie(request))
        if not tokens_match(given, self.token):
            return "this board needs its token: open the URL relboard serve printed"
        return None

    def _cookie(self, request: web.Request) -> str:
        return COOKIE.format(port=urlsplit(f"//{request.host}").port or self.port)

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        if (problem := self.refusal(request)) is not None:
            return web.Response(status=403, text=f"relboard: {problem}\n")
        response = await handler(request)
        if self.token is not None and request.path == "/" and not response.prepared:
            response.set_cookie(self._cookie(request), self.token, httponly=True,
                                samesite="Strict", path="/")
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """The page, with addresses as the browser reached this server (``--host 0.0.0.0``
        is reached by another name)."""
        scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser session: its own board process, ended when the page goes."""
        if self.stopping:
            raise web.HTTPServiceUnavailable(text="relboard: the server is stopping\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        self.sockets.add(websocket)
        session = BoardSession(self.argv, write_bytes=websocket.send_bytes,
                               write_str=websocket.send_str, close=websocket.close,
                               download_manager=self.download_manager)
        self.sessions.add(session)
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            self.sockets.discard(websocket)
            await session.end()
            self.sessions.discard(session)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        """textual-serve's, with a malformed message ignored instead of ending the session."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin":
                    await app_service.send_bytes(str(data).encode("utf-8"))
                elif kind == "resize":
                    await app_service.set_terminal_size(int(data["width"]),
                                                        int(data["height"]))
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
            except (ValueError, TypeError, KeyError, IndexError):
                continue

    async def stop_sessions(self) -> None:
        """End every session's board (at once), then close their pages' websockets."""
        self.stopping = True
        await asyncio.gather(*(session.end() for session in list(self.sessions)))
        for websocket in list(self.sockets):
            with contextlib.suppress(Exception):
                await websocket.close(code=1001, message=b"relboard serve stopped")

    async def run(self, ready: Callable[[int], None]) -> None:
        """Listen (an OSError if it cannot: address in use, unknown host), call ``ready``
        with the port listened on, serve until SIGINT or SIGTERM, then end the sessions."""
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None,
                               shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, stop.set)
            ready(runner.addresses[0][1])
            await stop.wait()
            await self.stop_sessions()
        finally:
            await runner.cleanup()


def serve(argv: Sequence[str], host: str, port: int, token: str | None,
          ready: Callable[[int], None]) -> None:
    """Run ``BoardServer`` until stopped (see ``BoardServer.run``)."""
    asyncio.run(BoardServer(argv, host, port, token).run(ready))
