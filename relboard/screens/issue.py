"""One customer concern: its fields, both SLA clocks, resolution and history; triage keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from relboard.clock import local_text
from relboard.screens.verbs.issue_actions import TRIAGE_BINDINGS, IssueActions
from relboard.services import issues, lookups, records, tags
from relboard.widgets.footer import BoardFooter
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, FittedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


HISTORY_COLUMNS = [Column("when", "When", 16), Column("who", "Who", 8), Column("what", "What", 16),
                   Column("change", "Old → new", 30, flex=True)]
"""The issue's history: when, who, which field, from what to what."""


class IssueScreen(ReadOnlyGuard, Screen, IssueActions, LiveRefresh):
    """The detail of one issue."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    DEFAULT_CSS = """
    IssueScreen #issue-body { height: 1fr; }
    IssueScreen #issue-fields { padding: 0 1; }
    IssueScreen #issue-history { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="issue.back", show=False),
        Binding("enter", "open_customer", "Customer", id="issue.customer", show=False),
        Binding("E", "edit", "Edit", id="issue.edit"),
        *TRIAGE_BINDINGS,
    ]

    def __init__(self, issue_id: int) -> None:
        super().__init__()
        self.issue_id = issue_id
        self.row: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        """Title, details, history, footer."""
        yield Static("", id="issue-title", classes="screen-title")
        with VerticalScroll(id="issue-body"):
            yield Static("", id="issue-fields")
            yield Static("History", classes="summary")
            yield FittedTable(HISTORY_COLUMNS, id="issue-history", show_cursor=False)
        yield BoardFooter()

    def on_mount(self) -> None:
        """Columns, then the data."""
        table = self.query_one("#issue-history", DataTable)
        table.can_focus = False  # enter opens the customer; the body scrolls with the keys
        self.load()
        self.start_live_refresh(self.load)

    def load(self) -> None:
        """Read the issue, its SLA and history (in a thread); a gone issue closes the
        screen."""
        ctx, issue_id = self.app.ctx, self.issue_id

        def read() -> tuple[dict[str, Any], Any, str, list[dict[str, Any]]]:
            row = records.get("issue", issue_id)
            row["tags"] = tags.of("issue", issue_id)
            return (row, issues.issue_sla(ctx, issue_id), lookups.customer_name(row["customer"]),
                    records.history("issue", issue_id))

        self.call_service(read, parallel=True, group="issue", exclusive=True,
                          done=lambda got: self._show(*got), failed=self.leave_when_gone)

    def _show(self, row: dict[str, Any], sla: Any, customer: str,
              history: list[dict[str, Any]]) -> None:
        self.row = row
        self.query_one("#issue-title", Static).update(
            plain(f"Issue #{row['id']} · {row['title']}", "bold"))
        status = row["status"].replace("_", " ")
        lines = [
            f"Customer:    {customer}",
            f"Severity:    {row['severity']}      Status: {status}",
            f"Owner:       {row['owner'] or '(nobody)'}",
            *([f"Tags:        {tags.shown(row['tags'])}"] if row.get("tags") else []),
            f"Raised:      {local_text(row['raised_at'], self.app.ctx.zone)}",
            # with working hours, each running clock's deadline too (local time)
            f"SLA:         {sla.response.describe()}"
            f"{issues.due_text(self.app.ctx, sla.response)}",
            f"             {sla.resolution.describe()}"
            f"{issues.due_text(self.app.ctx, sla.resolution)}",
        ]
        if row["snoozed_until"] and row["snoozed_until"] > self.app.ctx.today():
            lines.insert(2, f"Snoozed:     until {row['snoozed_until']} (off Today; the SLA "
                            "clocks run on)")
        lines += ["", "Description:", row["description"] or "(none)"]
        if row["resolution"]:
            lines += ["", "Resolution:", row["resolution"]]
        self.query_one("#issue-fields", Static).update(plain("\n".join(lines), multiline=True))
        table = self.query_one("#issue-history", DataTable)
        table.clear()
        for h in history:
            change = f"{h['old'] or '—'} → {h['new'] or '—'}" if h["field"] else (h["new"] or "")
            table.add_row(plain(f"{h['at']:%Y-%m-%d %H:%M}"), plain(h["user"]),
                          plain(h["field"] or h["action"]), plain(change))

    def highlighted_record(self) -> tuple[str, int] | None:
        """This issue, for a config command."""
        return ("issue", self.issue_id)

    def issue_targets(self) -> list[dict[str, Any]]:
        """This issue, at the version shown."""
        return [self.row] if self.row else []

    def issues_changed(self) -> None:
        """Show the new state."""
        self.load()

    def action_back(self) -> None:
        """Back to where it was opened from."""
        self.app.pop_screen()

    def action_edit(self) -> None:
        """Edit the title, description, severity, owner... (E); show the saved values."""
        from relboard.screens.issue_form import IssueForm

        if self.row:
            self.app.push_screen(IssueForm(self.row["customer"], issue_id=self.issue_id),
                                 lambda saved: self.load() if saved is not None else None)

    def action_open_customer(self) -> None:
        """Open the customer's profile."""
        if self.row:
            self.app.open_customer(self.row["customer"], tab="issues")
