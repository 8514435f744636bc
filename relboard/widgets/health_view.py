"""The profile's Health tab: the score and band with every signal explained, the PM's own
rating, the trend as a chart on a fixed 0-100 scale with the band lines
(``HealthChart``), and satisfaction, credibility and loyalty with the counts
behind them. It takes an ``Insight`` (``services.profile_insight``) and shows it; nothing here
reads the database."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from relboard.text import safe
from relboard.widgets.health_chart import HealthChart

BAND_STYLE = {"red": "bold $text-error", "amber": "bold $text-warning",
              "green": "bold $text-success"}


def _number(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.1f}"


def figure_text(name: str, figure: Any, signed: bool = False) -> str:
    """``CSAT 75% (4 answers)``, ``NPS +20 (5 answers)``, or ``CSAT: no answers``."""
    if not figure.answers or figure.score is None:
        return f"{name}: no answers"
    score = f"{figure.score:+g}" if signed else f"{figure.score:g}%"
    return f"{name} {score} ({figure.answers} answer{'s' if figure.answers != 1 else ''})"


def headline(health: Any) -> Content:
    """Score and band, then the PM's own rating with its note."""
    if health.score is None:
        head = Content("Health: no score yet — no signal has data")
    else:
        head = Content.assemble(("Health ", "bold"), (f"{health.score}/100 ", "bold"),
                                (health.band or "", BAND_STYLE.get(health.band or "", "")))
    rating = health.rating
    if rating is None:
        mine = Content("Your rating: none (H to set it)")
    else:
        what = " · ".join(x for x in (None if rating.score is None else f"{rating.score}/100",
                                      rating.band) if x)
        mine = Content.assemble("Your rating: ", (what, BAND_STYLE.get(rating.band or "", "")),
                                f" — {safe(rating.note)}" if rating.note else "")
    return Content.assemble(head, "\n", mine)


def trend_text(trend: list[tuple[Any, int]], days: int = 90) -> str:
    """What the chart covers: first and latest snapshot."""
    if not trend:
        return f"Trend ({days} days): no history yet (one snapshot a day)"
    (first_day, first), (last_day, last) = trend[0], trend[-1]
    arrow = "↑" if last > first else "↓" if last < first else "→"
    return (f"Trend, last {days} days ({len(trend)} snapshot{'s' if len(trend) != 1 else ''}"
            f"): {first} on {first_day} {arrow} {last} on {last_day}")


def figures_text(insight: Any) -> str:
    """Satisfaction, credibility and loyalty, each with the counts behind it."""
    sat, cred, loyal = insight.satisfaction, insight.credibility, insight.loyalty
    lines = [f"Satisfaction, last {sat.csat.period_days} days: "
             f"{figure_text('CSAT', sat.csat)} · {figure_text('NPS', sat.nps, signed=True)}"]
    if not cred.judged:
        lines.append("Credibility: no promise judged yet (none due or closed)")
    else:
        slip = ("" if cred.average_slip_days is None
                else f", average slip {cred.average_slip_days:+g} days")
        lines.append(f"Credibility: {cred.met_on_baseline} of {cred.judged} promises met by "
                     f"their baseline date ({_number(cred.share)}%); "
                     f"{cred.renegotiated} renegotiated{slip}")
    referrals = ", ".join(f"{n} {status}" for status, n in loyal.referrals.items())
    lines.append(f"Loyalty: {loyal.projects} project{'s' if loyal.projects != 1 else ''} "
                 f"({loyal.repeat_projects} repeat) · referrals: {referrals or 'none'}")
    return "\n".join(lines)


def signals_text(health: Any) -> Content:
    """Each signal: value, weight and points added, then why in words."""
    parts: list[Any] = [("Signals (value 0-100 × weight → points of the score)", "bold")]
    for s in health.signals:
        if s.value is None or s.contribution is None:
            figures = f"no data · weight {_number(s.weight)} · left out"
        else:
            figures = (f"{s.value}/100 · weight {_number(s.weight)} · "
                       f"+{_number(s.contribution)} points")
        parts += ["\n", (f"{s.label:<13}", "bold"), figures, "\n   ", safe(s.explanation)]
    return Content.assemble(*parts)


class HealthView(VerticalScroll):
    """The health of one customer and the figures beside it; ``show(insight)`` fills it."""

    def compose(self) -> ComposeResult:
        """Headline, trend line and chart, figures, signals."""
        yield Static("Loading…", id="health-head")
        yield Static("", id="health-trend-text")
        chart = HealthChart(id="health-trend")
        chart.display = False  # until there is a trend to draw
        yield chart
        yield Static("", id="health-figures")
        yield Static("", id="health-signals")

    def show(self, insight: Any) -> None:
        """Put ``insight`` on screen."""
        self.query_one("#health-head", Static).update(headline(insight.health))
        self.query_one("#health-trend-text", Static).update(Content(trend_text(insight.trend)))
        chart = self.query_one("#health-trend", HealthChart)
        start, end = insight.trend_days
        chart.show(insight.trend, start, end, insight.bands.amber, insight.bands.green)
        chart.display = bool(insight.trend)
        self.query_one("#health-figures", Static).update(Content(figures_text(insight)))
        self.query_one("#health-signals", Static).update(signals_text(insight.health))

    def show_error(self, message: str) -> None:
        """Say the figures could not be read."""
        self.query_one("#health-head", Static).update(
            Content(f"Could not read the health figures: {safe(message)}"))
