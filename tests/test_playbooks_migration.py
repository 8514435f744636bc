"""Schema 13 (playbooks): a schema-9 board gets the playbook tables and Today's index in
place, every row kept; the step again changes nothing; a new board has them from the start.
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.migrations import LATEST, m0013_playbooks, migrate, schema_version, steps
from tests import factories as f

pytestmark = pytest.mark.both_databases
TABLES = ("playbook_run", "playbook_step")


def test_schema_9_gets_the_playbook_tables_in_place(db, ctx):
    acme = f.customer(ctx, "Acme Rail")
    f.touchpoint(ctx, acme)
    with db.atomic():  # back to schema 9
        db.drop_tables([m.PlaybookStep, m.PlaybookRun])
        m.SchemaMigration.delete().where(m.SchemaMigration.number > 9).execute()
    assert schema_version(db) == 9 and not set(TABLES) & set(db.get_tables())
    assert migrate(db) == [n for n, _, _ in steps() if n > 9]  # the later steps again too
    assert schema_version(db) == LATEST
    assert set(TABLES) <= set(db.get_tables())
    assert "playbook_step_done_at_due_on_id_customer_id" in {
        i.name for i in db.get_indexes("playbook_step")}
    assert {i.name: i.unique for i in db.get_indexes("playbook_run")}[
        "playbook_run_customer_id_name"] is True
    assert m.Customer.get_by_id(acme).name == "Acme Rail"
    assert m.Interaction.select().count() == 1
    with db.atomic():
        m0013_playbooks.apply(db)  # again: nothing to do, nothing breaks
    assert migrate(db) == []


def test_a_new_board_has_the_tables_and_its_stamp(db):
    assert set(TABLES) <= set(db.get_tables())
    assert m.SchemaMigration.select().where(m.SchemaMigration.number == 13).count() == 1
