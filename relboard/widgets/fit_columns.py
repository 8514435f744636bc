"""Tables whose columns share the terminal's width, and whose rows a cursor walks.

Columns have fixed widths, except the flexible ones (titles, statements) that share what the
terminal has left, so a wide terminal shows whole titles. ``home``/``end`` go to the first
and last row (``PagedTable`` reads a paged list's last window for ``end``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey


@dataclass(frozen=True)
class Column:
    """A column: its key, header and width; ``flex`` columns (a title, a customer) share the
    width the others leave by ``weight``, each ``width`` at least and ``cap`` at most; a
    narrow terminal takes up to ``squeeze`` characters from a column before the flexible
    ones fall below their width."""

    key: str
    label: str
    width: int
    flex: bool = False
    squeeze: int = 0
    weight: int = 1
    cap: int | None = None


def column_widths(specs: list[Column], available: int) -> dict[str, int]:
    """Each column's width when ``available`` characters (padding already taken off) are
    shared as ``Column`` says."""
    flex = [c for c in specs if c.flex]
    room = available - sum(c.width for c in specs if not c.flex)
    short = max(0, sum(c.width for c in flex) - room)
    widths: dict[str, int] = {}
    least: dict[str, int] = {}
    for spec in specs:
        given = min(spec.squeeze, short)
        short -= given
        if spec.flex:
            least[spec.key] = spec.width - given
        else:
            widths[spec.key] = spec.width - given
            room += given
    spare = room - sum(least.values())
    extra = {c.key: 0 for c in flex}
    growing = flex
    while spare > 0 and growing:
        total = sum(c.weight for c in growing)
        shares = {c.key: spare * c.weight // total for c in growing}
        shares[growing[-1].key] += spare - sum(shares.values())  # rounding: to the last
        spare, still = 0, []
        for c in growing:
            grown = extra[c.key] + shares[c.key]
            if c.cap is not None and least[c.key] + grown > c.cap:
                spare += least[c.key] + grown - c.cap
                grown = max(extra[c.key], c.cap - least[c.key])
            else:
                still.append(c)
            extra[c.key] = grown
        if len(still) == len(growing):
            break
        growing = still
    widths.update({c.key: least[c.key] + extra[c.key] for c in flex})
    return widths


class FitColumns(DataTable):
    """A table whose ``columns_spec`` share its width: flexible columns take what the fixed
    ones leave, re-fitted on every resize. ``home``/``end`` go to the first/last row (a
    DataTable's own scroll to the first/last column, which a row list never needs)."""

    BINDINGS = [
        Binding("home", "first_row", "First", show=False, id="table.first"),
        Binding("end", "last_row", "Last", show=False, id="table.last"),
    ]

    columns_spec: list[Column]
    markable = False

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

    def on_resize(self) -> None:
        """Titles take the width the fixed columns leave (and give it back when narrower)."""
        self.fit_columns()

    def fit_columns(self) -> None:
        """Share the room left by the fixed columns among the flexible ones."""
        flex = [c for c in self.columns_spec if c.flex]
        if not flex or not self.columns or not self.scrollable_content_region:
            return
        pad = 2 * self.cell_padding
        available = self.scrollable_content_region.width - pad * len(self.columns_spec)
        available -= (1 + pad) if self.markable else 0
        changed = False
        for key, width in column_widths(self.columns_spec, available).items():
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != width:
                column.width, changed = width, True
        if changed:
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()



class FittedTable(FitColumns):
    """A plain (unpaged) table with fitted columns, e.g. a profile's stakeholders."""

    def __init__(self, columns: list[Column], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.columns_spec = columns

    def on_mount(self) -> None:
        """The columns, fitted."""
        self.add_spec_columns()
