"""Customers: name, owner, last contact against cadence, open issues, expectations at risk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from relboard.screens.export_key import ExportKey, export_binding
from relboard.services import lists
from relboard.widgets.filter_key import FilterKey, filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import SafeInput, plain
from relboard.widgets.safe_inputs import focus_now

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

COLUMNS = [
    Column("name", "Customer", 24, flex=True, squeeze=6), Column("owner", "Owner", 8),
    Column("contact", "Last contact", 14), Column("issues", "Open", 4),
    Column("risk", "Risk", 4), Column("tier", "Tier", 9),
    Column("renews", "Renews", 9),
]


def customer_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """One customer row as cells."""
    days = row["days_since_contact"]
    when = "never" if days is None else "today" if days == 0 else "yesterday" if days == 1 \
        else f"{days}d ago"
    contact = plain(f"{when} /{row['cadence']}d", "bold reverse" if row["overdue"] else "")
    name = plain(f"{row['name']} (archived)", "dim") if row["archived"] else row["name"]
    renews = row.get("renews_on")
    return (name, row["owner"] or "—", contact, str(row["open_issues"] or "·"),
            str(row["at_risk"] or "·"), row["tier"],
            f"{renews:%d %b %y}" if renews else "·")


class CustomersScreen(FilterKey, ExportKey, ReadOnlyGuard, Screen, LiveRefresh):
    """The customer list with filter-as-you-type and sort."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "customer", "customers", "#customers-table"
    BINDINGS = [
        export_binding("customers"),
        Binding("enter", "open", "Open", id="customers.open", show=False),
        filter_binding("filter", "Filter", "customers.filter"),
        Binding("s", "sort", "Sort", id="customers.sort"),
        Binding("n", "new", "New", id="customers.new"),
        Binding("l", "log", "Log", id="customers.log"),
        Binding("full_stop", "toggle_archived", "Archived", id="customers.archived", show=False),
        Binding("escape", "clear", "Clear", id="customers.clear", show=False),
    ]
    SORTS = ("name", "owner", "tier", "contact", "overdue", "renewal")
    """s cycles: by name, owner, tier (strategic first), last contact (never and longest
    ago first), overdue (most overdue for contact first), renewal (the earliest renewal
    date first, those without one last)."""

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.sort = "name"
        self.archived = False

    def compose(self) -> ComposeResult:
        """Status line, table, filter input, footer."""
        yield Static("Customers", classes="screen-title")
        yield Static("", id="customers-status", classes="summary")
        yield PagedTable(COLUMNS, customer_cells, id="customers-table")
        yield SafeInput(placeholder="name, owner, tier or industry contains…; #tag: tagged",
                        id="customers-filter", classes="filter-input")
        yield BoardFooter()

    def on_mount(self) -> None:
        """First window."""
        self.query_one(PagedTable).focus()
        self.load()
        self.start_list_refresh(self.query_one(PagedTable))

    def on_screen_resume(self) -> None:
        """Back from a profile or form."""
        if self.returned():
            self.query_one(PagedTable).reload()

    def load(self) -> None:
        """(Re)load with the current filter and sort."""
        ctx, search, sort, archived = self.app.ctx, self.search, self.sort, self.archived

        def fetch(after: tuple | None, limit: int) -> lists.Page:
            return lists.customers_page(ctx, search=search or None,
                                        include_archived=archived, sort=sort, after=after,
                                        limit=limit)

        self.query_one(PagedTable).load(  # one index walk: end reads the last window back
            fetch, backward=sort in ("name", "owner") and not archived)

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        parts = [f"{event.count}{'+' if event.more else ''} "
                 f"customer{'' if event.count == 1 and not event.more else 's'}",
                 f"sort {self.sort}"]
        if self.search:
            parts.append(f"~ {self.search}")
        if self.archived:
            parts.append("archived too")
        self.query_one("#customers-status", Static).update(plain(" · ".join(parts)))

    def highlighted_record(self) -> tuple[str, int] | None:
        """The highlighted customer, for a config command."""
        row = self.query_one(PagedTable).current_row()
        return ("customer", row["id"]) if row else None

    def action_open(self) -> None:
        """Open the highlighted customer's profile."""
        row = self.query_one(PagedTable).current_row()
        if row:
            self.app.open_customer(row["id"])

    @on(PagedTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_filter(self) -> None:
        """Show the filter input."""
        box = self.query_one("#customers-filter", Input)
        box.add_class("visible")
        focus_now(box)

    def show_tagged(self, name: str) -> None:
        """The customers tagged ``name``: ``#name`` in the filter (the palette's tag)."""
        box = self.query_one("#customers-filter", Input)
        box.add_class("visible")
        box.value = f"#{name}"  # Changed loads the list
        self.query_one(PagedTable).focus()

    @on(Input.Changed, "#customers-filter")
    def _typed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self.load()

    @on(Input.Submitted, "#customers-filter")
    def _submitted(self) -> None:
        self.query_one(PagedTable).focus()

    def action_clear(self) -> None:
        """Close the filter and show everyone again."""
        box = self.query_one("#customers-filter", Input)
        box.remove_class("visible")
        if box.value:
            box.value = ""
        self.query_one(PagedTable).focus()

    def action_sort(self) -> None:
        """Sort by name or by owner."""
        self.sort = self.SORTS[(self.SORTS.index(self.sort) + 1) % len(self.SORTS)]
        self.load()

    def action_toggle_archived(self) -> None:
        """Show the archived customers too, after the active ones (and back to the active
        ones only)."""
        self.archived = not self.archived
        self.load()

    def action_new(self) -> None:
        """Add a customer."""
        from relboard.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(), lambda _: self.query_one(PagedTable).reload())

    def action_log(self) -> None:
        """Log a touchpoint with the highlighted customer."""
        from relboard.screens.touchpoint_form import TouchpointForm

        row = self.query_one(PagedTable).current_row()
        if row:
            self.app.push_screen(TouchpointForm(row["id"]),
                                 lambda _: self.query_one(PagedTable).reload())
