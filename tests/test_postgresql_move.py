"""A board moved from SQLite to a real PostgreSQL server keeps working.

Two ways there — ``relboard export`` then ``relboard import``, and ``relboard migrate-to URL``
— each followed by saves of every kind through the services and a PM's triage in the board:
every save works (the ids kept by the move must not collide with new rows) and the counts of
every table match the SQLite board.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
import yaml

from relboard import models as m
from relboard.__main__ import main
from relboard.config import PlaybookConfig, PlaybookStepConfig
from relboard.db import close_database, open_database
from relboard.screens.issue import IssueScreen
from relboard.services import (
    attention,
    decisions,
    expectations,
    healthhistory,
    issues,
    playbooks,
    records,
    today,
)
from relboard.services.sample import load_sample
from tests import factories as f
from tests.conftest import TODAY, all_rows
from tests.pilot import SIZE, highlight, make_app, settle

pytestmark = pytest.mark.postgresql
ON_SERVER = pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
"""new_db_spec makes databases on the test PostgreSQL server."""


def _config(tmp_path, name: str, database: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"database: '{database}'\nuser: alice\ntoday: {TODAY.isoformat()}\n")
    return str(path)


def _counts(spec: str) -> dict[str, int]:
    counts = {model._meta.table_name: 0 for model in m.ENTITY_MODELS}
    for row in all_rows(spec):
        counts[row[0]] += 1
    return counts


def _analyzed(spec: str) -> int:
    """The row count of ``interaction`` in PostgreSQL's statistics (``pg_class.reltuples``:
    -1 on a table never analyzed), what VACUUM ANALYZE after a bulk load gives the planner
    (whether it could mark pages all-visible depends on the server's other transactions)."""
    db = open_database(spec)
    try:
        (tuples,), = db.execute_sql(
            "SELECT reltuples FROM pg_class WHERE relname = 'interaction'").fetchall()
        return int(tuples)
    finally:
        close_database()


@pytest.fixture
def demo_board(tmp_path, ctx) -> str:
    """An SQLite board holding the sample portfolio (closed again)."""
    path = str(tmp_path / "demo.db")
    open_database(path)
    load_sample(ctx)
    close_database()
    return path


def every_kind_of_save(ctx) -> None:
    """Create, edit and move records of every table; each table gains rows."""
    before = {model: model.select().count() for model in m.ENTITY_MODELS}
    old = m.Customer.select().order_by(m.Customer.id).first()
    records.update(ctx, "customer", old.id, old.version, {"notes": "Edited after the move"})
    cid = f.customer(ctx, "Moved Ltd", tags="moved")
    contact = f.contact(ctx, cid)
    records.create(ctx, "project", {"customer": cid, "name": "Rollout"})
    f.touchpoint(ctx, cid, [contact], follow_up_on=TODAY + dt.timedelta(days=3))
    promise = f.expectation(ctx, cid, TODAY + dt.timedelta(days=10))
    expectations.renegotiate(ctx, promise, 1, reason="Customer asked",
                             new_due=TODAY + dt.timedelta(days=20))
    issue = f.issue(ctx, cid)
    version = issues.acknowledge(ctx, issue, 1)
    version = issues.assign(ctx, issue, version)
    issues.resolve(ctx, issue, version, "Fixed")
    records.create(ctx, "risk", {"customer": cid, "title": "Key user leaves"})
    decisions.create(ctx, {"customer": cid, "title": "Go live", "decided_on": TODAY}, [contact])
    records.create(ctx, "feedback", {"customer": cid, "kind": "csat", "score": 5,
                                     "received_on": TODAY})
    records.create(ctx, "referral", {"customer": cid, "referred_name": "Contoso",
                                     "referred_on": TODAY})
    playbooks.apply(dataclasses.replace(ctx, playbooks=(PlaybookConfig(
        "rollout", (PlaybookStepConfig("Kickoff", after_days=0),)),)), cid, "rollout")
    item = next(it for it in attention.attention(ctx) if it.kind == "customer")
    today.snooze(ctx, item, TODAY + dt.timedelta(days=2))
    healthhistory.record_snapshots(ctx)
    grown = [model._meta.table_name for model in m.ENTITY_MODELS
             if model.select().count() <= before[model]]
    assert grown == []


async def triage_in_board(ctx) -> None:
    """A PM on the board: acknowledge, take and resolve a breaching issue; log a touchpoint."""
    item = next(it for it in attention.attention(ctx)
                if it.group == "sla" and records.get("issue", it.record_id)["status"] == "new")
    overdue = next(it for it in attention.attention(ctx) if it.kind == "customer")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{item.record_id}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        for key in ("a", "m", "y", "d"):  # m on another PM's issue asks first: y
            await pilot.press(key)
            await settle(pilot)
        await pilot.press(*"Called back", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        highlight(app, f"customer:{overdue.record_id}")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Check-in after the move", "ctrl+s")
        await settle(pilot)
    row = records.get("issue", item.record_id)
    assert (row["status"], row["owner"], row["resolution"]) == ("resolved", "alice",
                                                                "Called back")
    latest = m.Interaction.select().order_by(m.Interaction.id.desc()).first()
    assert (latest.customer_id, latest.summary) == (overdue.record_id,
                                                    "Check-in after the move")


@ON_SERVER
async def test_export_then_import_into_postgresql_then_every_save_works(
        tmp_path, ctx, demo_board, new_db_spec, capsys):
    exported, again = tmp_path / "board.yaml", tmp_path / "again.yaml"
    assert main(["--config", _config(tmp_path, "lite", demo_board), "export",
                 str(exported)]) == 0
    target = new_db_spec(migrated=False)
    server = _config(tmp_path, "server", target)
    assert main(["--config", server, "import", str(exported)]) == 0
    assert main(["--config", server, "export", str(again)]) == 0
    strip = lambda text: {k: v for k, v in yaml.safe_load(text).items() if k != "exported_at"}  # noqa: E731,E501
    assert strip(again.read_text()) == strip(exported.read_text())  # the same data, same ids
    assert _counts(target) == _counts(demo_board)
    assert _analyzed(target) == _counts(demo_board)["interaction"]  # the planner knows
    capsys.readouterr()
    open_database(target)
    every_kind_of_save(ctx)
    await triage_in_board(ctx)


@ON_SERVER
async def test_migrate_to_copies_the_board_then_every_save_works(
        tmp_path, ctx, demo_board, new_db_spec, capsys):
    target = new_db_spec(migrated=False)
    lite = _config(tmp_path, "lite", demo_board)
    assert main(["--config", lite, "migrate-to", target]) == 0
    out, err = capsys.readouterr()
    counts = _counts(demo_board)
    assert err == "" and out.startswith(f"copied {sum(counts.values())} rows into ")
    assert "  customer  " in out and "the counts per table match" in out
    assert all_rows(target) == all_rows(demo_board)  # every row, with its id
    assert _analyzed(target) == counts["interaction"]  # statistics taken after the copy
    open_database(target)
    every_kind_of_save(ctx)
    await triage_in_board(ctx)
    close_database()
    capsys.readouterr()
    server = _config(tmp_path, "server", target)
    assert main(["--config", server, "check"]) == 0, capsys.readouterr()
    assert "schema version" in capsys.readouterr().out
    assert main(["--config", server, "digest", "--format", "json"]) == 0
    assert capsys.readouterr().out.startswith("{")
    assert main(["--config", lite, "migrate-to", target]) == 2  # only into an empty one
    assert "already holds relboard records" in capsys.readouterr().err


def test_migrate_to_refuses_what_it_cannot_use_in_one_line(tmp_path, demo_board, pg_server,
                                                           capsys):
    lite = _config(tmp_path, "lite", demo_board)
    missing = pg_server.url("no_such_db").replace("pg@", "pg:s3cret@")
    for url, reason in ((str(tmp_path / "other.db"), "is not a PostgreSQL URL"),
                        ("mysql://u@h/db", "not mysql"),
                        (missing, "nothing was copied")):
        assert main(["--config", lite, "migrate-to", url]) == 2
        out, err = capsys.readouterr()
        assert out == "" and reason in err and err.count("\n") == 1, err
        assert "s3cret" not in err
    assert not (tmp_path / "other.db").exists()


@ON_SERVER
def test_text_with_nul_is_refused_by_name_on_postgresql(tmp_path, new_db_spec, capsys):
    """NUL is refused by every import (a control character); a SQLite board that holds one
    (written by another program: SQLite can store it, PostgreSQL cannot) is refused by a move
    that names the record."""
    board = tmp_path / "nul.yaml"
    board.write_text('customers:\n  - {id: 1, name: Fine}\n  - {id: 2, name: "a\\0b"}\n')
    lite = _config(tmp_path, "lite", str(tmp_path / "nul.db"))
    target = new_db_spec(migrated=False)
    for config in (lite, _config(tmp_path, "server", target)):
        capsys.readouterr()
        assert main(["--config", config, "--create", "import", str(board)]) == 2
        assert capsys.readouterr().err == (
            f"relboard: {board}:3:13: record 2 (customers[1], id 2): name: contains control "
            "characters (U+0000)\n")
    board.write_text('customers:\n  - {id: 1, name: Fine}\n  - {id: 2, name: "ab"}\n')
    assert main(["--config", lite, "import", str(board)]) == 0
    with sqlite3.connect(tmp_path / "nul.db") as conn:
        conn.execute("update customer set name = 'a' || char(0) || 'b' where id = 2")
    assert main(["--config", lite, "migrate-to", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("relboard: migrate-to: customer id 2: name contains a NUL") and \
        err.count("\n") == 1
    assert _counts(target)["customer"] == 0  # nothing copied, nothing imported
