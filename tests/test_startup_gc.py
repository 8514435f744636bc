"""The board starts with the garbage collector off and turns it back on once Today is on the
screen, with what start-up made frozen (``relboard.startup_gc``); a command never turns it
off."""

from __future__ import annotations

import gc
import subprocess
import sys

from relboard import models as m
from relboard import startup_gc
from relboard.db import close_database, open_database
from tests.conftest import TODAY
from tests.pilot import make_app, settle, today_options

_PROBE = """
import gc, sys, types
probe = types.ModuleType("relboard.app")  # the board's app, replaced: what it starts with
class RelboardApp:
    return_code = 0
    def __init__(self, *args, **kwargs):
        pass
    def run(self):
        print("running", gc.isenabled())
probe.RelboardApp = RelboardApp
sys.modules["relboard.app"] = probe
from relboard.__main__ import main
code = main(sys.argv[1:])
print("after", gc.isenabled(), "driver", "psycopg2" in sys.modules)
sys.exit(code)
"""


def _probe(tmp_path, *argv: str, board: bool = True, code: int = 0,
           database: str | None = None) -> list[str]:
    """Run ``relboard argv`` with the probe app on a board in ``tmp_path`` (none unless
    ``board``; ``database``: the config's instead); what it printed."""
    database = database or str(tmp_path / "board.db")
    if board:
        open_database(str(database))
        close_database()
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{database}"\nuser: alex\n')
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RELBOARD_CONFIG": str(config),
           "TERM": "xterm-256color"}
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], env=env, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == code, done.stderr
    return done.stdout.split()


def test_the_board_starts_without_collecting_and_ends_collecting(tmp_path):
    """``relboard`` runs its app with the collector off; should the app end before Today
    was painted, the collector is on again all the same."""
    assert _probe(tmp_path)[:4] == ["running", "False", "after", "True"]
    (tmp_path / "board.db").unlink()
    assert _probe(tmp_path, board=False, code=2)[:2] == ["after", "True"]  # ended at the open


def test_a_command_keeps_the_collector(tmp_path):
    out = _probe(tmp_path, "digest")
    assert out[-4:-2] == ["after", "True"] and "running" not in out


async def test_todays_first_paint_turns_the_collector_back_on_with_start_up_frozen(db, ctx):
    from tests import factories as f

    f.issue(ctx, f.customer(ctx, "Acme"), "Portal down")
    startup_gc.hold()
    try:
        assert not gc.isenabled()
        app = make_app(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert any("Portal down" in text for text in today_options(app))
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        startup_gc.release()
        gc.enable()
        gc.unfreeze()


def test_release_undoes_only_a_hold():
    frozen = gc.get_freeze_count()  # what a test before in this process left (its board's)
    gc.disable()  # someone else's choice: neither hold nor release changes it
    try:
        startup_gc.hold()
        startup_gc.release()
        assert not gc.isenabled()
    finally:
        gc.enable()
    startup_gc.release()  # nothing held: nothing frozen
    assert gc.isenabled() and gc.get_freeze_count() == frozen


_SCORED_PROBE = """
import datetime, sys, types
from relboard.db import open_database
from relboard.services.context import Context
from relboard.screens.today_feed import _score_if_few
open_database(sys.argv[1])
day = datetime.date.fromisoformat(sys.argv[2])
app = types.SimpleNamespace(ctx=Context(user="alex", today_override=day), read_only=False)
print(_score_if_few(app), "relboard.services.healthhistory" in sys.modules)
"""


def test_a_day_already_scored_is_seen_without_loading_the_health_code(tmp_path):
    """Most starts find the day scored (by the first board of the day): asking costs one
    indexed read, not the imports of the health signals and the record kinds (~30 ms
    before Today's first paint)."""
    from relboard.services import healthhistory
    from relboard.services.context import Context
    from relboard.services.sample import load_sample

    database = str(tmp_path / "board.db")
    open_database(database)
    try:
        load_sample(Context(user="alex", today_override=TODAY))
        first = [sys.executable, "-c", _SCORED_PROBE, database, TODAY.isoformat()]
        done = subprocess.run(first, capture_output=True, text=True, timeout=60)
        assert done.stdout.split() == ["True", "True"], done.stderr  # scored it, loading all
        assert healthhistory.taken_today(Context(user="alex", today_override=TODAY))
    finally:
        close_database()
    done = subprocess.run(first, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "False"], done.stderr


def test_a_board_without_customers_starts_without_the_health_code(tmp_path):
    """A new board has nobody to score: no snapshot is ever written, so asking whether the
    day was scored loaded the health code (~15 ms) at every start until a customer came;
    one with only archived customers has nobody either."""
    database = str(tmp_path / "board.db")
    open_database(database)
    close_database()
    probe = [sys.executable, "-c", _SCORED_PROBE, database, TODAY.isoformat()]
    for _ in range(2):
        done = subprocess.run(probe, capture_output=True, text=True, timeout=60)
        assert done.stdout.split() == ["True", "False"], done.stderr
    from relboard.services.context import Context
    from relboard.services.sample import load_sample

    open_database(database)
    try:
        load_sample(Context(user="alex", today_override=TODAY))
        m.Customer.update(archived=True).execute()
    finally:
        close_database()
    done = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "False"], done.stderr


