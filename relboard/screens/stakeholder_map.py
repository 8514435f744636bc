"""The stakeholder map of one customer or of the portfolio: the engagement matrix (now against
wanted, largest gaps first) and the power/interest grid (four quadrants with their strategy).

``1`` matrix, ``2`` grid, ``f`` gaps only, ``/`` one customer, ``M`` my view; enter on a
stakeholder opens the customer's profile with the stakeholder highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from relboard.screens.export_key import ExportKey, export_binding
from relboard.screens.record_filter import RecordFilterScreen
from relboard.services import portfolio_lists, stakeholders
from relboard.widgets import one_at_a_time
from relboard.widgets.filter_key import filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.one_at_a_time import OneAtATime
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.safe import SafeInput, plain, short

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

GRID = (("keep_satisfied", "P high, I low"),
        ("manage_closely", "P high, I high"),
        ("monitor", "P low, I low"),
        ("keep_informed", "P low, I high"))
"""Quadrants as drawn: power grows upwards, interest to the right."""
TITLES = dict(stakeholders.QUADRANTS)
QUADRANT_TEXT = 34
"""A grid entry is cut to one line of an 80-column quadrant."""
COLUMNS = [Column("name", "Stakeholder", 16), Column("customer", "Customer", 14),
           Column("now", "Now", 10), Column("wanted", "Wanted", 10), Column("gap", "Gap", 6),
           Column("pi", "P/I", 3)]


def gap_text(gap: int) -> str:
    """A gap with its direction in a glyph: "+2 ▲" (to raise), "-1 ▼" (above), "0 =" ."""
    return f"{gap:+d} ▲" if gap > 0 else f"{gap:+d} ▼" if gap < 0 else " 0 ="


def matrix_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A matrix row: who, customer, engagement now and wanted, the gap, power/interest."""
    return (row["name"], row["customer"], row["current"], row["desired"],
            plain(gap_text(row["gap"]), "bold" if row["gap"] > 0 else ""),
            f"{row['influence']}/{row['interest']}")


