"""The charts as a PM sees them: the health trend on a fixed 0-100 scale with its band lines
(67-73 is a flat line in the amber band, not a collapse), customers per band per week as
stacked columns with their counts, NPS and CSAT per month with the answers; each read by
characters and labels (16 colours, NO_COLOR), at the width it gets; and on the profile and
the portfolio at 80x24."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services.satisfaction import Figure
from relboard.services.trends import MonthSatisfaction, WeekBands, month_periods, week_periods
from relboard.widgets.chart import BLOCKS, wrapped
from relboard.widgets.health_chart import columns, health_lines
from relboard.widgets.portfolio_charts import band_week_lines, satisfaction_month_lines
from tests import factories as f
from tests import portfolio_data
from tests.conftest import NOW, TODAY
from tests.pilot import make_app, settle

DAY = dt.timedelta(days=1)
START = TODAY - 89 * DAY
POINTS = [(START + n * DAY, 67 + n % 7) for n in range(0, 90, 2)]  # 67..73, every other day


def _text(lines) -> list[str]:
    return [line.plain for line in lines]


def _rows_with_points(text: list[str]) -> set[int]:
    return {n for n, row in enumerate(text) if any(ch in BLOCKS[1:] for ch in row[5:])}


def test_67_to_73_is_a_flat_line_in_the_amber_band():
    text = _text(health_lines(POINTS, START, TODAY, 80))
    assert len(text) == 10 and all(len(row) <= 80 for row in text)
    green_line = next(n for n, row in enumerate(text) if row.startswith(" 75 ┤┄┄┄"))
    amber_line = next(n for n, row in enumerate(text) if row.startswith(" 50 ┤┄┄┄"))
    assert text[0].startswith("100 ┤") and text[-2].startswith("  0 └───")
    points = _rows_with_points(text)
    assert len(points) == 1  # one row of the eight: flat
    row = points.pop()
    assert green_line < row < amber_line  # between the 75 and the 50 line
    assert text[row].endswith(" amber")  # the band's name on its row: no colour needed
    assert text[0].endswith(" green") and " red" in text[amber_line + 1]
    assert text[-1].startswith("     Aug 26") and text[-1].rstrip().endswith("Nov 23")


def test_a_fall_crosses_the_band_lines_and_the_colours_follow_the_band():
    falling = [(TODAY - n * DAY, 100 - 3 * n) for n in range(33)]  # 100 down to 4
    lines = health_lines(falling, START, TODAY, 60)
    text = _text(lines)
    assert len(_rows_with_points(text)) == 8  # every row, from 100 down to 4
    top = lines[0]
    assert text[0][-7] in BLOCKS and any("green" in str(span.style) for span in top.spans)
    bottom = lines[7]
    assert any(str(span.style) == "bold red" for span in bottom.spans)


def test_days_share_columns_or_spread_over_them_and_gaps_stay_empty():
    assert columns([(START, 60), (START + DAY, 70)], START, START + 3 * DAY, 2) == [65.0, None]
    assert columns([(START, 60)], START, START + DAY, 4) == [60, 60, None, None]
    narrow = _text(health_lines(POINTS, START, TODAY, 14))  # too narrow for the band names
    assert all(len(row) <= 14 for row in narrow)


def _counts(text: list[str]) -> dict[str, list[str]]:
    """The count rows under the weekly columns: band -> the counts shown."""
    return {row.split()[1]: row.split()[2:] for row in text
            if row.strip().startswith(("█ ", "▓ ", "░ "))}


def _weeks(n=26):
    out = [WeekBands(a, b, 1 + k % 2, 3, 10) for k, (a, b) in enumerate(week_periods(TODAY, n))]
    out[-2] = WeekBands(out[-2].start, out[-2].end)  # last week: no snapshot at all
    return out


@pytest.mark.parametrize("width", [70, 80, 240])
def test_weekly_bands_fit_the_width_with_a_glyph_and_a_count_per_band(width):
    text = _text(band_week_lines(_weeks(), width))
    assert all(len(row) <= width for row in text)
    weeks = min(26, (width - 9) // 4)
    week_row = next(row for row in text if row.startswith("   week"))
    assert week_row.split()[1:] == [str(w.start.isocalendar()[1]) for w in _weeks()[-weeks:]]
    counts = _counts(text)
    assert counts["red"][-1] == "2" and counts["red"][-2] == "·"
    assert counts["amber"][-3:] == ["3", "·", "3"] and counts["green"][-1] == "10"
    assert " n/a" in text[-6]  # the week without a snapshot, on the bottom row
    bars = [row for row in text if "│" in row or "┤" in row]
    last = [row[-3:] for row in bars]  # this week: 14 customers, the highest column
    assert last == ["░░░"] * 4 + ["▓▓▓", "███"]  # green over amber over red, by character


def test_a_large_boards_weekly_counts_stay_in_their_columns():
    """On a 1M-record board a week holds 100,000 customers: each count reads in thousands or
    millions within its column ("36k", ".1M"), never run into its neighbour's digits."""
    weeks = [WeekBands(a, b, 35_823, 51_158, 13_019) if k else WeekBands(a, b, 0, 0, 100_000)
             for k, (a, b) in enumerate(week_periods(TODAY, 2))]
    counts = _counts(_text(band_week_lines(weeks, 80)))
    assert counts == {"red": ["·", "36k"], "amber": ["·", "51k"], "green": [".1M", "13k"]}
    months = [MonthSatisfaction(a, Figure(-44.0, 12_345, 30), Figure(40.0, 4_123, 30))
              for a, _ in month_periods(TODAY, 3)]
    answers = [row.split()[1:] for row in _text(satisfaction_month_lines(months, 80))
               if row.strip().startswith("answers")]
    assert sorted(answers) == [["n=12k"] * 3, ["n=4k"] * 3]


