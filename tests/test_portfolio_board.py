"""The portfolio overview, risk register, decision log and stakeholder map driven with keys at
80x24 on the hand-counted portfolio of ``tests/portfolio_data.py``: what a PM sees, and that
enter on a figure opens the records behind it."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, OptionList, Static

from relboard.screens.breakdown import BreakdownScreen
from relboard.screens.customer import CustomerScreen
from relboard.screens.decisions import DecisionLogScreen
from relboard.screens.issues import IssuesScreen
from relboard.screens.overview import OverviewScreen
from relboard.screens.risks import RiskRegisterScreen
from relboard.screens.stakeholder_map import StakeholderMapScreen
from relboard.services import records
from relboard.widgets import paged_table
from relboard.widgets.paged_table import PagedTable
from tests import portfolio_data
from tests.pilot import SIZE, make_app, rows, screen_text, settle


@pytest.fixture
def seeded(db, ctx):
    return portfolio_data.seed(ctx)


def figure(app, name: str) -> dict[str, list[str]]:
    """An overview table's rows by their first cell."""
    return {r[0]: r[1:] for r in rows(app.screen.query_one(f"#fig-{name}", DataTable))}


async def focus_figure(app, pilot, name: str, row: int, column: int = 0) -> None:
    table = app.screen.query_one(f"#fig-{name}", DataTable)
    table.focus()
    table.move_cursor(row=row, column=column)
    await settle(pilot)


async def test_overview_shows_every_figure(seeded, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert figure(app, "health") == {"● red": ["1", "·", "▼1"], "◐ amber": ["·", "2", "="],
                                         "○ green": ["2", "1", "▲2"],
                                         "· no score": ["·", "·", "="]}
        assert figure(app, "satisfaction") == {"NPS": ["+25", "4 /90d"],
                                               "CSAT": ["no answers", "0 /90d"]}
        issues = figure(app, "issues")
        assert issues["critical"] == ["1", "·", "·", "·", "1"]   # late near wait ok all
        assert issues["low"] == ["·", "·", "1", "·", "1"]
        assert issues["all"] == ["1", "1", "1", "1", "4"]
        # "Go live" moved by a week and not due yet: renegotiated all the same (issue 21)
        assert figure(app, "credibility") == {"On baseline": ["50% (1 of 2)"],
                                              "Renegotiated": ["1, avg +7d"]}
        assert figure(app, "risks") == {"● red 15-25": ["2"], "◐ amber 5-14": ["2"],
                                        "○ green 1-4": ["1"], "review due": ["1"]}
        assert figure(app, "people") == {"With a gap": ["3 of 4"],
                                         "Below wanted": ["2 (largest +2)"],
                                         "Above wanted": ["1"]}
        assert figure(app, "loyalty") == {"Repeat projects": ["1"], "Repeat customers": ["1"],
                                          "Referrals": ["2 (won 1)"]}
        await pilot.press("M")  # my view: alice's customers and items, and unowned ones
        await settle(pilot)
        assert "my view" in str(app.screen.query_one("#overview-title", Static).render())
        assert figure(app, "issues")["all"] == ["1", "·", "·", "1", "2"]
        assert figure(app, "satisfaction")["NPS"] == ["+0", "3 /90d"]


async def test_enter_on_a_figure_opens_its_records(seeded, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")  # the red band
        await settle(pilot)
        assert isinstance(app.screen, BreakdownScreen)
        shown = rows(app.screen.query_one(PagedTable))
        assert [r[:3] for r in shown] == [["Redwood", "45", "▼ was green"]]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == seeded["Redwood"]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)

        await focus_figure(app, pilot, "risks", 0)  # red risks
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
        assert [r[1] for r in rows(app.screen.table)] == ["Vendor late", "Key person leaves"]
        assert "band red" in str(app.screen.query_one("#list-filters", Static).render())
        await pilot.press("escape")
        await settle(pilot)

        await focus_figure(app, pilot, "issues", 0, column=1)  # critical, SLA late
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        assert list(app.screen.query_one(PagedTable).rows_by_key) == [str(seeded["breached"])]
        await pilot.press("escape")
        await settle(pilot)

        await focus_figure(app, pilot, "issues", 4, column=4)  # all severities, SLA ok
        await pilot.press("enter")
        await settle(pilot)
        assert list(app.screen.query_one(PagedTable).rows_by_key) == [str(seeded["ok"])]
        await pilot.press("escape")
        await settle(pilot)

        await focus_figure(app, pilot, "satisfaction", 0)  # NPS
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BreakdownScreen)
        answers = rows(app.screen.query_one(PagedTable))
        assert [(r[1], r[2]) for r in answers] == [
            ("Greenfield", "10 promoter"), ("Redwood", "3 detractor"),
            ("Amberly", "9 promoter"), ("Greenfield", "7 passive")]
        await pilot.press("escape")
        await settle(pilot)

        await focus_figure(app, pilot, "people", 0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderMapScreen)
        assert [r[0] for r in rows(app.screen.table)] == ["Dana", "Gus", "Eli"]


