"""The portfolio overview: every relationship figure on one screen, each opening its records.

Customers by health band (with the week's moves), NPS and CSAT with their answers, open issues
by severity and SLA state, credibility, risks by band, renewals by quarter and band (the
passed ones first), stakeholder gaps and loyalty. The cursor
walks every figure (arrows, or tab between tables); enter opens the records behind the one
under it. ``M`` switches between my view and everyone's, as on Today. ``2`` shows the charts
over time instead (customers per health band per week, NPS and CSAT per month), ``1`` the
figures again (as the stakeholder map's tabs): the charts take the whole body, so at 80x24
they never push the figures off screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from relboard.screens import drilldown
from relboard.screens.overview_figures import STATE_LABEL, fill
from relboard.services import portfolio, portfolio_kept
from relboard.services.portfolio import SLA_STATES, OverTime, Overview
from relboard.text import plural
from relboard.widgets import one_at_a_time
from relboard.widgets.column_fit import Column
from relboard.widgets.figure_table import FigureTable
from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.one_at_a_time import OneAtATime
from relboard.widgets.portfolio_charts import BandWeeksChart, SatisfactionMonthsChart
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


class OverviewScreen(ReadOnlyGuard, Screen, ServiceCaller, LiveRefresh):
    """Every figure of the portfolio; enter on one opens the records behind it."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "overview.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("enter", "open", "Open", id="overview.open", show=False),
        Binding("K", "risks", "Risks", id="overview.risks"),
        Binding("D", "decisions", "Decisions", id="overview.decisions"),
        Binding("G", "stakeholders", "Stakeholders", id="overview.stakeholders"),
        Binding("M", "toggle_mine", "Mine/all", id="overview.mine", show=False),
        Binding("1", "tab('figures')", "Figures", id="overview.figures", show=False),
        Binding("2", "tab('trends')", "Trends", id="overview.trends"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine = False
        self.figures: Overview | None = None
        self.charts_stale = True
        """The charts are not of the last load (worked out when their tab is shown)."""
        self.current_of: tuple[str | None] | None = None
        """(who,) once today's figures of ``who``'s view are on screen."""
        self.kept_at: str | None = None
        """When the kept figures on screen were worked out (None: today's are shown)."""
        self.updating = False
        """Today's figures are being worked out (said while the kept ones show)."""
        self.figures_work = OneAtATime(one_at_a_time.REST, self.set_timer)
        self.charts_work = OneAtATime(one_at_a_time.REST, self.set_timer)
        """Today's figures and the charts of a view: one computation at a time each, and
        others' saves wait for its rest (``OneAtATime``)."""

    @property
    def who(self) -> str | None:
        """Whose share the figures cover: the user's in my view, everyone's otherwise."""
        return self.app.ctx.user if self.mine else None

    def compose(self) -> ComposeResult:
        """Title, summary, two (wide: three) columns of figure tables or (2) the charts,
        the footer."""
        yield Static("Portfolio", id="overview-title", classes="screen-title")
        yield Static("", id="overview-summary", classes="summary")
        with ContentSwitcher(initial="overview-body", id="overview-switch"):
            yield from self._figures()
            with VerticalScroll(id="overview-trends"):
                yield BandWeeksChart(id="chart-bands")
                yield SatisfactionMonthsChart(id="chart-satisfaction")
        yield BoardFooter()

    def _figures(self) -> ComposeResult:
        with Horizontal(id="overview-body"):
            with Vertical(classes="figure-column"):
                yield FigureTable([("Health", 11), ("now", 5), ("7d ago", 7), ("moves", 9)],
                                  id="fig-health")
                yield FigureTable([("Satisfaction", 13), ("score", 11), ("answers", 9)],
                                  id="fig-satisfaction")
                yield FigureTable([Column("what", "Credibility", 13),
                                   Column("value", "", 19, flex=True)], id="fig-credibility")
                yield FigureTable([Column("what", "Loyalty", 17),
                                   Column("value", "", 16, flex=True)], id="fig-loyalty")
            with Vertical(classes="figure-column"):
                yield FigureTable([("Issues", 9), *[(STATE_LABEL[s].rjust(4) + " ", 5)
                                                        for s in SLA_STATES], ("all ", 5)],
                                  cursor="cell", id="fig-issues")
                yield FigureTable([("Risks (open)", 13), ("", 6)], id="fig-risks")
                yield FigureTable([("Renewals", 9), *[(f"{w.rjust(4)} ", 5) for w in (
                    "red", "amb", "grn", "none")], ("all ", 5)], id="fig-renewals")
                yield FigureTable([Column("what", "Stakeholders", 13),
                                   Column("value", "", 19, flex=True)], id="fig-people")
            with Vertical(id="fig-lowest-column", classes="figure-column"):
                yield FigureTable([Column("name", "Lowest health", 22, squeeze=8, cap=34),
                                   Column("score", "score", 6), Column("trend", "trend", 8),
                                   Column("why", "weakest signal", 24, flex=True)],
                                  id="fig-lowest")

    def on_mount(self) -> None:
        """Figures for my view when the board opened in it (``--mine``), else everyone's."""
        self.mine = bool(getattr(self.app, "mine", False))
        self.query_one("#fig-health", FigureTable).focus()
        self.load()
        self.start_live_refresh(lambda: self.load(refresh=True), now=self.load)

    def on_screen_resume(self) -> None:
        """Back from the records behind a figure: they may have changed."""
        if self.returned():
            self.load()

    def load(self, refresh: bool = False) -> None:
        """Work the figures out again (in a thread) and show them; the charts too when
        their tab is showing (else when it is next shown). ``refresh``: others saved (the
        computation waits for its rest, ``one_at_a_time.REST``)."""
        self._fetch(self.who, refresh)
        self.charts_stale = True
        if self.showing_trends:
            self._fetch_charts(refresh)

    def _fetch_charts(self, refresh: bool = False) -> None:
        who = self.who
        if not self.charts_work.ask(who, refresh=refresh, later=self._charts_rested):
            # one under way (once more after it), or resting (not worked out yet)
            self.charts_stale = self.charts_work.running != (who,)
            return
        self.charts_stale = False
        box = self.query_one("#overview-trends", VerticalScroll)
        box.loading = True
        ended = self.charts_work.on_answer(  # the other view's (``M``) meanwhile: dropped
            who, lambda again: self._fetch_charts(again) if who == self.who else None)

        def failed() -> None:
            box.loading, self.charts_stale = False, True

        self.call_service(portfolio.over_time, self.app.ctx, who, parallel=True,
                          group="overview-charts",
                          done=lambda t: ended(lambda: self._show_charts(t)),
                          failed=lambda problem: ended(failed))

    def _charts_rested(self) -> None:
        if self.showing_trends and self.live_shown():  # else when shown again (still stale)
            self._fetch_charts(refresh=True)
        else:
            self.charts_stale = True

    def _figures_rested(self) -> None:
        if self.live_shown():  # else when back on top (``on_screen_resume``)
            self._work_out(self.who, refresh=True)

    def _show_charts(self, t: OverTime) -> None:
        self.query_one("#overview-trends", VerticalScroll).loading = False
        self.query_one("#chart-bands", BandWeeksChart).show(t.weeks)
        self.query_one("#chart-satisfaction", SatisfactionMonthsChart).show(t.months)

    def _fetch(self, who: str | None, refresh: bool = False) -> None:
        """Today's figures of ``who``'s view; until they come, those last kept (by this PM or
        another, ``portfolio_kept``) when this view's are not on screen yet."""
        self.updating = True
        if self.current_of != (who,):
            self.call_service(portfolio_kept.latest, self.app.ctx, who, parallel=True,
                              group="overview-kept", exclusive=True, notify_errors=False,
                              done=lambda kept: self._show_kept(who, kept))
        self._work_out(who, refresh)

    def _work_out(self, who: str | None, refresh: bool = False) -> None:
        """Work today's figures of ``who``'s view out, one computation at a time
        (``OneAtATime``: a refresh meanwhile asks for one more after it, and waits for the
        last one's rest)."""
        if not self.figures_work.ask(who, refresh=refresh, later=self._figures_rested):
            return
        ended = self.figures_work.on_answer(  # the other view's (``M``) meanwhile: dropped
            who, lambda again: self._work_out(who, again) if who == self.who else None)
        self.call_service(portfolio_kept.current, self.app.ctx, who, parallel=True,
                          group="overview",
                          done=lambda kept: ended(lambda: self._show_current(who, kept)),
                          failed=lambda problem: ended(lambda: self._not_current(who)))

    def _show_kept(self, who: str | None, kept: portfolio_kept.Kept | None) -> None:
        if kept is None or who != self.who or self.current_of == (who,):
            return  # none kept, another view's, or today's are shown already
        self.kept_at = portfolio_kept.as_of(self.app.ctx, kept)
        self.current_of = None  # what is on screen is no view's figures of today
        self._show(kept.figures)

    def _show_current(self, who: str | None, kept: portfolio_kept.Kept) -> None:
        if who != self.who:
            return  # worked out for the view shown before M
        self.current_of, self.kept_at, self.updating = (who,), None, False
        self._show(kept.figures)
        if not self.app.read_only:
            self.call_service(portfolio_kept.keep, self.app.ctx, who, kept, parallel=True,
                              group="overview-keep", notify_errors=False)

    def _not_current(self, who: str | None) -> None:
        """Today's figures could not be worked out (said already): the kept ones stay,
        no longer "updating"."""
        if who == self.who:
            self.updating = False
            if self.figures is not None:
                self._summary(self.figures)

    def _show(self, o: Overview) -> None:
        fill(self, o)
        self.figures = o  # what the tables show (after them: a renewals row's dates)
        scope = f"my view ({self.app.ctx.user} and unowned)" if self.mine else "everyone's"
        self.query_one("#overview-title", Static).update(plain(f"Portfolio · {scope}"))
        self._summary(o)

    def _summary(self, o: Overview) -> None:
        customers = sum(b.customers for b in o.bands)
        hint = "{overview.figures} back to the figures" if self.showing_trends else \
            "{overview.open} opens a figure's records"
        if self.kept_at is not None:  # the kept figures: say when, not the hint
            hint = f"figures of {self.kept_at}" + (", today's on their way" if self.updating
                                                   else "")
        self.query_one("#overview-summary", Static).update(plain(
            f"{plural(customers, 'customer')} · {plural(o.issues_where(), 'open issue')} · "
            f"{plural(o.risks.get('red', 0), 'red risk')} · " + with_keys(self, hint)))

    @property
    def showing_trends(self) -> bool:
        """Whether the charts over time are on screen (instead of the figures)."""
        return self.query_one(ContentSwitcher).current == "overview-trends"

    @on(DataTable.RowSelected)
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.data_table.id or "", event.row_key.value or "", None)

    @on(DataTable.CellSelected)
    def _cell(self, event: DataTable.CellSelected) -> None:
        event.stop()
        column = event.coordinate.column
        state = SLA_STATES[column - 1] if 1 <= column <= len(SLA_STATES) else None
        self._open(event.data_table.id or "", event.cell_key.row_key.value or "", state)

    def action_open(self) -> None:
        """Open the records behind the figure under the cursor."""
        table = self.focused
        if isinstance(table, FigureTable) and table.row_count:
            table.action_select_cursor()

    def _open(self, table: str, key: str, state: str | None) -> None:
        drilldown.open_figure(self.app, table.removeprefix("fig-"), key, state, self.who,
                              self.figures)

    def action_risks(self) -> None:
        """The risk register (my view here: mine there)."""
        drilldown.open_risks(self.app, who=self.who)

    def action_decisions(self) -> None:
        """The decision log across the portfolio."""
        drilldown.open_decisions(self.app, who=self.who)

    def action_stakeholders(self) -> None:
        """The stakeholder map across the portfolio."""
        drilldown.open_stakeholders(self.app, who=self.who)

    def action_tab(self, tab: str) -> None:
        """Show the figures (1) or the charts over time (2)."""
        trends = tab == "trends"
        self.query_one(ContentSwitcher).current = "overview-trends" if trends else \
            "overview-body"
        self.query_one("#overview-trends" if trends else "#fig-health").focus()
        if trends and self.charts_stale:
            self._fetch_charts()
        if self.figures is not None:
            self._summary(self.figures)

    def action_toggle_mine(self) -> None:
        """Switch between my view and everyone's (M)."""
        self.mine = not self.mine
        self.load()
