"""The joint risk register across customers: likelihood x impact, band, owner, review date and
status, with the trigger, mitigation and contingency of the highlighted risk below.

Filters: ``x`` status (open -> each status -> all), ``b`` band, ``o`` owner, ``/`` customer,
``w`` review due; ``s`` sorts (score, review date, newest); ``M`` my view. Paged like every
list. Enter opens the customer's profile on its risks (where a risk is edited); ``d`` reviews
the highlighted risk (``RiskReviewForm``: the next date proposed, enter saves).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from relboard.screens.export_key import ExportKey, export_binding
from relboard.screens.record_filter import RecordFilterScreen
from relboard.services import risks, tags
from relboard.widgets.bands import BAND_LABEL, BAND_STYLE
from relboard.widgets.filter_key import filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.safe import SafeInput, content, plain, short

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

STATUS_FILTERS: list[tuple[str, tuple[str, ...]]] = (
    [("open", risks.OPEN_STATUSES)] + [(s, (s,)) for s in risks.STATUSES] + [("all", ())])
BAND_FILTERS: list[tuple[str, ...]] = [(), ("red",), ("amber",), ("green",)]
COLUMNS = [
    Column("score", "Score", 11, squeeze=2), Column("title", "Risk", 16, flex=True, weight=3),
    Column("customer", "Customer", 13, flex=True, squeeze=6, cap=32),
    Column("owner", "Owner", 8, squeeze=2),
    Column("review", "Review", 11), Column("status", "Status", 9, squeeze=1),
]


def risk_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A register row: score with its band in words, risk, customer, owner, review, status."""
    band = row["band"]
    review = str(row["review_on"] or "—") + ("!" if row["review_due"] else "")
    return (plain(f"{row['score']:>2} {BAND_LABEL[band]}", BAND_STYLE[band]), row["title"],
            row["customer_name"], row["owner"] or "—",
            plain(review, "bold reverse" if row["review_due"] else ""), row["status"])


def risk_detail(row: dict[str, Any] | None) -> str:
    """The highlighted risk's plan in words (what a red risk lacks is said)."""
    if row is None:
        return "No risk here."
    lines = [f"{short(row['title'], 46)} · L{row['likelihood']} x I{row['impact']} = "
             f"{row['score']} {row['band']}"
             + (f" · {tags.shown(row['tags'])}" if row.get("tags") else "")]
    for name in ("trigger", "mitigation", "contingency"):
        text = " ".join((row[name] or "").split()) or "—"
        lacks = " (missing: a red risk needs one)" if name in row["missing"] else ""
        lines.append(f"{name.title()}: {short(text, 200)}{lacks}")
    return "\n".join(lines)


class RiskRegisterScreen(ExportKey, RecordFilterScreen):
    """Every open risk across customers, highest score first, filtered and sorted."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "lists.tcss"
    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "risk", "risks", "#list-table"
    BINDINGS = [
        export_binding("risks"),
        Binding("enter", "open", "Open", id="risks.open", show=False),
        Binding("f", "cycle_status", "Status", id="risks.status_filter"),
        Binding("B", "cycle_band", "Band", id="risks.band_filter"),
        Binding("O", "owner_filter", "Owner", id="risks.owner_filter", show=False),
        filter_binding("customer_filter", "Customer", "risks.customer_filter"),
        Binding("v", "toggle_review", "Review due", id="risks.review_due", show=False),
        Binding("s", "sort", "Sort", id="risks.sort"),
        Binding("d", "review", "Review", id="risks.review"),
        Binding("M", "toggle_mine", "Mine/all", id="risks.mine", show=False),
        Binding("escape", "back", "Back", id="risks.back", show=False),
    ]

    def __init__(self, *, band: tuple[str, ...] = (), review_due: bool = False,
                 mine: bool | None = None, customer_id: int | None = None) -> None:
        super().__init__(mine=mine, customer_id=customer_id)
        self.status_index = 0
        self.band_index = BAND_FILTERS.index(tuple(band)) if tuple(band) in BAND_FILTERS else 0
        self.review_due = review_due
        self.owner: str | None = None
        self.sort = "score"

    def compose(self) -> ComposeResult:
        """Filter line, filter input (hidden), the table, the plan of the highlighted risk."""
        yield Static("", id="list-filters", classes="screen-title")
        yield SafeInput(id="list-input", classes="filter-input")
        yield PagedTable(COLUMNS, risk_cells, id="list-table")
        yield Static("", id="list-detail")
        yield BoardFooter()

    def fetch(self) -> Any:
        """The register's query for the current filters."""
        ctx, who = self.app.ctx, self.who
        status = STATUS_FILTERS[self.status_index][1]
        band, owner, customer = BAND_FILTERS[self.band_index], self.owner, self.customer_id
        review, sort, text = self.review_due, self.sort, self.text or None
        return lambda after, limit: risks.register_page(
            ctx, status=status, band=band, owner=owner, customer_id=customer, who=who,
            review_due=review, sort=sort, search=text, after=after, limit=limit)

    def describe(self) -> str:
        """The filters in words."""
        parts = [f"Risks {self.count_text}", f"status {STATUS_FILTERS[self.status_index][0]}",
                 "band " + (BAND_FILTERS[self.band_index] or ("any",))[0]]
        if self.owner is not None:
            parts.append(f"owner {short(self.owner, 12)}")
        if self.customer_id is not None:
            parts.append(f"customer {short(self.customer_label, 16)}")
        if self.text:
            parts.append(f"~ {short(self.text, 16)}")
        if self.review_due:
            parts.append("review due")
        parts += [f"sort {self.sort}"] + (["my view"] if self.mine else [])
        return " · ".join(parts)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """The plan of the highlighted risk."""
        self.query_one("#list-detail", Static).update(
            content(risk_detail(self.table.current_row()), multiline=True))

    def action_cycle_status(self) -> None:
        """Next status filter."""
        self.status_index = (self.status_index + 1) % len(STATUS_FILTERS)
        self.reload_list()

    def action_cycle_band(self) -> None:
        """Next band filter: any, red, amber, green."""
        self.band_index = (self.band_index + 1) % len(BAND_FILTERS)
        self.reload_list()

    def action_toggle_review(self) -> None:
        """Only the risks due for review (and back)."""
        self.review_due = not self.review_due
        self.reload_list()

    def action_sort(self) -> None:
        """Score -> review date -> newest."""
        self.sort = risks.SORTS[(risks.SORTS.index(self.sort) + 1) % len(risks.SORTS)]
        self.reload_list()

    def action_owner_filter(self) -> None:
        """Type an owner ("me" for you; empty: anyone)."""
        self.ask("owner", "owner (me = you, empty = anyone)", self.owner or "")

    def filter_typed(self, kind: str, text: str) -> None:
        """The owner filter follows what is typed."""
        if kind == "owner":
            self.owner = text or None
            self.reload_list()

    def action_review(self) -> None:
        """Review the highlighted risk: its next review date proposed, enter saves."""
        from relboard.screens.risk_review import RiskReviewForm

        row = self.table.current_row()
        if row:
            self.app.push_screen(RiskReviewForm(row["id"]),
                                 lambda done: self.reload_list() if done is not None else None)

    def action_open(self) -> None:
        """Open the customer's profile on its risks, the highlighted one selected."""
        row = self.table.current_row()
        if row:
            self.app.open_customer(row["customer"], tab="risks", select=row["id"])