async def test_risk_register_filters_and_pages(seeded, ctx, monkeypatch):
    monkeypatch.setattr(paged_table, "WINDOW", 3)
    monkeypatch.setattr(paged_table, "PREFETCH", 1)
    for n in range(6):
        records.create(ctx, "risk", {"customer": seeded["Amberly"], "title": f"Extra {n}",
                                     "likelihood": 1, "impact": 1, "owner": "carol"})
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("K")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RiskRegisterScreen)
        assert screen.table.row_count == 3  # one window, not the whole register
        for _ in range(12):
            await pilot.press("down")
            await settle(pilot)
        assert screen.table.row_count == 11  # every open risk, a window at a time
        await pilot.press("B")  # red
        await settle(pilot)
        assert [r[0] for r in rows(screen.table)] == ["20 ● red", "15 ● red"]
        detail = str(screen.query_one("#list-detail", Static).render())
        assert "Contingency: — (missing" in detail and "No build by Friday" in detail
        await pilot.press("B", "B", "B", "O", *"carol", "enter")  # any band, carol's
        await settle(pilot)
        assert len(rows(screen.table)) == 3  # a window; the rest as the cursor comes near
        for _ in range(5):
            await pilot.press("down")
            await settle(pilot)
        assert {r[1] for r in rows(screen.table)} == {f"Extra {n}" for n in range(6)}
        await pilot.press("O", *("backspace",) * 5, "enter", "slash", *"redw", "enter")
        await settle(pilot)
        assert [r[1] for r in rows(screen.table)] == ["Vendor late", "Key person leaves"]
        await pilot.press("f", "f", "f", "f")  # open -> open, mitigating, occurred, closed
        await settle(pilot)
        assert "status closed" in str(screen.query_one("#list-filters", Static).render())
        assert [r[1] for r in rows(screen.table)] == ["Old red"]
        await pilot.press("f", "s")  # all statuses; sorted by review date
        await settle(pilot)
        assert rows(screen.table)[0][1] == "Key person leaves"
        await pilot.press("v")  # review due only
        await settle(pilot)
        assert [r[1] for r in rows(screen.table)] == ["Key person leaves"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)


async def test_decision_log_shows_the_renegotiation_a_decision_caused(seeded, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DecisionLogScreen)
        assert [r[:3] for r in rows(screen.table)] == [
            ["2026-11-23", "Redwood", "↻ Phase the rollout"],
            ["2026-11-20", "Amberly", "Weekly demos"]]
        assert rows(screen.table)[0][3] == "Dana, vendor PM"
        detail = str(screen.query_one("#list-detail", Static).render())
        assert "Options: Big bang; phased" in detail
        assert "Why: Less risk for the EU sites" in detail
        assert "“Go live”: due 2026-11-25 → 2026-12-02" in detail
        assert "Phased rollout agreed" in detail
        await pilot.press("down")
        await settle(pilot)
        assert "No expectation changed." in str(screen.query_one("#list-detail",
                                                                 Static).render())
        await pilot.press("slash", *"Amber", "enter")
        await settle(pilot)
        assert [r[2] for r in rows(screen.table)] == ["Weekly demos"]


async def test_power_interest_grid_and_engagement_matrix(seeded, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G")
        await settle(pilot)
        screen = app.screen
        assert [(r[0], r[4]) for r in rows(screen.table)] == [
            ("Dana", "+2 ▲"), ("Gus", "-2 ▼"), ("Eli", "+1 ▲"), ("Fay", "0 =")]
        await pilot.press("2")
        await settle(pilot)

        def quadrant(key: str) -> list[str]:
            box = screen.query_one(f"#q-{key}", OptionList)
            return [str(box.get_option_at_index(n).prompt) for n in range(box.option_count)]

        assert quadrant("manage_closely") == ["Dana (5/5) +2 ▲ · Redwood"]
        assert quadrant("keep_satisfied") == ["Eli (5/2) +1 ▲ · Redwood"]
        assert quadrant("keep_informed") == ["Fay (2/5) · Amberly"]
        assert quadrant("monitor") == ["Gus (1/1) -2 ▼ · Amberly"]
        assert "Manage closely" in str(screen.query_one("#q-manage_closely").border_title)
        await pilot.press("enter")  # Dana, in manage closely
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == seeded["Redwood"]


async def test_enter_on_a_grid_entry_opens_the_profile_on_that_stakeholder(seeded, ctx):
    """Eli is Redwood's second stakeholder: the profile opens with the cursor on him, not on
    the first, and enter there opens his form."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G", "2")
        await settle(pilot)
        app.screen.query_one("#q-keep_satisfied", OptionList).focus()
        await pilot.press("enter")  # Eli (5/2)
        await settle(pilot)
        table = app.screen.query_one("#stakeholders", DataTable)
        assert [str(table.get_row_at(n)[0]) for n in range(table.row_count)][:2] == [
            "Dana", "Eli"]
        assert str(table.get_row_at(table.cursor_row)[0]) == "Eli"
        assert app.screen.focused is table  # shown below the overview's text, keys on it
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.field("name").value == "Eli"


async def test_the_grid_shows_a_stakeholder_changed_in_their_form_on_return(seeded, ctx):
    """Enter on a grid entry, enter on the stakeholder, a new influence saved, escape back:
    the grid moves them (the board's own saves are not among the others' the poll shows)."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G", "2")
        await settle(pilot)
        await pilot.press("enter")  # Dana (5/5), in manage closely
        await settle(pilot)
        await pilot.press("enter")  # her form
        await settle(pilot)
        app.screen.field("influence").value = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("escape")
        await settle(pilot)
        box = app.screen.query_one("#q-keep_informed", OptionList)
        assert "Dana (1/5) +2 ▲ · Redwood" in [
            str(box.get_option_at_index(n).prompt) for n in range(box.option_count)]


