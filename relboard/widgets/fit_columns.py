"""Tables whose columns share the terminal's width by what they hold, and whose rows a cursor
walks.

Columns fit what the loaded rows hold (``column_fit``): fixed ones shrink to their widest
value, flexible ones (titles, statements) share what the terminal has left, so a wide
terminal shows whole titles. ``home``/``end`` go to the first and last row (``PagedTable``
reads a paged list's last window for ``end``).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from relboard.widgets.column_fit import Column, cell_width, column_widths

__all__ = ["Column", "FitColumns", "FittedTable", "column_widths"]


class FitColumns(DataTable):
    """A table whose ``columns_spec`` share its width by what they hold (``column_fit``):
    measured as rows are added, re-fitted when the rows or the size change, and laid out
    again only when a width changes. ``home``/``end`` go to the first/last row (a
    DataTable's own scroll to the first/last column, which a row list never needs)."""

    BINDINGS = [
        Binding("home", "first_row", "First", show=False, id="table.first"),
        Binding("end", "last_row", "Last", show=False, id="table.last"),
    ]

    columns_spec: list[Column]
    markable = False
    _natural: dict[str, int] | None = None
    _fit_due = False

    def action_first_row(self) -> None:
        """``home``: the cursor on the first row."""
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        """``end``: the cursor on the last row."""
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def add_spec_columns(self) -> None:
        """Add the columns of ``columns_spec`` at their widths, then fit them."""
        if self.markable:
            self.add_column(" ", width=1, key="_mark")
        for col in self.columns_spec:
            self.add_column(col.label, width=col.width, key=col.key)
        self.call_after_refresh(self.fit_columns)

    def add_row(self, *cells: Any, **options: Any) -> Any:
        """Add a row, measuring its cells for the widths (fitted once the rows are in)."""
        key = super().add_row(*cells, **options)
        if self._natural is None:
            self._natural = {c.key: cell_width(c.label) for c in self.columns_spec}
        natural = self._natural
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            name = column.key.value
            if name in natural:
                natural[name] = max(natural[name], cell_width(cell))
        if not self._fit_due:
            self._fit_due = True
            self.call_after_refresh(self.fit_columns)
        return key

    def clear(self, columns: bool = False) -> Any:
        """No rows: nothing measured."""
        self._natural = None
        return super().clear(columns)

    def on_resize(self) -> None:
        """Titles take the width the fixed columns leave (and give it back when narrower)."""
        self.fit_columns()

    def fit_columns(self) -> None:
        """Share the width among the columns by what the loaded rows hold."""
        self._fit_due = False
        if not self.columns or not self.scrollable_content_region:
            return
        pad = 2 * self.cell_padding
        available = self.scrollable_content_region.width - pad * len(self.columns_spec)
        available -= (1 + pad) if self.markable else 0
        changed = False
        natural = self._natural if self.row_count else None
        for key, width in column_widths(self.columns_spec, available, natural).items():
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != width:
                column.width, changed = width, True
        if changed:
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()


class FittedTable(FitColumns):
    """A plain (unpaged) table with fitted columns, e.g. a profile's stakeholders."""

    def __init__(self, columns: list[Column], *, id: str | None = None,
                 show_cursor: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", show_cursor=show_cursor)
        self.columns_spec = columns

    def on_mount(self) -> None:
        """The columns, fitted."""
        self.add_spec_columns()
