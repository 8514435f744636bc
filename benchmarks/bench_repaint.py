"""Today's repaint after a triage key, in a real pty at 80x24, on the 1k and the 100k board.

Run: ``python benchmarks/bench_repaint.py [--runs N] [--sizes 1,100] [--boards DIR]``. Builds
the boards with ``benchmarks/board.py`` (in a temp folder, or once in ``--boards DIR`` and
reused), starts ``python -m relboard`` on each in its own pseudo-terminal (80x24,
``TERM=xterm-256color``, on a copy of the board, ``RELBOARD_TODAY=2026-11-23``), waits
until the first paint has settled (no output for ``SETTLE`` s) and moves the cursor to the
first follow-up (its place worked out from the board by the same service Today reads).
Then, in each round and for each board in turn:

- **baseline**: ``j`` (cursor down) and ``k`` (back up), a key that changes nothing stored;
- **triage**: ``d`` on the follow-up (done: stored, the item leaves, a toast says so, the
  counts and the list are worked out again), checked by the toast's "(u: undo)" in the output.

Each key is timed from its write to the pty to the first byte of output and to the last byte
before ``QUIET`` s with none (the whole repaint), and its bytes are counted; a key is only
pressed once the terminal has been quiet for ``QUIET`` s, and each round waits for the toasts
to go before the next. Prints, per board, the median and p90 of each, and the triage key's
ratio to the baseline measured in the same processes in the same run.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from board import NOW, build  # noqa: E402

SETTLE = 0.3
"""Seconds with no output after which the first paint counts as settled."""
QUIET = 0.25
"""Seconds with no output after which a key's repaint counts as done."""
TOAST = 3.0
"""The triage toast's timeout (``notify(..., timeout=3)``): waited out before the next round."""
TIMEOUT = 60.0
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


@dataclass
class Press:
    """One key: seconds to the first and to the last byte of its repaint, bytes written."""

    first: float
    last: float
    size: int
    chunks: list[tuple[float, bytes]] = field(repr=False, default_factory=list)

    @property
    def text(self) -> bytes:
        """All it wrote."""
        return b"".join(chunk for _, chunk in self.chunks)

    @property
    def done(self) -> bool:
        """Whether its toast ("... (u: undo)") is in what it wrote."""
        return b"undo" in ANSI.sub(b"", self.text)


class Term:
    """``python -m relboard`` in a pseudo-terminal of 80x24, read as it writes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen([sys.executable, "-m", "relboard"], stdin=slave,
                                     stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.last_output = time.perf_counter()
        self.seen = b""

    def _read(self, wait: float) -> bytes:
        """What the child wrote within ``wait`` seconds ("" if nothing)."""
        if not select.select([self.master], [], [], max(0.0, wait))[0]:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child ended
            tail = ANSI.sub(b"", self.seen)[-400:]
            raise RuntimeError(f"relboard ended early: {tail!r}") from None
        self.last_output = time.perf_counter()
        self.seen = (self.seen + chunk)[-65536:]
        return chunk

    def drain(self, quiet: float, until: float = 0.0) -> None:
        """Read until ``quiet`` seconds without output (and not before ``until``)."""
        start = time.perf_counter()
        while True:
            now = time.perf_counter()
            if now - start > TIMEOUT:
                raise TimeoutError(f"still painting after {TIMEOUT:.0f} s")
            if now >= until and now - self.last_output >= quiet:
                return
            self._read(max(until - now, quiet - (now - self.last_output), 0.001))

    def press(self, key: bytes) -> Press:
        """Write ``key`` once the screen is quiet; time and count its repaint."""
        self.drain(QUIET)
        out: list[tuple[float, bytes]] = []
        first = None
        start = time.perf_counter()
        os.write(self.master, key)
        last = start
        while True:
            now = time.perf_counter()
            if now - start > TIMEOUT:
                raise TimeoutError(f"{key!r}: still painting after {TIMEOUT:.0f} s")
            if now - last >= QUIET:
                break
            chunk = self._read(QUIET - (now - last))
            if chunk:
                last = self.last_output
                first = first if first is not None else last
                out.append((last - start, chunk))
        return Press((first or start) - start, last - start, sum(len(c) for _, c in out), out)

    def close(self) -> None:
        """``q``, then the child's end (killed if it does not go)."""
        try:
            os.write(self.master, b"q")
            deadline = time.perf_counter() + 10
            while self.proc.poll() is None and time.perf_counter() < deadline:
                try:
                    self._read(0.1)
                except RuntimeError:
                    break
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            os.close(self.master)


