"""Create/update/archive through the service layer: validation, optimistic locking, audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import records
from relboard.services.errors import ConflictError, NotFoundError, ValidationError
from tests import factories as f
from tests.conftest import NOW, at

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def test_create_stores_fields_stamps_and_logs(db, ctx):
    cid = f.customer(ctx, "Northwind Health", tier="strategic", cadence_days="7")
    row = records.get("customer", cid)
    assert (row["name"], row["tier"], row["cadence_days"], row["version"]) == \
        ("Northwind Health", "strategic", 7, 1)
    assert (row["created_by"], row["created_at"]) == ("alice", NOW)
    assert records.history("customer", cid)[0]["action"] == "create"


@pytest.mark.parametrize("values, field, reason", [
    ({"name": ""}, "name", "is required"),
    ({"name": "A", "tier": "gold"}, "tier", "must be one of strategic, key, standard"),
    ({"name": "A", "cadence_days": "0"}, "cadence_days", "between 1 and 365"),
    ({"name": "A", "cadence_days": "weekly"}, "cadence_days", "whole number"),
    ({"name": "A\x1b]0;x\x07"}, "name", "control characters"),
    ({"name": "A\nB"}, "name", "single line"),
    ({"name": "A", "colour": "red"}, "colour", "not a field"),
    ({"name": "A", "archived": True}, "archived", "cannot be changed here"),
])
def test_invalid_input_names_the_field_and_saves_nothing(db, ctx, values, field, reason):
    with pytest.raises(ValidationError) as err:
        records.create(ctx, "customer", values)
    assert field in err.value.errors and reason in err.value.errors[field]
    assert m.Customer.select().count() == 0
    assert m.Activity.select().count() == 0


def test_references_must_exist_and_belong_to_the_same_customer(db, ctx):
    a, b = f.customer(ctx, "A"), f.customer(ctx, "B")
    other = f.contact(ctx, b)
    with pytest.raises(ValidationError) as err:
        f.issue(ctx, a, raised_by=other)
    assert "another customer" in err.value.errors["raised_by"]
    with pytest.raises(ValidationError) as err:
        f.contact(ctx, 99)
    assert err.value.errors["customer"] == "customer #99 does not exist"


def test_feedback_score_range_depends_on_kind(db, ctx):
    cid = f.customer(ctx)
    base = {"customer": cid, "received_on": "2026-11-20"}
    assert records.create(ctx, "feedback", {**base, "kind": "nps", "score": 9})
    with pytest.raises(ValidationError, match="CSAT score is 1-5"):
        records.create(ctx, "feedback", {**base, "kind": "csat", "score": 9})


def test_update_changes_fields_bumps_version_and_logs_old_and_new(db, ctx):
    cid = f.customer(ctx, cadence_days=14)
    later = at(ctx, NOW + dt.timedelta(hours=1), user="bob")
    assert records.update(later, "customer", cid, 1,
                          {"cadence_days": "7", "notes": "Call Fri"}) == 2
    row = records.get("customer", cid)
    assert (row["cadence_days"], row["notes"], row["updated_by"]) == (7, "Call Fri", "bob")
    log = {(h["field"], h["old"], h["new"], h["user"]) for h in records.history("customer", cid)
           if h["action"] == "update"}
    assert log == {("cadence_days", "14", "7", "bob"), ("notes", "", "Call Fri", "bob")}


def test_unchanged_update_keeps_the_version(db, ctx):
    cid = f.customer(ctx, "Same")
    assert records.update(ctx, "customer", cid, 1, {"name": "Same"}) == 1


def test_stale_version_raises_conflict_naming_who_and_changes_nothing(db, ctx):
    cid = f.customer(ctx, "Original")
    bob = at(ctx, dt.datetime(2026, 11, 23, 11, 5), user="bob")
    records.update(bob, "customer", cid, 1, {"notes": "Bob's note"})
    with pytest.raises(ConflictError) as err:
        records.update(ctx, "customer", cid, 1, {"notes": "Alice's note", "name": "Renamed"})
    assert err.value.changed_by == "bob"
    assert "bob at 2026-11-23 11:05" in str(err.value)
    row = records.get("customer", cid)
    assert (row["name"], row["notes"], row["version"]) == ("Original", "Bob's note", 2)
    assert not [h for h in records.history("customer", cid) if h["user"] == "alice"
                and h["action"] == "update"]


def test_archive_and_restore(db, ctx):
    cid = f.customer(ctx)
    v = records.set_archived(ctx, "customer", cid, 1)
    assert records.get("customer", cid)["archived"] is True
    records.set_archived(ctx, "customer", cid, v, archived=False)
    assert records.get("customer", cid)["archived"] is False
    actions = [h["action"] for h in records.history("customer", cid)]
    assert actions[:2] == ["restore", "archive"]


def test_missing_record(db, ctx):
    with pytest.raises(NotFoundError, match="customer #5 does not exist"):
        records.update(ctx, "customer", 5, 1, {"name": "x"})


def test_required_column_cannot_be_blanked(db, ctx):
    cid = f.customer(ctx)
    with pytest.raises(ValidationError) as err:
        records.update(ctx, "customer", cid, 1, {"tier": ""})
    assert err.value.errors == {"tier": "is required"}


def test_saves_of_different_fields_merge_and_the_same_field_conflicts(db, ctx):
    cid = records.create(ctx, "customer", {"name": "Acme", "industry": "Retail"})
    bob = at(ctx, ctx.now(), "bob")
    v2 = records.update(bob, "customer", cid, 1, {"industry": "Logistics"})
    v3 = records.update(ctx, "customer", cid, 1, {"notes": "met the CIO"})  # read at 1: merges
    row = records.get("customer", cid)
    assert (row["industry"], row["notes"], row["version"]) == ("Logistics", "met the CIO", v3)
    assert v3 == v2 + 1
    with pytest.raises(ConflictError) as clash:
        records.update(ctx, "customer", cid, 1, {"industry": "Health", "notes": "x"})
    assert clash.value.fields == {"industry": ("Logistics", "Health"),
                                  "notes": ("met the CIO", "x")}
    assert records.get("customer", cid)["industry"] == "Logistics"  # nothing written


def test_a_gap_the_audit_log_cannot_explain_conflicts(db, ctx):
    cid = records.create(ctx, "customer", {"name": "Acme"})
    m.Customer.update(version=2).where(m.Customer.id == cid).execute()  # e.g. an older relboard
    with pytest.raises(ConflictError) as clash:
        records.update(ctx, "customer", cid, 1, {"notes": "x"})
    assert clash.value.fields == {"notes": ("", "x")}


def test_linked_records_must_belong_to_the_same_customer(db, ctx, tmp_path):
    from relboard.services.transfer import ImportFileError, import_file

    acme, other = f.customer(ctx, "Acme"), f.customer(ctx, "Other")
    theirs = f.contact(ctx, other, "Their contact")
    with pytest.raises(ValidationError) as err:
        f.issue(ctx, acme, "Wrong link", raised_by=theirs)
    assert err.value.errors == {"raised_by": f"belongs to another customer (#{other})"}
    path = tmp_path / "f.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n  - {id: 2, name: B}\n"
                    "contacts:\n  - {id: 1, customer: 2, name: Bee}\n"
                    "issues:\n  - {id: 1, customer: 1, raised_by: 1, title: x}\n")
    with pytest.raises(ImportFileError, match="raised_by: belongs to another customer"):
        import_file(ctx, path)