async def test_a_crowded_quadrant_lists_its_first_and_says_how_many_more(seeded, ctx,
                                                                        monkeypatch):
    """The grid never holds a whole portfolio's stakeholders (a 1M-record board has 200,000):
    a quadrant lists its first and says how many more the matrix has."""
    from relboard.services import stakeholders
    from tests import factories as f

    for n in range(3):
        f.contact(ctx, seeded["Redwood"], f"Zed {n}", influence=4, interest=4)
    monkeypatch.setattr(stakeholders, "GRID_SHOWN", 2)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G", "2")
        await settle(pilot)
        box = app.screen.query_one("#q-manage_closely", OptionList)
        shown = [str(box.get_option_at_index(n).prompt) for n in range(box.option_count)]
        assert shown == ["Dana (5/5) +2 ▲ · Redwood", "Zed 0 (4/4) +1 ▲ · Redwood",
                         "… and 2 more (1: the matrix)"]
        await pilot.press("1")
        await settle(pilot)
        assert {"Zed 1", "Zed 2"} <= {r[0] for r in rows(app.screen.table)}



@pytest.mark.parametrize("size", [(70, 20), (80, 24), (160, 48)])
async def test_a_large_portfolios_figures_read_whole_at_every_size(seeded, ctx, monkeypatch,
                                                                   size):
    """A board of a million records has figures of five and six digits: each still reads
    (in thousands where its column is narrow: "36k"), none cut to "3582…"; the summary's
    hint wraps rather than being cut at 70 columns."""
    from dataclasses import replace

    from relboard.services import portfolio

    real = portfolio.overview

    def large(ctx, who=None):
        o = real(ctx, who)
        sat, cred, loy = o.satisfaction, o.credibility, o.loyalty
        return replace(
            o, bands=[replace(b, customers=35_823, week_ago=100_000, came_down=35_823)
                      for b in o.bands],
            satisfaction=replace(sat, nps=replace(sat.nps, answers=12_377)),
            issues={key: 99_920 for key in o.issues},
            credibility=replace(cred, met_on_baseline=40_355, judged=119_772),
            risks={band: 14_666 for band in o.risks}, risks_review_due=16_828,
            stakeholders={**o.stakeholders, "with_gap": 200_000, "stakeholders": 200_000},
            loyalty=replace(loy, repeat_projects=123_456, repeat_customers=65_432))

    monkeypatch.setattr(portfolio, "overview", large)
    app = make_app(ctx)
    async with app.run_test(size=size) as pilot:
        await pilot.press("p")
        await settle(pilot)
        shown = screen_text(app)
        assert "36k" in shown and "100000" in shown and "▼36k" in shown  # bands
        assert "12k /90d" in shown  # answers
        assert "40k of 120k" in shown  # credibility
        assert "100k" in shown and "400k" in shown  # an issue cell, the issues' total
        assert "14666" in shown  # risks: room for five digits
        assert "enter opens a figure's records" in " ".join(shown.split())
        if size == (160, 48):  # smaller: below the fold, reached by the cursor
            assert "200k of 200k" in shown and "123k" in shown and "65432" in shown
        assert not re.search(r"\d…", shown), shown  # no figure cut short


async def test_the_charts_are_worked_out_when_their_tab_is_shown(seeded, ctx, monkeypatch):
    """Opening the portfolio works out its figures only (the charts were a third of the
    wait); `2` works the charts out and shows them; a refresh while the figures show leaves
    them to the next `2`, a refresh while they show works them out again."""
    from relboard.services import portfolio

    worked_out, real = [], portfolio.over_time
    monkeypatch.setattr(portfolio, "over_time",
                        lambda *a, **k: worked_out.append(a[1:]) or real(*a, **k))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert "Satisfaction" in screen_text(app) and worked_out == []
        await pilot.press("2")
        await settle(pilot)
        assert "Customers per health band, by week (Mon-Sun)" in screen_text(app)
        assert worked_out == [(None,)]
        await pilot.press("1")
        await settle(pilot)
        app.screen.load()  # what the live refresh calls
        await settle(pilot)
        assert len(worked_out) == 1 and "Satisfaction" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        assert len(worked_out) == 2
        await pilot.press("M")  # my view, on the charts: worked out for me at once
        await settle(pilot)
        assert worked_out[-1] == (ctx.user,)
        assert "Customers per health band, by week (Mon-Sun)" in screen_text(app)
