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
