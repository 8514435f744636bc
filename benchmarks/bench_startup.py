"""Start-up to Today painted, in a real pty at 80x24, side by side with a bare Textual app.

Run: ``python benchmarks/bench_startup.py [--runs N] [--busy N] [--quick-check N]``. Each run
spawns a process in a fresh pseudo-terminal, reads its output until the screen shows a marker (the
bare one-Label app's label; relboard's ``Today —`` title, which is drawn once the attention
list is in), then sends ``q`` and waits for the exit. The commands run interleaved
(bare, a plain Textual app with Today's widgets, the ``relboard`` command as a user types it
on an existing database, and with ``--demo``)
so machine noise hits them alike; the medians and the ratios against the bare app are
printed, wall time and CPU time (user + system of the child, from ``resource``). The
existing database is built once with the sample portfolio. ``--busy N`` keeps N cores
busy (a spinning process each) meanwhile.

``--quick-check N`` also times what the database open runs at start on a database with N
records (default off; 100000 makes a ~40 MB file): SQLite's ``quick_check`` against the
bounded check relboard runs instead, and the whole ``open_database``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import resource
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """\
from textual.app import App
from textual.widgets import Label


class Bare(App):
    def compose(self):
        yield Label("bare app ready")


Bare().run()
"""
ALIKE = """\
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


class Alike(Screen):
    BINDINGS = [Binding(key, "noop", words) for key, words in (
        ("l", "Log"), ("a", "Ack"), ("g", "Progress"), ("m", "Mine"), ("d", "Done"),
        ("r", "At risk"), ("z", "Snooze"), ("u", "Undo"))]

    def compose(self):
        yield Static("Today \u2014 Monday 30 November 2026")
        yield Static("25 need you: 5 SLA \u00b7 5 new \u00b7 5 follow-ups")
        options = []
        for group in range(5):
            options.append(Option(f"Group {group} (5)", disabled=True))
            options += [Option(f"Customer {group}-{n} \u00b7 the title of the item\\n"
                               "   the reason it is here, with a date", id=f"o{group}{n}")
                        for n in range(5)]
        yield OptionList(*options)
        yield Footer()


class AlikeApp(App):
    def on_mount(self):
        self.push_screen(Alike())


AlikeApp().run()
"""
"""A plain Textual app with the widgets of Today (title, summary, 25 two-line items under 5
headings, a footer of 8 keys) and no relboard code: what Textual itself takes for that screen."""
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
TIMEOUT = 60.0


def run_in_pty(argv: list[str], marker: bytes, env: dict[str, str],
               quit_key: bytes = b"q") -> tuple[float, float]:
    """Seconds until ``marker`` is on screen, and the child's CPU seconds (until exit after
    ``quit_key``)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    seen, painted = b"", None
    try:
        while painted is None:
            if time.perf_counter() - start > TIMEOUT:
                raise TimeoutError(f"{argv}: no {marker!r} after {TIMEOUT:.0f} s: {seen[-400:]!r}")
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child ended
                raise RuntimeError(f"{argv} ended early: {ANSI.sub(b'', seen)[-400:]!r}") from None
            seen += chunk
            if marker in ANSI.sub(b"", seen[-8192:]):
                painted = time.perf_counter() - start
        os.write(master, quit_key)
        while proc.poll() is None:
            if time.perf_counter() - start > 2 * TIMEOUT:
                # keep draining, so the child never blocks on a full pty
                raise TimeoutError(f"{argv}: still running after {quit_key!r}")
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return painted, cpu


def build_existing(folder: Path) -> Path:
    """A config file pointing at a database loaded with the sample portfolio."""
    from relboard.db import close_database, open_database
    from relboard.services.context import Context
    from relboard.services.sample import load_sample

    database = folder / "board.db"
    config = folder / "config.yaml"
    config.write_text(f'database: "{database}"\nuser: pm1\n', encoding="utf-8")
    open_database(str(database))
    try:
        load_sample(Context(user="pm1"))
    finally:
        close_database()
    return config


