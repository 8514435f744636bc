"""Bad import files: each is one `FILE:LINE:COL: record N (...): field: reason` line, exit 2,
no traceback, and the database exactly as it was; references resolve within the file only."""

from __future__ import annotations

import sqlite3

import pytest

from relboard import db as dbmod
from relboard import models as m
from relboard.__main__ import main
from relboard.services import transfer
from tests.conftest import TODAY, all_rows

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL

BASE = ("customers:\n  - {id: 1, name: Acme}\ncontacts:\n  - {id: 1, customer: 1, name: Pat}\n")
"""What the database holds before each bad import: real records a file must not reach."""

SNOOZE = "{entity: customer, entity_id: 1, until: 2099-01-01, created_at: today, created_by: x}"
CUSTOMER = "customers:\n  - {id: 1, name: B}\n"

CASES = {  # name: (file text, message after "FILE:")
    "snooze of a record not in the file": (
        f"snoozes:\n  - {SNOOZE}\n",
        "2:24: record 1 (snoozes[0]): entity_id: no customer with id 1 earlier in the file"),
    "activity forged against a stored record": (
        "activity:\n  - {at: today, user: x, entity: customer, entity_id: 1, action: update}\n",
        "2:44: record 1 (activity[0]): entity_id: no customer with id 1 earlier in the file"),
    "day too far": (
        "customers:\n  - {id: 1, name: B, created_at: today+99999999}\n",
        "2:22: record 1 (customers[0], id 1): created_at: must be within 36500 days of today"),
    "no such time": (
        CUSTOMER + "interactions:\n  - {customer: 1, summary: x, occurred_at: today 25:99}\n",
        "4:31: record 2 (interactions[0]): occurred_at: has no such time of day (25:99); "
        "use 00:00 to 23:59"),
    "entity_id a list": (
        CUSTOMER + "activity:\n  - {at: today, user: x, entity: customer, entity_id: [1], "
        "action: y}\n",
        "4:44: record 2 (activity[0]): entity_id: must be the id of a customer in this file"),
    "entity_id a mapping": (
        CUSTOMER + "activity:\n  - {at: today, user: x, entity: customer, entity_id: {a: 1}, "
        "action: y}\n",
        "4:44: record 2 (activity[0]): entity_id: must be the id of a customer in this file"),
    "entity a list": (
        CUSTOMER + "activity:\n  - {at: today, user: x, entity: [1], entity_id: 1, action: y}\n",
        "4:39: record 2 (activity[0]): entity_id: needs an entity that names a kind of record, "
        "like customer"),
    "stakeholder twice": (
        CUSTOMER + "contacts:\n  - {id: 1, customer: 1, name: P}\n"
        "interactions:\n  - {customer: 1, summary: x, contacts: [1, 1]}\n",
        "6:31: record 3 (interactions[0]): contacts: lists stakeholder 1 more than once"),
    "id of 2**63": (
        "customers:\n  - {id: 9223372036854775808, name: B}\n",
        "2:6: record 1 (customers[0]): id: must be a whole number from 1 to 9223372036854775807"),
    "version of 2**63": (
        "customers:\n  - {id: 1, name: B, version: 9223372036854775808}\n",
        "2:22: record 1 (customers[0], id 1): version: must be at most 9223372036854775807"),
    "version 0": (
        "customers:\n  - {id: 1, name: B, version: 0}\n",
        "2:22: record 1 (customers[0], id 1): version: must be 1 or more"),
    "id true": (
        "customers:\n  - {id: true, name: B}\n",
        "2:6: record 1 (customers[0]): id: must be a whole number from 1 to 9223372036854775807"),
    "record that is text": (
        "customers:\n  - {id: 1, name: B}\n  - just a string\n",
        "3:5: record 2 (customers[1]): must be a mapping of fields"),
    "unknown section": (
        "custmers:\n  - {id: 1, name: B}\n",
        "1:1: custmers: unknown section; did you mean 'customers'?"),
    "unknown field": (
        "customers:\n  - {id: 1, nmae: B}\n",
        "2:13: record 1 (customers[0], id 1): nmae: is not a field of this record; "
        "did you mean 'name'?; name: is required"),
    "format true": (
        "relboard: true\n" + CUSTOMER,
        "1:11: relboard: this relboard reads format 1"),
    "empty": ("", " holds no records (the file is empty or only comments); nothing was imported"),
    "only comments": ("# nothing here\n\n",
                      " holds no records (the file is empty or only comments); nothing was "
                      "imported"),
    "only empty sections": ("relboard: 1\ncustomers: []\n",
                            " holds no records (every section is empty); nothing was imported"),
    "control characters in a key": (
        'customers:\n  - {id: 1, name: B, "\\e]0;x\\a\\u202e": 1}\n',
        "2:22: record 1 (customers[0], id 1): \\x1b]0;x\\x07\\u202e: is not a field of this "
        "record"),
}