def follow_up_place(config: Path, env: dict[str, str]) -> int:
    """How many lines the cursor passes on Today before its first follow-up (the ``j``
    presses to reach it: each item, and a group's "… and N more" line), read by the service
    Today reads, with the board's own config."""
    from relboard.config_check import load_config
    from relboard.db import close_database, open_database
    from relboard.services.context import Context
    from relboard.services.today.board import board
    from relboard.services.today.items import FIRST_PAGE

    settings = load_config(config, env)
    open_database(settings.database)
    try:
        ctx = Context.from_config(settings)
        found = board(ctx, None, FIRST_PAGE, None)
    finally:
        close_database()
    place = 0
    for group in dict.fromkeys(it.group for it in found.items):
        shown = [it for it in found.items if it.group == group]
        if any(it.kind == "interaction" for it in shown):
            return place + next(n for n, it in enumerate(shown) if it.kind == "interaction")
        place += len(shown) + (found.totals[group] > len(shown))  # its items, its more line
    raise SystemExit("bench_repaint: the board has no follow-up on Today")


def start(folder: Path, name: str, database: Path) -> Term:
    """relboard on ``database``, settled, its cursor on the first follow-up."""
    home = folder / name
    home.mkdir(exist_ok=True)
    config = home / "config.yaml"
    config.write_text(f'database: "{database}"\nuser: alex\n', encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24",
           "HOME": str(home), "XDG_CONFIG_HOME": str(home / "xdg-config"),
           "XDG_DATA_HOME": str(home / "xdg-data"), "RELBOARD_CONFIG": str(config),
           "RELBOARD_TODAY": NOW.date().isoformat()}
    for var in ("TEXTUAL", "PYTHONDONTWRITEBYTECODE", "RELBOARD_DATABASE"):
        env.pop(var, None)
    place = follow_up_place(config, env)
    term = Term(env)
    term.drain(SETTLE, until=time.perf_counter() + 1.0)  # the health scoring runs at 0.2 s
    for _ in range(place):
        term.press(b"j")
    term.press(b"d")  # the first one also loads the code the verb needs
    term.drain(QUIET, until=time.perf_counter() + 1.0)
    if b"undo" not in ANSI.sub(b"", term.seen):
        term.close()
        raise SystemExit(f"{name}: d on the item {place} did not finish a follow-up "
                         f"(screen: {ANSI.sub(b'', term.seen)[-300:]!r})")
    term.drain(QUIET, until=time.perf_counter() + TOAST + 0.3)
    return term


def board_file(folder: Path, scale: int) -> Path:
    """The board of ``scale`` in ``folder``, built unless it is there already."""
    path = folder / f"board-{scale}.db"
    if not path.exists():
        began = time.perf_counter()
        part = path.with_suffix(".building")
        part.unlink(missing_ok=True)
        build(str(part), scale)
        part.rename(path)
        print(f"{scale}k board built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return path


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]


