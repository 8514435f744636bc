"""A customer's profile: Overview, Touchpoints, Expectations, Issues and History tabs."""

from __future__ import annotations

import datetime as _dt

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from relboard.services import NotFoundError, lists, profiles, records
from relboard.services.profiles import Profile
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.live import LiveRefresh
from relboard.widgets.service_caller import ServiceCaller
from relboard.clock import local_text
from relboard.widgets.safe import plain
from relboard.widgets.read_only import ReadOnlyGuard

TABS = ("overview", "touchpoints", "expectations", "issues", "history")
SENTIMENT = {-2: "--", -1: "-", 0: "·", 1: "+", 2: "++", None: " "}


def touchpoint_cells(row: dict[str, Any], zone: _dt.tzinfo) -> tuple[Any, ...]:
    """A timeline row: when, channel, mood, summary (internal notes marked)."""
    follow = ""
    if row["follow_up_on"] and not row["follow_up_done_at"]:
        follow = f"follow-up {row['follow_up_on']}: "
    kind = "note" if row["internal"] else row["channel"].replace("_", " ")
    summary = " ".join((row["summary"] or "").split())
    return (local_text(row["occurred_at"], zone), kind, SENTIMENT[row["sentiment"]],
            follow + summary)


def expectation_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """An expectation row: due, status, statement (↻ when renegotiated off its baseline)."""
    moved = "↻" if row["baseline_due"] != row["current_due"] else " "
    return (f"{row['current_due']}{moved}", row["status"].replace("_", " "), row["statement"])


def issue_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """An issue row: severity, status, SLA, title."""
    from relboard.screens.issues import sla_cell

    return (row["severity_name"], row["status"].replace("_", " "), sla_cell(row["sla"]),
            row["title"])


