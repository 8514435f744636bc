"""``relboard`` itself started on a sample board in a subprocess, its terminal replaced by a
probe (Pilot's test run) that prints what the test reads: what a start keeps for the next."""

from __future__ import annotations

import subprocess
import sys

from relboard.db import close_database, open_database
from relboard.services.context import Context
from relboard.services.sample import load_sample

PROBE = """
{before}
import asyncio, sys
from relboard.app import RelboardApp
def run(self):
    async def go():
        async with self.run_test(size=(80, 24)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await self.workers.wait_for_complete()
            print({said})
    asyncio.run(go())
RelboardApp.run = run
from relboard.__main__ import main
sys.exit(main([]))
"""
"""The probe: ``{said}`` is the expression printed once Today is settled (``self``: the app),
``{before}`` what runs before anything is imported."""


def started(tmp_path, said: str, config: str = "", times: int = 2,
            before: str = "") -> list[list[str]]:
    """The words printed by ``said`` (a Python expression; ``PROBE``) in each of ``times``
    starts of ``relboard`` on the sample board of user alex (``config``: more lines of its
    config file; ``before``: a line the probe runs first), one after the other in a fresh
    home; a start that fails fails the test."""
    database = tmp_path / "board.db"
    open_database(str(database))
    try:
        load_sample(Context(user="alex"))
    finally:
        close_database()
    path = tmp_path / "config.yaml"
    path.write_text(f'database: "{database}"\nuser: alex\n{config}')
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RELBOARD_CONFIG": str(path),
           "TERM": "xterm-256color"}
    out = []
    probe = PROBE.format(said=said, before=before)
    for _ in range(times):
        done = subprocess.run([sys.executable, "-c", probe], env=env,
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        out.append(done.stdout.split())
    return out
