"""The portfolio overview's charts: customers per health band per week as stacked columns,
and NPS and CSAT per month as columns with their score and answers beneath.

Each takes plain data (``services.trends``: ``WeekBands``, ``MonthSatisfaction``) and shows
the last weeks or months that fit the width. Bands differ by character (█ red, ▓ amber,
░ green) as well as colour, and the exact counts stand under the columns (a band too small
for a whole row still has its count). A week without any snapshot reads "n/a".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content

from relboard.text import short_count
from relboard.widgets.bands import BAND_STYLE
from relboard.widgets.chart import BLOCKS, Cell, Chart, eighths, line, text_cells, wrapped

BAND_GLYPH = {"red": "█", "amber": "▓", "green": "░"}
"""A band's fill in the weekly columns: told by character, not by colour alone."""
BANDS = ("red", "amber", "green")
WEEK_GUTTER = 9
"""Columns left of the weekly columns: "░ green " and the axis."""
WEEK_SLOT = 4
"""Columns per week: a gap and a column 3 wide."""
MONTH_GUTTER = 10
MONTH_SLOT = 6
DIM = "dim"


def _count(n: int) -> str:
    """A week's count in its column (3 wide; "36k" on a large board), "·" for none."""
    return short_count(n, WEEK_SLOT - 1) if n else "·"


def _stack(week: Any, top: int, rows: int) -> list[str | None]:
    """A week's column bottom up: the band of each row (None: empty), red at the bottom."""
    if not week.total or not top:
        return [None] * rows
    cum, edges = 0, []
    for band in BANDS:
        cum += getattr(week, band)
        edges.append(round(cum * rows / top))
    edges[-1] = max(edges[-1], 1)  # a week with customers shows at least a row
    return [next((b for b, e in zip(BANDS, edges, strict=True) if k < e), None)
            for k in range(rows)]


