"""An open Portfolio is no load on a busy board: others' saves wait for the rest after each
computation (``widgets/one_at_a_time.py``), and figures kept with no save since are today's,
whoever worked them out (``portfolio_kept.current``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

import pytest
from textual.widgets import DataTable

from relboard import models as m
from relboard.services import portfolio, portfolio_kept, records
from relboard.widgets.one_at_a_time import OneAtATime
from relboard.widgets.paged_table import PagedTable
from tests import portfolio_data
from tests.conftest import NOW, at
from tests.pilot import SIZE, make_app, rows, settle, until


class _Timers:
    """A stand-in for ``set_timer``: what was scheduled, fired by hand."""

    def __init__(self) -> None:
        self.pending: list[list] = []

    def __call__(self, seconds: float, callback):
        timer = [seconds, callback, False]
        self.pending.append(timer)
        return type("Timer", (), {"stop": lambda _self: timer.__setitem__(2, True)})()

    def fire(self) -> None:
        due, self.pending = self.pending, []
        for _seconds, callback, stopped in due:
            if not stopped:
                callback()


def test_a_refresh_waits_for_the_rest_of_the_last_computation_and_starts_once():
    now = [100.0]
    timers = _Timers()
    work = OneAtATime(9.0, timers, clock=lambda: now[0])
    woken: list[str] = []
    assert work.ask("all")                      # opening: at once
    now[0] += 0.5                               # it took half a second
    assert work.ended("all") is None
    assert work.resting("all") == pytest.approx(4.5)
    for _ in range(5):                          # others save five times meanwhile
        assert not work.ask("all", refresh=True, later=lambda: woken.append("all"))
    assert [t[0] for t in timers.pending] == [pytest.approx(4.5)]  # one wake-up, not five
    now[0] += 4.5
    timers.fire()
    assert woken == ["all"] and work.resting("all") == 0
    assert work.ask("all", refresh=True, later=lambda: woken.append("again"))
    # another view has its own rest; the user's asking never waits
    assert work.ask("alice", refresh=True)


def test_the_user_asking_starts_at_once_and_the_wake_up_is_dropped():
    now = [0.0]
    timers = _Timers()
    work = OneAtATime(9.0, timers, clock=lambda: now[0])
    assert work.ask("all")
    now[0] = 1.0
    work.ended("all")
    assert not work.ask("all", refresh=True, later=lambda: pytest.fail("woken"))
    assert work.ask("all")                      # ctrl+r: now
    timers.fire()                               # the refresh's wake-up was stopped


@pytest.mark.parametrize("asks, again", [
    ([], None), ([True], True), ([True, True], True), ([False], False),
    ([True, False], False), ([False, True], False)])
def test_asked_again_while_it_runs_says_by_whom(asks, again):
    work = OneAtATime(9.0, _Timers(), clock=lambda: 0.0)
    assert work.ask("all")
    for refresh in asks:
        assert not work.ask("all", refresh=refresh, later=lambda: None)
    assert work.ended("all") is again
    assert work.ended("all") is None            # told once


def test_a_load_that_replaces_the_one_under_way_counts_from_its_own_start():
    now = [0.0]
    work = OneAtATime(9.0, _Timers(), clock=lambda: now[0])
    assert work.ask("list", refresh=True)
    assert not work.ask("list", refresh=True, later=lambda: None)  # a save meanwhile
    now[0] = 0.5
    work.start("list")                          # the user's load replaces it, and covers it
    now[0] = 0.6
    assert work.ended("list") is None           # nothing left to do after it
    assert work.resting("list") == pytest.approx(0.9)


def test_only_the_computation_started_last_is_current():
    """``M`` twice while the figures are worked out: the first answer for my view must not
    be shown (nor end anything), the last one's is."""
    work = OneAtATime()
    assert work.ask("mine")
    first = work.runs
    assert work.ask("all") and work.ask("mine")
    last = work.runs
    assert not work.current(first) and work.current(last)
    assert work.ended("mine") is None
    assert not work.current(last)  # ended: its answer was taken


