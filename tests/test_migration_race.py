"""Two PMs opening a new board at the same moment (issue 20 point 7): the schema version is
read inside the write transaction that makes it, so the second waits and finds it made. Before,
both read "no schema" and the second failed creating tables the first had just made."""

from __future__ import annotations

import subprocess
import sys

import pytest

from relboard.db import close_database, open_database
from relboard.migrations import steps
from relboard.models import SchemaMigration

pytestmark = pytest.mark.both_databases

_CHILD = """
import sys
from relboard.db import open_database
print("ready", flush=True)
sys.stdin.readline()  # the go: both children of a board get it at once
open_database(sys.argv[1])
print("ok")
"""
ROUNDS = 10


@pytest.mark.parametrize("existing", [False, True], ids=["new", "older"])
def test_two_processes_open_a_new_board_at_once(new_db_spec, existing):
    """Ten boards, each opened by two processes that start Python first and are then told to
    open it at the same moment (every pair at once: each races on its own board)."""
    specs = []
    for round_ in range(ROUNDS):
        spec = new_db_spec(f"race{round_}", migrated=False)
        if existing:  # an older board: stamped at version 1, every step still to run
            open_database(spec)
            SchemaMigration.delete().where(SchemaMigration.number > 1).execute()
            close_database()
        specs.append(spec)
    children = [subprocess.Popen([sys.executable, "-c", _CHILD, spec], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for spec in specs for _ in range(2)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:  # a pair's two go's are one write apart
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = [child.communicate(timeout=60) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    for n, (child, (out, err)) in enumerate(zip(children, results, strict=True)):
        assert (child.returncode, out, err) == (0, "ok\n", ""), (n // 2, err)
    for round_, spec in enumerate(specs):
        open_database(spec)
        try:
            numbers = [row.number for row in SchemaMigration.select().order_by(
                SchemaMigration.number)]
        finally:
            close_database()
        assert numbers == [n for n, _, _ in steps()], round_
