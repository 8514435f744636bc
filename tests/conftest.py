"""Shared fixtures: an isolated environment, a fresh database, a fixed clock.

``db`` is a fresh, migrated database: an SQLite file, or — for a module marked
``pytest.mark.both_databases`` — also a database on a throwaway PostgreSQL server
(``tests/pgserver.py``): every test of such a module runs once per kind (ids ``[sqlite]`` and
``[postgresql]``; ``-m postgresql`` selects the second). ``db_spec`` is what ``db`` opened and
``new_db_spec()`` makes another fresh database of the same kind.
"""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import code_kept, yaml_kept
from relboard.db import close_database, open_database
from relboard.services import prepared, prepared_kept
from relboard.services.context import Context
from tests import pgserver

prepared.CHECK = True  # every prepared query's cached SQL is checked against a fresh one

NOW = dt.datetime(2026, 11, 23, 10, 0)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """Never read the developer's config, data or cache dirs or RELBOARD_* variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in ("RELBOARD_CONFIG", "RELBOARD_TODAY", "RELBOARD_DATABASE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    yield home
    prepared_kept.disable()  # a board run in this process keeps nothing for the next test
    yaml_kept.disable()
    code_kept.disable()  # dataclasses compile as usual again
    prepared.write_code()  # nor leaves texts waiting for their code


DB_KINDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql))


def pytest_configure(config):
    config.addinivalue_line("markers", "both_databases: run each test of the module on SQLite "
                            "and on PostgreSQL (the db fixture, parametrised)")
    config.addinivalue_line("markers", "postgresql: the test runs on the PostgreSQL server")
    config.addinivalue_line("markers", "sqlite_only: a test of a both_databases module about "
                            "SQLite itself")
    config.addinivalue_line("markers", "postgresql_only: a test of a both_databases module "
                            "about PostgreSQL itself (SQLite's side is tested elsewhere)")


def pytest_generate_tests(metafunc):
    """Tests of a ``both_databases`` module that use ``db`` run on both kinds."""
    if "db_kind" in metafunc.fixturenames and \
            metafunc.definition.get_closest_marker("both_databases") and \
            not metafunc.definition.get_closest_marker("sqlite_only"):
        kinds = DB_KINDS[1:] if metafunc.definition.get_closest_marker("postgresql_only") \
            else DB_KINDS
        metafunc.parametrize("db_kind", kinds, indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """This test process's PostgreSQL server, started on first use, stopped at the end.

    Skipped (with the reason) where it cannot start, unless RELBOARD_TEST_POSTGRES=required.
    """
    if pgserver.MODE == "off":
        pytest.skip("PostgreSQL tests turned off (RELBOARD_TEST_POSTGRES=off)")
    server, problem = None, None
    try:
        server = pgserver.PgServer()
        server.start()
    except Exception as exc:  # noqa: BLE001 - any reason it cannot start is reported
        problem = str(exc)
        if server is not None:
            server.stop()
    if problem is not None and pgserver.MODE == "required":
        pytest.fail(f"PostgreSQL is required (RELBOARD_TEST_POSTGRES=required) but cannot "
                    f"start: {problem}", pytrace=False)
    if problem is not None:
        pytest.skip(f"PostgreSQL tests skipped: {problem}")
    yield server
    server.stop()


@pytest.fixture
def db_kind(request) -> str:
    """"sqlite", or "postgresql" for the second run of a ``both_databases`` test."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_db_spec(db_kind, tmp_path, request):
    """Makes fresh databases of this test's kind: ``new_db_spec(name, migrated=True)``.

    SQLite: ``tmp_path/NAME.db`` (created when opened). PostgreSQL: a new database on the
    server (from the migrated template, or empty), dropped after the test.
    """
    if db_kind == "sqlite":
        yield lambda name="relboard", migrated=True: str(tmp_path / f"{name}.db")
        return
    server = request.getfixturevalue("pg_server")
    made: list[str] = []

    def make(name: str = "relboard", migrated: bool = True) -> str:
        made.append(server.create_database(migrated))
        return server.url(made[-1])

    yield make
    close_database()
    for name in made:
        server.drop_database(name)


@pytest.fixture
def db_spec(new_db_spec) -> str:
    """The ``database:`` setting of this test's database (a path or a URL)."""
    return new_db_spec()


@pytest.fixture
def db(db_spec):
    """A migrated database of its own (not in memory: workers use other threads)."""
    database = open_database(db_spec)
    yield database
    close_database()


@pytest.fixture
def ctx():
    """Alice acting at a fixed moment."""
    return Context(user="alice", now_override=NOW)


def at(ctx: Context, when: dt.datetime, user: str | None = None) -> Context:
    """The same context at another moment (and optionally another user)."""
    return Context(user=user or ctx.user, cadence_days=ctx.cadence_days, sla=ctx.sla,
                   attention=ctx.attention, now_override=when)


def all_rows(spec: str) -> list[tuple]:
    """Every row of every relboard table of the database ``spec``, read on its own
    connection (what a test compares before and after a refused change)."""
    from relboard import models as m
    from relboard.db import connect

    database = connect(spec)
    try:
        return [(model._meta.table_name, *row) for model in m.ENTITY_MODELS
                for row in model.select().order_by(*model._meta.get_primary_keys())
                .tuples().execute(database)]
    finally:
        database.close()


def every_id(fetch) -> list[int]:
    """The ids of every row of a keyset-paged list, page after page (``fetch(after)``)."""
    seen, after = [], None
    while True:
        page = fetch(after)
        seen += [row["id"] for row in page.rows]
        if page.after is None:
            return seen
        after = page.after


def every_id_backward(fetch) -> list[int]:
    """Every row's id read from the end (``Back()``), window before window, in list order."""
    from relboard.services.page import Back

    seen, cursor = [], Back()
    while cursor is not None:
        page = fetch(cursor)
        seen = [row["id"] for row in page.rows] + seen
        cursor = page.after
    return seen


def pytest_terminal_summary(terminalreporter) -> None:
    """Figures a test records with ``record_property("figure", ...)`` (the morning review's
    keys per item), printed at the end of every run, xdist workers' included."""
    figures = [value for report in terminalreporter.stats.get("passed", [])
               for name, value in getattr(report, "user_properties", ()) if name == "figure"]
    for figure in figures:
        terminalreporter.write_line(figure)


@pytest.fixture
def sample(db, ctx):
    """The sample portfolio loaded into this test's database; Alice's context."""
    from relboard.services.sample import load_sample

    load_sample(ctx)
    return ctx
