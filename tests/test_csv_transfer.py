"""CSV both ways: one kind a file, names for references, the YAML import's checks, the
injection rule, spreadsheet habits, and a round trip equal to the YAML one."""

from __future__ import annotations

import csv
import io

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import export, transfer
from relboard.services.csvexport import csv_chunks, export_list, write_csv
from relboard.services.csvformat import IMPORTABLE, KINDS, guard, unguard
from relboard.services.csvimport import import_csv
from relboard.services.export import ExportFileError
from relboard.services.transfer import ImportFileError

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def _csv(kind: str, ids: list[int] | None = None) -> str:
    return "".join(csv_chunks(kind, ids))


def _file(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_round_trip_of_every_importable_kind_equals_the_yaml_round_trip(
        sample, tmp_path, new_db_spec):
    ctx = sample
    before = {word: _csv(KINDS[word]) for word in IMPORTABLE}
    assert before["touchpoints"].count("\n") > 50 and "; " in before["touchpoints"]
    yaml_file = tmp_path / "board.yaml"
    export.export_file(yaml_file)
    close_database()
    open_database(new_db_spec("by_yaml"))
    transfer.import_file(ctx, yaml_file)
    by_yaml = {word: _csv(KINDS[word]) for word in IMPORTABLE}
    close_database()
    open_database(new_db_spec("by_csv"))
    for word in IMPORTABLE:  # references first: customers, projects, stakeholders, ...
        result = import_csv(ctx, _file(tmp_path, f"{word}.csv", before[word]), KINDS[word])
        assert result.total == len(list(csv.reader(io.StringIO(before[word])))) - 1 > 0
    by_csv = {word: _csv(KINDS[word]) for word in IMPORTABLE}
    assert by_csv == by_yaml == before
    imported = m.Activity.select().where(m.Activity.action == "import").count()
    assert imported == sum(model.select().count() for model in (
        m.Customer, m.Project, m.Contact, m.Interaction, m.Expectation, m.Issue))


def test_a_cell_a_spreadsheet_would_run_is_written_with_a_quote_and_read_back(
        db, ctx, tmp_path, new_db_spec):
    from relboard.services import records

    risky = ["=HYPERLINK(\"http://x\")", "+1 555 0100", "-2+3", "@SUM(A1)", "'=already",
             "'plain quote", "plain"]
    for n, text in enumerate(risky):
        customer = records.create(ctx, "customer", {"name": f"C{n}", "notes": text})
        records.create(ctx, "interaction", {"customer": customer, "summary": text,
                                            "occurred_at": "2026-11-20 10:00",
                                            "sentiment": -2})
    written = _csv("customer")
    lines = written.splitlines()
    notes = [line.split(",")[6] for line in lines[1:]]
    assert notes == ["\"'=HYPERLINK(\"\"http://x\"\")\"", "'+1 555 0100", "'-2+3",
                     "'@SUM(A1)", "''=already", "''plain quote", "plain"]
    assert ",-2," in _csv("interaction").splitlines()[1]  # a number: never prefixed
    assert [unguard(guard(text)) for text in risky] == risky
    touchpoints = _csv("interaction")
    close_database()
    open_database(new_db_spec("second"))
    import_csv(ctx, _file(tmp_path, "c.csv", written), "customer")
    import_csv(ctx, _file(tmp_path, "t.csv", touchpoints), "interaction")
    assert [c.notes for c in m.Customer.select().order_by(m.Customer.id)] == risky
    assert {i.summary for i in m.Interaction.select()} == set(risky)
    assert {i.sentiment for i in m.Interaction.select()} == {-2}


def test_spreadsheet_habits_bom_semicolons_excel_quotes_and_crlf(db, ctx, tmp_path):
    text = ("\ufeffName;Tier;Cadence days;Notes\r\n"
            "Acme;key;14;\"She said \"\"ship it\"\"; then left\r\nearly\"\r\n"
            ";;;\r\n"  # a row a spreadsheet left with separators only
            "Beta;standard;;\r\n")
    result = import_csv(ctx, _file(tmp_path, "c.csv", text), "customer")
    assert result.counts == {"customers": 2}
    rows = [(c.name, c.tier, c.cadence_days, c.notes)
            for c in m.Customer.select().order_by(m.Customer.id)]
    assert rows == [("Acme", "key", 14, "She said \"ship it\"; then left\nearly"),
                    ("Beta", "standard", None, "")]


def test_a_bad_cell_imports_nothing_and_is_named_file_row_column(db, ctx, tmp_path):
    (tmp_path / "c.csv").write_text("name\nAcme\n")
    import_csv(ctx, tmp_path / "c.csv", "customer")
    path = _file(tmp_path, "s.csv", "customer,name,email\nAcme,Pat,pat@acme.example\n"
                 "Acme,Sam,sam-at-acme\n")
    with pytest.raises(ImportFileError) as err:
        import_csv(ctx, path, "contact")
    assert str(err.value) == (f"{path}:3:3: email: is not an email address "
                              "(name@example.com)")
    assert m.Contact.select().count() == 0


@pytest.mark.parametrize("text, message", [
    ("customer,name,emial\n", "1:3: emial: not a column of contacts; did you mean email?"),
    ("name,email\n", "1:1: the column customer is missing; a row of contacts needs it"),
    ("customer,name\nAcmee,Pat\n",
     "2:1: customer: no customer is called 'Acmee'; did you mean 'Acme'?"),
    ("customer,name\nAcme,Pat\x1b[31m\n", "2:2: name: contains control characters (U+001B)"),
    ("customer,name\nAcme,Pat,,extra\n", "2:4: a cell after the last column"),
    ("", "the file is empty or its first row is"),
    ('customer,name\nAcme,"Pat\nAcme,Sam\n', ":2: not CSV as read (unexpected end of data)"),
    (b"customer,name\nAcme,P\xe9t\n".decode("latin-1"), ": not UTF-8 text"),
])
def test_what_is_wrong_is_said_in_one_line(db, ctx, tmp_path, text, message):
    (tmp_path / "c.csv").write_text("name\nAcme\n")
    import_csv(ctx, tmp_path / "c.csv", "customer")
    path = _file(tmp_path, "s.csv", text, "latin-1" if "UTF-8" in message else "utf-8")
    with pytest.raises(ImportFileError) as err:
        import_csv(ctx, path, "contact")
    assert message in str(err.value)
    assert str(err.value).startswith(f"{path}:")
    assert m.Contact.select().count() == 0


def test_a_name_two_customers_share_is_refused(db, ctx, tmp_path):
    _file(tmp_path, "c.csv", "name\nAcme\nAcme\n")
    import_csv(ctx, tmp_path / "c.csv", "customer")
    path = _file(tmp_path, "s.csv", "customer,name\nAcme,Pat\n")
    with pytest.raises(ImportFileError, match="2 customers are called 'Acme'; rename one"):
        import_csv(ctx, path, "contact")


def test_a_list_export_keeps_the_list_s_filter_and_sort(sample, tmp_path):
    from relboard.services import lists

    def fetch(after, limit):
        return lists.issues_page(sample, severity=("high",), sort="oldest", after=after,
                                 limit=limit)

    shown = [row["id"] for row in lists.issues_page(sample, severity=("high",), sort="oldest",
                                                    limit=1000).rows]
    assert 1 < len(shown) < m.Issue.select().count()
    path = tmp_path / "issues.csv"
    assert export_list("issue", fetch, path) == len(shown)
    titles = [m.Issue.get_by_id(i).title for i in shown]
    written = path.read_text()
    assert written == _csv("issue", shown)
    assert [line.split(",")[3] for line in written.splitlines()[1:]] == \
        [t if "," not in t else f'"{t}"' for t in titles]


def test_an_export_never_writes_over_a_folder(db, tmp_path):
    (tmp_path / "here").mkdir()
    with pytest.raises(ExportFileError, match="folder"):
        write_csv("customer", tmp_path / "here")
    with pytest.raises(ExportFileError, match="cannot write"):
        write_csv("customer", tmp_path / "no-such-folder" / "c.csv")


def test_a_control_character_another_program_stored_is_written_as_an_escape(db, ctx):
    from relboard.services import records

    customer = records.create(ctx, "customer", {"name": "Acme"})
    m.Customer.update(notes="red \x1b[31m\u202eflip").where(m.Customer.id == customer).execute()
    written = _csv("customer")
    assert "\x1b" not in written and "\u202e" not in written
    assert "red \\x1b[31m\\u202eflip" in written
