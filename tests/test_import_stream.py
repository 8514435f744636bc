"""The streaming import and export: section order, batches, the trail hint, progress."""

from __future__ import annotations

import io

import pytest

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.progress import LineProgress, terminal_progress
from relboard.services import bulk, export, transfer
from relboard.services.sample import load_sample

pytestmark = pytest.mark.both_databases

ORDERED = ("customers:\n  - {id: 1, name: A}\n  - {id: 2, name: B}\n"
           "contacts:\n  - {id: 1, customer: 2, name: Pat}\n"
           "interactions:\n  - {id: 1, customer: 2, contacts: [1], summary: call}\n")


def _dump() -> str:
    out = io.StringIO()
    export.export_yaml(out)
    return out.getvalue()


def test_sections_in_another_order_import_as_in_order(db, ctx, tmp_path, new_db_spec):
    path = tmp_path / "ordered.yaml"
    path.write_text(ORDERED)
    transfer.import_file(ctx, path)
    expected = _dump()
    close_database()
    open_database(new_db_spec("second"))
    shuffled = tmp_path / "shuffled.yaml"
    shuffled.write_text("interactions:\n  - {id: 1, customer: 2, contacts: [1], summary: call}\n"
                        "contacts:\n  - {id: 1, customer: 2, name: Pat}\n"
                        "customers:\n  - {id: 1, name: A}\n  - {id: 2, name: B}\n")
    result = transfer.import_file(ctx, shuffled)
    assert result.counts == {"customers": 2, "contacts": 1, "interactions": 1}
    assert _dump().replace("at: 20", "").split("activity:")[0] == \
        expected.replace("at: 20", "").split("activity:")[0]


def test_a_flow_style_file_s_own_audit_log_is_found(db, ctx, tmp_path):
    path = tmp_path / "flow.yaml"  # no key starts a line: the quick look finds no activity
    path.write_text("{customers: [{id: 1, name: A}], activity: [{at: today, user: x, "
                    "entity: customer, entity_id: 1, action: create}]}\n")
    transfer.import_file(ctx, path)
    assert [(a.action, a.user) for a in m.Activity.select()] == [("create", "x")]


def test_a_key_at_a_line_start_inside_text_does_not_drop_the_audit_rows(db, ctx, tmp_path):
    path = tmp_path / "text.yaml"
    path.write_text('customers:\n  - id: 1\n    name: A\n    notes: "one\nactivity: two"\n')
    transfer.import_file(ctx, path)
    assert m.Customer.get().notes == "one activity: two"
    assert [a.action for a in m.Activity.select()] == ["import"]


def test_batches_of_any_size_give_the_same_data(db, ctx, tmp_path, new_db_spec, monkeypatch):
    load_sample(ctx)
    first = _dump()
    path = tmp_path / "export.yaml"
    path.write_text(first)
    monkeypatch.setattr(bulk, "CHUNK", 7)
    monkeypatch.setattr(export, "CHUNK", 3)
    close_database()
    open_database(new_db_spec("second"))
    transfer.import_file(ctx, path)
    assert _dump() == first


@pytest.mark.sqlite_only  # PostgreSQL numbers from its sequence: record 2 would clash
def test_an_id_clashing_with_an_earlier_numbered_record_is_named(db, ctx, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 2)
    path = tmp_path / "clash.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n  - {name: B}\n  - {name: C}\n"
                    "  - {id: 2, name: D}\n")
    with pytest.raises(transfer.ImportFileError) as err:
        transfer.import_file(ctx, path)
    assert str(err.value).startswith(f"{path}:5:6: record 4 (customers[3], id 2): id: "
                                     "conflicts with a stored record (")
    assert m.Customer.select().count() == 0


def test_progress_is_reported_while_importing(db, ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "PROGRESS_EVERY", 10)
    path = tmp_path / "many.yaml"
    path.write_text("customers:\n" + "".join(f"  - {{id: {n}, name: C{n}}}\n"
                                             for n in range(1, 51)))
    calls = []
    transfer.import_file(ctx, path, lambda done, size, records: calls.append((size, records)))
    assert [records for _, records in calls] == [10, 20, 30, 40, 50]
    assert {size for size, _ in calls} == {path.stat().st_size}


@pytest.mark.sqlite_only
def test_progress_line_only_on_a_terminal():
    assert terminal_progress(io.StringIO()) is None  # piped: quiet

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    line = terminal_progress(out)
    assert isinstance(line, LineProgress)
    line(500, 1000, 2000)
    line(600, 1000, 2400)  # within the same quarter second: not drawn
    line.done()
    assert out.getvalue() == ("\rimporting: 50% (0.0 of 0.0 MB), 2,000 records"
                              + "\r" + " " * 45 + "\r")
