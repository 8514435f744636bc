"""A throwaway PostgreSQL server for the tests: the distribution's binaries, no system service.

Each test process (each pytest-xdist worker) starts its own server in a temporary folder with
``initdb -A trust``: no TCP port (``listen_addresses=''``), only a Unix socket in that folder,
durability off (the data is thrown away). As root, the server runs as the ``postgres`` user
(``setpriv``), because PostgreSQL refuses to run as root. A template database with relboard's
schema makes a fresh, migrated database per test a cheap ``CREATE DATABASE ... TEMPLATE``.

``RELBOARD_TEST_POSTGRES``: ``required`` (CI) makes a server that cannot start fail the
PostgreSQL tests; ``off`` skips them; anything else (the default) runs them where the binaries
are installed and skips them, with the reason, where they are not.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

MODE = os.environ.get("RELBOARD_TEST_POSTGRES", "auto").strip().lower()
SUPERUSER = "pg"
TEMPLATE = "relboard_template"
SETTINGS = ("listen_addresses=''", "fsync=off", "synchronous_commit=off",
            "full_page_writes=off", "max_connections=60", "shared_buffers=32MB")


class ServerUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why and what to install."""


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: the newest distribution version, else PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


class PgServer:
    """One running throwaway server; ``create_database`` and ``drop_database`` per test."""

    def __init__(self) -> None:
        self.bin = find_binaries()
        if self.bin is None:
            raise ServerUnavailable("no PostgreSQL server binaries (initdb, pg_ctl); install "
                                    "them (Debian/Ubuntu: apt-get install postgresql)")
        self.folder = Path(tempfile.mkdtemp(prefix="relboard-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # postgres refuses root: run it as the postgres user
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise ServerUnavailable("running as root and there is no postgres user to "
                                        "run the test server as") from None
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}",
                            "--clear-groups"]
        self._names = itertools.count(1)
        self._admin = None

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise ServerUnavailable(f"{Path(args[0]).name} failed: "
                                    f"{(done.stderr or done.stdout).strip()[-500:]}")

    def start(self) -> PgServer:
        """initdb, start, and make the migrated template database."""
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.resume()
        self._sql(f"CREATE DATABASE {TEMPLATE}")
        from relboard.db import close_database, open_database

        open_database(self.url(TEMPLATE))  # the schema, migrated once per server
        close_database()
        return self

    def resume(self) -> None:
        """Start the server (again, after ``pause``) on its data folder."""
        options = f"-k {self.folder} " + " ".join(f"-c {s}" for s in SETTINGS)
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-o", options,
                  "-w", "-l", str(self.folder / "server.log"), "start")

    def pause(self) -> None:
        """Stop the server, keeping its data (every open connection is ended), until
        ``resume``: a server restarted under a running board."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                  "-w", "stop")

    def url(self, name: str) -> str:
        """The relboard ``database:`` URL of database ``name`` on this server."""
        return f"postgresql://{SUPERUSER}@/{name}?host={self.folder}"

    def _sql(self, statement: str) -> None:
        import psycopg2

        if self._admin is None:
            self._admin = psycopg2.connect(host=str(self.folder), user=SUPERUSER,
                                           dbname="postgres")
            self._admin.autocommit = True
        with self._admin.cursor() as cur:
            cur.execute(statement)

    def create_database(self, migrated: bool = True) -> str:
        """A new database (with relboard's schema, or empty); returns its name."""
        name = f"test_{next(self._names)}"
        self._sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE if migrated else 'template0'}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection still open to it (a worker thread's)."""
        self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self._admin is not None:
            self._admin.close()
        if (self.folder / "data" / "postmaster.pid").exists():
            subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D",
                            str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
