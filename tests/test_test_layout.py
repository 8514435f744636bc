"""The tests' own layout: no module of ``tests/`` imports a test module (``test_*.py``).

What tests share lives in a helpers module (``conftest.py`` for fixtures, ``pilot.py`` for the
Pilot harness, ``form_harness.py``, ``factories.py``, ``users.py``...): a test module imported by
another is run, collected and broken together with it, and its private helpers drift.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _is_test_module(name: str) -> bool:
    """``tests.test_x``, ``test_x`` or ``.test_x`` (and what is inside them)."""
    parts = name.lstrip(".").split(".")
    if parts[0] == "tests":
        parts = parts[1:]
    return bool(parts) and parts[0].startswith("test_")


def _is_package_of_tests(module: str) -> bool:
    return module.lstrip(".") in ("", "tests")


def imports_of_test_modules(source: str) -> list[str]:
    """Each import of a test module in ``source``: ``import``, ``from ... import``, relative,
    inside a function too, or by name through ``__import__``/``importlib.import_module``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if _is_test_module(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _is_test_module(module) or (_is_package_of_tests(module) and any(
                    a.name.startswith("test_") for a in node.names)):
                found.append(f"{node.lineno}: from {module} import "
                             + ", ".join(a.name for a in node.names))
        elif isinstance(node, ast.Call) and node.args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and (getattr(node.func, "id", None) == "__import__"
                     or getattr(node.func, "attr", None) == "import_module") \
                and _is_test_module(node.args[0].value):
            found.append(f"{node.lineno}: imports {node.args[0].value!r} by name")
    return found


def test_no_module_of_the_tests_imports_a_test_module():
    found = [f"{path.relative_to(TESTS.parent)}:{line}"
             for path in sorted(TESTS.glob("*.py"))
             for line in imports_of_test_modules(path.read_text(encoding="utf-8"))]
    assert found == [], "move what they share to a helpers module:\n" + "\n".join(found)


def test_the_check_sees_every_way_of_importing_a_test_module():
    source = """
from tests.test_forms import FormApp
from tests import test_keys
from .test_lists import every_id
from . import pilot, test_config
import tests.test_cli
def later():
    from tests.test_shared import ANN
    __import__("tests.test_portfolio_board")
    importlib.import_module("tests.test_query_plans")
from tests.pilot import settle
from tests import conftest, factories
import textual.test_elsewhere
from tests.factories import test_like_name
"""
    found = imports_of_test_modules(source)
    assert [line.split(":")[0] for line in found] == [
        "2", "3", "4", "5", "6", "8", "9", "10"]
    assert "from tests import test_keys" in found[1] and "from .test_lists" in found[2]
