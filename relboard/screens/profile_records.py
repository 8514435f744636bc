"""The profile's record tabs beyond the log: Health, and the lists of the kinds declared with
a tab (Risks, Decisions, Feedback, Loyalty: projects and referrals) — how they load, what
enter opens, and the actions that add one (``new_<kind>``, one per declared kind).

A mixin of ``CustomerScreen`` (it needs ``customer_id``, ``load`` and ``_after``); the forms
it opens are imported when first used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from relboard.screens import profile_cells as cells
from relboard.screens.mixin_base import CallerScreenMixin
from relboard.services import profile_insight, records
from relboard.services.kinds import TABBED, Kind, Tab
from relboard.services.lists import Page
from relboard.widgets.health_view import HealthView, figure_text
from relboard.widgets.paged_table import Column, PagedTable
from relboard.widgets.safe import short

if TYPE_CHECKING:
    from relboard.services.profiles import Profile
    from relboard.widgets.board_app import BoardApp

LISTS = {k.tab.name: k for k in TABBED}
"""The profile's record lists (``#NAME-table``) by name, each of a declared kind whose form
enter opens and ``n`` adds (``services.kinds``: ``Kind.tab``)."""
RECORD_TABS = tuple(LISTS)
"""Tables of records that enter opens in their form."""
NEW_BY_TAB = {"overview": "add_stakeholder", "touchpoints": "log",
              "expectations": "new_expectation", "issues": "new_issue", "health": "rate"}
"""What ``n`` adds on the tabs that do not list a kind of record of their own."""
LIST_PANES = tuple(dict.fromkeys(k.tab.pane for k in TABBED))
"""The tabs of the declared kinds' lists (``services.kinds``), in declaration order."""


def list_panes(order: tuple[str, ...]) -> ComposeResult:
    """The tabs of the declared kinds' lists, in the profile's tab ``order``: each list's
    table (with the line above it and the legend under it); a tab of several lists shows
    each under its heading."""
    for pane in sorted(LIST_PANES, key=order.index):
        tabs = [k.tab for k in TABBED if k.tab.pane == pane]
        with TabPane(tabs[0].title, id=pane):
            if len(tabs) == 1:
                yield from _list(tabs[0])
                continue
            with VerticalScroll():
                for tab in tabs:
                    yield Static(tab.heading, classes="section")
                    yield from _list(tab, stacked=True)


def _list(tab: Tab, stacked: bool = False) -> ComposeResult:
    if tab.above:
        yield Static("", id=tab.above, classes="legend")
    row_cells = getattr(cells, tab.cells) if tab.cells else _plain_cells(tab)
    table = PagedTable([Column(c.key, c.header, c.width, flex=c.flex) for c in tab.columns],
                       row_cells, id=tab.table)
    if stacked:  # as high as its rows (at most 12): the next list shows under it
        table.add_class("stacked")
    yield table
    if tab.legend:
        yield Static(tab.legend, classes="legend")


def _plain_cells(tab: Tab) -> Any:
    """A declared list without a formatter of its own: each column's value on one line
    (``PagedTable`` makes it safe to show)."""
    return lambda row: tuple(cells.one_line(row.get(c.key)) for c in tab.columns)


def whole(read: Callable[[], list[dict[str, Any]]]) -> Callable[[Any, int], Page]:
    """A PagedTable fetch for a short list read whole."""
    return lambda after, limit: Page(read(), None)


def fetch_for(declared: Kind, ctx: Any, customer_id: int) -> Callable[[Any, int], Page]:
    """The PagedTable fetch of a declared list: its pages, its short list read whole, or
    (neither declared) the customer's records of the kind, newest first."""
    tab = declared.tab
    read = tab.reader()
    if tab.page is not None:
        return lambda after, limit: read(ctx, customer_id=customer_id, after=after,
                                         limit=limit)
    if read is not None:
        return whole(lambda: read(ctx, customer_id))
    return whole(lambda: declared.rows(customer_id))


def form_for(kind: str, customer_id: int, record_id: int | None = None) -> Any:
    """The form that adds (``record_id`` None) or edits a record of the list ``kind``
    (``risks``; ``contact``: a stakeholder)."""
    if kind == "contact":
        from relboard.screens.contact_form import ContactForm

        return ContactForm(customer_id, record_id)
    from relboard.screens.record_form import kind_form

    return kind_form(LISTS[kind].name)(customer_id, record_id)


def _adder(declared: Kind) -> Callable[[Any], None]:
    def action(self: Any) -> None:
        self.add_record(declared.tab.name)

    action.__name__ = f"action_{declared.new_action}"
    action.__doc__ = f"Add a {declared.name.replace('_', ' ')}."
    return action


