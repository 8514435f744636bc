"""Acting as other Unix users in a test: two PMs (ANN, BOB) of a team group, ``relboard`` run
as one of them (``setpriv`` with numeric ids, which need no /etc/passwd entry, so nothing on the
system changes; root only), with a copy of relboard and its packages every user can read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TEAM_GID, ANN, BOB = 4242, 4101, 4102
SETPRIV = shutil.which("setpriv")
needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None,
    reason="acting as two other users needs root and setpriv (util-linux)")


_PACKAGES = ("relboard", "yaml", "_yaml", "peewee.py", "playhouse", "platformdirs",
             # check reads the theme and keymap as the board would: Textual and what it loads
             "textual", "rich", "typing_extensions.py", "markdown_it", "mdurl", "pygments")
_STAGED: list[str] = []


def _staged() -> str:
    """A folder every user may read holding relboard and the packages it imports.

    The checkout and its virtual environment may sit in a folder private to root (a CI clone
    in ``mktemp -d``, a venv in root's home); the other users' relboard reads this copy.
    """
    if not _STAGED:
        import atexit
        import importlib.util

        base = Path(tempfile.mkdtemp(prefix="relboard-packages-"))
        atexit.register(shutil.rmtree, base, True)
        os.chmod(base, 0o755)
        for name in _PACKAGES:
            spec = importlib.util.find_spec(name.removesuffix(".py"))
            origin = Path(spec.origin)
            source = origin if name.endswith(".py") else origin.parent
            target = base / source.name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, target)
        from relboard.resources import data_dir

        for data in ("themes", "sample_data"):  # an install has them inside the package
            source = data_dir(data)
            if not (base / "relboard" / data).exists():
                shutil.copytree(source, base / "relboard" / data,
                                ignore=shutil.ignore_patterns("__pycache__"))
        for folder, _dirs, files in os.walk(base):
            os.chmod(folder, 0o755)
            for file in files:
                os.chmod(Path(folder) / file, 0o644)
        _STAGED.append(str(base))
    return _STAGED[0]


def user_env(home: Path) -> dict[str, str]:
    """What another user's relboard needs: a readable copy of it and its packages."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": _staged()}


_PYTHON: list[str | None] = []


def other_python() -> str | None:
    """An interpreter other users may run (this one may live in root's private home), of
    this Python's version, that imports relboard's packages; None if there is none."""
    if not _PYTHON:
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        found = None
        for candidate in (sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin")):
            if candidate and subprocess.run(
                    [SETPRIV, f"--reuid={ANN}", f"--regid={ANN}", "--clear-groups", candidate,
                     "-c", "import yaml, peewee, platformdirs, relboard.db"],
                    env=user_env(Path("/")), capture_output=True, timeout=60).returncode == 0:
                found = candidate
                break
        _PYTHON.append(found)
    return _PYTHON[0]


def run_as(uid: int, *args: str, umask: str = "002", stdin: str | None = None,
        home: Path) -> subprocess.CompletedProcess:
    """Run ``relboard ARGS`` as ``uid`` (own group = uid, member of the team group)."""
    env = {**user_env(home), "USER": f"pm{uid}", "LOGNAME": f"pm{uid}"}
    command = [SETPRIV, f"--reuid={uid}", f"--regid={uid}", f"--groups={TEAM_GID}", other_python(),
               "-m", "relboard", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, input=stdin,
                          timeout=120, umask=int(umask, 8))
