"""The decision log: what was decided with the customer, newest first, across the portfolio or
for one customer; below, the highlighted decision's options, rationale, who took part and the
expectation changes it caused.

``/`` narrows to one customer, ``M`` my view; enter opens the customer's profile on its
decisions (where a decision is edited).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from relboard.screens.export_key import ExportKey, export_binding
from relboard.screens.record_filter import RecordFilterScreen
from relboard.services import decisions
from relboard.widgets.filter_key import filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.safe import SafeInput, content, plain, short

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

ROLE = re.compile(r"\s*\([^()]*\)")
"""A role in brackets after a name: "Raj Patel (IT)"."""
CHANGED = "↻"
"""Marks a decision that changed an expectation."""
COLUMNS = [Column("day", "Decided", 10),
           Column("customer", "Customer", 14, flex=True, squeeze=5, cap=32),
           Column("title", "Decision", 30, flex=True, weight=3),
           Column("people", "Took part", 16, flex=True, squeeze=6, cap=48)]


def decision_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A log row: day, customer, what (↻ when it changed an expectation), who took part (by
    name: the roles in brackets are in the detail below, so the names fit beside the title)."""
    people = ", ".join(name for _, name in row["contacts"])
    if row["participants"]:
        people = f"{people}, {row['participants']}" if people else row["participants"]
    people = " ".join(ROLE.sub("", people).split()).replace(" ,", ",")
    mark = f"{CHANGED} " if row["expectation"] else ""
    return (str(row["decided_on"]), row["customer_name"], plain(mark + (row["title"] or "")),
            people or "—")


def change_text(change: dict[str, Any]) -> str:
    """One expectation change a decision caused, in words."""
    parts = []
    if change["old_due"] != change["new_due"] and change["new_due"] is not None:
        parts.append(f"due {change['old_due'] or '—'} → {change['new_due']}")
    if change["new_statement"] and change["new_statement"] != change["old_statement"]:
        parts.append(f"now “{short(change['new_statement'], 40)}”")
    if change["new_status"] and change["new_status"] != change["old_status"]:
        parts.append(f"{change['old_status'] or '—'} → {change['new_status']}")
    why = f" ({short(change['reason'], 60)})" if change["reason"] else ""
    return f"{CHANGED} “{short(change['statement'], 30)}”: {'; '.join(parts) or 'changed'}{why}"


def decision_detail(row: dict[str, Any]) -> str:
    """The decision's options, rationale, people and the expectation changes it caused."""
    people = [name for _, name in row["contacts"]] + (
        [row["participants"]] if row["participants"] else [])
    lines = [f"{short(row['title'], 70)} ({row['decided_on']})",
             f"Options: {short(' '.join((row['options'] or '—').split()), 200)}",
             f"Why: {short(' '.join((row['rationale'] or '—').split()), 200)}",
             f"Took part: {short(', '.join(people) or '—', 200)}"]
    changes = row["expectation_changes"]
    lines += [change_text(c) for c in changes] or ["No expectation changed."]
    return "\n".join(lines)


class DecisionLogScreen(ExportKey, RecordFilterScreen):
    """Decisions taken with customers, newest first, with what each one changed."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "lists.tcss"
    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "decision", "decisions", "#list-table"
    BINDINGS = [
        export_binding("decisions"),
        Binding("enter", "open", "Open", id="decisions.open", show=False),
        filter_binding("customer_filter", "Customer", "decisions.customer_filter"),
        Binding("M", "toggle_mine", "Mine/all", id="decisions.mine", show=False),
        Binding("escape", "back", "Back", id="decisions.back", show=False),
    ]

    def compose(self) -> ComposeResult:
        """Filter line, customer input (hidden), the log, the highlighted decision."""
        yield Static("", id="list-filters", classes="screen-title")
        yield SafeInput(id="list-input", classes="filter-input")
        yield PagedTable(COLUMNS, decision_cells, id="list-table")
        yield Static("", id="list-detail", classes="-tall")
        yield BoardFooter()

    def fetch(self) -> Any:
        """The log's query: one customer's, or the portfolio's (my view or everyone's)."""
        ctx, customer, who, text = self.app.ctx, self.customer_id, self.who, self.text or None
        return lambda after, limit: decisions.log_page(ctx, customer_id=customer, who=who,
                                                       search=text, after=after, limit=limit)

    def describe(self) -> str:
        """Whose decisions these are."""
        whose = (f"of {short(self.customer_label, 24)}" if self.customer_id is not None
                 else "my view" if self.mine else "all customers")
        if self.text:
            whose += f" · ~ {short(self.text, 16)}"
        return f"Decisions {self.count_text} · {whose} · {CHANGED} changed an expectation"

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Read the highlighted decision with its expectation changes (in a thread)."""
        row = self.table.current_row()
        if row is None:
            self.query_one("#list-detail", Static).update(content("No decision here."))
            return
        self._detail(row["id"])

    def _detail(self, decision_id: int) -> None:
        """Read it in a thread; a failure (gone meanwhile, a failing database) is said in
        one line and shown in the detail."""
        self.call_service(decisions.decision, decision_id, parallel=True,
                          group="decision-detail", exclusive=True,
                          done=lambda found: self._show_detail(decision_id, found),
                          placeholder=self.query_one("#list-detail", Static))

    def _show_detail(self, decision_id: int, found: dict[str, Any]) -> None:
        row = self.table.current_row()
        if row is not None and row["id"] == decision_id:
            self.query_one("#list-detail", Static).update(
                content(decision_detail(found), multiline=True))

    def action_open(self) -> None:
        """Open the customer's profile on its decisions, this one selected."""
        row = self.table.current_row()
        if row:
            self.app.open_customer(row["customer"], tab="decisions", select=row["id"])
