"""``kill -9`` during ``relboard import`` of 8,000 records: the database stays sound and holds
either none or all of them.

Two imports run uninterrupted first (each must import all; the quicker one's duration D sets
the schedule, so a run slowed by the suite's other workers does not push the kills past the
end of the imports), and so does a command that only starts relboard and opens the database
(S, the part of D before the import reads its file). Then 13 imports are killed: one the
moment its commit starts writing the WAL (the window where a crash could tear something), and
12 at moments spread over the import itself, from S to the end of D, so every kill lands
during the import."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from relboard.db import close_database, open_database

RECORDS, RUNS = 8_000, 14  # 12 kills spread over the import, one as it commits


def _file(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("relboard: 1\ncustomers:\n")
        for n in range(1, RECORDS + 1):
            fh.write(f"  - {{id: {n}, name: Customer {n:05}}}\n")


def _customers(path: Path) -> int:
    con = sqlite3.connect(path)  # recovers a hot WAL, as the next relboard would
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        return con.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        con.close()


def _start(tmp_path: Path, template: Path, data: Path, run: int) -> tuple:
    db = tmp_path / f"run{run}.db"
    shutil.copy(template, db)
    cfg = tmp_path / f"run{run}.yaml"
    cfg.write_text(f"database: {db}\n")
    proc = subprocess.Popen([sys.executable, "-m", "relboard", "--config", str(cfg), "import",
                             str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return db, proc


def _kill_when_committing(proc: subprocess.Popen, wal: Path, delay: float) -> None:
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:
            time.sleep(delay)
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)


def test_kill_9_during_an_import_leaves_none_or_all(tmp_path):
    data = tmp_path / "portfolio.yaml"
    _file(data)
    template = tmp_path / "empty.db"
    open_database(str(template))
    close_database()
    rng = random.Random(20_000)

    durations = []
    for _ in range(2):  # the quicker of two: one slowed by a busy machine sets no schedule
        db, proc = _start(tmp_path, template, data, 0)
        began = time.monotonic()
        out, err = proc.communicate(timeout=600)
        durations.append(time.monotonic() - began)
        assert proc.returncode == 0, err
        assert _customers(db) == RECORDS
    duration = min(durations)

    empty = tmp_path / "start.db"
    shutil.copy(template, empty)
    (tmp_path / "start.yaml").write_text(f"database: {empty}\n")
    began = time.monotonic()  # relboard started on an empty board: the import's lead-in
    started = subprocess.run([sys.executable, "-m", "relboard", "--config",
                              str(tmp_path / "start.yaml"), "digest"], capture_output=True)
    startup = time.monotonic() - began
    assert started.returncode == 0, started.stderr
    points = RUNS - 2
    spread = [startup + (duration - startup) * (0.05 + 0.9 * k / (points - 1))
              for k in range(points)]
    outcomes = []
    for run in range(1, RUNS):
        db, proc = _start(tmp_path, template, data, run)
        if run == 1:
            _kill_when_committing(proc, Path(f"{db}-wal"), rng.uniform(0, 0.01))
        else:
            time.sleep(spread[run - 2] * rng.uniform(0.95, 1.05))
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=600)
        count = _customers(db)
        assert count in (0, RECORDS), f"run {run}: {count} records"
        outcomes.append(count)
        open_database(str(db))  # relboard's own start-up checks accept what is left
        close_database()
        os.remove(db)
    assert outcomes.count(0) >= RUNS // 2  # the kills really interrupted imports under way
