"""What is snoozed now, soonest back first: what it is, its customer, until when.

``enter`` opens the record, ``z`` un-snoozes the highlighted item (it is back on Today at
once), ``escape`` goes back. Reached from anywhere with ``Z``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from relboard.services import ServiceError, snoozed
from relboard.services.lists import Page
from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import content, short
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

COLUMNS = [Column("until", "Until", 10), Column("what", "What", 11),
           Column("customer", "Customer", 16, flex=True),
           Column("title", "Item", 24, flex=True)]
"""The customer and the item share the width the fixed columns leave."""


def snoozed_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row: until when, what kind of item, its customer, what it is."""
    return (f"{row['until']:%Y-%m-%d}", row["what"], row["customer"], row["title"])


class SnoozedScreen(ReadOnlyGuard, Screen, ServiceCaller, LiveRefresh):
    """The snoozed items of the board (everyone's: a snooze hides an item for every PM)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "snoozed.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="snoozed.back"),
        Binding("enter", "open", "Open", id="snoozed.open"),
        Binding("z", "unsnooze", "Un-snooze", id="snoozed.unsnooze"),
    ]

    def compose(self) -> ComposeResult:
        """Title line, the table, footer."""
        yield Static("Snoozed", id="snoozed-title", classes="screen-title")
        yield PagedTable(COLUMNS, snoozed_cells, id="snoozed-table")
        yield BoardFooter()

    @property
    def table(self) -> PagedTable:
        """The list."""
        return self.query_one("#snoozed-table", PagedTable)

    def on_mount(self) -> None:
        """Read the list; follow other people's saves."""
        self.reload()
        self.start_live_refresh(self.reload)

    def on_screen_resume(self) -> None:
        """Back from a record: it may have been snoozed or woken there."""
        if self.returned():
            self.reload()

    def reload(self) -> None:
        """Read what is snoozed now (in a thread), keeping the cursor on its item."""
        ctx = self.app.ctx
        self.table.load(lambda after, limit: Page(snoozed.snoozed_now(ctx), None))

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        count = event.count
        words = "Nothing is snoozed" if not count else (
            f"Snoozed: {count} item{'s' if count != 1 else ''} off Today · "
            + with_keys(self, "{snoozed.unsnooze} un-snoozes, {snoozed.open} opens"))
        self.query_one("#snoozed-title", Static).update(content(words))

    @on(PagedTable.RowSelected)
    def _row_chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the record behind the highlighted item."""
        row = self.table.current_row()
        if row is None:
            return
        self.app.open_record(row["kind"], row["record_id"], row["customer_id"])

    def action_unsnooze(self) -> None:
        """Bring the highlighted item back to Today, and say so."""
        row = self.table.current_row()
        if row is None:
            return
        what = short(row["title"], 50)
        if row["kind"] != "issue":
            what = f"{row['what'].capitalize()} {what}"

        def done(_: Any) -> None:
            self.app.notify(f"{what}: no longer snoozed", timeout=4)
            self.reload()

        def refused(exc: ServiceError) -> None:
            self.reload()

        self.call_service(snoozed.unsnooze, self.app.ctx, row["kind"], row["record_id"],
                          row["version"], done=done, failed=refused)

    def action_back(self) -> None:
        """Back to where the list was opened from."""
        self.app.pop_screen()
