"""``relboard serve``: the board in a browser (``relboard.web``, the ``web`` extra).

Each browser session runs the board (``sys.executable -m relboard`` with this command's
``--config``, ``--read-only``, ``--mine`` and ``--demo``) as its own process, for the user of
the config; the environment (``RELBOARD_CONFIG``, ``RELBOARD_DATABASE``) passes on as it is.
"""

from __future__ import annotations

import argparse
import os
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation

NEEDS_EXTRA = "relboard serve needs the web extra: pip install 'relboard[web]'"
WEB_MODULES = ("textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2")
"""What the extra brings: a missing one of these is the extra missing."""


def _port(text: str) -> int:
    """A TCP port (0: any free one, said when listening)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1). A loopback "
                             "address (127.0.0.1, ::1, localhost) needs no token: reach it "
                             "from elsewhere through ssh -L 8000:127.0.0.1:8000; any other "
                             "address needs a secret token, printed once in the URL")
    parser.add_argument("--port", type=_port, default=8000,
                        help="the port to listen on (default 8000; 0: any free one)")


def board_argv(args: argparse.Namespace, demo: bool) -> list[str]:
    """The board each session runs: this Python, relboard, and the flags given to serve
    (a list of arguments, never a shell line)."""
    argv = [sys.executable, "-m", "relboard"]
    if getattr(args, "config", None):
        argv += ["--config", os.path.abspath(os.path.expanduser(args.config))]
    for flag, name in (("--read-only", "read_only"), ("--mine", "mine")):
        if getattr(args, name, False):
            argv.append(flag)
    return argv + (["--demo"] if demo else [])


def board_url(host: str, port: int, token: str | None) -> str:
    """The address to open: a wildcard host (0.0.0.0, ::) as this machine's name."""
    import socket

    from relboard.web import url_host

    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    return f"http://{url_host(shown)}:{port}/" + (f"?token={token}" if token else "")


def _check_database(call: Invocation) -> None:
    """Say a problem of the config or the database (one line, exit 2, by the caller) now,
    not in every browser session; the database is closed again before serving."""
    call.ctx  # noqa: B018 - the config's problems
    if call.demo:
        return
    from relboard.db import close_database, open_database
    from relboard.launch import may_create

    config = call.config
    open_database(config.database, True, read_only=config.read_only,
                  create=may_create(config, call.args))
    try:
        from relboard.services.clock_sync import sync_config

        sync_config(config)  # the stored SLA clocks follow the config's working hours
    finally:
        close_database()


def _serve(call: Invocation) -> int:
    """Serve the board until Ctrl+C (or SIGTERM); every session's board ends with it."""
    try:
        from relboard import web
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in WEB_MODULES:
            raise
        print(NEEDS_EXTRA, file=sys.stderr)
        return EXIT_BAD_INPUT
    import secrets
    import socket

    _check_database(call)
    host, port = call.args.host.strip(), call.args.port
    token = None if web.is_loopback(host) else secrets.token_urlsafe(24)

    def ready(listening: int) -> None:
        how = (f"loopback only: from another machine, ssh -L {listening}:"
               f"{web.url_host(host)}:{listening} {socket.gethostname()} and open "
               f"http://localhost:{listening}/" if token is None
               else "keep this address secret: the token is not shown again")
        print(f"relboard serve: the board is on {board_url(host, listening, token)} "
              f"({how}); Ctrl+C stops it", flush=True)

    try:
        web.serve(board_argv(call.args, call.demo), host, port, token, ready)
    except OSError as exc:
        # asyncio's bind error names the address again: the errno's words say it plainly
        reason = os.strerror(exc.errno) if exc.errno and not isinstance(exc, socket.gaierror) \
            else exc.strerror or str(exc) or type(exc).__name__
        print(f"relboard serve: cannot listen on {web.url_host(host)} port {port}: "
              f"{reason.lower()}; choose another --host or --port", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


SERVE = Command("serve", "the board in a browser, one board per session (the web extra)",
                _serve, _arguments, opens_database=False,
                options=("--config", "--demo", "--read-only", "--mine"))  # passed to each board
"""``relboard serve [--host 127.0.0.1] [--port 8000]``: see ``relboard.web``."""
