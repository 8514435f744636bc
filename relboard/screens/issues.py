"""The issue queue: triage customer concerns by severity, age and SLA, one key per action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static, Tab, Tabs

from relboard.config import QueueConfig
from relboard.screens.export_key import ExportKey, export_binding
from relboard.screens.verbs.issue_actions import TRIAGE_BINDINGS, IssueActions
from relboard.services import lists
from relboard.services.sla import BREACHED, MET, MISSED, NEAR, OK, PAUSED, hours_text
from relboard.widgets.filter_key import FilterKey, filter_binding
from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import SafeInput, plain
from relboard.widgets.safe_inputs import focus_now

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

COLUMNS = [
    Column("severity", "Sev", 4), Column("age", "Age", 4), Column("sla", "SLA", 12, squeeze=1),
    Column("owner", "Owner", 7, squeeze=2), Column("status", "Status", 8, squeeze=1),
    Column("customer", "Customer", 12, flex=True, squeeze=6, cap=32),
    Column("title", "Issue", 14, flex=True, weight=3),
]
STATUS_SHORT = {"new": "new", "acknowledged": "ack", "in_progress": "working",
                "waiting_on_customer": "waiting", "resolved": "resolved", "closed": "closed"}
SEVERITY_SHORT = {"critical": "crit", "high": "high", "medium": "med", "low": "low"}
SEVERITY_BOLD = frozenset({"critical", "high"})
SORTS = ("severity", "sla", "oldest", "newest")
"""s cycles: severity, SLA time left (soonest deadline first), oldest, newest."""


def sla_cell(sla: Any, by: Any = None) -> Text:
    """The SLA column: time left, breached by, paused, met/missed; ``by``: a running clock's
    local deadline when working hours count, said instead of the working hours left."""
    clock = sla.urgent_clock
    if clock.state == BREACHED:
        return plain(f"late {hours_text(-clock.remaining_hours)}", "bold reverse")
    if by is not None and clock.state in (NEAR, OK):
        return plain(f"{by:%a %H:%M}{'!' if clock.state == NEAR else ''}",
                     "bold" if clock.state == NEAR else "")
    if clock.state == NEAR:
        return plain(f"{hours_text(clock.remaining_hours)} left!", "bold")
    if clock.state == PAUSED:
        return plain(f"paused {hours_text(clock.remaining_hours)}", "italic")
    if clock.state in (MET, MISSED):
        return plain(clock.state, "dim")
    return plain(f"{hours_text(clock.remaining_hours)} left")


def age_text(hours: float) -> str:
    """Compact age for a 4-wide column: 45m, 19h, 3d."""
    if hours < 1:
        return f"{int(hours * 60)}m"
    return f"{int(hours)}h" if hours < 48 else f"{int(hours // 24)}d"


def issue_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """One queue row as cells."""
    severity = row["severity"]
    return (plain(SEVERITY_SHORT[severity], "bold" if severity in SEVERITY_BOLD else ""),
            age_text(row["age_hours"]),
            # snoozed: put off on purpose, so it does not look late (its clock runs on)
            plain(f"zz {row['snoozed_until']:%m-%d}", "italic") if row.get("snoozed")
            else sla_cell(row["sla"], row.get("sla_by")), row["owner"] or "—",
            STATUS_SHORT[row["status"]], row["customer_name"], row["title"])


class IssuesScreen(FilterKey, ExportKey, ReadOnlyGuard, Screen, IssueActions,
                   LiveRefresh):
    """Saved queues as tabs over one paged table of issues."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    EXPORT_KIND, EXPORT_WORD, EXPORT_TABLE = "issue", "issues", "#issues-table"
    BINDINGS = [
        export_binding("issues"),
        Binding("enter", "open", "Open", id="issues.open", show=False),
        Binding("right_square_bracket", "next_queue", "Queue", id="issues.next_queue"),
        Binding("left_square_bracket", "previous_queue", "Prev queue",
                id="issues.previous_queue", show=False),
        filter_binding("filter", "Filter", "issues.filter"),
        Binding("s", "sort", "Sort", id="issues.sort", show=False),
        Binding("n", "new", "New", id="issues.new", show=False),
        Binding("escape", "clear", "Clear", id="issues.clear", show=False),
        *TRIAGE_BINDINGS,
    ]

    def __init__(self, queue: QueueConfig | None = None, *, sla: tuple[str, ...] = (),
                 who: str | None = None) -> None:
        """The configured queues; or, opened from a figure of the overview, one ``queue``
        narrowed to SLA states ``sla`` and ``who``'s share (escape goes back)."""
        super().__init__()
        self.preset, self.sla, self.who = queue, sla, who
        self.queues: tuple[QueueConfig, ...] = ()
        self.queue_index = 0
        self.sort = "severity"
        self.search = ""
        self._shown: int | None = None

    def compose(self) -> ComposeResult:
        """Queue tabs, a status line, the table, a filter input, the footer."""
        yield Tabs(id="queue-tabs")
        yield Static("", id="issues-status", classes="summary")
        yield PagedTable(COLUMNS, issue_cells, markable=True, id="issues-table")
        yield SafeInput(placeholder="title, customer or owner contains…; #tag: tagged",
                        id="issues-filter", classes="filter-input")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Tabs from the configured queues (or one "All" queue)."""
        self.queues = ((self.preset,) if self.preset else
                       self.app.config.queues or (QueueConfig("All"),))
        tabs = self.query_one(Tabs)
        for n, queue in enumerate(self.queues):
            tabs.add_tab(Tab(plain(queue.name), id=f"queue-{n}"))
        self.query_one(PagedTable).focus()
        self.load()
        self.start_list_refresh(self.query_one(PagedTable))

    def on_screen_resume(self) -> None:
        """Back from an issue: show what changed."""
        if self.returned():
            self.query_one(PagedTable).reload()

    @on(Tabs.TabActivated, "#queue-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        index = int(event.tab.id.split("-")[1])
        if index != self.queue_index or self._shown is None:  # Tabs activates tab 0 twice
            self.queue_index = index
            self.load()
        self.query_one(PagedTable).focus()

    def load(self) -> None:
        """(Re)load the table for the current queue, sort and filter."""
        if not self.queues:
            return
        queue = self.queues[self.queue_index]
        self._shown = self.queue_index
        f, ctx, sort, search = queue.filter, self.app.ctx, self.sort, self.search
        customer = f.customer
        sla, who, active_only = self.sla, self.who, self.preset is not None

        def fetch(after: tuple | None, limit: int) -> lists.Page:
            return lists.issues_page(ctx, status=f.status, owner=f.owner, severity=f.severity,
                                     customer_search=customer or None, search=search or None,
                                     tag=(f.tag or "").split(),
                                     sort=sort, sla=sla,
                                     who=who, active_only=active_only,
                                     after=after, limit=limit)

        table = self.query_one(PagedTable)
        table.clear_marks()
        table.load(fetch, backward=sort != "sla" and not sla)  # one index walk: end reads back
        parts = [f"queue {queue.name}", f"sort {sort}"]
        if search:
            parts.append(f"customer ~ {search}")
        self.query_one("#issues-status", Static).update(plain(" · ".join(parts)))

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        status = self.query_one("#issues-status", Static)
        count = f"{event.count}{'+' if event.more else ''} " \
            f"issue{'' if event.count == 1 and not event.more else 's'}"
        queue = self.queues[self.queue_index].name
        extra = f" · ~ {self.search}" if self.search else ""
        keys = with_keys(self, "{table.mark} marks, {issues.next_queue} next queue")
        status.update(plain(f"{count} · queue {queue} · sort {self.sort}{extra} · {keys}"))

    def issue_targets(self) -> list[dict[str, Any]]:
        """Marked rows, or the highlighted one."""
        return self.query_one(PagedTable).selected_rows()

    def issues_changed(self) -> None:
        """Reload after an action; marks are cleared."""
        table = self.query_one(PagedTable)
        table.clear_marks()
        table.reload()

    def highlighted_record(self) -> tuple[str, int] | None:
        """The highlighted issue, for a config command."""
        row = self.query_one(PagedTable).current_row()
        return ("issue", row["id"]) if row else None

    def action_open(self) -> None:
        """Open the highlighted issue."""
        row = self.query_one(PagedTable).current_row()
        if row:
            self.app.open_issue(row["id"])

    @on(PagedTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def _switch(self, step: int) -> None:
        """Activate the queue ``step`` tabs on; ``_tab`` then loads it (setting
        ``queue_index`` here first made ``_tab`` think the queue was already shown)."""
        index = (self.queue_index + step) % len(self.queues)
        self.query_one(Tabs).active = f"queue-{index}"

    def action_next_queue(self) -> None:
        """The next saved queue."""
        self._switch(1)

    def action_previous_queue(self) -> None:
        """The previous saved queue."""
        self._switch(-1)

    def action_sort(self) -> None:
        """Cycle severity -> oldest -> newest."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.load()

    def action_filter(self) -> None:
        """Filter by customer name, as you type."""
        box = self.query_one("#issues-filter", Input)
        box.add_class("visible")
        box.value = self.search
        focus_now(box)

    def show_tagged(self, name: str) -> None:
        """The queue's issues tagged ``name`` (or of a customer tagged it): ``#name`` in the
        filter (the palette's tag)."""
        box = self.query_one("#issues-filter", Input)
        box.add_class("visible")
        box.value = f"#{name}"  # Changed loads the list
        self.query_one(PagedTable).focus()

    @on(Input.Changed, "#issues-filter")
    def _typed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self.load()

    @on(Input.Submitted, "#issues-filter")
    def _filter_done(self) -> None:
        self.query_one(PagedTable).focus()

    def action_clear(self) -> None:
        """Escape: close the filter, or clear marks, or (opened from a figure) go back."""
        box = self.query_one("#issues-filter", Input)
        if box.has_class("visible"):
            box.remove_class("visible")
            self.query_one(PagedTable).focus()
            if self.search:
                self.search = ""
                self.load()
        elif self.query_one(PagedTable).marked or self.preset is None:
            self.query_one(PagedTable).clear_marks()
        else:
            self.app.pop_screen()

    def action_new(self) -> None:
        """Raise a new issue."""
        from relboard.screens.issue_form import IssueForm

        self.app.push_screen(IssueForm(), lambda result: self.issues_changed())