class CustomerScreen(ReadOnlyGuard, Screen, ServiceCaller, LiveRefresh):
    """One customer, everything about the relationship."""

    CSS_PATH = "customer.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="customer.back"),
        Binding("l", "log", "Log touchpoint", id="customer.log"),
        Binding("E", "edit", "Edit", id="customer.edit"),
        Binding("S", "add_stakeholder", "Stakeholder", id="customer.stakeholder"),
        Binding("X", "new_expectation", "Expectation", id="customer.expectation",
                show=False),
        Binding("I", "new_issue", "Issue", id="customer.issue", show=False),
        Binding("D", "archive", "Archive/restore", id="customer.archive", show=False),
        Binding("enter", "open", "Open", id="customer.open", show=False),
        *[Binding(str(n + 1), f"tab('{tab}')", tab.title(), id=f"customer.tab_{tab}",
                  show=False) for n, tab in enumerate(TABS)],
    ]

    def __init__(self, customer_id: int, tab: str = "overview",
                 select: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.select = select  # a row to put the cursor on in the initial tab
        self.initial_tab = tab if tab in TABS else "overview"
        self.profile: Profile | None = None

    def compose(self) -> ComposeResult:
        """Title and the five tabs."""
        yield Static("", id="customer-title", classes="screen-title")
        with TabbedContent(initial=self.initial_tab):
            with TabPane("Overview", id="overview"):
                with VerticalScroll():
                    yield Static("", id="overview-text")
                    yield DataTable(id="stakeholders", cursor_type="row")
            with TabPane("Touchpoints", id="touchpoints"):
                yield PagedTable([Column("when", "When", 16), Column("channel", "How", 8),
                                  Column("mood", "±", 2), Column("summary", "Summary", 40)],
                                 lambda row: touchpoint_cells(row, self.app.ctx.zone),
                                 id="touchpoints-table")
            with TabPane("Expectations", id="expectations"):
                yield PagedTable([Column("due", "Due", 11), Column("status", "Status", 12),
                                  Column("statement", "Promise", 47)],
                                 expectation_cells, id="expectations-table")
            with TabPane("Issues", id="issues"):
                yield PagedTable([Column("sev", "Sev", 8), Column("status", "Status", 11),
                                  Column("sla", "SLA", 12), Column("title", "Issue", 33)],
                                 issue_cells, id="issues-table")
            with TabPane("History", id="history"):
                yield DataTable(id="history-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then data."""
        table = self.query_one("#stakeholders", DataTable)
        for label, width in (("Stakeholder", 18), ("Role", 14), ("I/I", 3),
                             ("Engagement now → wanted", 26), ("Gap", 4)):
            table.add_column(label, width=width)
        history = self.query_one("#history-table", DataTable)
        for label, width in (("When", 16), ("Who", 8), ("Record", 12), ("Change", 34)):
            history.add_column(label, width=width)
        self.load()
        self.start_live_refresh(self.load)

    def on_screen_resume(self) -> None:
        """Back from a form or a record: refresh."""
        if self.returned():
            self.load()

    def load(self) -> None:
        """Profile, then the paged tabs."""
        ctx, cid = self.app.ctx, self.customer_id
        self._load_profile()
        self.query_one("#touchpoints-table", PagedTable).load(
            lambda after, limit: lists.touchpoints_page(cid, after=after, limit=limit),
            select=self._take_select("touchpoints"))
        self.query_one("#expectations-table", PagedTable).load(
            lambda after, limit: lists.expectations_page(ctx, customer_id=cid, after=after,
                                                         limit=limit))
        self.query_one("#issues-table", PagedTable).load(
            lambda after, limit: lists.issues_page(ctx, customer_id=cid, after=after,
                                                   limit=limit))

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def _load_profile(self) -> None:
        try:
            profile = profiles.customer_profile(self.app.ctx, self.customer_id)
            history = profiles.customer_history(self.customer_id)
        except Exception as exc:  # noqa: BLE001 - reported; a gone customer closes the profile
            self.app.call_from_thread(self.report_unreadable, exc,
                                      leave=isinstance(exc, NotFoundError))
            return
        self.app.call_from_thread(self._show, profile, history)

    def _show(self, p: Profile, history: list[dict[str, Any]]) -> None:
        self.profile = p
        c = p.customer
        self.query_one("#customer-title", Static).update(
            plain(f"{c['name']} · {c['industry'] or 'industry not set'} · {c['tier']}"
                  + (" · ARCHIVED" if c["archived"] else ""), "bold"))
        days = p.days_since_contact
        contact = "never contacted" if days is None else f"last contact {days} days ago"
        state = "OVERDUE" if days is None or days > p.cadence else "within cadence"
        lines = [
            f"Owner: {c['owner'] or '(none)'}   Cadence: every "
            f"{p.cadence} day{'s' if p.cadence != 1 else ''} — "
            f"{contact} ({state})",
            f"Open issues: {p.open_issues}   Expectations at risk: {p.at_risk}   "
            f"CSAT: {p.latest_csat if p.latest_csat is not None else '—'}   "
            f"NPS: {p.latest_nps if p.latest_nps is not None else '—'}   "
            f"Projects: {len(p.projects)}   Referrals: {p.referrals}",
            "", f"Goals: {c['goals'] or '—'}", f"Needs: {c['needs'] or '—'}",
            f"Notes: {c['notes'] or '—'}", "",
        ]
        self.query_one("#overview-text", Static).update(plain("\n".join(lines), multiline=True))
        table = self.query_one("#stakeholders", DataTable)
        table.clear()
        for k in p.contacts:
            gap = f"▲{k['gap']}" if k["gap"] > 0 else (f"▼{-k['gap']}" if k["gap"] < 0 else "✓")
            table.add_row(plain(k["name"]), plain(k["role"]),
                          plain(f"{k['influence']}/{k['interest']}"),
                          plain(f"{k['engagement_current']} → {k['engagement_desired']}"),
                          plain(gap, "bold" if k["gap"] else ""), key=str(k["id"]))
        log = self.query_one("#history-table", DataTable)
        log.clear()
        for h in history:
            change = (f"{h['field']}: {h['old'] or '—'} → {h['new'] or '—'}" if h["field"]
                      else f"{h['action']} {h['new'] or ''}")
            log.add_row(plain(local_text(h["at"], self.app.ctx.zone)), plain(h["user"]),
                        plain(f"{h['entity']} #{h['entity_id']}"), plain(change))

    def _take_select(self, tab: str) -> str | None:
        """The row to select once, when the profile opened on ``tab`` with one."""
        if self.select is None or self.initial_tab != tab:
            return None
        select, self.select = str(self.select), None
        return select

    @on(PagedTable.RowSelected)
    def _row_chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_tab(self, tab: str) -> None:
        """Show one of the tabs."""
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _focus_tab(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        tables = pane.query(DataTable)
        if tables:
            tables.last().focus()

    def action_back(self) -> None:
        """Back where it came from."""
        self.app.pop_screen()

    def action_open(self) -> None:
        """Open the highlighted touchpoint, expectation or issue."""
        active = self.query_one(TabbedContent).active
        if active in ("touchpoints", "expectations", "issues"):
            row = self.query_one(f"#{active}-table", PagedTable).current_row()
            if row and active == "issues":
                self.app.open_issue(row["id"])
            elif row and active == "expectations":
                self.app.open_expectation(row["id"])
            elif row:
                from relboard.screens.touchpoint import TouchpointScreen

                self.app.push_screen(TouchpointScreen(row["id"]), self._after)

    def _after(self, result: object) -> None:
        self.load()

    def action_log(self) -> None:
        """Log a touchpoint (with the highlighted stakeholder on the Overview)."""
        from relboard.screens.touchpoint_form import TouchpointForm

        contacts: tuple[int, ...] = ()
        if self.query_one(TabbedContent).active == "overview":
            table = self.query_one("#stakeholders", DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                contacts = (int(key),)
        self.app.push_screen(TouchpointForm(self.customer_id, contact_ids=contacts), self._after)

    def action_edit(self) -> None:
        """Edit the customer."""
        from relboard.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(customer_id=self.customer_id), self._after)

    def action_add_stakeholder(self) -> None:
        """Add a stakeholder."""
        from relboard.screens.contact_form import ContactForm

        self.app.push_screen(ContactForm(self.customer_id), self._after)

    def action_new_expectation(self) -> None:
        """Record a new expectation."""
        from relboard.screens.expectation_form import ExpectationForm

        self.app.push_screen(ExpectationForm(customer_id=self.customer_id), self._after)

    def action_archive(self) -> None:
        """Archive the customer (off Today and the list) or restore them; asks first."""
        from relboard.screens.confirm import ConfirmDialog

        if self.profile is None:
            return
        c = self.profile.customer
        archive = not c["archived"]
        verb = "Archive" if archive else "Restore"

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service(records.set_archived, self.app.ctx, "customer", c["id"],
                                  c["version"], archive,
                                  done=lambda _: self._archived(verb))

        self.app.push_screen(ConfirmDialog(f"{verb} {c['name']}?"), answered)

    def _archived(self, verb: str) -> None:
        self.notify(f"{verb}d", timeout=3, markup=False)
        self.load()

    def action_new_issue(self) -> None:
        """Raise a new issue."""
        from relboard.screens.issue_form import IssueForm

        self.app.push_screen(IssueForm(customer_id=self.customer_id), self._after)
