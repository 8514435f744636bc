"""A window of a list: its rows and the cursor of the next window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One window of a list: its rows and the cursor of the next window."""

    rows: list[dict[str, Any]]
    after: tuple | None


class Back(tuple):
    """A cursor asking for the window *before* its keys (empty: the last window of the list).

    Given as ``after`` to a list that walks one index (``lists._window``), it walks the index
    the other way: the rows come in the list's order, and the page's ``after`` is the
    ``Back`` cursor of the window before them (None at the start of the list).
    """
