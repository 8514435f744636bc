"""What the portfolio's record lists (risk register, decision log) share: a filter line, one
input for a typed filter (customer, owner), my view, a paged table, a detail line, escape back.

Not a screen of its own: ``RiskRegisterScreen`` and ``DecisionLogScreen`` build on it. A
subclass gives ``fetch()`` (the service query for the current filters) and ``describe()``
(the filters in words), and composes ``#list-filters``, ``#list-input``, ``#list-table``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from relboard.services import lookups, tags
from relboard.text import safe
from relboard.widgets.filter_key import FilterKey
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.safe_inputs import focus_now
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


class RecordFilterScreen(FilterKey, ReadOnlyGuard, Screen, ServiceCaller, LiveRefresh):
    """A paged, filtered list of records across the portfolio (or of one customer)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    AUTO_FOCUS = "#list-table"  # not the filter input (hidden at mount): its keys are few

    def __init__(self, *, mine: bool | None = None, customer_id: int | None = None) -> None:
        super().__init__()
        self._mine_asked = mine
        self.mine = False
        self.customer_id = customer_id
        self.customer_label = ""
        self.text = ""
        """Typed words that name no one customer: matched in the columns shown."""
        self.count_text = "…"
        self.input_kind: str | None = None
        self._lookup_seq = 0

    @property
    def who(self) -> str | None:
        """Whose share is shown: the user's in my view, everyone's otherwise."""
        return self.app.ctx.user if self.mine else None

    @property
    def table(self) -> PagedTable:
        """The list."""
        return self.query_one("#list-table", PagedTable)

    def fetch(self) -> Any:
        """The service query for the current filters: ``fetch(after, limit) -> Page``."""
        raise NotImplementedError

    def describe(self) -> str:
        """The current filters in words (the title line)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        """My view as the board opened (or as the overview was); a named customer's name."""
        self.mine = bool(getattr(self.app, "mine", False)) if self._mine_asked is None \
            else self._mine_asked
        self.query_one("#list-input", Input).display = False
        self.table.focus()
        if self.customer_id is not None:
            self.call_service(lookups.customer_name, self.customer_id, done=self._named,
                              parallel=True)
        self.reload_list(keep_cursor=False)
        self.start_live_refresh(self.live_changed, now=lambda: self.live_changed(now=True))

    def live_changed(self, now: bool = False) -> None:
        """Someone saved: read the list again, the cursor kept on its record (after the
        list's rest, ``PagedTable.live_reload``; ``now``: the user asked, at once)."""
        if now:
            self.table.reload()
        else:
            self.table.live_reload()

    def _named(self, name: str) -> None:
        self.customer_label = name
        self.show_filters()

    def on_screen_resume(self) -> None:
        """Back from a record: show what changed (the board's own saves there too, which the
        live refresh leaves out)."""
        if self.returned():
            self.live_changed(now=True)

    def reload_list(self, keep_cursor: bool = True) -> None:
        """Load the first window for the current filters."""
        self.count_text = "…"
        self.show_filters()
        self.table.load(self.fetch(), keep_cursor=keep_cursor)

    def show_filters(self) -> None:
        """Show the filters and the count."""
        self.query_one("#list-filters", Static).update(plain(self.describe()))

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        """The count of what the filters give; the detail of the highlighted record."""
        self.count_text = f"({message.count}{'+' if message.more else ''})"
        self.show_filters()
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Show the highlighted record's detail (subclasses with a detail line)."""

    def ask(self, kind: str, placeholder: str, value: str) -> None:
        """Open the filter input for ``kind`` (customer, owner)."""
        box = self.query_one("#list-input", Input)
        self.input_kind = kind
        box.placeholder = placeholder
        box.value = value
        box.display = True
        focus_now(box)

    def action_customer_filter(self) -> None:
        """Narrow to one customer found by name as you type, or, when the words name no one
        customer, to the rows holding them in the columns shown (empty: everything)."""
        self.ask("customer", "customer, or words of what is listed, #tag (empty = all)",
                 self.customer_label if self.customer_id is not None else self.text)

    def show_tagged(self, name: str) -> None:
        """The records tagged ``name`` (or of a customer tagged it): ``#name`` as the typed
        filter (the palette's tag)."""
        self.customer_id, self.customer_label, self.text = None, "", f"#{name}"
        self.reload_list()

    def filter_typed(self, kind: str, text: str) -> None:
        """A typed filter other than the customer changed (subclasses)."""

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row opens it."""
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted record (subclasses)."""

    def on_input_changed(self, event: Input.Changed) -> None:
        """Apply what is typed: a customer is looked up; other filters take the text."""
        event.stop()
        text = event.value.strip()
        if self.input_kind != "customer":
            self.filter_typed(self.input_kind or "", text)
            return
        self._lookup_seq += 1
        seq = self._lookup_seq
        if self.customer_id is not None and text == safe(self.customer_label).strip():
            return
        if not text:
            if self.customer_id is not None or self.text:
                self.customer_id, self.customer_label, self.text = None, "", ""
                self.reload_list()
            return
        if tags.split_search(text)[1]:  # a #tag: the words filter, no one customer is meant
            self._resolved(seq, text, [])
            return
        self.call_service(lookups.customer_choices, text, parallel=True,
                          done=lambda found: self._resolved(seq, text, found))

    def _resolved(self, seq: int, text: str, found: list[tuple[str, int]]) -> None:
        if seq != self._lookup_seq:
            return
        exact = [c for c in found if c[0].casefold() == text.casefold()]
        pick = found if len(found) == 1 else exact if len(exact) == 1 else []
        if not pick:  # no one customer: the words, in the columns shown
            if (self.customer_id, self.text) != (None, text):
                self.customer_id, self.customer_label, self.text = None, "", text
                self.reload_list()
            return
        name, customer_id = pick[0]
        if customer_id != self.customer_id or self.text:
            self.customer_id, self.customer_label, self.text = customer_id, name, ""
            self.reload_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter closes the input, keeping the filter."""
        event.stop()
        self._close_input()

    def _close_input(self) -> None:
        self.query_one("#list-input", Input).display = False
        self.input_kind = None
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape is offered while the input is open or when there is a screen to go back
        to (opened from the overview), not on the register opened by its own key."""
        if action == "back":
            return (bool(self.query_one("#list-input", Input).display)
                    or len(self.app.screen_stack) > 1)
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        """Close the input; else go back to where this list was opened from."""
        if self.query_one("#list-input", Input).display:
            self._close_input()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_toggle_mine(self) -> None:
        """My view or everyone's (M)."""
        self.mine = not self.mine
        self.reload_list()
