"""A small table of figures on the overview: fixed columns (or columns fitted to what they hold,
``column_fit``), and the cursor walks on to the next (or previous) table at its last (or
first) row, so one pair of keys visits every figure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, CursorType

from relboard.widgets.column_fit import Column, cell_width, column_widths


def _column(n: int, column: tuple[str, int] | Column) -> Column:
    """A fitted column as given, or fixed column ``n`` (a label and a width)."""
    if isinstance(column, Column):
        return column
    label, width = column
    return Column(f"c{n}", label, width)


class FigureTable(DataTable):
    """A DataTable of a few figures whose cursor moves on to the neighbouring table."""

    def __init__(self, columns: Sequence[tuple[str, int] | Column], *,
                 cursor: CursorType = "row", id: str | None = None) -> None:
        super().__init__(id=id, cursor_type=cursor, zebra_stripes=False, cell_padding=0,
                         classes="figure")
        self.fitted = any(isinstance(c, Column) for c in columns)
        """Columns given as ``Column``: fitted to their values and the width, a space
        between (no cell padding here); else fixed."""
        self.spec = [_column(n, c) for n, c in enumerate(columns)]

    def on_mount(self) -> None:
        """The columns (fixed ones: a stable layout at every size)."""
        for column in self.spec:
            self.add_column(column.label, width=column.width, key=column.key)

    def on_resize(self) -> None:
        """Fitted columns share the new width."""
        self.fit_columns()

    def fit_columns(self) -> None:
        """Fitted columns: each as wide as its widest value and a space, the flexible ones
        sharing the rest (``column_fit``)."""
        if not self.fitted or not self.row_count or not self.scrollable_content_region:
            return
        last = self.spec[-1].key
        natural = {c.key: max(cell_width(v) for v in [c.label, *self.get_column(c.key)])
                   + (c.key != last) for c in self.spec}
        widths = column_widths(self.spec, self.scrollable_content_region.width, natural)
        changed = False
        for key, width in widths.items():
            column = self.columns[ColumnKey(key)]
            if column.width != width:
                column.width, changed = width, True
        if changed:
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    def fill(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Replace the rows (key, cells), keeping the cursor where it was."""
        where = self.cursor_coordinate
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        self.fit_columns()
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
