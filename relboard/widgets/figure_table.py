"""A small table of figures on the overview: fixed columns, and the cursor walks on to the
next (or previous) table at its last (or first) row, so one pair of keys visits every figure."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import CursorType


class FigureTable(DataTable):
    """A DataTable of a few figures whose cursor moves on to the neighbouring table."""

    def __init__(self, columns: list[tuple[str, int]], *, cursor: CursorType = "row",
                 id: str | None = None) -> None:
        super().__init__(id=id, cursor_type=cursor, zebra_stripes=False, cell_padding=0,
                         classes="figure")
        self.spec = columns

    def on_mount(self) -> None:
        """The fixed-width columns (stable layout at every size)."""
        for n, (label, width) in enumerate(self.spec):
            self.add_column(label, width=width, key=f"c{n}")

    def fill(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Replace the rows (key, cells), keeping the cursor where it was."""
        where = self.cursor_coordinate
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if self.row_count:
            self.move_cursor(row=min(where.row, self.row_count - 1), column=where.column,
                             animate=False)

    def action_cursor_down(self) -> None:
        """Down; from the last row on to the next figure table."""
        if self.cursor_row >= self.row_count - 1:
            self.screen.focus_next(FigureTable)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up; from the first row back to the previous figure table."""
        if self.cursor_row <= 0:
            self.screen.focus_previous(FigureTable)
        else:
            super().action_cursor_up()
