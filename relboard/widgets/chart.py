"""What the board's charts share: a widget drawing lines of text for the width it gets, and
the pieces they are drawn with (a grid of styled cells, block characters for eighths of a row).

A chart is plain data in, ``Content`` lines out (``lines(width)``), so a test reads what a
user sees as text. Every chart tells its bands and series by characters and labels as well
as by colour: it reads the same on 16 colours and with NO_COLOR. Labels given to a chart are
shown as plain text with control characters removed (``relboard.text.safe``).
"""

from __future__ import annotations

import textwrap

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from relboard.text import safe

BLOCKS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom by 0 to 8 eighths."""
Cell = tuple[str, str]
"""One character and its style."""


def eighths(value: float, lo: float, hi: float, rows: int) -> int:
    """How many eighths of ``rows`` rows a ``value`` on the scale ``lo``..``hi`` fills
    (clamped to the scale)."""
    share = (min(max(value, lo), hi) - lo) / (hi - lo) if hi > lo else 0
    return round(share * rows * 8)


def row_of(value: float, lo: float, hi: float, rows: int) -> int:
    """The row (0 the top one) whose band of the scale holds ``value``: each row covers
    ``(hi - lo) / rows`` from its bottom edge up (the top row also holds ``hi``)."""
    share = (min(max(value, lo), hi) - lo) / (hi - lo) if hi > lo else 0
    return rows - 1 - min(rows - 1, int(share * rows))


def line(cells: list[Cell]) -> Content:
    """A row of cells as one line, runs of one style joined."""
    parts: list[tuple[str, str]] = []
    for char, style in cells:
        if parts and parts[-1][1] == style:
            parts[-1] = (parts[-1][0] + char, style)
        else:
            parts.append((char, style))
    return Content.assemble(*parts)


def text_cells(text: str, style: str = "") -> list[Cell]:
    """``text`` (cleaned of control characters) as cells of one style."""
    return [(char, style) for char in safe(text)]


def put(cells: list[Cell], at: int, text: str, style: str = "") -> bool:
    """Write ``text`` into ``cells`` from ``at`` if it fits in blank cells; True if written."""
    new = text_cells(text, style)
    if at < 0 or at + len(new) > len(cells) or any(c != " " for c, _ in cells[at:at + len(new)]):
        return False
    cells[at:at + len(new)] = new
    return True


def wrapped(text: str, width: int, style: str = "") -> list[Content]:
    """``text`` (cleaned) in lines of at most ``width`` columns, broken between words."""
    return [Content.styled(part, style)
            for part in textwrap.wrap(safe(text), max(width, 1)) or [""]]


class Chart(Widget):
    """A chart that draws itself for the width it is given; subclasses implement
    ``lines(width)`` from the data they hold and call ``refresh(layout=True)`` on new data."""

    DEFAULT_CSS = """
    Chart {
        height: auto;
    }
    """

    def lines(self, width: int) -> list[Content]:
        """The chart's lines for ``width`` columns."""
        raise NotImplementedError

    def render(self) -> RenderResult:
        """The lines for the current width."""
        return Content("\n").join(self.lines(max(self.size.width, 1)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the chart draws at ``width``."""
        return len(self.lines(max(width, 1)))

    def as_text(self) -> str:
        """What the chart shows now, as plain text (for tests and screen readers)."""
        return "\n".join(c.plain for c in self.lines(max(self.size.width, 1)))
