"""A customer's profile: Overview (stakeholders), Touchpoints, Expectations, Issues, History,
Health (score, signals, rating, trend, satisfaction, credibility, loyalty), Risks, Decisions,
Feedback and Loyalty (projects, referrals) tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from relboard.clock import local_text
from relboard.screens import profile_cells as cells
from relboard.screens.profile_records import LIST_PANES, ProfileRecords, list_panes
from relboard.screens.verbs.profile_expectations import (
    PROFILE_EXPECTATION_BINDINGS,
    ProfileExpectations,
)
from relboard.services import lists, profiles, records
from relboard.services.entities import field_label
from relboard.services.kinds import TABBED
from relboard.services.profiles import Profile
from relboard.widgets.footer import BoardFooter
from relboard.widgets.health_view import HealthView
from relboard.widgets.live import LiveRefresh
from relboard.widgets.paged_table import Column, FittedTable, PagedTable
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

KEYED_TABS = ("overview", "touchpoints", "expectations", "issues", "history", "health",
              "risks", "decisions", "feedback", "loyalty")
"""The tabs in key order: 1-9, then 0 for the tenth."""
TABS = KEYED_TABS + tuple(pane for pane in LIST_PANES if pane not in KEYED_TABS)
"""Every tab: the keyed ones, then any other declared kind's (no digit key left)."""
HISTORY_COLUMNS = [Column("when", "When", 16), Column("who", "Who", 8),
                   Column("record", "Record", 12), Column("change", "Change", 34, flex=True)]
"""The History tab: who changed what on this customer, newest first."""


def history_change(h: dict[str, Any]) -> str:
    """One History row's change: the field's label (not its column), old → new; or the
    action with what it made."""
    if h["field"]:
        return (f"{field_label(h['entity'], h['field'])}: {h['old'] or '—'} → "
                f"{h['new'] or '—'}")
    return f"{h['action']} {h['new'] or ''}"


