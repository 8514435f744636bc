"""The board's start, in a real pseudo-terminal: a key typed the moment Today shows is
handled, a bad config or database file ends it with one line and exit code 2, a hang-up or a
SIGTERM ends it in order; and the board's arguments read without the parser give what the
parser would. (The start in two processes these tests also covered is gone: issue 20.)"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services.context import Context
from relboard.services.sample import load_sample
from tests.conftest import NOW, TODAY


def _board_file(tmp_path) -> tuple[str, str]:
    """A sample board and a config naming it; (database, config)."""
    database = str(tmp_path / "board.db")
    open_database(database)
    try:
        load_sample(Context(user="alex", now_override=NOW))
    finally:
        close_database()
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{database}"\nuser: alex\nanimations: false\n')
    return database, str(config)


def _env(config: str, **more: str) -> dict[str, str]:
    env = {**os.environ, "RELBOARD_CONFIG": config, "RELBOARD_TODAY": TODAY.isoformat(),
           "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", **more}
    return env


def _press_in_pty(config: str, keys: list[str], *, after: dict[str, str] | None = None,
                  **env: str) -> tuple[int, str]:
    """Start the board with no arguments in a pty, type ``keys`` as soon as Today is on the
    screen; (exit code, what it wrote)."""
    return _press_in_pty_args(config, [], keys, after=after, **env)


def _press_in_pty_args(config: str, argv: list[str], keys: list[str], *,
                       ready: str = "Today —", after: dict[str, str] | None = None,
                       **env: str) -> tuple[int, str]:
    """As ``_press_in_pty``, with arguments: the keys go once ``ready`` is on the screen; a
    key named in ``after`` waits for its text to show (up to 20 s), any other 0.4 s."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "relboard", *argv], stdin=slave, stdout=slave,
                            stderr=slave, env=_env(config, **env), close_fds=True,
                            start_new_session=True)
    os.close(slave)
    out = bytearray()

    def read_until(marker: bytes, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and marker not in out:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    out.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        read_until(ready.encode(), 20)
        for key in keys:
            seen = len(out)
            os.write(master, key.encode())
            if after and key in after:
                end = time.monotonic() + 20
                while time.monotonic() < end and after[key].encode() not in out[seen:]:
                    read_until(b"\x00never", 0.05)
            else:
                read_until(b"\x00never", 0.4)
        end = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < end:
            read_until(b"\x00never", 0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
        code = proc.wait(timeout=10)
        os.close(master)
    return code, out.decode("utf-8", "replace")


def test_a_key_at_once_after_the_first_paint_is_saved(tmp_path):
    """``z`` (snooze the first item: an issue) typed the moment Today shows, Enter for the
    date offered, ``q``: the snooze is stored."""
    database, config = _board_file(tmp_path)

    def snoozed() -> int:
        open_database(database)
        try:
            return m.Issue.select().where(m.Issue.snoozed_until.is_null(False)).count()
        finally:
            close_database()

    before = snoozed()
    code, text = _press_in_pty(config, ["z", "\r", "q"], after={"\r": "Snoozed until"})
    assert code == 0, text[-400:]
    assert "Snoozed until" in text
    assert snoozed() == before + 1


def test_a_broken_config_is_still_said_with_its_place_and_exit_code_2(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("user: alex\ntheme: [unclosed\n")
    out = subprocess.run([sys.executable, "-m", "relboard"], env=_env(str(config)),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert f"{config}:" in out.stderr and "Traceback" not in out.stderr


def test_a_file_that_is_not_a_board_is_refused_with_exit_code_2(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 100)
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{bad}"\nuser: alex\n')
    out = subprocess.run([sys.executable, "-m", "relboard"], env=_env(str(config)),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("relboard: ") and "Traceback" not in out.stderr


def test_the_demo_leaves_no_folder(tmp_path):
    """``--demo``: a temporary folder with the sample board (a copy of the prepared one when
    there is one); the board removes the folder when it ends."""
    config = tmp_path / "config.yaml"
    config.write_text("user: alex\nanimations: false\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    for _ in range(2):  # the first imports the sample, the second copies the prepared board
        code, text = _press_in_pty_args(str(config), ["--demo"], ["i", "q"],
                                        ready="(demo data)", after={"i": "Queue"},
                                        TMPDIR=str(temporary))
        assert code == 0, text[-400:]
        assert "(demo data)" in text and "Queue" in text
    assert list(temporary.iterdir()) == []


def test_the_boards_arguments_read_without_the_parser_are_the_parsers():
    from relboard.__main__ import _parse
    from relboard.cli.registry import parser

    for argv in ([], ["--mine"], ["--demo", "--read-only"], ["--create", "--mine"]):
        assert vars(_parse(argv)) == vars(parser().parse_args(argv))


@pytest.mark.parametrize("signal_number", [signal.SIGHUP, signal.SIGTERM],
                         ids=["SIGHUP", "SIGTERM"])
def test_a_hang_up_or_a_kill_ends_the_board_in_order(tmp_path, signal_number):
    """The terminal goes away (a dropped SSH session: the pty closes, then SIGHUP) or the
    board is sent SIGTERM: it ends as ``q`` would, with 128 + the signal's number, and
    ``--demo``'s temporary folder is removed (it stayed in /tmp before). Here the terminal
    reads nothing after the first paint (a frozen session): should the board's last writes
    block its way out, the forced end after ``FORCE_AFTER_SECONDS`` removes the folder too."""
    config = tmp_path / "config.yaml"
    config.write_text("user: alex\nanimations: false\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "relboard", "--demo"], stdin=slave,
                            stdout=slave, stderr=slave, close_fds=True, start_new_session=True,
                            env=_env(str(config), TMPDIR=str(temporary)))
    os.close(slave)
    out, end = bytearray(), time.monotonic() + 20
    try:
        while time.monotonic() < end and "Today —".encode() not in out:
            if select.select([master], [], [], 0.05)[0]:
                out.extend(os.read(master, 65536))
        assert "Today —".encode() in out, out[-400:]
        assert len(list(temporary.iterdir())) == 1  # the demo's folder, while it runs
        if signal_number == signal.SIGHUP:
            os.close(master)  # the terminal is gone: what the board writes now fails
            master = None
        proc.send_signal(signal_number)
        code = proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if master is not None:
            os.close(master)
    assert code == 128 + signal_number
    assert list(temporary.iterdir()) == []


@pytest.mark.postgresql
def test_a_postgresql_board_starts_and_stores_a_key(tmp_path, pg_server):
    """On a team's PostgreSQL server: a key typed at once is stored there, and the board
    ends with exit code 0."""
    name = pg_server.create_database(migrated=True)
    url = pg_server.url(name)
    try:
        open_database(url)
        try:
            load_sample(Context(user="alex", now_override=NOW))
            before = m.Issue.select().where(m.Issue.snoozed_until.is_null(False)).count()
        finally:
            close_database()
        config = tmp_path / "config.yaml"
        config.write_text(f'database: "{url}"\nuser: alex\nanimations: false\n')
        code, text = _press_in_pty(str(config), ["z", "\r", "q"],
                                   after={"\r": "Snoozed until"})
        assert code == 0, text[-600:]
        assert "Snoozed until" in text
        open_database(url)
        try:
            assert m.Issue.select().where(m.Issue.snoozed_until.is_null(False)).count() \
                == before + 1
        finally:
            close_database()
    finally:
        close_database()
        pg_server.drop_database(name)


def test_a_board_stuck_on_its_way_out_after_a_signal_ends_all_the_same(monkeypatch):
    """Once signalled, the board has ``FORCE_AFTER_SECONDS`` to end in order; a way out that
    hangs (a worker waiting, its terminal gone) no longer leaves the process alive with the
    database open: it ends with 128 + the signal's number."""
    from relboard import app_signals

    ended: list[int] = []
    monkeypatch.setattr(app_signals, "FORCE_AFTER_SECONDS", 0.05)
    monkeypatch.setattr(app_signals.os, "_exit", ended.append)

    class Stuck(app_signals.LeaveOnSignals):
        def exit(self, return_code: int) -> None:  # asked to exit, and never gets there
            self.asked = return_code

    board = Stuck()
    board._leave(signal.SIGHUP)
    time.sleep(0.5)
    assert board.asked == 129 and ended == [129]


_FRAME_PROBE = """
import os, sys, types
probe = types.ModuleType("relboard.app")  # the board's app, replaced: what Textual was set to
class RelboardApp:
    return_code = 0
    def __init__(self, *args, **kwargs):
        pass
    def run(self):
        from textual import constants
        print("frames", constants.MAX_FPS)
probe.RelboardApp = RelboardApp
sys.modules["relboard.app"] = probe
from relboard.__main__ import main
sys.exit(main([]))
"""


@pytest.mark.parametrize(("given", "frames"), [(None, 120), ("30", 30)])
def test_the_board_paints_up_to_120_frames_a_second_unless_told(tmp_path, given, frames):
    """Textual paints a change at its next frame, and one that misses a frame waits for the
    one after: at its 60 a second, up to 33 ms between Today's list being ready and on screen
    after a triage key. The board sets 120 before Textual is loaded; TEXTUAL_FPS still
    decides when set."""
    _, config = _board_file(tmp_path)
    env = _env(config)
    env.pop("TEXTUAL_FPS", None)
    if given is not None:
        env["TEXTUAL_FPS"] = given
    done = subprocess.run([sys.executable, "-c", _FRAME_PROBE], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["frames", str(frames)]


def test_a_forced_end_still_removes_the_demo_folder(tmp_path, monkeypatch):
    """When the way out is stuck (a terminal that stopped reading blocks the board's last
    writes), the signal's forced end stops the process where it stands: ``--demo``'s folder
    goes first, and the exit code is still 128 + the signal's number."""
    from relboard import app_signals

    folder = tmp_path / "relboard-demo-x"
    folder.mkdir()
    (folder / "board.db").write_bytes(b"sample")
    ended: list[int] = []
    monkeypatch.setattr(app_signals.os, "_exit", ended.append)
    with app_signals.removed_if_forced(str(folder)):
        app_signals._force_end(128 + signal.SIGTERM)
    assert ended == [128 + signal.SIGTERM]
    assert not folder.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    with app_signals.removed_if_forced(str(kept)):
        pass
    app_signals._force_end(128 + signal.SIGHUP)  # once the board is done with it: left alone
    assert kept.exists() and ended[-1] == 128 + signal.SIGHUP
