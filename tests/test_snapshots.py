"""Layout at 80x24 with a fixed "today" and fixed column widths: Today, the queue, a profile."""

from __future__ import annotations

import pytest

from relboard.services import lookups
from relboard.services.sample import load_sample
from tests.pilot import SIZE, make_app, settle


@pytest.fixture
def board(db, ctx):
    load_sample(ctx)
    return make_app(ctx)


def test_today(board, snap_compare):
    assert snap_compare(board, terminal_size=SIZE, run_before=settle)


async def _queue(pilot) -> None:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)


def test_issue_queue(board, snap_compare):
    assert snap_compare(board, terminal_size=SIZE, run_before=_queue)


def _profile(*keys: str):
    """Open Harbourline's profile, then press ``keys``."""
    async def run_before(pilot):
        (name, customer_id), = lookups.customer_choices("Harbourline")
        await settle(pilot)
        pilot.app.open_customer(customer_id)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)

    return run_before


def test_customer_profile(board, snap_compare):
    assert snap_compare(board, terminal_size=SIZE, run_before=_profile())


def test_customer_health_tab(board, snap_compare):
    assert snap_compare(board, terminal_size=SIZE, run_before=_profile("6"))


@pytest.fixture
def portfolio_board(db, ctx):
    from tests import portfolio_data

    portfolio_data.seed(ctx)
    return make_app(ctx)


def _overview(keys: tuple[str, ...] = ()):
    async def run_before(pilot):
        await settle(pilot)
        for key in ("p", *keys):
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_portfolio_overview(portfolio_board, snap_compare):
    assert snap_compare(portfolio_board, terminal_size=SIZE, run_before=_overview())


def test_portfolio_overview_wide(portfolio_board, snap_compare):
    assert snap_compare(portfolio_board, terminal_size=(160, 48), run_before=_overview())


def test_portfolio_trends(portfolio_board, snap_compare):
    assert snap_compare(portfolio_board, terminal_size=SIZE, run_before=_overview(("2",)))


def test_power_interest_grid(portfolio_board, snap_compare):
    assert snap_compare(portfolio_board, terminal_size=SIZE, run_before=_overview(("G", "2")))


@pytest.mark.parametrize("size", [(70, 20), (160, 48)], ids=["70x20", "160x48"])
def test_issue_queue_at_the_edges(board, snap_compare, size):
    """The queue at the smallest and a wide size: the title column takes what is left."""
    assert snap_compare(board, terminal_size=size, run_before=_queue)


@pytest.mark.parametrize("size", [(70, 20), (160, 48)], ids=["70x20", "160x48"])
def test_today_at_the_edges(board, snap_compare, size):
    assert snap_compare(board, terminal_size=size, run_before=settle)


def test_a_form_at_70x20_scrolls_to_save(board, snap_compare):
    """The touchpoint form at 70x20, scrolled to its end: Save and Cancel are on screen."""
    assert snap_compare(board, terminal_size=(70, 20), run_before=_profile("l", *["tab"] * 12))
