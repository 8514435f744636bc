"""Where the shipped data files (themes, sample data) are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """Return the folder of shipped data ``name`` ("themes" or "sample_data").

    An installed wheel carries them inside the package (``relboard/themes``); a checkout
    (editable install, or tests run from the source tree) has them at the top of the tree.
    """
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _CHECKOUT / name


def sample_file() -> Path:
    """The shipped sample portfolio behind ``--demo``."""
    return data_dir("sample_data") / "portfolio.yaml"
