"""``--demo``: a fresh board with the sample portfolio, copied from a prepared file when one fits.

Making the demo board (the schema, then the sample read and written with its audit trail)
took longer than the rest of start-up. The first ``--demo`` (of the day, of a user, of a
settings file) keeps the finished database in the user's cache folder; the next ones copy it
into their own temporary folder. The copy is keyed by everything the import depends on: the
sample file, relboard's code, the schema, the user, "today", the time zone and the settings,
so a demo never shows yesterday's dates or someone else's name. A cache that cannot be
written or read is skipped (the sample is imported as before); a bad cached file is removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from relboard.code_stamp import ROOT, code_stamp
from relboard.config import Config, PlaybookConfig, PlaybookStepConfig
from relboard.services.context import Context

SAMPLE_PLAYBOOKS = (
    PlaybookConfig("onboarding", (PlaybookStepConfig("Kickoff call", after_days=0),
                                  PlaybookStepConfig("Check-in", after_days=14),
                                  PlaybookStepConfig("Quarterly review", every_days=90))),
)
"""The playbooks the sample portfolio runs (its ``playbook_runs``): a demo has them even
when the config defines none."""


def demo_config(config: Config) -> Config:
    """``config`` for ``--demo``: the sample's playbooks added (a config's own playbook of
    the same name wins)."""
    have = {p.name for p in config.playbooks}
    extra = tuple(p for p in SAMPLE_PLAYBOOKS if p.name not in have)
    return dataclasses.replace(config, playbooks=config.playbooks + extra) if extra else config


def cache_folder() -> Path:
    """Where prepared demo boards are kept (``$XDG_CACHE_HOME/relboard`` on Linux)."""
    from relboard import kept_files

    return kept_files.cache_folder()


def cache_key(ctx: Context, config: Config) -> str:
    """A name for the demo board these settings make today."""
    from relboard.migrations import LATEST
    from relboard.resources import sample_file

    settings = dataclasses.replace(config, database="", keymap={}, theme="", read_only=False)
    digest = hashlib.sha256()
    for part in (sample_file().read_bytes(), ROOT, code_stamp(), str(LATEST), ctx.user,
                 ctx.today().isoformat(), str(ctx.zone), repr(settings)):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def copy_prepared(path: str, ctx: Context, config: Config) -> bool:
    """Copy the prepared demo board for these settings to ``path``, if there is one."""
    try:
        cached = cache_folder() / f"demo-{cache_key(ctx, config)}.db"
        if not cached.is_file():
            return False
        shutil.copyfile(cached, path)
        return True
    except OSError:
        return False


def forget_prepared(ctx: Context, config: Config) -> None:
    """Remove the prepared board for these settings (it would not open)."""
    try:
        (cache_folder() / f"demo-{cache_key(ctx, config)}.db").unlink(missing_ok=True)
    except OSError:
        pass


def keep_prepared(connection: sqlite3.Connection, ctx: Context, config: Config) -> None:
    """Save the open demo board (just imported) for the next ``--demo``: written whole to a
    temporary file, then renamed, so a reader never sees half a file. Old boards go."""
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"demo-{cache_key(ctx, config)}.db"
        handle, temporary = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=folder)
        os.close(handle)
        try:
            target = sqlite3.connect(temporary)
            try:
                connection.backup(target)
            finally:
                target.close()
            os.replace(temporary, folder / name)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        for old in folder.glob("demo-*.db"):
            if old.name != name:
                old.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        pass  # no cache: the next demo imports the sample again


def open_demo(config: Config, folder: str) -> Any:
    """Open the demo board for ``config`` in ``folder``: a copy of the prepared one (opened
    once: a bad copy is forgotten and the board made afresh), else the sample imported and
    kept for next time; read-only when the config says so."""
    from relboard.db import close_database, open_database  # not with the flags (launch.py)

    ctx = Context.from_config(config)
    path = str(Path(folder) / "demo.db")
    if copy_prepared(path, ctx, config):
        try:
            return open_database(path, read_only=config.read_only)
        except Exception:  # noqa: BLE001 - a bad cached copy: forget it, import instead
            close_database()
            forget_prepared(ctx, config)
            for leftover in Path(folder).iterdir():
                leftover.unlink()
    from relboard.services import healthhistory
    from relboard.services.sample import load_sample

    db = open_database(path)
    try:
        load_sample(ctx)
        healthhistory.record_snapshots(ctx)  # the day scored: Today's first paint is whole
        keep_prepared(db.connection(), ctx, config)
    finally:
        close_database()
    return open_database(path, read_only=config.read_only)


@contextlib.contextmanager
def demo_database(config: Config) -> Iterator[Any]:
    """A fresh temporary database with the sample portfolio, open for the board (read-only
    from the start when the config says so); removed on exit."""
    from relboard.app_signals import removed_if_forced
    from relboard.db import close_database

    with tempfile.TemporaryDirectory(prefix="relboard-demo-") as folder, \
            removed_if_forced(folder):
        db = open_demo(config, folder)
        try:
            yield db
        finally:
            close_database()