class StakeholderMapScreen(ExportKey, RecordFilterScreen):
    """Engagement matrix and power/interest grid, for one customer or the portfolio."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "stakeholder_map.tcss"
    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "contact", "stakeholders", "#list-table"
    BINDINGS = [
        export_binding("stakeholders"),
        Binding("enter", "open", "Open", id="stakeholders.open", show=False),
        Binding("1", "tab('matrix')", "Matrix", id="stakeholders.matrix"),
        Binding("2", "tab('grid')", "Grid", id="stakeholders.grid"),
        Binding("f", "toggle_gaps", "Gaps only", id="stakeholders.gaps_only"),
        filter_binding("customer_filter", "Customer", "stakeholders.customer_filter"),
        Binding("M", "toggle_mine", "Mine/all", id="stakeholders.mine", show=False),
        Binding("escape", "back", "Back", id="stakeholders.back", show=False),
    ]

    def __init__(self, *, customer_id: int | None = None, mine: bool | None = None,
                 gaps_only: bool = False, tab: str = "matrix") -> None:
        super().__init__(mine=mine, customer_id=customer_id)
        self.gaps_only = gaps_only
        self.initial_tab = tab
        self.people: dict[str, tuple[int, int]] = {}
        self.grid_work = OneAtATime(one_at_a_time.REST, self.set_timer)
        """The grid's computations: one at a time, others' saves wait for its rest."""

    def compose(self) -> ComposeResult:
        """Filter line, customer input (hidden), the matrix and the grid as tabs."""
        yield Static("", id="list-filters", classes="screen-title")
        yield SafeInput(id="list-input", classes="filter-input")
        with TabbedContent(initial=self.initial_tab):
            with TabPane("Engagement matrix", id="matrix"):
                yield PagedTable(COLUMNS, matrix_cells, id="list-table")
            with TabPane("Power / interest", id="grid"):
                with Grid(id="pi-grid"):
                    for key, axes in GRID:
                        box = OptionList(id=f"q-{key}", classes="quadrant")
                        box.border_title = f"{TITLES[key]} · {axes}"
                        yield box
        yield BoardFooter()

    def fetch(self) -> Any:
        """The matrix for the current filters."""
        customer, who, gaps, text = self.customer_id, self.who, self.gaps_only, self.text
        return lambda after, limit: portfolio_lists.matrix_page(
            customer, who, gaps, search=text or None, after=after, limit=limit)

    def describe(self) -> str:
        """Whose stakeholders these are."""
        whose = (f"of {short(self.customer_label, 24)}" if self.customer_id is not None
                 else "my view" if self.mine else "all customers")
        gaps = " · gaps only" if self.gaps_only else ""
        gaps += f" · ~ {short(self.text, 16)}" if self.text else ""
        return (f"Stakeholders {self.count_text} · {whose}{gaps} · largest gaps first · "
                "P/I power/interest")

    def reload_list(self, keep_cursor: bool = True) -> None:
        """The matrix and the grid."""
        super().reload_list(keep_cursor)
        self._grid()

    def live_changed(self, now: bool = False) -> None:
        """Someone saved, or the user asks or is back from a record (``now``): the matrix and
        the grid again; after others' saves each waits for its rest (the grid passes every
        stakeholder of the view: ~0.3 s at 1M records)."""
        super().live_changed(now)
        self._grid(refresh=not now)

    def _grid(self, refresh: bool = False) -> None:
        key = (self.customer_id, self.who, self.gaps_only)
        if not self.grid_work.ask(key, refresh=refresh, later=self._grid_rested):
            return  # one under way (once more after it), or resting
        ended = self.grid_work.on_answer(key, self._grid)  # another view's (f, M, /): dropped
        self.call_service(stakeholders.power_interest_grid, *key, parallel=True,
                          group="pi-grid",
                          done=lambda quadrants: ended(lambda: self._show_grid(quadrants)),
                          failed=lambda problem: ended(lambda: None))

    def _grid_rested(self) -> None:
        if self.live_shown():  # else when back on top (``on_screen_resume``)
            self._grid(refresh=True)

    def _show_grid(self, quadrants: list[stakeholders.Quadrant]) -> None:
        self.people = {}
        for quadrant in quadrants:
            box = self.query_one(f"#q-{quadrant.key}", OptionList)
            box.clear_options()
            options = []
            for s in quadrant.stakeholders:
                key = f"k{s.contact_id}"
                self.people[key] = (s.customer_id, s.contact_id)
                gap = f" {gap_text(s.gap)}" if s.gap else ""
                where = "" if self.customer_id is not None else f" · {s.customer}"
                text = f"{s.name} ({s.influence}/{s.interest}){gap}{where}"
                options.append(Option(plain(short(text, QUADRANT_TEXT)), id=key))
            if quadrant.more:  # the grid lists the first; the matrix everyone
                options.append(Option(plain(f"… and {quadrant.more} more (1: the matrix)"),
                                      id=f"more-{quadrant.key}", disabled=True))
            box.add_options(options or [Option(plain("nobody"), id=f"none-{quadrant.key}",
                                               disabled=True)])
            if options:
                box.highlighted = 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        found = self.people.get(event.option.id or "")
        if found:
            self.app.open_customer(found[0], tab="overview", select=found[1])

    def action_open(self) -> None:
        """Open the highlighted stakeholder (matrix row or grid entry)."""
        focused = self.focused
        if isinstance(focused, OptionList):
            if focused.highlighted is not None:
                focused.action_select()
            return
        row = self.table.current_row()
        if row:
            self.app.open_customer(row["customer_id"], tab="overview", select=row["id"])

    def action_tab(self, tab: str) -> None:
        """Show the matrix or the grid."""
        self.query_one(TabbedContent).active = tab
        target = self.table if tab == "matrix" else self.query_one("#q-manage_closely")
        target.focus()

    def action_toggle_gaps(self) -> None:
        """Only stakeholders with a gap (and back)."""
        self.gaps_only = not self.gaps_only
        self.reload_list()
