"""PostgreSQL stopped during ``relboard import``: one line (the server is not reachable), exit
2, no traceback, and nothing imported (checked once the server is back)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import pgserver

RECORDS = 60_000


@pytest.fixture
def own_server():
    """A throwaway server of this test's own: it is stopped and started under an import."""
    if pgserver.MODE == "off":
        pytest.skip("PostgreSQL tests turned off (RELBOARD_TEST_POSTGRES=off)")
    try:
        server = pgserver.PgServer().start()
    except pgserver.ServerUnavailable as exc:
        if pgserver.MODE == "required":
            pytest.fail(f"PostgreSQL is required but cannot start: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


def _pg_ctl(server: pgserver.PgServer, *args: str) -> None:
    data = server.folder / "data"
    subprocess.run([*server.as_user, str(server.bin / "pg_ctl"), "-D", str(data), *args],
                   check=True, capture_output=True, timeout=60)


def _in_transaction(server: pgserver.PgServer, name: str) -> bool:
    import psycopg2

    con = psycopg2.connect(host=str(server.folder), user=pgserver.SUPERUSER, dbname="postgres")
    try:
        with con.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                        "xact_start IS NOT NULL AND pid <> pg_backend_pid()", (name,))
            return cur.fetchone()[0] > 0
    finally:
        con.close()


def _customers(url: str) -> int:
    from relboard import models as m
    from relboard.db import connect

    database = connect(url)
    try:
        return m.Customer.select().count(database)
    finally:
        database.close()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_server_stopped_during_an_import_is_one_line_exit_2(own_server, tmp_path: Path, mode):
    name = own_server.create_database()
    url = own_server.url(name)
    data = tmp_path / "big.yaml"
    with open(data, "w") as handle:
        handle.write("customers:\n")
        for n in range(1, RECORDS + 1):
            handle.write(f"  - {{id: {n}, name: Customer {n:05}}}\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: '{url}'\n")
    proc = subprocess.Popen([sys.executable, "-m", "relboard", "--config", str(cfg), "import",
                             str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not _in_transaction(own_server, name):  # the import is writing
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.3)
    _pg_ctl(own_server, "-m", mode, "-w", "stop")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("relboard: database server not reachable"), err
    assert "nothing was imported" in err, err
    _pg_ctl(own_server, "-w", "-l", str(own_server.folder / "server.log"), "-o",
            f"-k {own_server.folder} " + " ".join(f"-c {s}" for s in pgserver.SETTINGS),
            "start")
    assert _customers(url) == 0  # all or nothing

