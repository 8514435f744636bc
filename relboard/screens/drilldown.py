"""Opening the records behind a figure of the overview (not a screen: the ways to the screens
that show them, shared by the overview and the lists it opens).

Each ``open_*`` pushes a screen on the current mode's stack, with the overview's scope
(``who``: my view or everyone's), so escape comes back to the figure.
"""

from __future__ import annotations

from typing import Any

from relboard.config import QueueConfig, QueueFilter
from relboard.services import portfolio_lists as pl
from relboard.services.issues import OPEN_STATUSES
from relboard.widgets.bands import ARROW, BAND_LABEL, BAND_STYLE  # noqa: F401 - shown here
from relboard.widgets.paged_table import Column
from relboard.widgets.safe import plain


def _scope(who: str | None) -> str:
    return " (my view)" if who else ""


def open_band(app: Any, band: str | None, who: str | None) -> None:
    """The customers in a health band, worst first, with the week's trend and why."""
    from relboard.screens.breakdown import BreakdownScreen

    ctx = app.ctx

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        was = f"{ARROW[row['direction']]} was {row['then']}" if row["then"] else "· no history"
        return (row["name"], plain(str(row["score"] if row["score"] is not None else "—"),
                                   BAND_STYLE[row["band"]]), was, row["reason"])

    app.push_screen(BreakdownScreen(
        f"Health: {band or 'no score'}{_scope(who)}",
        [Column("name", "Customer", 20), Column("score", "Score", 5),
         Column("trend", "7 days ago", 14), Column("why", "Weakest signal", 29)],
        cells, lambda after, limit: pl.band_page(ctx, band, who, after=after, limit=limit),
        lambda row: app.open_customer(row["id"]), noun="customers",
        hint="{breakdown.open} opens the profile with its health explanation"))


NPS_KIND = {"nps": lambda s: "promoter" if s >= 9 else "detractor" if s <= 6 else "passive",
            "csat": lambda s: "satisfied" if s >= 4 else "not satisfied"}


def open_feedback(app: Any, kind: str, who: str | None) -> None:
    """The NPS or CSAT answers of the period, newest first."""
    from relboard.screens.breakdown import BreakdownScreen

    ctx = app.ctx

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        word = NPS_KIND[row["kind"]](row["score"])
        return (str(row["received_on"]), row["customer_name"],
                plain(f"{row['score']:>2} {word}", "bold" if "detr" in word or "not" in word
                      else ""), row["comment"])

    app.push_screen(BreakdownScreen(
        f"{kind.upper()} answers, last {ctx.insight.satisfaction_days} days{_scope(who)}",
        [Column("day", "Received", 10), Column("customer", "Customer", 18),
         Column("score", "Answer", 13), Column("comment", "Comment", 27)],
        cells, lambda after, limit: pl.feedback_page(ctx, kind, who, after=after, limit=limit),
        lambda row: app.open_customer(row["customer"], tab="feedback"), noun="answers",
        hint="{breakdown.open} opens the customer"))


def open_issues(app: Any, severity: str | None, state: str | None, who: str | None) -> None:
    """The issue queue narrowed to the open issues of a severity and/or SLA state."""
    from relboard.screens.issues import IssuesScreen

    name = " · ".join(p for p in (severity, state and f"SLA {state}") if p) or "all open"
    queue = QueueConfig(name + _scope(who), QueueFilter(
        status=OPEN_STATUSES, severity=(severity,) if severity else ()))
    app.push_screen(IssuesScreen(queue, sla=(state,) if state else (), who=who))


def open_credibility(app: Any, who: str | None) -> None:
    """Credibility per customer, lowest share first."""
    from relboard.screens.breakdown import BreakdownScreen

    ctx = app.ctx

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        share = "—" if row["share"] is None else f"{row['share']:g}%"
        slip = row["average_slip_days"]
        return (row["name"], plain(share, "bold"),
                f"{row['met_on_baseline']} of {row['judged']}",
                f"{row['renegotiated']}" + ("" if slip is None else f", avg {slip:+g}d"))

    app.push_screen(BreakdownScreen(
        f"Credibility: promises kept on their baseline date{_scope(who)}",
        [Column("name", "Customer", 22), Column("share", "Kept", 6),
         Column("count", "On baseline", 12), Column("reneg", "Renegotiated", 20)],
        cells, lambda after, limit: pl.credibility_page(ctx, who, after=after, limit=limit),
        lambda row: app.open_customer(row["id"], tab="expectations"), noun="customers",
        hint="{breakdown.open} opens the customer's expectations"))


