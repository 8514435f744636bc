"""Record kinds declared once (issue 20, point 2): what is derived from the declarations."""

from __future__ import annotations

import ast
from pathlib import Path

from relboard.migrations import m0008_search
from relboard.services import fileformat, kinds, search_index
from relboard.services.entities import ENTITIES, field_label

PACKAGE = Path(__file__).resolve().parent.parent / "relboard"


def test_the_file_sections_are_the_declared_kinds_in_order():
    assert [s for s, _ in fileformat.SECTIONS] == [k.section for k in kinds.KINDS if k.section]
    assert fileformat.SECTIONS[:3] == (("customers", "customer"), ("contacts", "contact"),
                                       ("projects", "project"))
    assert set(ENTITIES) == {k.name for k in kinds.KINDS if k.editable}
    assert "activity" not in ENTITIES and "referral" in ENTITIES


def test_the_search_index_of_schema_8_is_the_declared_one_for_its_kinds():
    """Today's declarations index what schema 8 made (a change here needs a migration)."""
    frozen = {k.code: k for k in m0008_search.KINDS}
    declared = {k.code: k for k in search_index.KINDS}
    for code, old in frozen.items():
        new = declared[code]
        assert (new.name, new.table, new.title, new.body, new.customer) == \
            (old.name, old.table, old.title, old.body, old.customer)
        assert new.vector() == old.vector()
    assert search_index.sqlite_statements() == m0008_search.sqlite_statements()
    assert search_index.postgres_statements() == m0008_search.postgres_statements()


def test_services_reach_the_search_index_without_a_migration_step():
    """Services may ask the runner for the schema version, never read a step's module."""
    services = sorted((PACKAGE / "services").rglob("*.py"))
    bad = []
    for path in services:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "relboard.migrations.m"):
                bad.append(str(path.relative_to(PACKAGE)))
    assert bad == []


def test_a_field_has_one_label_for_its_form_and_its_history():
    """The History said "Given by" for feedback's stakeholder (the form: "From") and
    "Contact" for a referral's (the form: "Given by")."""
    assert field_label("feedback", "contact") == "From"
    assert field_label("feedback", "score") == "Answer"
    assert field_label("referral", "contact") == "Given by"
    assert field_label("contact", "engagement_desired") == "Desired engagement"
    assert field_label("issue", "raised_by") == "Raised by"
    assert field_label("nonesuch", "some_field") == "Some field"


MODEL = '''

class Milestone(Editable):
    """A milestone agreed with a customer."""

    customer = ForeignKeyField(Customer, backref="milestones", on_delete="CASCADE")
    title = CharField(max_length=200)
    due_on = DateField(null=True)
    notes = TextField(default="")
'''
MIGRATION = '''"""Schema 10: milestones."""

from relboard.models import Milestone

NAME = "milestones"


def apply(db):
    """The table."""
    with db.bind_ctx([Milestone]):
        db.create_tables([Milestone], safe=True)
'''
DECLARATION = '''"""Milestones agreed with a customer."""

from relboard import models as m
from relboard.services.kinds.declare import Column, Form, Input, Kind, Tab
from relboard.services.kinds.relationship import CUSTOMER, NOTE
from relboard.services.spec import F

MILESTONE_KIND = Kind(
    "milestone", m.Milestone, {
        "customer": CUSTOMER, "title": F("text", required=True), "due_on": F("date"),
        "notes": NOTE,
    }, "milestones", title="title", labels={"due_on": "Due on"},
    tab=Tab("milestones", "milestones", "Milestones", (
        Column("due_on", "Due", 10), Column("title", "Milestone", 30, flex=True))),
    form=Form(("New milestone", "Edit milestone"), (
        Input("title", required=True), Input("due_on", placeholder="YYYY-MM-DD"),
        Input("notes"))))
'''
CHECK = '''
import asyncio, datetime as dt, sys
from relboard.app import RelboardApp
from relboard.config import Config
from relboard.db import open_database
from relboard.services import export, records
from relboard.services.context import Context
from relboard.services.entities import field_label
from relboard.services.transfer import import_file
from relboard.widgets.read_only import WRITE_ACTIONS

ctx = Context(user="alice", now_override=dt.datetime(2026, 11, 23, 10, 0))
open_database(sys.argv[1] + "/a.db")
cid = records.create(ctx, "customer", {"name": "Acme"})
records.create(ctx, "milestone", {"customer": cid, "title": "Go-live", "due_on": "2026-12-01"})
text = export.export_text()
print(text.splitlines()[-1])
open(sys.argv[1] + "/x.yaml", "w").write(text)
open_database(sys.argv[1] + "/b.db")
import_file(ctx, sys.argv[1] + "/x.yaml")
print(export.export_text() == text, "new_milestone" in WRITE_ACTIONS,
      field_label("milestone", "due_on"))

async def profile():
    app = RelboardApp(Config(database="unused.db", user="alice", animations=False), ctx=ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        app.open_customer(cid, tab="milestones")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        table = app.screen.query_one("#milestones-table")
        print(table.row_count, [str(c) for c in table.get_row_at(0)])
        await pilot.press("n")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        form = app.screen
        print(type(form).__name__, form.form_title, [(f.name, f.label) for f in form.fields])

asyncio.run(profile())
'''


def test_a_new_kind_with_a_form_and_a_tab_is_its_table_migration_and_declaration(tmp_path):
    """A copy of relboard given a table, its migration (and step line), a declaration and
    its line in ``KINDS``, and nothing else: the kind is in the export (and its import), has
    its labels, its profile tab with its records, its form and its write action guarded."""
    import os
    import re
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "relboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    models = copy / "models.py"
    text, n = re.subn(r"\n\n\nclass HealthSnapshot", MODEL + "\n\nclass HealthSnapshot",
                      models.read_text())
    text, tables = re.subn(r"Referral, HealthSnapshot,", "Referral, Milestone, HealthSnapshot,",
                           text)
    models.write_text(text)
    (copy / "migrations" / "m0010_milestone.py").write_text(MIGRATION)
    steps = copy / "migrations" / "__init__.py"
    text, step = re.subn(r'(\(\d+, "m\d{4}_\w+"\))\)\n',  # after the last step
                         '\\1, (99, "m0010_milestone"))\n', steps.read_text())
    steps.write_text(text)
    (copy / "services" / "kinds" / "milestone.py").write_text(DECLARATION)
    registry = copy / "services" / "kinds" / "__init__.py"
    text, line = re.subn(r"REFERRAL_KIND,\n    SNAPSHOT_KIND,",
                         "REFERRAL_KIND,\n    MILESTONE_KIND, SNAPSHOT_KIND,", registry.read_text())
    text, imported = re.subn(r"^(from relboard.services.kinds.logs)", "from relboard.services."
                             "kinds.milestone import MILESTONE_KIND\n\\1", text, flags=re.M)
    registry.write_text(text)
    assert (n, tables, step, line, imported) == (1, 1, 1, 1, 1)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "end: {customers: 1, milestones: 1, activity: 2}"
    assert lines[1] == "True True Due on"
    assert lines[2] == "1 ['2026-12-01', 'Go-live']"
    assert lines[3] == ("MilestoneForm New milestone [('title', 'Title'), ('due_on', 'Due on'), "
                        "('notes', 'Notes')]")
