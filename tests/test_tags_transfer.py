"""Tags in import and export: ``tags: [a, b]`` in the YAML file, a ``tags`` column in CSV
(names separated by spaces), both read back identically, a bad tag named where it is, and a
merge that replaces a record's tags; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import export, records, tags, transfer
from relboard.services.csvexport import csv_chunks
from relboard.services.csvimport import import_csv
from relboard.services.transfer import ImportFileError
from tests import factories as f
from tests.conftest import TODAY

pytestmark = pytest.mark.both_databases


def _board(ctx) -> dict[str, int]:
    cid = f.customer(ctx, "Acme", tags="strategic renewal")
    other = f.customer(ctx, "Beta")
    return {
        "customer": cid, "other": other,
        "issue": f.issue(ctx, cid, "Outage", tags="outage p1"),
        "expectation": f.expectation(ctx, cid, TODAY + dt.timedelta(days=5), tags="pilot"),
        "risk": records.create(ctx, "risk", {"customer": other, "title": "R", "tags": "ops"}),
    }


def _tags() -> list[tuple[str, str]]:
    t = m.Tag
    return sorted((kind, name) for kind, name in t.select(t.kind, t.name).tuples())


def test_the_yaml_export_lists_tags_and_imports_them_back(db, ctx, tmp_path, new_db_spec):
    made = _board(ctx)
    text = export.export_text()
    data = yaml.safe_load(text)
    assert data["customers"][0]["tags"] == ["renewal", "strategic"]
    assert "tags" not in data["customers"][1]  # no tags: no key
    assert data["issues"][0]["tags"] == ["outage", "p1"]
    assert data["expectations"][0]["tags"] == ["pilot"]
    assert data["risks"][0]["tags"] == ["ops"]
    before = _tags()
    path = tmp_path / "board.yaml"
    path.write_text(text)
    close_database()
    open_database(new_db_spec("copy"))
    transfer.import_file(ctx, path)
    assert _tags() == before
    assert tags.of("customer", made["customer"]) == ("renewal", "strategic")
    assert export.export_text() == text


def test_a_bad_tag_in_a_file_imports_nothing_and_is_named(db, ctx, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("customers:\n  - id: 1\n    name: A\n    tags: [fine, \"no good\"]\n")
    with pytest.raises(ImportFileError) as err:
        transfer.import_file(ctx, path)
    assert str(err.value) == (f"{path}:4:5: record 1 (customers[0], id 1): tags: 'no good' is "
                              f"not a tag: {tags.RULE}")
    assert m.Customer.select().count() == m.Tag.select().count() == 0
    path.write_text("customers:\n  - {id: 1, name: A, tags: 7}\n")
    with pytest.raises(ImportFileError, match="tags: must be tag names separated by spaces"):
        transfer.import_file(ctx, path)
    path.write_text("projects:\n  - {id: 1, customer: 1, name: P, tags: [x]}\n"
                    .replace("projects:", "customers:\n  - {id: 1, name: A}\nprojects:"))
    with pytest.raises(ImportFileError, match="tags: is not a field of this record"):
        transfer.import_file(ctx, path)  # a project carries no tags


def test_merge_replaces_the_tags_a_file_gives_and_keeps_the_others(db, ctx, tmp_path):
    made = _board(ctx)
    data = yaml.safe_load(export.export_text())
    data["customers"][0]["tags"] = ["renewal", "at-risk"]
    del data["issues"][0]["tags"]  # no key: the stored tags stay
    del data["end"]
    path = tmp_path / "merge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    transfer.import_file(ctx, path, merge=True)
    assert tags.of("customer", made["customer"]) == ("at-risk", "renewal")
    assert tags.of("issue", made["issue"]) == ("outage", "p1")
    logged = m.Activity.get((m.Activity.field == "tags") & (m.Activity.action == "import"))
    assert (logged.old, logged.new) == ("#renewal #strategic", "#at-risk #renewal")


def test_the_csv_tags_column_round_trips(db, ctx, tmp_path, new_db_spec):
    _board(ctx)
    files = {kind: "".join(csv_chunks(kind)) for kind in ("customer", "issue", "expectation")}
    header, first = files["customer"].splitlines()[:2]
    assert header.endswith(",tags") and first.endswith(",renewal strategic")
    assert "".join(csv_chunks("risk")).splitlines()[1].endswith(",ops")
    close_database()
    open_database(new_db_spec("csv"))
    for kind, text in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        import_csv(ctx, path, kind)
    assert {kind: "".join(csv_chunks(kind)) for kind in files} == files
    assert ("customer", "strategic") in _tags()


def test_a_csv_tags_cell_is_read_as_typed_and_a_bad_one_named(db, ctx, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("name,tags\nAcme,\"#Renewal, urgent\"\nBeta,\n")
    import_csv(ctx, path, "customer")
    assert _tags() == [("customer", "renewal"), ("customer", "urgent")]
    path.write_text("name,tags\nGamma,ok\nDelta,=cmd|x\n")
    with pytest.raises(ImportFileError) as err:
        import_csv(ctx, path, "customer")
    assert str(err.value) == f"{path}:3:2: tags: '=cmd|x' is not a tag: {tags.RULE}"
    assert m.Customer.select().count() == 2
