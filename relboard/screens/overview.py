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

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from relboard.config import SEVERITIES
from relboard.screens import drilldown
from relboard.services import portfolio
from relboard.services.portfolio import BAND_ORDER, SLA_STATES, Overview
from relboard.services.portfolio_lists import weakest_signal
from relboard.text import plural, short_count
from relboard.widgets.bands import ARROW, BAND_LABEL, BAND_STYLE
from relboard.widgets.column_fit import Column
from relboard.widgets.figure_table import FigureTable
from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.portfolio_charts import BandWeeksChart, SatisfactionMonthsChart
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

STATE_LABEL = {"breached": "late", "near": "near", "paused": "wait", "ok": "ok"}
SEVERITY_LABEL = {"critical": "critical", "high": "high", "medium": "medium", "low": "low"}


def num(value: int | float | None, width: int, style: str = "") -> Text:
    """A number right-aligned in ``width`` ("·" for 0, so the eye finds the others; a count
    too long for it in thousands or millions: ``short_count``)."""
    text = "·" if not value else f"{value:g}" if isinstance(value, float) \
        else short_count(value, width - 1)
    return plain(text.rjust(width - 1) + " ", style if value else "dim")


def moves(down: int, up: int) -> str:
    """A band's moves in the week: "▼1 ▲2" (came down into it, came up into it)."""
    parts = [f"▼{short_count(down)}" if down else "", f"▲{short_count(up)}" if up else ""]
    return " ".join(p for p in parts if p) or "="


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
        self.start_live_refresh(self.load)

    def on_screen_resume(self) -> None:
        """Back from the records behind a figure: they may have changed."""
        if self.returned():
            self.load()

    def load(self) -> None:
        """Work the figures out again (in a thread) and show them."""
        self._fetch(self.who)

    def _fetch(self, who: str | None) -> None:
        self.call_service(portfolio.overview, self.app.ctx, who, parallel=True,
                          group="overview", exclusive=True, done=self._show)

    def _show(self, o: Overview) -> None:
        self.figures = o
        scope = f"my view ({self.app.ctx.user} and unowned)" if self.mine else "everyone's"
        self.query_one("#overview-title", Static).update(plain(f"Portfolio · {scope}"))
        self._summary(o)
        self._fill(o)
        self.query_one("#chart-bands", BandWeeksChart).show(o.weeks)
        self.query_one("#chart-satisfaction", SatisfactionMonthsChart).show(o.months)

    def _summary(self, o: Overview) -> None:
        customers = sum(b.customers for b in o.bands)
        hint = "{overview.figures} back to the figures" if self.showing_trends else \
            "{overview.open} opens a figure's records"
        self.query_one("#overview-summary", Static).update(plain(
            f"{plural(customers, 'customer')} · {plural(o.issues_where(), 'open issue')} · "
            f"{plural(o.risks['red'], 'red risk')} · " + with_keys(self, hint)))

    @property
    def showing_trends(self) -> bool:
        """Whether the charts over time are on screen (instead of the figures)."""
        return self.query_one(ContentSwitcher).current == "overview-trends"

    def _fill(self, o: Overview) -> None:
        table = lambda key: self.query_one(f"#fig-{key}", FigureTable)  # noqa: E731
        table("health").fill([
            (str(b.band), (plain(BAND_LABEL[b.band], BAND_STYLE[b.band]), num(b.customers, 5),
                           num(b.week_ago, 7), plain(moves(b.came_down, b.came_up))))
            for b in o.bands])
        sat = o.satisfaction
        table("satisfaction").fill([
            (kind, (plain(kind.upper()), plain(_score(fig, kind), "bold"),
                    plain(f"{short_count(fig.answers)} /{fig.period_days}d")))
            for kind, fig in (("nps", sat.nps), ("csat", sat.csat))])
        cred = o.credibility
        kept = "nothing due yet" if cred.share is None else \
            f"{cred.share:g}% ({short_count(cred.met_on_baseline)} of {short_count(cred.judged)})"
        slip = "" if cred.average_slip_days is None else f", avg {cred.average_slip_days:+g}d"
        moved = f"{short_count(cred.renegotiated, 5)}{slip}"
        table("credibility").fill([("kept", (plain("On baseline"), plain(kept))),
                                   ("renegotiated", (plain("Renegotiated"), plain(moved)))])
        loy = o.loyalty
        table("loyalty").fill([
            ("repeat", (plain("Repeat projects"), plain(short_count(loy.repeat_projects, 5)))),
            ("customers", (plain("Repeat customers"),
                           plain(short_count(loy.repeat_customers, 5)))),
            ("referrals", (plain("Referrals"),
                           plain(f"{short_count(loy.referrals_total, 5)} "
                                 f"(won {short_count(loy.referrals.get('won', 0), 5)})")))])
        table("issues").fill([
            (sev, (plain(SEVERITY_LABEL.get(sev, "all")),
                   *[num(o.issues_where(None if sev == "all" else sev, state), 5,
                         "bold reverse" if state == "breached" else "bold")
                     for state in SLA_STATES],
                   num(o.issues_where(None if sev == "all" else sev), 5)))
            for sev in (*SEVERITIES, "all")])
        table("risks").fill([
            *[(band, (plain(f"{BAND_LABEL[band]} {lo}-{hi}", BAND_STYLE[band]),
                      num(o.risks[band], 6)))
              for band, (lo, hi) in (("red", (15, 25)), ("amber", (5, 14)), ("green", (1, 4)))],
            ("review", (plain("review due"), num(o.risks_review_due, 6)))])
        table("renewals").fill([
            (r.label, (plain(r.label),
                       *[num(n, 5, BAND_STYLE[band] if band == "red" else "")
                         for band, n in zip(BAND_ORDER, (r.red, r.amber, r.green, r.unscored),
                                            strict=True)],
                       num(r.total, 5, "bold")))
            for r in o.renewals])
        gaps = o.stakeholders
        table("people").fill([
            ("gaps", (plain("With a gap"), plain(f"{short_count(gaps['with_gap'], 5)} of "
                                                 f"{short_count(gaps['stakeholders'], 5)}"))),
            ("below", (plain("Below wanted"),
                       plain(f"{short_count(gaps['below'], 5)} (largest +{gaps['largest']})"
                             if gaps["below"] else "0"))),
            ("above", (plain("Above wanted"), plain(short_count(gaps["above"], 5))))])
        table("lowest").fill([
            (str(t.health.customer_id),
             (plain(t.health.name), plain(f"{t.health.score} ", BAND_STYLE[t.health.band]),
              plain(f"{ARROW[t.direction]} {t.then or ''}"),
              plain(weakest_signal(t.health))))
            for t in o.lowest])

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
        who = self.who
        figure = table.removeprefix("fig-")
        if figure == "health":
            drilldown.open_band(self.app, None if key == "None" else key, who)
        elif figure == "satisfaction":
            drilldown.open_feedback(self.app, key, who)
        elif figure == "issues":
            drilldown.open_issues(self.app, None if key == "all" else key, state, who)
        elif figure == "credibility":
            drilldown.open_credibility(self.app, who)
        elif figure == "loyalty":
            drilldown.open_loyalty(self.app, who)
        elif figure == "risks":
            drilldown.open_risks(self.app, who=who, band=() if key == "review" else (key,),
                                 review_due=key == "review")
        elif figure == "renewals" and self.figures is not None:
            row = next(r for r in self.figures.renewals if r.label == key)
            drilldown.open_renewals(self.app, row.label, row.first, row.last, who)
        elif figure == "people":
            drilldown.open_stakeholders(self.app, who=who, gaps_only=True)
        elif figure == "lowest":
            self.app.open_customer(int(key))

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
        if self.figures is not None:
            self._summary(self.figures)

    def action_toggle_mine(self) -> None:
        """Switch between my view and everyone's (M)."""
        self.mine = not self.mine
        self.load()


def _score(figure: Any, kind: str) -> str:
    if figure.score is None:
        return "no answers"
    return f"{figure.score:+g}" if kind == "nps" else f"{figure.score:g}%"
