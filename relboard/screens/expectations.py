"""The expectation register across customers: what was promised, by current due date.

Filters: ``s`` cycles the status (open -> each status -> all), ``/`` narrows to one customer
(resolved by name through the lookups service), ``w`` cycles the due window. One key moves the
highlighted expectation (agree, at risk, met, missed, withdraw, renegotiate); ``enter`` opens it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from relboard.domain import EXPECTATION_STATUSES
from relboard.screens.expectation import ExpectationScreen, day_text
from relboard.screens.export_key import ExportKey, export_binding
from relboard.screens.verbs.expectation_actions import (
    EXPECTATION_BINDINGS,
    ExpectationActions,
    status_label,
)
from relboard.services import lists, lookups, tags
from relboard.services.expectations import OPEN_STATUSES
from relboard.text import safe
from relboard.widgets.filter_key import FilterKey, filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import SafeInput, content, plain, short, template
from relboard.widgets.safe_inputs import focus_now

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

STATUS_FILTERS: list[tuple[str, tuple[str, ...]]] = (
    [("open", tuple(OPEN_STATUSES))]
    + [(status_label(s), (s,)) for s in EXPECTATION_STATUSES]
    + [("all", ())]
)
"""The status filter cycle: every open status, then each status alone, then everything."""

DUE_WINDOWS: list[int | None] = [None, 7, 14, 30]
"""The due window cycle: any date, then due (or overdue) within 7, 14, 30 days."""

COLUMNS = [
    Column("due", "Due", 11),
    Column("status", "Status", 12, squeeze=1),
    Column("customer", "Customer", 15, flex=True, squeeze=6, cap=32),
    Column("statement", "Statement", 21, flex=True, weight=3),
    Column("owner", "Owner", 8, squeeze=2),
]

STATUS_STYLES = {"at_risk": "bold yellow", "missed": "bold red", "met": "green",
                 "withdrawn": "dim", "renegotiated": "cyan"}

RENEGOTIATED_MARK = "↻"


def cells(row: dict[str, Any], today: _dt.date) -> tuple[Any, ...]:
    """One register row: due (with ↻ when it moved from the baseline), status, customer..."""
    due = row.get("current_due")
    moved = row.get("baseline_due") is not None and row.get("baseline_due") != due
    style = ""
    if isinstance(due, _dt.date) and row.get("status") in OPEN_STATUSES:
        style = "bold red" if due < today else "yellow" if (due - today).days <= 7 else ""
    return (plain(day_text(due) + (RENEGOTIATED_MARK if moved else ""), style),
            plain(status_label(row.get("status")), STATUS_STYLES.get(row.get("status"), "")),
            plain(row.get("customer_name")),
            plain(row.get("statement")),
            plain(row.get("owner")))


class ExpectationsScreen(FilterKey, ExportKey, ReadOnlyGuard, ExpectationActions, Screen,
                         LiveRefresh):
    """The expectation register with status, customer and due-window filters."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "expectations.tcss"
    AUTO_FOCUS = "#exps-table"  # not the (hidden) customer input: its footer is almost empty

    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "expectation", "expectations", "#exps-table"
    BINDINGS = [
        export_binding("expectations"),
        Binding("f", "cycle_status", "Status", show=False,
                id="expectations.status_filter"),
        filter_binding("customer_filter", "Customer", "expectations.customer_filter",
                       show=False),
        Binding("v", "cycle_due", "Due", show=False, id="expectations.due_window"),
        Binding("enter", "open", "Open", show=False, id="expectations.open"),
        *EXPECTATION_BINDINGS,
        Binding("escape", "close_filter", "Close filter", show=False,
                id="expectations.close_filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status_index = 0
        self.due_index = 0
        self.customer_id: int | None = None
        self.customer_label = ""
        self.text = ""
        """Typed words that name no one customer: matched in every column shown."""
        self.count_text = "…"
        self._lookup_seq = 0

    def compose(self) -> ComposeResult:
        """Filter line, customer input (hidden), message line, the table, the footer."""
        yield Static(id="exps-filters")
        yield SafeInput(placeholder="Customer, or words of a statement, owner, category; #tag",
                        id="exps-customer")
        yield Static(id="exps-message")
        yield PagedTable(COLUMNS, self._cells, id="exps-table")
        yield BoardFooter(compact=True)

    def _cells(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return cells(row, self.app.ctx.today())

    @property
    def table(self) -> PagedTable:
        """The register's table."""
        return self.query_one("#exps-table", PagedTable)

    def on_mount(self) -> None:
        """Load the first window with the default filters (open, all customers, any date)."""
        self.table.focus()
        self._load(keep_cursor=False)
        self.start_list_refresh(self.table)

    def on_screen_resume(self) -> None:
        """Back from the detail or a form: show what changed there."""
        if self.returned() and self.table.fetch is not None:
            self.table.reload()

    # -- filters -------------------------------------------------------------------------

    def _load(self, keep_cursor: bool = True) -> None:
        ctx = self.app.ctx
        status = STATUS_FILTERS[self.status_index][1]
        customer_id, due_within = self.customer_id, DUE_WINDOWS[self.due_index]
        text = self.text or None
        self.count_text = "…"
        self._show_filters()
        self.table.load(lambda after, limit: lists.expectations_page(
            ctx, status=status, customer_id=customer_id, due_within=due_within, search=text,
            after=after, limit=limit), keep_cursor=keep_cursor, backward=True)

    def _key_hint(self, binding_id: str, fallback: str) -> str:
        """The key that runs ``binding_id`` now (the keymap may have moved it)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return fallback

    def _show_filters(self) -> None:
        due = DUE_WINDOWS[self.due_index]
        self.query_one("#exps-filters", Static).update(template(
            "[b]Expectations[/b] [dim]$count[/dim]  [dim]$ks[/dim] status: [b]$status[/b]"
            "  [dim]$kc[/dim] customer: [b]$customer[/b]  [dim]$kw[/dim] due: [b]$due[/b]",
            status=STATUS_FILTERS[self.status_index][0],
            customer=short(self.customer_label, 20) if self.customer_id is not None
            else f"~ {short(self.text, 20)}" if self.text else "all",
            due="any" if due is None else f"≤ {due} days", count=self.count_text,
            ks=self._key_hint("expectations.status_filter", "f"),
            kc=self._key_hint("expectations.customer_filter", "/"),
            kw=self._key_hint("expectations.due_window", "v")))

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        """Show how many expectations the filters give."""
        self.count_text = f"{message.count}{'+' if message.more else ''}"
        self._show_filters()

    def action_cycle_status(self) -> None:
        """Next status filter."""
        self.status_index = (self.status_index + 1) % len(STATUS_FILTERS)
        self._load()

    def action_cycle_due(self) -> None:
        """Next due window."""
        self.due_index = (self.due_index + 1) % len(DUE_WINDOWS)
        self._load()

    def action_customer_filter(self) -> None:
        """Open the customer filter input."""
        box = self.query_one("#exps-customer", Input)
        box.display = True
        box.value = self.customer_label if self.customer_id is not None else self.text
        focus_now(box)

    def show_tagged(self, name: str) -> None:
        """The expectations tagged ``name`` (or of a customer tagged it): ``#name`` in the
        filter (the palette's tag)."""
        box = self.query_one("#exps-customer", Input)
        box.display = True
        box.value = f"#{name}"  # Changed filters the list
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape closes the customer input only while it is open."""
        if action == "close_filter":
            return bool(self.query_one("#exps-customer", Input).display)
        return super().check_action(action, parameters)

    def action_close_filter(self) -> None:
        """Close the customer input, keeping the filter it resolved."""
        self.query_one("#exps-customer", Input).display = False
        self.table.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the customer input closes it."""
        event.stop()
        self.action_close_filter()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Resolve the typed text to one customer (as you type) through the lookups service;
        text that names no one customer filters by its words in every column shown."""
        event.stop()
        text = event.value.strip()
        self._lookup_seq += 1
        seq = self._lookup_seq
        if self.customer_id is not None and text == safe(self.customer_label).strip():
            return  # the current filter, pre-filled as shown (the stored name may differ)
        if not text:
            if self.customer_id is not None or self.text:
                self.customer_id, self.customer_label, self.text = None, "", ""
                self._say("All customers")
                self._load()
            return
        if tags.split_search(text)[1]:  # a #tag: the words filter, no one customer is meant
            self._resolved(seq, text, [])
            return
        self.call_service(lookups.customer_choices, text, parallel=True,
                          done=lambda found: self._resolved(seq, text, found))

    def _resolved(self, seq: int, text: str, found: list[tuple[str, int]]) -> None:
        if seq != self._lookup_seq:
            return  # the user typed on; a newer lookup answers
        exact = [c for c in found if c[0].casefold() == text.casefold()]
        pick = found if len(found) == 1 else exact if len(exact) == 1 else []
        if not pick:  # no one customer: the words, in every column shown
            more = "+" if len(found) >= 50 else ""
            self._say((f"{len(found)}{more} customers match; " if found else "")
                      + "showing statements, customers, owners and categories with "
                      f"“{short(text, 30)}” (#tag: tagged, or of a tagged customer)")
            if (self.customer_id, self.text) != (None, text):
                self.customer_id, self.customer_label, self.text = None, "", text
                self._load()
            return
        name, customer_id = pick[0]
        self._say(f"Customer: {short(name, 40)}")
        if customer_id != self.customer_id:
            self.customer_id, self.customer_label, self.text = customer_id, name, ""
            self._load()

    # -- actions on the highlighted row --------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#exps-message", Static)
        message.update(content(text))
        message.set_class(error, "-error")

    def expectation_target(self) -> dict[str, Any] | None:
        """The highlighted row."""
        return self.table.current_row()

    def highlighted_record(self) -> tuple[str, int] | None:
        """The highlighted expectation, for a config command."""
        row = self.table.current_row()
        return ("expectation", row["id"]) if row else None

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """Show what happened; reload with the cursor kept on the record."""
        self._say(message, error=error)
        if not error:
            self.app.notify(message, markup=False)
        if reload:
            self.table.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row opens its detail."""
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted expectation."""
        row = self.expectation_target()
        if row is not None:
            self.app.push_screen(ExpectationScreen(row["id"]))

