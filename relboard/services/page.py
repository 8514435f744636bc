"""A window of a list: its rows and the cursor of the next window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One window of a list: its rows and the cursor of the next window."""

    rows: list[dict[str, Any]]
    after: tuple | None
