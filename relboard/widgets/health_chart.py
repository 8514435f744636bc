"""A customer's health over time on a fixed 0-100 scale, with the band lines drawn.

The scale never stretches to the data (a Sparkline scaled min to max made 67-73 look like a
collapse): 67 to 73 is a flat line in the amber band. Each row is ``100 / rows`` points; the
score of a column is drawn in the row that holds it by a block of its height within the row
(▁ to █). The amber and green thresholds are dotted lines (┄) labelled with their score on
the axis, and each band's name stands at the right of its rows, so the band reads without
colour. The x axis runs from the first to the last day of the period, a tick (┴) where a
month begins, labelled when there is room. Days share a column when there are more days
than columns (their mean is drawn); a column with no snapshot stays empty (no guess).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from textual.content import Content

from relboard.widgets.bands import BAND_STYLE
from relboard.widgets.chart import BLOCKS, Cell, Chart, line, put, row_of, text_cells

AXIS = 5
"""Columns left of the plot: a score label (3) and a space, then the axis."""
NAMES = 6
"""Columns right of the plot for the band names (" amber")."""
LINE_STYLE = "dim"


def _band(score: float, amber: int, green: int) -> str:
    return "green" if score >= green else "amber" if score >= amber else "red"


def _label(day: _dt.date) -> str:
    return f"{day:%b} {day.day}"


def columns(points: Sequence[tuple[_dt.date, int]], start: _dt.date, end: _dt.date,
            width: int) -> list[float | None]:
    """The score of each of ``width`` columns from ``start`` to ``end`` (the mean of the
    snapshots the column covers; None where it covers none)."""
    days = (end - start).days + 1
    by_day = {(day - start).days: score for day, score in points if start <= day <= end}
    if width > days:  # a day spans several columns
        return [by_day.get(c * days // width) for c in range(width)]
    sums: dict[int, list[int]] = {}
    for d, score in by_day.items():
        sums.setdefault(d * width // days, []).append(score)
    return [sum(v) / len(v) if (v := sums.get(c)) else None for c in range(width)]


def _x_axis(start: _dt.date, end: _dt.date, width: int) -> tuple[list[Cell], list[Cell]]:
    """The axis line (a tick where a month begins) and the labels below it."""
    days = (end - start).days + 1
    axis: list[Cell] = [("─", LINE_STYLE)] * width
    labels: list[Cell] = [(" ", "")] * width
    put(labels, 0, _label(start))
    last = _label(end)
    put(labels, max(width - len(last), 0), last)
    for d in range(1, days):
        day = start + _dt.timedelta(days=d)
        if day.day == 1:
            col = d * width // days
            axis[col] = ("┴", LINE_STYLE)
            if col > 0 and labels[col - 1][0] == " ":
                put(labels, col, f"{day:%b} ")  # a space after: apart from the next
    return axis, labels


def health_lines(points: Sequence[tuple[_dt.date, int]], start: _dt.date, end: _dt.date,
                 width: int, amber: int = 50, green: int = 75,
                 rows: int = 8) -> list[Content]:
    """The chart of ``points`` (day, score 0-100) from ``start`` to ``end`` in ``width``
    columns and ``rows`` rows, with band lines at ``amber`` and ``green``."""
    names = NAMES if width >= AXIS + NAMES + 10 else 0
    plot = max(width - AXIS - names, 1)
    grid: list[list[Cell]] = [[(" ", "")] * plot for _ in range(rows)]
    thresholds = {row_of(t, 0, 100, rows): t for t in (amber, green) if 0 < t <= 100}
    for r in thresholds:
        grid[r] = [("┄", LINE_STYLE)] * plot
    for c, score in enumerate(columns(points, start, end, plot)):
        if score is None:
            continue
        r = row_of(score, 0, 100, rows)
        within = eighths_in_row(score, r, rows)
        grid[r][c] = (BLOCKS[within], BAND_STYLE[_band(score, amber, green)])
    left = {0: "100", **{r: str(t) for r, t in thresholds.items()}}
    right = _band_names(rows, amber, green)
    out = []
    for r in range(rows):
        tick = "┤" if r in left else "│"
        cells = text_cells(f"{left.get(r, ''):>3} {tick}", LINE_STYLE) + grid[r]
        if names and r in right:
            band = right[r]
            cells += text_cells(f" {band}", BAND_STYLE[band])
        out.append(line(cells))
    axis, labels = _x_axis(start, end, plot)
    out.append(line(text_cells("  0 └", LINE_STYLE) + axis))
    out.append(line(text_cells(" " * AXIS) + labels))
    return out


def eighths_in_row(score: float, row: int, rows: int) -> int:
    """How much (1-8 eighths) of its row a score fills (at least a sliver: it is there)."""
    step = 100 / rows
    bottom = (rows - 1 - row) * step
    return min(8, max(1, round((score - bottom) / step * 8)))


def _band_names(rows: int, amber: int, green: int) -> dict[int, str]:
    """The row each band's name stands on: the top row of the band's rows."""
    out: dict[int, str] = {}
    for band, top in (("green", 100), ("amber", green - 0.01), ("red", amber - 0.01)):
        if top < 0 or (band == "amber" and green <= amber):
            continue
        r = row_of(top, 0, 100, rows)
        if r not in out:
            out[r] = band
    return out


class HealthChart(Chart):
    """The health trend of one customer; ``show(points, start, end, amber, green)`` draws it."""

    def __init__(self, *, rows: int = 8, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows = rows
        self.points: list[tuple[_dt.date, int]] = []
        self.period = (_dt.date.today(), _dt.date.today())
        self.bands = (50, 75)

    def show(self, points: Sequence[tuple[_dt.date, int]], start: _dt.date, end: _dt.date,
             amber: int = 50, green: int = 75) -> None:
        """Draw ``points`` (day, score) over ``start``..``end`` with these band thresholds."""
        self.points, self.period, self.bands = list(points), (start, end), (amber, green)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        """The chart at ``width`` columns."""
        return health_lines(self.points, *self.period, width, *self.bands, rows=self.rows)