def test_a_sqlite_board_starts_without_the_postgresql_driver(tmp_path):
    """psycopg2 and what it loads were ~10 ms of every start on a SQLite board: the board
    loads Peewee without it there; a PostgreSQL board loads it (its open fails here: no
    server), and so does a command."""
    assert _probe(tmp_path) == ["running", "False", "after", "True", "driver", "False"]
    _probe(tmp_path, "--demo")  # the day's first demo makes its board (the schema's steps
    # load Peewee's migrator, which loads the driver); the next ones copy it
    assert _probe(tmp_path, "--demo") == ["running", "False", "after", "True", "driver",
                                          "False"]
    if subprocess.run([sys.executable, "-c", "import psycopg2"]).returncode != 0:
        return  # the driver is not installed here
    server = f"postgresql://nobody@/x?host={tmp_path / 'no-server'}"
    assert _probe(tmp_path, board=False, code=2, database=server) == \
        ["after", "True", "driver", "True"]
    assert _probe(tmp_path, "digest")[-2:] == ["driver", "True"]


_TODAY_PROBE = """
import asyncio, sys
from relboard.app import RelboardApp
from relboard.config import Config
from relboard.db import open_database
from relboard.services.context import Context
open_database(sys.argv[1])
app = RelboardApp(Config(database=sys.argv[1], user="alex", animations=False),
                  ctx=Context(user="alex"))
async def run():
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        print(type(app.screen).__name__, *(name in sys.modules for name in (
            "relboard.services.word_lookup", "relboard.migrations.m0018_trigrams",
            "playhouse.migrate")))
asyncio.run(run())
"""


def test_today_is_drawn_without_the_word_filters_or_the_migrations_code(tmp_path):
    """The word filters' lookups (and the schema step they share a declaration with, which
    loads Peewee's migrator) load when a filter is typed or a check runs, not before
    Today's first paint."""
    database = str(tmp_path / "board.db")
    open_database(database)
    close_database()
    done = subprocess.run([sys.executable, "-c", _TODAY_PROBE, database], capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.split()[-4:] == ["TodayScreen", "False", "False", "False"], \
        done.stderr[-2000:]


def test_what_waits_for_the_paint_all_runs_though_one_fails():
    ran: list[str] = []

    def fails() -> None:
        ran.append("fails")
        raise OSError("disk full")

    startup_gc.after_release(lambda: ran.append("first"))
    startup_gc.after_release(fails)
    startup_gc.after_release(lambda: ran.append("last"))  # e.g. the texts' code
    try:
        startup_gc.release()
    except OSError as exc:
        assert str(exc) == "disk full"
    else:
        raise AssertionError("the failure was not raised")
    assert ran == ["first", "fails", "last"]
