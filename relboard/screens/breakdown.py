"""The records behind one figure of the overview: a paged table with a title; enter opens the
highlighted record (a customer's profile on the right tab), escape goes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Cells, Column, Fetch, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain


class BreakdownScreen(ReadOnlyGuard, Screen, LiveRefresh):
    """One figure's records: ``fetch(after, limit)`` pages them, ``cells`` shows a row and
    ``open_row(row)`` opens one."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="breakdown.open", show=False),
        Binding("escape", "back", "Back", id="breakdown.back"),
    ]

    def __init__(self, title: str, columns: list[Column], cells: Cells, fetch: Fetch,
                 open_row: Callable[[dict[str, Any]], None], *, noun: str = "rows",
                 hint: str = "{breakdown.open} opens") -> None:
        super().__init__()
        self.title_text, self.columns, self.cells = title, columns, cells
        self.fetch, self.open_row, self.noun, self.hint = fetch, open_row, noun, hint

    def compose(self) -> ComposeResult:
        """Title, count line, the table, the footer."""
        yield Static(plain(self.title_text), classes="screen-title")
        yield Static("", id="breakdown-status", classes="summary")
        yield PagedTable(self.columns, self.cells, id="breakdown-table")
        yield BoardFooter()

    def on_mount(self) -> None:
        """First window; refreshed when someone saves."""
        table = self.query_one(PagedTable)
        table.focus()
        table.load(self.fetch)
        self.start_list_refresh(table)

    def on_screen_resume(self) -> None:
        """Back from a record: show what changed."""
        if self.returned():
            self.query_one(PagedTable).reload()

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        count = f"{event.count}{'+' if event.more else ''}"
        hint = with_keys(self, self.hint)
        text = f"{count} {self.noun} · {hint}" if event.count else f"no {self.noun}"
        self.query_one("#breakdown-status", Static).update(plain(text))

    def action_open(self) -> None:
        """Open the highlighted record."""
        row = self.query_one(PagedTable).current_row()
        if row:
            self.open_row(row)

    @on(PagedTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        """Back to the overview."""
        self.app.pop_screen()