def test_an_answer_shows_and_starts_what_was_asked_meanwhile_unless_replaced():
    work, shown, started = OneAtATime(), [], []
    assert work.ask("mine")
    stale = work.on_answer("mine", started.append)
    assert work.ask("all")
    answered = work.on_answer("all", started.append)
    assert not work.ask("all")                  # the user asks again while it runs
    stale(lambda: shown.append("mine"))         # the replaced one's answer: dropped
    answered(lambda: shown.append("all"))
    assert shown == ["all"] and started == [False]  # once more, at once


def test_without_a_rest_refreshes_start_at_once():
    work = OneAtATime()
    assert work.ask("all")
    work.ended("all")
    assert work.ask("all", refresh=True, later=lambda: pytest.fail("waited"))



@pytest.fixture
def seeded(db, ctx):
    return portfolio_data.seed(ctx)


def _counted(monkeypatch) -> list:
    calls: list = []
    real = portfolio.overview

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(portfolio, "overview", counted)
    return calls


def _risk(ctx, cid: int, title: str) -> None:
    records.create(ctx, "risk", {"customer": cid, "title": title, "likelihood": 5,
                                 "impact": 5, "owner": "alice",
                                 "review_on": portfolio_data.TODAY + dt.timedelta(days=9)})


@pytest.mark.both_databases
def test_figures_kept_with_no_save_since_are_todays_for_any_pm(seeded, ctx, monkeypatch):
    calls = _counted(monkeypatch)
    first = portfolio_kept.current(ctx)
    assert len(calls) == 1 and first.mark == m.Activity.select().count() > 0
    assert portfolio_kept.keep(ctx, None, first)
    bob = at(ctx, NOW + dt.timedelta(seconds=30), user="bob")  # another PM, half a minute on
    assert portfolio_kept.current(bob) == first and len(calls) == 1
    # a save since: worked out again, and counted
    _risk(bob, seeded["Redwood"], "Data loss")
    again = portfolio_kept.current(bob)
    assert len(calls) == 2 and again.figures.risks["red"] == 3 and again.mark > first.mark
    assert portfolio_kept.keep(bob, None, again)
    alice = at(ctx, NOW + dt.timedelta(seconds=40))
    assert portfolio_kept.current(alice).figures.risks["red"] == 3 and len(calls) == 2


@pytest.mark.both_databases
@pytest.mark.parametrize("when", [dt.timedelta(minutes=2), -dt.timedelta(seconds=5)],
                         ids=["a minute old", "from a clock ahead"])
def test_figures_too_old_or_from_ahead_are_worked_out_again(seeded, ctx, monkeypatch, when):
    kept = portfolio_kept.current(ctx)
    assert portfolio_kept.keep(ctx, None, kept)
    calls = _counted(monkeypatch)
    later = at(ctx, NOW + when)
    assert portfolio_kept.current(later).at == NOW + when and len(calls) == 1


@pytest.mark.both_databases
def test_other_settings_and_views_and_rows_without_a_mark_are_not_reused(seeded, ctx,
                                                                         monkeypatch):
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    calls = _counted(monkeypatch)
    portfolio_kept.current(ctx, "alice")        # my view: its own figures
    portfolio_kept.current(dataclasses.replace(ctx, cadence_days=3))  # other settings
    assert len(calls) == 2
    unmarked = dataclasses.replace(portfolio_kept.current(ctx, "alice"), mark=None)
    assert portfolio_kept.keep(ctx, "alice", unmarked)  # as an earlier version kept them
    assert portfolio_kept.latest(ctx, "alice") == unmarked
    portfolio_kept.current(ctx, "alice")
    assert len(calls) == 4


