"""Where the shipped data files (themes, sample data) are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Return the folder of shipped data ``name`` ("themes" or "sample_data").

    An installed wheel carries them as ``relboard.themes`` / ``relboard.sample_data``; a checkout
    (editable install, or tests run from the source tree) has them at the top of the tree.
    """
    local = _CHECKOUT / name
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    try:
        return Path(str(resources.files(f"relboard.{name}")))
    except ModuleNotFoundError:  # pragma: no cover - broken install
        return local