class CustomerScreen(ReadOnlyGuard, ProfileRecords, ProfileExpectations, Screen, ServiceCaller,
                     LiveRefresh):
    """One customer, everything about the relationship."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "customer.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="customer.back", show=False),
        Binding("l", "log", "Log", id="customer.log"),
        Binding("E", "edit", "Edit", id="customer.edit"),
        Binding("S", "add_stakeholder", "Stakeholder", id="customer.stakeholder"),
        Binding("X", "new_expectation", "Expectation", id="customer.expectation",
                show=False),
        Binding("I", "new_issue", "Issue", id="customer.issue", show=False),
        Binding("ctrl+d", "archive", "Archive/restore", id="customer.archive", show=False),
        Binding("enter", "open", "Open", id="customer.open", show=False),
        Binding("n", "new", "New", id="customer.new"),
        *[Binding(k.tab.new[0], k.new_action, k.tab.new[1], id=f"customer.{k.name}",
                  show=False) for k in TABBED if k.tab.new],
        Binding("H", "rate", "Rate health", id="customer.rate", show=False),
        *PROFILE_EXPECTATION_BINDINGS,
        Binding("b", "brief", "Brief", id="customer.brief", show=False),
        Binding("y", "status_update", "Status update", id="customer.status_update",
                show=False),
        Binding("L", "apply_playbook", "Playbook", id="customer.playbook", show=False),
        Binding("delete", "archive_stakeholder", "Archive stakeholder",
                id="customer.archive_stakeholder", show=False),
        *[Binding(str((n + 1) % 10), f"tab('{tab}')", tab.title(), id=f"customer.tab_{tab}",
                  show=False) for n, tab in enumerate(KEYED_TABS)],
    ]

    def __init__(self, customer_id: int, tab: str = "overview",
                 select: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.select = select  # a row to put the cursor on in the initial tab
        self.initial_tab = tab if tab in TABS else "overview"
        self.profile: Profile | None = None

    def compose(self) -> ComposeResult:
        """Title and the ten tabs."""
        yield Static("", id="customer-title", classes="screen-title")
        with TabbedContent(initial=self.initial_tab):
            with TabPane("Overview", id="overview"):
                with VerticalScroll():
                    yield Static("", id="overview-text")
                    yield FittedTable(cells.STAKEHOLDER_COLUMNS, id="stakeholders")
            with TabPane("Touchpoints", id="touchpoints"):
                yield PagedTable([Column("when", "When", 16), Column("channel", "How", 13),
                                  Column("mood", "±", 2),
                                  Column("summary", "Summary", 40, flex=True)],
                                 lambda row: cells.touchpoint_cells(row, self.app.ctx.zone),
                                 id="touchpoints-table")
            with TabPane("Expectations", id="expectations"):
                yield PagedTable([Column("due", "Due", 11), Column("status", "Status", 12),
                                  Column("statement", "Promise", 47, flex=True)],
                                 cells.expectation_cells, id="expectations-table")
            with TabPane("Issues", id="issues"):
                yield PagedTable([Column("sev", "Sev", 8), Column("status", "Status", 11),
                                  Column("sla", "SLA", 12),
                                  Column("title", "Issue", 33, flex=True)],
                                 cells.issue_cells, id="issues-table")
            with TabPane("History", id="history"):
                yield FittedTable(HISTORY_COLUMNS, id="history-table")
            with TabPane("Health", id="health"):
                yield HealthView(id="health-view")
            yield from list_panes(TABS)
        yield BoardFooter()

    def on_mount(self) -> None:
        """Columns, then data."""
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
            select=self._take_select("touchpoints"), backward=True)
        self.query_one("#expectations-table", PagedTable).load(
            lambda after, limit: lists.expectations_page(ctx, customer_id=cid, after=after,
                                                         limit=limit), backward=True)
        self.query_one("#issues-table", PagedTable).load(
            lambda after, limit: lists.issues_page(ctx, customer_id=cid, after=after,
                                                   limit=limit), backward=True)
        self.load_records()

    def _load_profile(self) -> None:
        """The profile and its history (in a thread); a gone customer closes the profile."""
        ctx, cid = self.app.ctx, self.customer_id
        self.call_service(lambda: (profiles.customer_profile(ctx, cid),
                                   profiles.customer_history(cid)),
                          parallel=True, group="profile", exclusive=True,
                          done=lambda got: self._show(*got), failed=self.leave_when_gone)

    def _show(self, p: Profile, history: list[dict[str, Any]]) -> None:
        self.profile = p
        c = p.customer
        self.query_one("#customer-title", Static).update(
            plain(f"{c['name']} · {c['industry'] or 'industry not set'} · {c['tier']}"
                  + (" · ARCHIVED" if c["archived"] else ""), "bold"))
        self.query_one("#overview-text", Static).update(
            plain(cells.overview_lines(p), multiline=True))
        table = self.query_one("#stakeholders", DataTable)
        keep = table.cursor_row
        table.clear()
        for k in p.contacts:
            table.add_row(*cells.stakeholder_cells(k), key=str(k["id"]))
        chosen = self._take_select("overview")  # opened on a stakeholder (the map's enter)
        if chosen is not None and chosen in table.rows:
            keep = table.get_row_index(chosen)
            table.focus()  # ... shown, below the overview's text, and the keys act on it
            self.call_after_refresh(table.scroll_visible, animate=False)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        log = self.query_one("#history-table", DataTable)
        log.clear()
        for h in history:
            change = history_change(h)
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
            tables.first().focus()
        elif pane.query(HealthView):
            pane.query_one(HealthView).focus()

    def highlighted_record(self) -> tuple[str, int] | None:
        """This customer, for a config command."""
        return ("customer", self.customer_id)

    def action_back(self) -> None:
        """Back where it came from."""
        self.app.pop_screen()

    def action_open(self) -> None:
        """Open the highlighted record: a touchpoint, expectation or issue in its screen, a
        stakeholder, risk, decision, answer, project or referral in its edit form."""
        active = self.query_one(TabbedContent).active
        if self.open_record():
            return
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

        contact = (self.highlighted_stakeholder()
                   if self.query_one(TabbedContent).active == "overview" else None)
        contacts = () if contact is None else (contact,)
        self.app.push_screen(TouchpointForm(self.customer_id, contact_ids=contacts), self._after)

    def action_brief(self) -> None:
        """The meeting brief: one page to read before a call."""
        from relboard.screens.brief import BriefScreen

        self.app.push_screen(BriefScreen(self.customer_id), self._after)

    def action_status_update(self) -> None:
        """The status update for the customer: what they may read."""
        from relboard.screens.status_update import StatusUpdateScreen

        self.app.push_screen(StatusUpdateScreen(self.customer_id), self._after)

    def action_apply_playbook(self) -> None:
        """Apply a playbook of the config: its steps become planned follow-ups."""
        from relboard.screens.playbook_form import PlaybookForm, choices

        names = choices(self.app.ctx.playbooks)
        if not names:
            self.notify("No playbooks are configured: add playbooks: to the config "
                        "(relboard check shows which file)", severity="warning", timeout=5,
                        markup=False)
            return
        today = self.app.ctx.today().isoformat()
        self.app.push_screen(PlaybookForm(self.customer_id, names, today), self._applied)

    def _applied(self, result: object) -> None:
        if result is not None:
            self.notify("Playbook applied: its steps are follow-ups", timeout=3, markup=False)
        self.load()

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
