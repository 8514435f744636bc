"""Issue 19 points 10 and 11: one rule for dates and one for text on every way in.

Dates: years 1900..2199 on import, in the config's ``today:``, on the command line and in forms,
said in the refusal; a moment stored before that rule at the calendar's edge is still shown in
every time zone. Text: a value of invisible characters only is a wrong value (not "not given")
for a word, a number or a date; control characters (C0 but tab and line ends, DEL, C1) and
bytes that are not UTF-8 are refused by forms, the command line and import alike, bidi marks
and isolates are text on all three; ``digest --user`` names someone on the board.
"""

from __future__ import annotations

import sqlite3

import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.screens.form_choices import FormField, quick_check
from relboard.services import records, touchpoints
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.transfer import import_file
from tests import factories as f
from tests.conftest import NOW, TODAY, all_rows

pytestmark = pytest.mark.both_databases


@pytest.fixture
def cli_board(tmp_path, monkeypatch):
    """An SQLite board with one customer (owner priya) and a config (user ann) for it."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = tmp_path / "r.db"
    open_database(str(database))
    try:
        f.customer(Context(user="alice", now_override=NOW), "Northgate Health", owner="priya")
    finally:
        close_database()
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {database}\nuser: ann\n")
    return str(cfg), database


def _run(capsys, cfg: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--config", cfg, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _dump(database) -> str:
    with sqlite3.connect(database) as conn:
        return "\n".join(conn.iterdump())


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59Z", "0001-01-01", "1899-12-31",
                                    "2200-01-01 09:00"])
def test_import_refuses_a_moment_outside_the_years(db, ctx, tmp_path, moment):
    path = tmp_path / "i.yaml"
    path.write_text("customers:\n  - id: 1\n    name: Old Co\ninteractions:\n"
                    f"  - customer: 1\n    occurred_at: {moment}\n    summary: far\n")
    with pytest.raises(Exception) as caught:
        import_file(ctx, path)
    assert "occurred_at" in str(caught.value) and "years 1900-2199" in str(caught.value)
    assert m.Customer.select().count() == 0 and m.Interaction.select().count() == 0


def test_the_edges_of_the_years_are_accepted(db, ctx):
    cid = f.customer(ctx, "Edge Co")
    touchpoints.log_touchpoint(ctx, {"customer": cid, "summary": "edge",
                                     "occurred_at": "1900-01-01 00:00"}, [])
    for day in ("1900-01-01", "2199-12-31"):
        records.create(ctx, "expectation", {"customer": cid, "statement": "s",
                                            "current_due": day})
    with pytest.raises(ValidationError) as caught:
        records.create(ctx, "expectation", {"customer": cid, "statement": "s",
                                            "current_due": "2200-01-01"})
    assert "years 1900-2199" in caught.value.errors["current_due"]


def test_config_today_outside_the_years_is_a_positioned_error(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'r.db'}\nuser: ann\ntoday: 9999-12-31\n")
    code, out, err = _run(capsys, str(cfg), "--create", "digest")
    assert code == 2 and "Traceback" not in err
    assert err.strip() == (f"{cfg}:3:8: today: expected a real date as YYYY-MM-DD "
                           "(years 1900-2199), got '9999-12-31'")


def test_cli_date_outside_the_years_is_refused(cli_board, capsys):
    cfg, database = cli_board
    before = _dump(database)
    code, _, err = _run(capsys, cfg, "log", "Northgate", "hi", "--follow-up", "2200-01-01")
    assert code == 2 and err.strip() == ("relboard: --follow-up: must be within years "
                                         "1900-2199 (got 2200)")
    assert _dump(database) == before


def test_a_form_says_the_years_before_saving():
    date, moment = FormField("due", "Due", kind="date"), FormField("at", "When", kind="datetime")
    assert "years 1900-2199" in quick_check(date, "2200-01-01")
    assert "years 1900-2199" in quick_check(moment, "0001-01-01 10:00")
    assert quick_check(date, "2199-12-31") is None
    assert quick_check(moment, "1900-01-01 00:00") is None


@pytest.mark.sqlite_only
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_moments_stored_at_the_calendar_edge_still_show(cli_board, capsys, zone):
    """A board holding year-1 and year-9999 moments (written before the rule) digests and
    briefs in the zones farthest from UTC."""
    cfg, database = cli_board
    code, _, err = _run(capsys, cfg, "log", "Northgate", "first", "--follow-up", "+1d")
    code, _, err = _run(capsys, cfg, "log", "Northgate", "second")
    assert code == 0, err
    with sqlite3.connect(database) as conn:
        conn.execute("update interaction set occurred_at = '9999-12-31 23:59:59' where id = 1")
        conn.execute("update interaction set occurred_at = '0001-01-01 00:00:00' where id = 2")
        conn.execute("update customer set last_contact_at = '9999-12-31 23:59:59'")
    with open(cfg, "a") as config:
        config.write(f"timezone: {zone}\n")
    for argv in (["digest"], ["digest", "--format", "json"], ["brief", "Northgate"]):
        code, out, err = _run(capsys, cfg, *argv)
        assert (code, err) == (0, ""), (argv, err)
        assert "Northgate" in out or argv[0] == "digest"


# --- text --------------------------------------------------------------------------------

ZERO_WIDTH = "\u200b"


@pytest.mark.parametrize("argv, option", [
    (["log", "Northgate", "hi", "--channel", ZERO_WIDTH], "channel"),
    (["log", "Northgate", "hi", "--follow-up", ZERO_WIDTH], "--follow-up"),
    (["issue", "add", "Northgate", "Printer", "--severity", ZERO_WIDTH], "severity"),
    (["expect", "Northgate", "Audit", "--due", "+5d", "--category", ZERO_WIDTH], "category"),
])
def test_invisible_values_are_wrong_values_not_missing_ones(cli_board, capsys, argv, option):
    cfg, database = cli_board
    before = _dump(database)
    code, _, err = _run(capsys, cfg, *argv)
    assert code == 2 and err.startswith(f"relboard: {option}: must be") and err.count("\n") == 1
    assert _dump(database) == before


@pytest.mark.parametrize("text, code", [("hi \x1b]0;x\x07", "U+001B"), ("O\x92Brien", "U+0092"),
                                        ("del\x7f", "U+007F"), ("bell\x07", "U+0007")])
def test_control_characters_are_refused_on_the_command_line(cli_board, capsys, text, code):
    cfg, database = cli_board
    before = _dump(database)
    status, _, err = _run(capsys, cfg, "log", "Northgate", text)
    assert status == 2 and err.startswith("relboard: SUMMARY: contains control characters (")
    assert code in err and "\x1b" not in err and _dump(database) == before


def test_bytes_that_are_not_utf8_are_refused_not_a_traceback(cli_board, capsys):
    """A summary typed in another encoding reaches Python as a lone surrogate."""
    cfg, database = cli_board
    before = _dump(database)
    status, _, err = _run(capsys, cfg, "log", "Northgate", "caf\udce9")
    assert (status, err) == (2, "relboard: SUMMARY: is not valid UTF-8 text\n")
    assert _dump(database) == before


@pytest.mark.parametrize("text", ["hi \x1b[2J", "O\x92Brien", "a\x00b"])
def test_control_characters_are_refused_by_forms(db, ctx, text):
    cid = f.customer(ctx, "Forms Co")
    with pytest.raises(ValidationError) as caught:
        records.update(ctx, "customer", cid, 1, {"notes": text})
    assert caught.value.errors["notes"].startswith("contains control characters")


def test_control_characters_are_refused_by_import(db, db_spec, ctx, tmp_path):
    path = tmp_path / "i.yaml"
    path.write_text('customers:\n  - id: 1\n    name: "O\\x92Brien"\n'
                    '  - id: 2\n    name: "Evil\\u202eCo\\e[2J"\n')
    before = all_rows(db_spec)
    with pytest.raises(Exception) as caught:
        import_file(ctx, path)
    assert "3:5" in str(caught.value)
    assert "contains control characters (U+0092)" in str(caught.value)
    assert all_rows(db_spec) == before


def test_what_every_way_in_keeps(db, ctx, tmp_path):
    """Tabs, line ends in long text, bidi marks and isolates, joiners are text on every
    way in (every output neutralises the bidi ones: test_hostile_board)."""
    path = tmp_path / "i.yaml"
    path.write_text('customers:\n  - id: 1\n    name: "Tab\\there \\u200e\\u200d\\u2068x\\u2069"\n'
                    '    notes: "line one\\nline two \\u202e"\n')
    import_file(ctx, path)
    row = m.Customer.get_by_id(1)
    assert (row.name, row.notes) == ("Tab\there \u200e\u200d\u2068x\u2069",
                                     "line one\nline two \u202e")
    records.update(ctx, "customer", 1, row.version, {"notes": "a\tb\nc \u2066d\u2069"})
    assert m.Customer.get_by_id(1).notes == "a\tb\nc \u2066d\u2069"


@pytest.mark.parametrize("name, said", [
    ("", "must be a user's name"), (ZERO_WIDTH, "must be a user's name"),
    ("prya", "nobody named 'prya' on this board; did you mean priya? known: alice, ann, priya"),
])
def test_digest_user_names_someone_on_the_board(cli_board, capsys, name, said):
    cfg, _ = cli_board
    code, out, err = _run(capsys, cfg, "digest", "--user", name)
    assert (code, out, err) == (2, "", f"relboard: --user: {said}\n")
    code, out, err = _run(capsys, cfg, "digest", "--user", "priya")
    assert code == 0 and "priya" in out.splitlines()[0]