def measure(folder: Path, boards: Path, scales: list[int], runs: int, trace: bool) -> None:
    """Start one board per size, press the keys round by round, print the table."""
    terms: dict[str, Term] = {}
    try:
        for scale in scales:
            copy = folder / f"run-{scale}.db"  # the built board stays as built
            shutil.copyfile(board_file(boards, scale), copy)
            terms[f"{scale}k"] = start(folder, f"{scale}k", copy)
        got: dict[str, dict[str, list[Press]]] = {
            name: {"baseline": [], "triage": []} for name in terms}
        for n in range(runs):
            for name, term in terms.items():
                got[name]["baseline"] += [term.press(b"j"), term.press(b"k")]
            pressed = []
            for name, term in terms.items():
                press = term.press(b"d")
                if not press.done:
                    print(f"{name}, round {n + 1}: no toast within the repaint (it came "
                          f"after {QUIET * 1000:.0f} ms of quiet, or d did nothing)",
                          file=sys.stderr)
                got[name]["triage"].append(press)
                pressed.append(time.perf_counter())
            for when, term in zip(pressed, terms.values(), strict=True):
                term.drain(QUIET, until=when + TOAST + 0.3)  # the toast has gone
            print(f"round {n + 1}/{runs} done", file=sys.stderr)
    finally:
        for term in terms.values():
            term.close()
    report(got, runs)
    if trace:
        for name, keys in got.items():
            show_trace(name, "j", keys["baseline"][-2])
            show_trace(name, "d", keys["triage"][-1])


ROW = re.compile(rb"\x1b\[(\d+);\d+H")


def show_trace(name: str, key: str, press: Press) -> None:
    """Each read of a key's repaint: ms after the key, bytes, the screen rows it moves to, and
    its first words (what was repainted when)."""
    print(f"\n{name}, last {key}: {press.size} bytes, done at {press.last * 1000:.1f} ms")
    for at, chunk in press.chunks:
        rows = sorted({int(r) for r in ROW.findall(chunk)})
        words = " ".join(ANSI.sub(b"", chunk).decode(errors="replace").split())[:60]
        print(f"  {at * 1000:7.1f} ms {len(chunk):6} B rows {_spans(rows):<24} {words}")


def _spans(rows: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``1-3,7``."""
    out: list[str] = []
    for row in rows:
        if out and row == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{row}"
        else:
            out.append(str(row))
    return ",".join(out) or "-"


def report(got: dict[str, dict[str, list[Press]]], runs: int) -> None:
    """The table: per board and key, median and p90 of each measure, and the ratios."""
    med = statistics.median
    print(f"Today's repaint after a key, pty 80x24, {runs} rounds "
          f"(baseline: j and k, {2 * runs} keys); ms from the key's write")
    print("| board | key | first byte med / p90 | end of repaint med / p90 "
          "| bytes med / p90 |")
    print("|---|---|---|---|---|")
    for name, keys in got.items():
        for what, label in (("baseline", "j/k (cursor)"), ("triage", "d (follow-up done)")):
            presses = keys[what]
            first = [p.first * 1000 for p in presses]
            last = [p.last * 1000 for p in presses]
            size = [float(p.size) for p in presses]
            print(f"| {name} | {label} | {med(first):.1f} / {p90(first):.1f} "
                  f"| {med(last):.1f} / {p90(last):.1f} | {med(size):.0f} / {p90(size):.0f} |")
    for name, keys in got.items():
        base = med(p.last for p in keys["baseline"])
        tri = med(p.last for p in keys["triage"])
        nbase = med(p.size for p in keys["baseline"])
        ntri = med(p.size for p in keys["triage"])
        print(f"{name}: triage / baseline: end of repaint {tri / base:.2f}x, "
              f"bytes {ntri / nbase:.2f}x")


def main() -> None:
    """Parse the options, build the boards, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds of keys (default 15)")
    parser.add_argument("--sizes", default="1,100",
                        help="board scales, comma-separated: 1 is the 1k board, 100 the 100k")
    parser.add_argument("--boards", metavar="DIR",
                        help="build the boards here once and reuse them in later runs "
                        "(default: a temp folder); each run works on a copy")
    parser.add_argument("--trace", action="store_true",
                        help="also print each read of the last j and d per board: when, how "
                        "many bytes, which rows")
    args = parser.parse_args()
    try:
        scales = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected scales like 1,100, got {args.sizes!r}")
    if not scales or min(scales) < 1 or args.runs < 1:
        parser.error("--sizes and --runs must be positive")
    with tempfile.TemporaryDirectory(prefix="relboard-repaint-") as tmp:
        folder = Path(tmp)
        boards = Path(args.boards) if args.boards else folder
        boards.mkdir(parents=True, exist_ok=True)
        measure(folder, boards, scales, args.runs, args.trace)


if __name__ == "__main__":
    main()