def band_week_lines(weeks: Sequence[Any], width: int, rows: int = 6) -> list[Content]:
    """Stacked columns of customers per band for the last ``weeks`` that fit ``width``, with
    the week numbers and the counts of each band beneath."""
    known = list(weeks)
    while known and not known[0].total:  # before the first snapshot: no history, not a gap
        known.pop(0)
    shown = known[-max((width - WEEK_GUTTER) // WEEK_SLOT, 1):]
    top = max((w.total for w in shown), default=0)
    if not shown:
        return wrapped("Customers per health band, by week: no health snapshots yet (the "
                       "board takes one a day when it opens)", width, "bold")
    first = shown[0].start
    out = wrapped(f"Customers per health band, by week (Mon-Sun), from {first:%b} "
                  f"{first.day}, {first.year}", width, "bold")
    out += wrapped("each customer's latest snapshot that week · n/a: no snapshot", width, DIM)
    stacks = [_stack(w, top, rows) for w in shown]
    for r in range(rows):  # top row first
        k = rows - 1 - r
        label = str(top) if r == 0 else ""
        cells: list[Cell] = text_cells(f"{label:>7} " + ("┤" if r == 0 else "│"), DIM)
        for w, stack in zip(shown, stacks, strict=True):
            band = stack[k]
            if band is not None:
                cells += [(" ", "")] + [(BAND_GLYPH[band], BAND_STYLE[band])] * 3
            elif k == 0 and not w.total:
                cells += text_cells(" n/a", DIM)
            else:
                cells += [(" ", "")] * WEEK_SLOT
        out.append(line(cells))
    out.append(line(text_cells("      0 └" + "─" * (WEEK_SLOT * len(shown)), DIM)))
    out.append(line(text_cells("   week  " + "".join(
        f"{w.start.isocalendar()[1]:>{WEEK_SLOT}}" for w in shown), DIM)))
    for band in BANDS:
        cells = text_cells(f"{BAND_GLYPH[band]} {band:<6} ", BAND_STYLE[band])
        cells += text_cells("".join(f"{_count(getattr(w, band)):>{WEEK_SLOT}}"
                                    for w in shown))
        out.append(line(cells))
    return out


def _figure_rows(values: Sequence[Any], lo: int, hi: int, rows: int,
                 zero: int | None) -> list[list[Cell]]:
    """Columns (3 wide, in slots of MONTH_SLOT) of each figure's score on ``lo``..``hi``,
    filled from the bottom, top row first; a dotted line at ``zero`` where nothing is."""
    grid: list[list[Cell]] = []
    zero_row = None if zero is None else rows - 1 - min(rows - 1, int(
        (zero - lo) * rows / (hi - lo)))
    for r in range(rows):
        k = rows - 1 - r
        cells: list[Cell] = []
        for fig in values:
            fill = " "
            if fig.score is not None:
                level = max(eighths(fig.score, lo, hi, rows), 1) - 8 * k
                fill = BLOCKS[min(max(level, 0), 8)]
            back = "┄" if r == zero_row else " "
            style = "bold" if fill != " " else DIM
            cells += [(back, DIM)] * 2 + [(fill if fill != " " else back, style)] * 3
            cells.append((back, DIM))
        grid.append(cells)
    return grid


def _figure_block(name: str, values: Sequence[Any], scale: tuple[str, str, str],
                  lo: int, hi: int, rows: int, zero: int | None,
                  shown: Any) -> list[Content]:
    """One figure's columns with its score and answers beneath each month."""
    out = []
    grid = _figure_rows(values, lo, hi, rows, zero)
    zero_row = None if zero is None else rows - 1 - min(rows - 1, int(
        (zero - lo) * rows / (hi - lo)))
    for r, cells in enumerate(grid):
        label = scale[0] if r == 0 else scale[2] if r == rows - 1 else \
            scale[1] if r == zero_row else ""
        head = f"{name if r == 0 else '':<4}{label:>5}" + ("┤" if label else "│")
        out.append(line(text_cells(head, "bold" if r == 0 else DIM) + cells))
    out.append(line(text_cells(f"{'score':>9} ", DIM) + text_cells("".join(
        f"{shown(fig):>{MONTH_SLOT - 1}} " for fig in values), "bold")))
    out.append(line(text_cells(f"{'answers':>9} ", DIM) + text_cells("".join(
        f"{'n=' + short_count(fig.answers, MONTH_SLOT - 3):>{MONTH_SLOT - 1}} "
        for fig in values))))
    return out


def satisfaction_month_lines(months: Sequence[Any], width: int,
                             rows: int = 4) -> list[Content]:
    """NPS (-100..+100, a dotted line at 0) and CSAT (0-100%) per month for the last months
    that fit ``width``: a column per month, the score and the answers (n=) beneath."""
    shown = list(months)[-max((width - MONTH_GUTTER) // MONTH_SLOT, 1):]
    years = "-".join(str(y) for y in sorted({mo.month.year for mo in shown}))
    out = wrapped(f"NPS and CSAT per month {years}: the answers received that month", width,
                  "bold")
    out.append(line(text_cells(" " * MONTH_GUTTER + "".join(
        f"{mo.month:%b}".rjust(MONTH_SLOT - 1) + " " for mo in shown), DIM)))
    out += _figure_block("NPS", [mo.nps for mo in shown], ("+100", "0", "-100"), -100, 100,
                         rows, 0, lambda f: "·" if f.score is None else f"{f.score:+.0f}")
    out += _figure_block("CSAT", [mo.csat for mo in shown], ("100%", "", "0%"), 0, 100,
                         rows, None, lambda f: "·" if f.score is None else f"{f.score:.0f}%")
    return out


class BandWeeksChart(Chart):
    """Customers per band per week; ``show(weeks)`` draws them."""

    weeks: Sequence[Any] = ()

    def show(self, weeks: Sequence[Any]) -> None:
        """Draw ``weeks`` (``trends.WeekBands``, oldest first)."""
        self.weeks = list(weeks)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        """The chart at ``width`` columns."""
        return band_week_lines(self.weeks, width)


class SatisfactionMonthsChart(Chart):
    """NPS and CSAT per month; ``show(months)`` draws them."""

    months: Sequence[Any] = ()

    def show(self, months: Sequence[Any]) -> None:
        """Draw ``months`` (``trends.MonthSatisfaction``, oldest first)."""
        self.months = list(months)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        """The chart at ``width`` columns."""
        return satisfaction_month_lines(self.months, width)
