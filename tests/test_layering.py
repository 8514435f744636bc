"""Imports go one way: the core never imports Textual/Rich; screens never import Peewee."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "relboard"
CORE = ["config.py", "config_check.py", "db.py", "dbfile.py", "errors.py", "models.py",
        "yamlstrict.py", "yamlstream.py", "progress.py", "text.py", "resources.py", "migrations",
        "services", "sharing.py",
        "presence.py", "integrity.py", "cli", "theme_files.py"]
UI = ["app.py", "app_signals.py", "screens", "widgets"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(parts: list[str]) -> list[Path]:
    out = []
    for part in parts:
        target = PACKAGE / part
        out.extend(sorted(target.rglob("*.py")) if target.is_dir() else
                   [target] if target.exists() else [])
    return out


def test_core_never_imports_textual_or_rich():
    files = _files(CORE)
    assert len(files) >= 10
    bad = {str(f.relative_to(PACKAGE)): _imports(f) & {"textual", "rich"} for f in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_ui_never_imports_peewee():
    bad = {str(f.relative_to(PACKAGE)): _imports(f) & {"peewee", "playhouse", "sqlite3"}
           for f in _files(UI)}
    assert {k: v for k, v in bad.items() if v} == {}


def _relboard_modules(path: Path) -> set[str]:
    """The relboard modules ``path`` imports (``from relboard import models`` included)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("relboard."))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "relboard":
                names.update(f"relboard.{a.name}" for a in node.names)
            elif node.module.startswith("relboard."):
                names.add(node.module)
    return names


def test_ui_never_imports_the_models_or_the_database():
    """Screens and widgets reach the data through services only (constants included)."""
    below = {"relboard.models", "relboard.db", "relboard.dbfile", "relboard.migrations"}
    bad = {str(f.relative_to(PACKAGE)): _relboard_modules(f) & below for f in _files(UI)}
    assert {k: v for k, v in bad.items() if v} == {}


def test_importing_the_core_does_not_load_textual():
    import subprocess
    import sys

    code = ("import sys, relboard.services.attention, relboard.services.transfer, "
            "relboard.services.digest, relboard.config, relboard.__main__; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


RAW_WIDGETS = {"Input", "TextArea", "SuggestFromList", "Label", "Log", "RichLog", "Markdown"}
"""Widgets that take text in unchecked: screens use ``widgets/safe.py``'s versions instead."""


def test_ui_puts_text_into_widgets_only_through_the_safe_ones():
    bad = []
    for path in _files(UI):
        if path.name in ("safe.py", "safe_inputs.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in RAW_WIDGETS:
                    bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}(...)")
                if any(k.arg == "markup" and not (isinstance(k.value, ast.Constant)
                                                  and k.value.value is False)
                       for k in node.keywords):
                    bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: markup not False")
    assert bad == []


def test_widgets_never_import_screens():
    """Widgets take data in and post messages out; behaviour shared by screens (the verbs)
    lives with the screens (``screens/verbs``). Imports inside functions count too."""
    bad = {str(f.relative_to(PACKAGE)): {n for n in _relboard_modules(f)
                                         if n == "relboard.screens"
                                         or n.startswith("relboard.screens.")}
           for f in _files(["widgets"])}
    assert len(bad) >= 10
    assert {k: v for k, v in bad.items() if v} == {}



def test_every_package_is_in_the_wheel():
    """Each folder of relboard with an ``__init__.py`` is listed in pyproject's packages (an
    install without one fails at start: ``No module named relboard.screens.verbs``)."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"][
        "setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(PACKAGE.parent).parts)
             for init in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