def _snapshot(spec: str) -> str:
    if "://" in spec:
        return "\n".join(map(str, all_rows(spec)))
    with sqlite3.connect(spec) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture
def cli_db(tmp_path, monkeypatch, capsys, db_spec):
    """A config and a database that already holds customer 1 and contact 1."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = db_spec
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: '{database}'\nuser: ann\n")
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    assert main(["--config", str(cfg), "--create", "import", str(base)]) == 0
    capsys.readouterr()
    return str(cfg), database


@pytest.mark.parametrize("case", list(CASES))
def test_bad_import_is_one_located_line_exit_2_nothing_imported(case, cli_db, tmp_path,
                                                                  capsys):
    cfg, database = cli_db
    text, message = CASES[case]
    path = tmp_path / "f.yaml"
    path.write_text(text)
    before = _snapshot(database)
    assert main(["--config", cfg, "import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"relboard: {path}:{message}\n")
    assert _snapshot(database) == before


def test_a_snooze_in_the_file_points_at_the_file_s_record(cli_db, tmp_path, capsys):
    cfg, _ = cli_db
    path = tmp_path / "ok.yaml"
    snooze = SNOOZE.replace("entity_id: 1", "entity_id: 3")  # the file's 3, stored as 2
    path.write_text(f"customers:\n  - {{id: 3, name: B}}\nsnoozes:\n  - {snooze}\n")
    assert main(["--config", cfg, "import", str(path)]) == 0
    assert capsys.readouterr().out == "imported 2 records: 1 customer, 1 snooze\n"
    snooze = m.Snooze.get()
    assert m.Customer.get_by_id(snooze.entity_id).name == "B"


@pytest.mark.sqlite_only  # SQLite's own limits stand in for a read-only file and a full disk
@pytest.mark.parametrize("pragma, reason", [
    ("query_only", "nothing was saved: the database {db} is read-only for you"),
    ("max_page_count", "disk full: no room left for the database {db}; nothing was saved"),
])
def test_a_database_that_cannot_be_written_is_one_line_exit_2(pragma, reason, cli_db, tmp_path,
                                                              monkeypatch, capsys):
    cfg, database = cli_db
    with sqlite3.connect(database) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    value = 1 if pragma == "query_only" else pages
    monkeypatch.setattr(dbmod, "SQLITE_PRAGMAS", {**dbmod.SQLITE_PRAGMAS, pragma: value})
    path = tmp_path / "big.yaml"
    path.write_text("customers:\n" + "".join(
        f"  - {{id: {n}, name: Customer {n}, notes: {'x' * 2000}}}\n" for n in range(1, 60)))
    before = _snapshot(database)
    assert main(["--config", cfg, "import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"relboard: {reason.format(db=database)}") and err.count("\n") == 1
    assert _snapshot(database) == before


def test_service_refuses_a_file_id_that_only_the_database_has(db, ctx, tmp_path):
    existing = tmp_path / "a.yaml"
    existing.write_text(BASE)
    transfer.import_file(ctx, existing)
    path = tmp_path / "b.yaml"
    path.write_text("interactions:\n  - {customer: 1, summary: x}\n")
    with pytest.raises(transfer.ImportFileError) as err:
        transfer.import_file(ctx, path)
    assert str(err.value).endswith("customer: no customer with id 1 earlier in the file")
    assert m.Interaction.select().count() == 0