def open_loyalty(app: Any, who: str | None) -> None:
    """Customers with repeat projects or referrals."""
    from relboard.screens.breakdown import BreakdownScreen

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        refs = row["referrals"]
        return (row["name"], str(row["projects"]), str(row["repeat_projects"]),
                f"{row['referrals_total']} (won {refs.get('won', 0)}, "
                f"open {refs.get('new', 0) + refs.get('qualified', 0)})")

    app.push_screen(BreakdownScreen(
        f"Loyalty: repeat business and referrals{_scope(who)}",
        [Column("name", "Customer", 24), Column("projects", "Projects", 8),
         Column("repeat", "Repeat", 6), Column("refs", "Referrals", 24)],
        cells, lambda after, limit: pl.loyalty_page(who, after=after, limit=limit),
        lambda row: app.open_customer(row["id"], tab="projects"), noun="customers",
        hint="{breakdown.open} opens the customer"))


def open_risks(app: Any, *, who: str | None = None, band: tuple[str, ...] = (),
               review_due: bool = False, customer_id: int | None = None) -> None:
    """The risk register, filtered."""
    from relboard.screens.risks import RiskRegisterScreen

    app.push_screen(RiskRegisterScreen(band=band, review_due=review_due, mine=who is not None,
                                       customer_id=customer_id))


def open_decisions(app: Any, *, who: str | None = None,
                   customer_id: int | None = None) -> None:
    """The decision log (the portfolio's, or one customer's)."""
    from relboard.screens.decisions import DecisionLogScreen

    app.push_screen(DecisionLogScreen(customer_id=customer_id, mine=who is not None))


def open_stakeholders(app: Any, *, who: str | None = None, customer_id: int | None = None,
                      gaps_only: bool = False) -> None:
    """The stakeholder map (the portfolio's, or one customer's)."""
    from relboard.screens.stakeholder_map import StakeholderMapScreen

    app.push_screen(StakeholderMapScreen(customer_id=customer_id, mine=who is not None,
                                         gaps_only=gaps_only))


def open_renewals(app: Any, label: str, first: Any, last: Any, who: str | None) -> None:
    """The customers renewing in a quarter (or whose renewal date has passed), by date, each
    with its stored health band."""
    from relboard.screens.breakdown import BreakdownScreen
    from relboard.services import portfolio_renewals as pr

    ctx = app.ctx

    def cells(row: dict[str, Any]) -> tuple[Any, ...]:
        return (f"{row['renews_on']:%a %d %b %Y}", row["name"],
                plain(BAND_LABEL[row["band"]], BAND_STYLE[row["band"]]),
                row["owner"] or "unowned")

    title = "Renewal date passed, no new date" if label == pr.PASSED else f"Renewals {label}"
    app.push_screen(BreakdownScreen(
        f"{title}{_scope(who)}",
        [Column("renews_on", "Renews on", 15), Column("name", "Customer", 24),
         Column("band", "Health", 10), Column("owner", "Owner", 12)],
        cells, lambda after, limit: pr.renewals_page(ctx, first, last, who, after=after,
                                                     limit=limit),
        lambda row: app.open_customer(row["id"]), noun="customers",
        hint="{breakdown.open} opens the profile; {customer.edit} there edits the date"))


def open_figure(app: Any, figure: str, key: str, state: str | None, who: str | None,
                figures: Any) -> None:
    """The records behind the overview's ``figure`` (its table's name: health, issues, ...)
    at row ``key`` (and, in the issue grid, SLA column ``state``); ``figures``: the overview
    on screen (a renewals row's dates)."""
    if figure == "health":
        open_band(app, None if key == "None" else key, who)
    elif figure == "satisfaction":
        open_feedback(app, key, who)
    elif figure == "issues":
        open_issues(app, None if key == "all" else key, state, who)
    elif figure == "credibility":
        open_credibility(app, who)
    elif figure == "loyalty":
        open_loyalty(app, who)
    elif figure == "risks":
        open_risks(app, who=who, band=() if key == "review" else (key,),
                   review_due=key == "review")
    elif figure == "renewals" and figures is not None:
        row = next((r for r in figures.renewals if r.label == key), None)
        if row is not None:
            open_renewals(app, row.label, row.first, row.last, who)
    elif figure == "people":
        open_stakeholders(app, who=who, gaps_only=True)
    elif figure == "lowest":
        app.open_customer(int(key))
