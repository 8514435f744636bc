"""Shared fixtures: an isolated environment, a fresh database file, a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.db import close_database, open_database
from relboard.services.context import Context

NOW = dt.datetime(2026, 11, 23, 10, 0)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """Never read the developer's config, data dir or RELBOARD_* variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("RELBOARD_CONFIG", "RELBOARD_TODAY", "RELBOARD_DATABASE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def db(tmp_path):
    """A migrated database file of its own (not in memory: workers use other threads)."""
    database = open_database(str(tmp_path / "relboard.db"))
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
