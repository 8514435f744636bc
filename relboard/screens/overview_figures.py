"""The portfolio overview's figure tables, filled from an ``Overview`` (the screen is
``overview.py``): each figure's label, its counts right-aligned, a band's colour."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from relboard.config import SEVERITIES
from relboard.services.portfolio import BAND_ORDER, SLA_STATES, Overview
from relboard.services.portfolio_lists import weakest_signal
from relboard.text import short_count
from relboard.widgets.bands import ARROW, BAND_LABEL, BAND_STYLE
from relboard.widgets.figure_table import FigureTable
from relboard.widgets.safe import plain

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


def fill(screen: Any, o: Overview) -> None:
    """Every figure table of ``screen`` filled from ``o``."""
    table = lambda key: screen.query_one(f"#fig-{key}", FigureTable)  # noqa: E731
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


def _score(figure: Any, kind: str) -> str:
    if figure.score is None:
        return "no answers"
    return f"{figure.score:+g}" if kind == "nps" else f"{figure.score:g}%"