class ProfileRecords(CallerScreenMixin):
    """Loading, opening and adding the profile's risks, decisions, feedback, projects and
    referrals, the health figures, the PM's rating and archiving a stakeholder."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]
        profile: Profile | None  # the host screen's (CustomerScreen)

        def load(self) -> None: ...
        def _after(self, result: object) -> None: ...
        def _take_select(self, tab: str) -> str | None: ...

    customer_id: int

    def load_records(self) -> None:
        """Read every record tab again, and the health figures."""
        ctx, cid = self.app.ctx, self.customer_id
        tables = {name: fetch_for(k, ctx, cid) for name, k in LISTS.items()}
        for name, fetch in tables.items():  # the row asked for (from Today, a list) selected
            self.query_one(f"#{name}-table", PagedTable).load(fetch,
                                                              select=self._take_select(name))
        self._load_insight()

    def _load_insight(self) -> None:
        """The health figures, read in a thread (``call_service``); a failure is said in
        the tab (the profile says the rest)."""
        view = self.query_one(HealthView)
        self.call_service(profile_insight.customer_insight, self.app.ctx, self.customer_id,
                          parallel=True, group="insight", exclusive=True,
                          done=self._show_insight, notify_errors=False,
                          failed=lambda problem: view.show_error(str(problem)))

    def _show_insight(self, insight: Any) -> None:
        self.query_one(HealthView).show(insight)
        sat = insight.satisfaction
        self.query_one("#feedback-figures", Static).update(Content(
            f"Last {sat.csat.period_days} days: {figure_text('CSAT', sat.csat)} · "
            f"{figure_text('NPS', sat.nps, signed=True)}"))

    def record_kind(self) -> str | None:
        """The list the active tab shows (on a tab of several, the focused one, else the
        first)."""
        active = self.query_one(TabbedContent).active
        names = [name for name, k in LISTS.items() if k.tab.pane == active]
        focused = self.focused
        return next((name for name in names if focused is not None
                     and focused.id == LISTS[name].tab.table), names[0] if names else None)

    def open_record(self) -> bool:
        """Open the highlighted record of the active tab in its form; False if none is."""
        active = self.query_one(TabbedContent).active
        if active == "overview":
            contact = self.highlighted_stakeholder()
            if contact is not None:
                self.app.push_screen(form_for("contact", self.customer_id, contact),
                                     self._after)
            return contact is not None
        kind = self.record_kind()
        row = self.query_one(f"#{kind}-table", PagedTable).current_row() if kind else None
        if row is not None:
            self.app.push_screen(form_for(kind, self.customer_id, row["id"]), self._after)
        return row is not None

    def highlighted_stakeholder(self) -> int | None:
        """The id of the stakeholder under the cursor on the Overview, if any."""
        table = self.query_one("#stakeholders", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def add_record(self, kind: str) -> None:
        """Open the form for a new record of ``kind`` (risks, decisions, ...)."""
        self.app.push_screen(form_for(kind, self.customer_id), self._after)

    def action_new(self) -> None:
        """Add a record of the kind the active tab shows (n)."""
        kind = self.record_kind()
        if kind is not None:
            self.add_record(kind)
        else:
            action = NEW_BY_TAB.get(self.query_one(TabbedContent).active, "log")
            getattr(self, f"action_{action}")()

    def action_rate(self) -> None:
        """Set your own health rating of the customer, with a note."""
        from relboard.screens.rating_form import RatingForm

        self.app.push_screen(RatingForm(self.customer_id), self._after)

    def action_archive_stakeholder(self) -> None:
        """Archive the highlighted stakeholder (they leave the profile and Today); asks."""
        from relboard.screens.confirm import ConfirmDialog

        contact = self.highlighted_stakeholder()
        if contact is None or self.query_one(TabbedContent).active != "overview":
            self.notify("Highlight a stakeholder on the Overview first", timeout=4)
            return
        row = next((k for k in self.profile.contacts if k["id"] == contact), None)
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service(records.set_archived, self.app.ctx, "contact", contact,
                                  row["version"], True,
                                  done=lambda _: self._stakeholder_archived(row["name"]))

        self.app.push_screen(ConfirmDialog(f"Archive stakeholder {short(row['name'], 40)}?"),
                             answered)

    def _stakeholder_archived(self, name: str) -> None:
        self.notify(f"Archived {short(name, 40)}", timeout=3)
        self.load()


for _declared in TABBED:  # new_project, new_risk, ...: one per declared list
    setattr(ProfileRecords, f"action_{_declared.new_action}", _adder(_declared))
