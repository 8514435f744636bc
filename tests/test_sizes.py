"""Every list screen at 70x20, 80x24, 160x48 and 240x60 on the sample portfolio: no column is
cut while another has room to give, and what issue 21 found cut or run together at the wide
sizes is whole; the footer shows more keys on a wide terminal."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from relboard.screens import REGISTRY
from relboard.widgets.column_fit import cell_width
from relboard.widgets.footer import BoardFooter
from tests.pilot import footer_text, make_app, settle

SIZES = [(70, 20), (80, 24), (160, 48), (240, 60)]
IDS = [f"{w}x{h}" for w, h in SIZES]

OPEN = {
    "customers": ("c",), "expectations": ("e",), "issues": ("i",), "portfolio": ("p",),
    "risks": ("K",), "decisions": ("D",), "snoozed": ("Z",),
    "stakeholder_map": ("p", "G"), "breakdown": ("p", "down", "enter"),
    "customer": ("c", "enter"), "issue": ("i", "enter"), "help": ("i", "question_mark"),
}
"""The keys from Today that open each list screen of the registry."""
NO_LIST = {"today", "expectation", "touchpoint", "brief", "status_update", "search"}
"""Screens of the registry without a table of records (Today is a list of two-line items)."""


def test_every_screen_of_the_registry_is_visited_or_has_no_list():
    assert {entry.name for entry in REGISTRY} == set(OPEN) | NO_LIST


def _tables(app) -> list[DataTable]:
    return [t for t in app.screen.query(DataTable)
            if t.region.width > 0 and t.display and t.row_count]


def _problems(table: DataTable) -> list[str]:
    """A column cut (its longest value wider than it) while another has room to give (wider
    than its longest value and a space): each such pair, in words."""
    longest = {}
    for key, column in table.columns.items():
        values = [cell_width(v) for v in table.get_column(key)]
        longest[key] = max([cell_width(column.label), *values])
    cut = [k.value for k, c in table.columns.items() if longest[k] > c.width]
    spare = [k.value for k, c in table.columns.items() if c.width > longest[k] + 1]
    return [f"{table.id}: {c} cut while {s} has room" for c in cut for s in spare]


async def _go(pilot, keys) -> None:
    await pilot.press("t")  # a mode key closes what was opened on top
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_no_column_is_cut_while_another_has_room(sample, size):
    app = make_app(sample)
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for name, keys in OPEN.items():
            await _go(pilot, keys)
            tabs = ("overview",)
            if name == "customer":
                from relboard.screens.customer import TABS

                tabs = TABS
            for tab in tabs:
                if name == "customer":
                    app.screen.action_tab(tab)
                    await settle(pilot)
                tables = _tables(app)
                assert tables or name in ("snoozed", "customer"), (name, tab)
                problems += [f"{name}/{tab} {p}" for t in tables for p in _problems(t)]
            if name == "help":
                await pilot.press("escape")
                await settle(pilot)
            else:  # the essential keys are whole at every size
                footer = footer_text(app)
                problems += [f"{name}: footer {footer!r}" for word in ("? Help", "q Quit")
                             if word not in footer]
    assert not problems, "\n".join(problems)


def _screen(app) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


def _column(table: DataTable, key: str) -> list[str]:
    return [str(v) for v in table.get_column(key)]


@pytest.mark.parametrize("size", [(160, 48), (240, 60)], ids=["160x48", "240x60"])
async def test_what_was_cut_at_wide_sizes_is_whole(sample, size):
    """Risk status (``mitigating``), the decision log's "Took part" and the portfolio's
    lowest health (a name, a space, its score) at 160 and 240 columns."""
    app = make_app(sample)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _go(pilot, ("K", "f", "f"))  # open statuses -> open -> mitigating
        table = app.screen.query_one(DataTable)
        assert table.row_count and set(_column(table, "status")) == {"mitigating"}
        assert "mitigating" in _screen(app) and "mitigati…" not in _screen(app)
        await _go(pilot, ("D",))
        table = app.screen.query_one(DataTable)
        people = table.columns[next(k for k in table.columns if k.value == "people")]
        assert max(len(p) for p in _column(table, "people")) <= people.width
        await _go(pilot, ("p",))
        lowest = app.screen.query_one("#fig-lowest", DataTable)
        name = lowest.ordered_columns[0]
        names = [str(v) for v in lowest.get_column(name.key)]
        assert names and max(len(n) for n in names) < name.width  # a space before the score
        assert all(f"{n} " in _screen(app) for n in names)


async def test_a_wide_footer_shows_more_keys(sample):
    """The queue's footer: the shown keys at 80 columns; at 240 also the keys bound with
    show=False (sort, new...), help and quit still last."""
    counts = {}
    for size in ((80, 24), (240, 60)):
        app = make_app(sample)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await _go(pilot, ("i",))
            line = footer_text(app).rstrip()
            counts[size] = len(app.screen.query_one(BoardFooter)._spans)
            assert "…" not in line
            if size == (240, 60):
                assert "n New" in line and "s Sort" in line and "i Issues" not in line, line
                assert line.index("q Quit") > line.index("? Help") > line.index("s Sort")
    assert counts[(240, 60)] > counts[(80, 24)] + 5


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_help_fits_the_terminal_under_its_title(sample, size):
    """The key table and its title (78 x 24 where there is room, as before) keep their
    borders and title line inside a 70x20 terminal, the keys scrolled inside."""
    app = make_app(sample)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        box = app.screen.query_one("#help-box").region
        width, height = size
        assert box.x >= 0 and box.y >= 1 and box.right <= width and box.bottom <= height, box
        title = _screen(app).splitlines()[box.y - 1][box.x:box.right]
        assert title.strip().startswith("Keys here"), title


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_a_touchpoints_whole_text_fits_the_terminal(sample, size):
    """The touchpoint's box (76 columns where there is room) stays inside a 70-column
    terminal, its text wrapped inside the borders rather than cut at the edge."""
    app = make_app(sample)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _go(pilot, ("c", "enter", "2", "enter"))
        box = app.screen.query_one("#touchpoint-box").region
        width, height = size
        assert box.x >= 0 and box.y >= 0 and box.right <= width and box.bottom <= height, box
        assert "esc closes" in _screen(app)
