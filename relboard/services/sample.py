"""The demo portfolio shipped in ``sample_data/``, dated relative to today."""

from __future__ import annotations

from pathlib import Path

from relboard.resources import sample_file
from relboard.services.context import Context
from relboard.services.transfer import ImportResult, import_file


def sample_path() -> Path:
    """The shipped sample portfolio file."""
    return sample_file()


def load_sample(ctx: Context) -> ImportResult:
    """Import the sample portfolio (relative dates resolve against ``ctx.today()``)."""
    return import_file(ctx, sample_path())