@pytest.mark.both_databases
def test_the_same_figures_after_a_save_keep_its_mark(seeded, ctx):
    kept = portfolio_kept.current(ctx)
    assert portfolio_kept.keep(ctx, None, kept)
    assert not portfolio_kept.keep(ctx, None, kept)     # the same again: no write
    records.create(ctx, "interaction", {"customer": seeded["Amberly"], "channel": "email",
                                        "summary": "Agenda sent", "occurred_at": NOW})
    moved = portfolio_kept.current(ctx)
    assert moved.mark > kept.mark
    assert portfolio_kept.keep(ctx, None, moved)        # so others can use them: written
    assert portfolio_kept.latest(ctx).mark == moved.mark


@pytest.mark.both_databases
@pytest.mark.parametrize("mark", ["7", True, -1, 2 ** 70, 1.5])
def test_a_row_with_a_mark_this_code_did_not_write_is_passed_over(seeded, ctx, mark):
    kept = portfolio_kept.current(ctx)
    assert portfolio_kept.keep(ctx, None, kept)
    key = portfolio_kept.key_of(ctx, None)
    row = m.Setting.get(m.Setting.key == key)
    data = json.loads(row.value)
    data["mark"] = mark
    m.Setting.update(value=json.dumps(data)).where(m.Setting.key == key).execute()
    assert portfolio_kept.latest(ctx) is None


def _slowed(monkeypatch, module, name: str) -> list[float]:
    """``module.name`` made 0.15 s slower for a first window (no ``after``) or a whole
    computation; the list gets the moment each such call started."""
    starts: list[float] = []
    real = getattr(module, name)

    def slow(*args, **kwargs):
        if kwargs.get("after") is None:
            starts.append(time.monotonic())
            time.sleep(0.15)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)
    return starts


async def _saves_meanwhile(pilot, ctx, customer: int, starts: list[float]) -> None:
    """Another PM saves a red risk every 0.3 s, eight times; then, once the screen has worked
    out what came after the last, each start came at least 1.35 s after the one before (its
    0.15 s and 9 times that) and at most four did (a poll a second would have made ~4 more)."""
    other = at(ctx, NOW, user="bob")
    for n in range(8):
        _risk(other, customer, f"Risk {n}")
        await pilot.pause(0.3)
    last_save = time.monotonic()
    assert await until(pilot, 30, lambda: starts[-1] > last_save - 0.3) is not None, starts
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps and min(gaps) >= 1.35 and len(starts) <= 4, starts


def red_risks(app) -> str:
    table = app.screen.query_one("#fig-risks", DataTable)
    return next(r[1] for r in rows(table) if r[0].startswith("● red"))


@pytest.mark.both_databases
async def test_others_saves_wait_for_the_rest_and_ctrl_r_does_not(seeded, ctx, monkeypatch):
    starts = _slowed(monkeypatch, portfolio_kept, "current")
    other = at(ctx, NOW, user="bob")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await until(pilot, 5, lambda: len(starts) == 1 and red_risks(app) == "2")
        await _saves_meanwhile(pilot, ctx, seeded["Redwood"], starts)
        assert await until(pilot, 5, lambda: red_risks(app) == "10") is not None  # the last
        before = len(starts)
        app.screen.figures_work.rest = 1000.0  # a refresh would now wait minutes ...
        _risk(other, seeded["Redwood"], "One more")
        await pilot.press("ctrl+r")           # ... the user asks: at once
        assert await until(pilot, 10, lambda: red_risks(app) == "11") is not None
        assert len(starts) == before + 1
        await pilot.press("ctrl+r", "ctrl+r")  # twice: the second once the first has ended
        assert await until(pilot, 10, lambda: len(starts) == before + 3) is not None
        assert starts[-1] - starts[-2] >= 0.15


@pytest.mark.both_databases
async def test_a_second_pm_opening_the_portfolio_works_nothing_out(seeded, ctx, monkeypatch):
    calls = _counted(monkeypatch)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert red_risks(app) == "2" and len(calls) == 1
    bob = make_app(at(ctx, NOW + dt.timedelta(seconds=20), user="bob"))
    async with bob.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert red_risks(bob) == "2"
        assert "figures of" not in str(bob.screen.query_one("#overview-summary").render())
    assert len(calls) == 1  # bob's figures are alice's, a moment old, with nothing saved since