def command() -> list[str]:
    """How a user starts the board: the ``relboard`` script the install put beside this
    Python (what ``pip install`` makes), else ``python -m relboard`` (which also loads
    ``runpy``: ~2 ms)."""
    script = Path(sys.executable).with_name("relboard")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "relboard"]


def startup(runs: int) -> None:
    """Interleaved runs of the four commands; print medians and ratios."""
    with tempfile.TemporaryDirectory(prefix="relboard-bench-") as tmp:
        folder = Path(tmp)
        config = build_existing(folder)
        bare = folder / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        alike = folder / "alike.py"
        alike.write_text(ALIKE, encoding="utf-8")
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24",
               "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "xdg-config"),
               "XDG_DATA_HOME": str(folder / "xdg-data"), "RELBOARD_CONFIG": str(config)}
        for name in ("TEXTUAL", "PYTHONDONTWRITEBYTECODE"):  # .pyc files, as an install has
            env.pop(name, None)
        python = sys.executable
        relboard = command()
        commands = {
            "bare one-Label app": ([python, str(bare)], b"bare app ready", b"\x11", env),
            "Textual, Today's widgets": ([python, str(alike)], "Today —".encode(), b"\x11",
                                         env),
            "relboard (existing db)": (relboard, "Today —".encode(), b"q",
                                       env),
            "relboard --demo": ([*relboard, "--demo"], "Today —".encode(),
                                b"q", env),
        }
        for argv, marker, quit_key, where in commands.values():  # warm the file cache
            run_in_pty(argv, marker, where, quit_key)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (argv, marker, quit_key, where) in commands.items():
                samples[name].append(run_in_pty(argv, marker, where, quit_key))
        base_wall = statistics.median(s[0] for s in samples["bare one-Label app"])
        base_cpu = statistics.median(s[1] for s in samples["bare one-Label app"])
        print(f"start-up to first paint, pty 80x24, median of {runs} interleaved runs")
        print(f"{'command':<24} {'wall':>8} {'ratio':>6} {'cpu':>8} {'ratio':>6}")
        for name, got in samples.items():
            wall = statistics.median(s[0] for s in got)
            cpu = statistics.median(s[1] for s in got)
            print(f"{name:<24} {wall * 1000:>6.0f}ms {wall / base_wall:>6.2f} "
                  f"{cpu * 1000:>6.0f}ms {cpu / base_cpu:>6.2f}")


def quick_check(records: int) -> None:
    """Time the start-up integrity checks and the whole open on a database of ``records``."""
    import sqlite3

    from bench_lists import build

    from relboard.db import close_database, open_database
    from relboard.integrity import integrity_problems, of_connection, start_problems

    with tempfile.TemporaryDirectory(prefix="relboard-bench-") as tmp:
        path = str(Path(tmp) / "big.db")
        build(path, records)
        conn = sqlite3.connect(path)
        size = os.path.getsize(path) / 1e6

        def timed(fn) -> float:
            samples = []
            for _ in range(5):
                start = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        rows = [
            ("PRAGMA quick_check + foreign_key_check",
             timed(lambda: integrity_problems(of_connection(conn), full=False))),
            ("start-up check (bounded)",
             timed(lambda: start_problems(of_connection(conn), os.path.getsize(path)))),
            ("open_database (all of it)",
             timed(lambda: (open_database(path), close_database()))),
        ]
        conn.close()
        print(f"database of {records} issues ({size:.0f} MB), median of 5")
        for name, seconds in rows:
            print(f"{name:<40} {seconds * 1000:>8.1f}ms")


def main() -> None:
    """Parse the options and run the benchmarks asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--busy", type=int, metavar="N", default=0,
                        help="keep N cores busy (a spinning process each) while timing")
    parser.add_argument("--quick-check", type=int, metavar="N", default=0,
                        help="also time the start-up checks on a database of N records")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(args.busy)]
    try:
        startup(args.runs)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    if args.quick_check:
        quick_check(args.quick_check)


if __name__ == "__main__":
    main()
