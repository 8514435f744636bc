"""Two PMs opening a new board at the same moment (issue 20 point 7): the schema version is
read inside the write transaction that makes it, so the second waits and finds it made. Before,
both read "no schema" and the second failed creating tables the first had just made."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from relboard.db import close_database, open_database
from relboard.migrations import LATEST
from relboard.models import SchemaMigration

pytestmark = pytest.mark.both_databases

_CHILD = """
import sys, time
from relboard.db import open_database
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
open_database(sys.argv[1])
print("ok")
"""


@pytest.mark.parametrize("existing", [False, True], ids=["new", "older"])
def test_two_processes_open_a_new_board_at_once(new_db_spec, existing):
    for round_ in range(10):
        spec = new_db_spec(f"race{round_}", migrated=False)
        if existing:  # an older board: stamped at version 1, every step still to run
            open_database(spec)
            SchemaMigration.delete().where(SchemaMigration.number > 1).execute()
            close_database()
        start = time.time() + 1.0  # both children have started Python by then
        children = [subprocess.Popen([sys.executable, "-c", _CHILD, spec, str(start)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for _ in range(2)]
        results = [child.communicate(timeout=60) for child in children]
        for child, (out, err) in zip(children, results, strict=True):
            assert (child.returncode, out, err) == (0, "ok\n", ""), (round_, err)
        open_database(spec)
        try:
            numbers = [row.number for row in SchemaMigration.select().order_by(
                SchemaMigration.number)]
        finally:
            close_database()
        assert numbers == list(range(1, LATEST + 1))
