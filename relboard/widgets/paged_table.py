"""A DataTable that pages through a service's keyset query: never a whole table at once.

The first window is fetched in a thread worker when the table (re)loads; the next window is
fetched when the cursor comes near the end. Opening 20,000 rows costs what 200 do. Rows are
plain dicts from a service; columns fit what the loaded rows hold (``column_fit``): fixed
ones shrink to their widest value, flexible ones (titles, statements) share what the terminal
has left, so a wide terminal shows whole titles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from relboard.services import ServiceError
from relboard.services.lists import Page
from relboard.widgets.column_fit import Column, cell_width, column_widths
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

WINDOW = 200
FIRST_WINDOW = 80
"""Rows read when a list opens with no row to keep or select: a screenful at the largest
size and more; adding rows to the table is most of the cost of opening a list."""
PREFETCH = 40


Fetch = Callable[[tuple | None, int], Page]
Cells = Callable[[dict[str, Any]], tuple[Any, ...]]


class FitColumns(DataTable):
    """A table whose ``columns_spec`` share its width by what they hold (``column_fit``):
    measured as rows are added, re-fitted when the rows or the size change, and laid out
    again only when a width changes."""

    columns_spec: list[Column]
    markable = False
    _natural: dict[str, int] | None = None
    _fit_due = False

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


class PagedTable(FitColumns, ServiceCaller):
    """Rows from ``fetch(after, limit)``, appended a window at a time as the cursor moves."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("space", "toggle_mark", "Mark", show=False, id="table.mark"),
    ]

    class Loaded(Message):
        """The first window arrived (``count`` rows; ``more`` if the list goes on)."""

        def __init__(self, table: PagedTable, count: int, more: bool) -> None:
            super().__init__()
            self.table, self.count, self.more = table, count, more

    def __init__(self, columns: list[Column], cells: Cells, *, markable: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.columns_spec = columns
        self.cells = cells
        self.markable = markable
        self.fetch: Fetch | None = None
        self.rows_by_key: dict[str, dict[str, Any]] = {}
        self.marked: set[str] = set()
        self._after: tuple | None = None
        self._loading = False
        self._generation = 0
        self._pending: str | None = None

    def on_mount(self) -> None:
        """Add the columns, fitted to the width."""
        self.add_spec_columns()

    def load(self, fetch: Fetch, keep_cursor: bool = True, select: str | None = None) -> None:
        """Start over with ``fetch``; the cursor stays on the same record when it can (or
        goes to ``select``)."""
        self.fetch = fetch
        self._generation += 1
        current = select or (self.current_key() if keep_cursor else None) or self._pending
        self._pending = current  # a newer load before this one lands keeps the target
        self._loading = True  # no prefetch from the cursor moves a clear and new rows make
        self._fetch_window(self._generation, None, current,
                           WINDOW if current else min(FIRST_WINDOW, WINDOW))

    def reload(self) -> None:
        """Fetch again with the same query (after a change)."""
        if self.fetch is not None:
            self.load(self.fetch)

    def _fetch_window(self, generation: int, after: tuple | None, select: str | None,
                      limit: int | None = None) -> None:
        """Read one window in a thread (``call_service``); a failure is said in one line."""
        fetch = self.fetch
        if fetch is None:
            return
        self.call_service(fetch, after, limit or WINDOW, parallel=True, group="paged-table",
                          done=lambda page: self._apply(generation, after, page, select),
                          failed=self._failed, notify_errors=False)

    def _failed(self, problem: ServiceError) -> None:
        self._loading = False
        self.app.notify(f"Could not read the list: {problem}", severity="error",
                        markup=False, timeout=8)

    def _apply(self, generation: int, after: tuple | None, page: Page,
               select: str | None) -> None:
        if generation != self._generation:
            return  # a newer load replaced this one
        if after is None:
            self.clear()
            self.rows_by_key.clear()
            self._pending = None
        self._after = page.after
        rows = []
        for row in page.rows:
            key = str(row["id"])
            if key in self.rows_by_key:
                continue
            self.rows_by_key[key] = row
            cells = tuple(c if isinstance(c, Text) else plain(c) for c in self.cells(row))
            rows.append(((self._mark_cell(key),) if self.markable else ()) + cells)
            self.add_row(*rows[-1], key=key)
        self.marked &= set(self.rows_by_key)
        self._loading = False
        if after is None:
            if select and select in self.rows_by_key:
                self.move_cursor(row=self.get_row_index(select), animate=False)
            self.post_message(self.Loaded(self, len(self.rows_by_key), page.after is not None))

    def _mark_cell(self, key: str) -> Text:
        return Text("●" if key in self.marked else " ", style="bold")

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        """Fetch the next window when the cursor nears the end."""
        super().watch_cursor_coordinate(old, new)
        if (self._after is not None and not self._loading
                and new.row >= self.row_count - PREFETCH):
            self._loading = True
            self._fetch_window(self._generation, self._after, None)

    def current_key(self) -> str | None:
        """The key (record id) of the row under the cursor."""
        if self.row_count == 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - cursor outside after a clear
            return None

    def current_row(self) -> dict[str, Any] | None:
        """The service row under the cursor."""
        key = self.current_key()
        return self.rows_by_key.get(key) if key else None

    def selected_rows(self) -> list[dict[str, Any]]:
        """The marked rows, or the row under the cursor when none is marked."""
        if self.marked:
            return [self.rows_by_key[k] for k in self.rows_by_key if k in self.marked]
        row = self.current_row()
        return [row] if row else []

    def action_toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor (space)."""
        key = self.current_key()
        if not self.markable or key is None:
            return
        self.marked ^= {key}
        self.update_cell(key, "_mark", self._mark_cell(key))
        self.action_cursor_down()

    def clear_marks(self) -> None:
        """Forget every mark."""
        for key in list(self.marked):
            self.marked.discard(key)
            if key in self.rows_by_key:
                self.update_cell(key, "_mark", self._mark_cell(key))