@pytest.mark.both_databases
async def test_the_charts_wait_for_their_rest_too(seeded, ctx, monkeypatch):
    starts = _slowed(monkeypatch, portfolio, "over_time")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")
        assert await until(pilot, 5, lambda: len(starts) == 1) is not None
        await _saves_meanwhile(pilot, ctx, seeded["Redwood"], starts)
        await pilot.press("1")  # the figures: a refresh now leaves the charts stale ...
        _risk(at(ctx, NOW, user="bob"), seeded["Redwood"], "One more")
        assert await until(pilot, 5, lambda: red_risks(app) == "11") is not None
        await pilot.pause(1.5)
        count = len(starts)
        await pilot.press("2")  # ... and worked out when they are shown again
        assert await until(pilot, 10, lambda: len(starts) == count + 1) is not None


@pytest.mark.both_databases
async def test_a_list_worked_out_whole_rests_too_and_ctrl_r_does_not(seeded, ctx,
                                                                     monkeypatch):
    """Customers by health band (0.4 s at 1M records) and credibility per customer (0.7 s)
    are worked out whole: their live reloads rest as the Portfolio's do."""
    from relboard.screens import drilldown
    from relboard.services import portfolio_lists

    starts = _slowed(monkeypatch, portfolio_lists, "band_page")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        drilldown.open_band(app, "green", None)  # as enter on the Health figure's row
        assert await until(pilot, 5, lambda: len(starts) == 1) is not None
        await _saves_meanwhile(pilot, ctx, seeded["Redwood"], starts)
        count = len(starts)
        app.screen.query_one(PagedTable).live_work.rest = 1000.0  # refreshes wait minutes
        await pilot.press("ctrl+r")
        assert await until(pilot, 10, lambda: len(starts) == count + 1) is not None


@pytest.mark.both_databases
async def test_the_portfolio_under_a_list_works_nothing_out_until_back(seeded, ctx,
                                                                       monkeypatch):
    """Textual counts the screen just beneath the top one as current: the Portfolio under
    the list of one of its figures worked its figures out at every save."""
    from relboard.screens import drilldown

    calls = _counted(monkeypatch)
    other = at(ctx, NOW, user="bob")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert len(calls) == 1
        drilldown.open_band(app, "green", None)
        await settle(pilot)
        for n in range(3):  # others save while the list is on top: 3 polls see them
            _risk(other, seeded["Redwood"], f"Risk {n}")
            await pilot.pause(1.1)
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("escape")  # back: today's figures once, with the saves
        assert await until(pilot, 10, lambda: red_risks(app) == "5") is not None
        assert len(calls) >= 2  # (the poll, on top again, may see the saves once more)


@pytest.mark.both_databases
async def test_the_stakeholder_grid_rests_too_and_ctrl_r_does_not(seeded, ctx, monkeypatch):
    """The power/interest grid passes every stakeholder of its view (~0.3 s at 1M records):
    its live reloads rest as the lists' do; ``ctrl+r`` reads it at once."""
    from relboard.services import stakeholders

    starts = _slowed(monkeypatch, stakeholders, "power_interest_grid")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "G", "2")
        assert await until(pilot, 5, lambda: len(starts) == 1) is not None
        await _saves_meanwhile(pilot, ctx, seeded["Redwood"], starts)
        count = len(starts)
        app.screen.grid_work.rest = 1000.0  # refreshes now wait minutes ...
        await pilot.press("ctrl+r")         # ... the user asks: at once
        assert await until(pilot, 10, lambda: len(starts) == count + 1) is not None
        await pilot.press("ctrl+r", "ctrl+r")  # twice: the second once the first has ended
        assert await until(pilot, 10, lambda: len(starts) == count + 3) is not None
        assert starts[-1] - starts[-2] >= 0.15