def _months():
    return [MonthSatisfaction(a, Figure(None if k == 11 else 80.0, 0 if k == 11 else 5, 30),
                              Figure(-20.0 if k == 10 else 40.0, 12, 30))
            for k, (a, b) in enumerate(month_periods(TODAY, 12))]


def test_nps_and_csat_per_month_with_the_answers_beneath():
    text = _text(satisfaction_month_lines(_months(), 80))
    assert all(len(row) <= 80 for row in text)
    assert text[1].split() == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                               "Oct", "Nov"]
    scores = [row.split()[1:] for row in text if row.strip().startswith("score")]
    answers = [row.split()[1:] for row in text if row.strip().startswith("answers")]
    assert scores[0][-2:] == ["-20", "+40"] and answers[0][-1] == "n=12"
    assert scores[1][-2:] == ["80%", "·"] and answers[1][-2:] == ["n=5", "n=0"]
    assert text[3].startswith("        0┤┄")  # NPS: the zero line


def test_labels_are_plain_text_without_control_characters():
    assert [c.plain for c in wrapped("bad\x1b[31m [b]x[/b]", 80)] == ["bad�[31m [b]x[/b]"]


def _screen_text(app) -> list[str]:
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]


async def test_the_profile_draws_the_trend_in_its_band_even_without_colour(db, ctx,
                                                                           monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    cid = f.customer(ctx, "Steady Co", cadence_days=100)
    f.touchpoint(ctx, cid, occurred_at=NOW - 130 * DAY)  # contact 70: amber today
    m.HealthSnapshot.insert_many([{"customer": cid, "day": day, "score": score,
                                   "band": "amber", "taken_at": NOW}
                                  for day, score in POINTS]).execute()
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await settle(pilot)
        app.open_customer(cid)
        await settle(pilot)
        await pilot.press("6")  # the Health tab
        await settle(pilot)
        chart = app.screen.query_one("#health-trend")
        text = chart.as_text().splitlines()
        assert chart.display and chart.size.width <= 80
        row = _rows_with_points(text).pop()
        assert text[row].endswith(" amber") and "75 ┤┄" in text[row - 1]
        assert any(line.rstrip().endswith(" amber") and "▃" in line
                   for line in _screen_text(app))  # on screen, not only in the widget


async def test_the_portfolio_shows_its_trends_on_2_and_its_figures_on_1(db, ctx):
    portfolio_data.seed(ctx)  # three customers, snapshots a week ago
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = "\n".join(_screen_text(app))
        assert "Customers per health band, by week" in screen
        counts = _counts(_screen_text(app))
        # a week ago (the first snapshots): Redwood green, Amberly and Greenfield amber;
        # this week, the snapshots the board took as it opened: Redwood red, the others green
        assert counts == {"red": ["·", "1"], "amber": ["2", "·"], "green": ["1", "2"]}
        assert "1 back to the figures" in screen
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.query_one("#fig-health").has_focus
        assert "Customers per health band" not in "\n".join(_screen_text(app))


def test_weeks_before_the_first_snapshot_are_left_out_and_none_at_all_is_said():
    weeks = [WeekBands(a, b) for a, b in week_periods(TODAY, 26)]
    weeks[-3] = WeekBands(weeks[-3].start, weeks[-3].end, green=4)
    text = _text(band_week_lines(weeks, 240))
    assert text[0] == "Customers per health band, by week (Mon-Sun), from Nov 9, 2026"
    assert next(r for r in text if r.startswith("   week")).split()[1:] == ["46", "47", "48"]
    assert _counts(text)["green"] == ["4", "·", "·"]
    empty = _text(band_week_lines([WeekBands(a, b) for a, b in week_periods(TODAY, 4)], 80))
    assert " ".join(empty).startswith("Customers per health band, by week: no health snapshots")
