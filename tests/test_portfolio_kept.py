"""The Portfolio opens on the figures last worked out (``services/portfolio_kept.py``): kept on
the board a row per view and settings, read back whole or not at all, and shown at once with
their time while today's are worked out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading

import pytest
from textual.widgets import DataTable, Static

from relboard import models as m
from relboard.config import HealthConfig
from relboard.errors import BusyError
from relboard.screens.overview import OverviewScreen
from relboard.services import portfolio, portfolio_kept
from relboard.services.json_shapes import ShapeError, decode, encode
from relboard.services.portfolio import Overview
from relboard.widgets import live
from tests import portfolio_data
from tests.pilot import SIZE, make_app, rows, screen_text, settle, until

pytestmark = pytest.mark.both_databases


@pytest.fixture
def seeded(db, ctx):
    return portfolio_data.seed(ctx)


def _risk(ctx, cid: int, title: str) -> None:
    from relboard.services import records

    records.create(ctx, "risk", {"customer": cid, "title": title, "likelihood": 5,
                                 "impact": 5, "owner": "alice",
                                 "review_on": portfolio_data.TODAY + dt.timedelta(days=9)})


def test_the_figures_kept_are_read_back_as_they_were(seeded, ctx):
    assert portfolio_kept.latest(ctx) is None
    kept = portfolio_kept.current(ctx)
    assert kept.figures == portfolio.overview(ctx)
    assert portfolio_kept.keep(ctx, None, kept)
    back = portfolio_kept.latest(ctx)
    assert back == kept and back.figures.lowest == kept.figures.lowest
    assert back.figures.issues_where() == 4 and back.figures.risks["red"] == 2
    # another view, or other settings, make other figures: not these
    assert portfolio_kept.latest(ctx, "alice") is None
    weights = dataclasses.replace(ctx, health=HealthConfig(sentiment_days=10))
    assert portfolio_kept.latest(weights) is None
    assert portfolio_kept.keep(ctx, "alice", portfolio_kept.current(ctx, "alice"))
    assert portfolio_kept.latest(ctx, "alice").figures.risks["red"] == 2
    assert portfolio_kept.latest(ctx) == kept


def test_older_figures_never_replace_newer_ones(seeded, ctx):
    newer = portfolio_kept.current(ctx)
    assert portfolio_kept.keep(ctx, None, newer)
    _risk(ctx, seeded["Redwood"], "Data loss")
    older = dataclasses.replace(portfolio_kept.current(ctx), at=newer.at - dt.timedelta(minutes=5))
    assert older.figures.risks["red"] == 3
    assert not portfolio_kept.keep(ctx, None, older)
    assert portfolio_kept.latest(ctx) == newer
    later = dataclasses.replace(older, at=newer.at + dt.timedelta(minutes=5))
    assert portfolio_kept.keep(ctx, None, later)
    assert portfolio_kept.latest(ctx).figures.risks["red"] == 3


def _store(ctx, value: str) -> None:
    key = portfolio_kept.key_of(ctx, None)
    m.Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[m.Setting.key], update={m.Setting.value: value}).execute()


def _payload(ctx, change) -> str:
    data = {"at": "2026-11-23T09:00:00",
            "figures": encode(Overview, portfolio.overview(ctx))}
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("change", [
    lambda d: d.pop("at"),
    lambda d: d.update(at="yesterday"),
    lambda d: d["figures"].pop("loyalty"),                       # another version's shape
    lambda d: d["figures"].update(extra=1),
    lambda d: d["figures"]["bands"][0].update(customers="3"),    # a count as text
    lambda d: d["figures"]["bands"][0].update(customers=True),
    lambda d: d["figures"].update(issues={"critical": 1}),
    lambda d: d["figures"]["renewals"][0].update(last="2026-13-01"),
    lambda d: d["figures"]["lowest"][0]["health"].update(signals=[[1, 2]]),
    lambda d: d["figures"].update(stakeholders=[1]),
    # well typed, but no overview: each broke the screen's tables before it was refused
    lambda d: d["figures"]["bands"][0].update(band="purple"),
    lambda d: d["figures"]["bands"].pop(),
    lambda d: d["figures"].update(risks={}),
    lambda d: d["figures"]["stakeholders"].pop("with_gap"),
    lambda d: d["figures"]["stakeholders"].update(below="2"),
    lambda d: d["figures"]["bands"][0].update(customers=10 ** 400),
    lambda d: d["figures"]["satisfaction"]["nps"].update(score=10 ** 400),
    lambda d: d["figures"]["satisfaction"]["nps"].update(score=float("nan")),
    lambda d: d["figures"]["satisfaction"]["csat"].update(score=float("inf")),
    lambda d: d["figures"]["stakeholders"].update(largest=float("nan")),
    lambda d: d["figures"]["renewals"].append(d["figures"]["renewals"][0]),
    lambda d: d["figures"]["lowest"].append(d["figures"]["lowest"][0]),
    lambda d: d["figures"]["lowest"][0]["health"].update(band="x"),
    lambda d: d["figures"]["issues"].append([["urgent", "breached"], 1]),
], ids=["no time", "bad time", "field missing", "field more", "text count", "bool count",
        "grid as dict", "bad date", "bad signal", "dict as list", "no band", "a band short",
        "no risks", "a gap missing", "a gap as text", "huge count", "huge score", "NaN score",
        "infinite score", "NaN in Any", "a quarter twice", "a customer twice",
        "a lowest band unknown", "a severity unknown"])
def test_a_row_this_code_did_not_write_is_passed_over_and_written_over(seeded, ctx, change):
    _store(ctx, _payload(ctx, lambda d: None))
    assert portfolio_kept.latest(ctx) is not None
    _store(ctx, _payload(ctx, change))
    assert portfolio_kept.latest(ctx) is None
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    assert portfolio_kept.latest(ctx) is not None


def test_figures_stamped_from_a_clock_far_ahead_do_not_lock_the_row(seeded, ctx):
    kept = portfolio_kept.current(ctx)
    ahead = dataclasses.replace(kept, at=kept.at + dt.timedelta(days=400))
    assert portfolio_kept.keep(ctx, None, ahead)
    assert portfolio_kept.keep(ctx, None, kept)   # far ahead: wrong, written over
    assert portfolio_kept.latest(ctx) == kept
    soon = dataclasses.replace(kept, at=kept.at + dt.timedelta(minutes=5))
    _risk(ctx, seeded["Redwood"], "Data loss")
    assert portfolio_kept.keep(ctx, None, dataclasses.replace(soon, figures=portfolio.overview(
        ctx)))
    assert not portfolio_kept.keep(ctx, None, kept)  # a moment older: newer ones stay
    # a stamp with an offset is read as the moment it names
    _store(ctx, _payload(ctx, lambda d: d.update(at="2026-11-23T11:30:00+02:00")))
    assert portfolio_kept.latest(ctx).at == dt.datetime(2026, 11, 23, 9, 30)


def test_the_same_figures_are_not_written_again_for_a_while(seeded, ctx):
    kept = portfolio_kept.current(ctx)
    assert portfolio_kept.keep(ctx, None, kept)
    moment = dataclasses.replace(kept, at=kept.at + dt.timedelta(minutes=9))
    assert not portfolio_kept.keep(ctx, None, moment)
    assert portfolio_kept.latest(ctx).at == kept.at
    later = dataclasses.replace(kept, at=kept.at + dt.timedelta(minutes=11))
    assert portfolio_kept.keep(ctx, None, later)
    assert portfolio_kept.latest(ctx).at == later.at


def test_each_zone_and_pinned_day_keeps_its_own_figures(ctx):
    def zone(hours: int) -> dt.tzinfo:
        return dt.timezone(dt.timedelta(hours=hours), "localtime")  # as a system zone is named

    berlin = dataclasses.replace(ctx, zone=zone(1))
    assert portfolio_kept.key_of(berlin, None) == portfolio_kept.key_of(
        dataclasses.replace(ctx, zone=zone(1)), None)
    assert portfolio_kept.key_of(berlin, None) != portfolio_kept.key_of(
        dataclasses.replace(ctx, zone=zone(-5)), None)
    pinned = dataclasses.replace(ctx, today_override=dt.date(2027, 1, 4))
    assert portfolio_kept.key_of(pinned, None) != portfolio_kept.key_of(ctx, None)
    assert len(portfolio_kept.key_of(ctx, "x" * 64)) <= 64


@pytest.mark.parametrize("raw", ["", "not json", "[]", "null", '{"at": 3}',
                                 "[" * 5000 + "]" * 5000])
def test_a_damaged_row_is_passed_over(seeded, ctx, raw):
    _store(ctx, raw)
    assert portfolio_kept.latest(ctx) is None
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))  # and written over
    assert portfolio_kept.latest(ctx) is not None


def test_the_codec_refuses_what_it_cannot_read():
    with pytest.raises(ShapeError):
        decode(dict[tuple[str, str], int], [["a", "b", "c"]])
    assert decode(dict[tuple[str, str], int], [[["a", "b"], 2]]) == {("a", "b"): 2}
    assert decode(float | None, 3) == 3.0 and decode(float | None, None) is None
    pairs = {(dt.date(2026, 11, 23), 2): [(1.5, None)]}
    hint = dict[tuple[dt.date, int], list[tuple[float, str | None]]]
    assert decode(hint, json.loads(json.dumps(encode(hint, pairs)))) == pairs


def test_a_database_that_cannot_take_them_keeps_nothing_and_raises_nothing(seeded, ctx,
                                                                        monkeypatch):
    def busy(fn, attempts=0):
        raise BusyError("the database is busy")

    monkeypatch.setattr(portfolio_kept, "write", busy)
    assert not portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    assert portfolio_kept.latest(ctx) is None


def test_kept_rows_stay_few_when_settings_change_often(seeded, ctx, monkeypatch):
    monkeypatch.setattr(portfolio_kept, "KEPT_AT_MOST", 3)
    kept = portfolio_kept.current(ctx)
    for days in range(1, 6):
        assert portfolio_kept.keep(dataclasses.replace(ctx, cadence_days=days), None, kept)
    m.Setting.insert(key="sla_clocks", value="x").on_conflict(
        conflict_target=[m.Setting.key], update={m.Setting.value: "x"}).execute()
    keys = [k for (k,) in m.Setting.select(m.Setting.key).tuples()]
    assert "sla_clocks" in keys
    assert 1 <= sum(k.startswith(portfolio_kept.PREFIX) for k in keys) <= 3
    assert portfolio_kept.latest(dataclasses.replace(ctx, cadence_days=5)) == kept


def summary(app) -> str:
    return str(app.screen.query_one("#overview-summary", Static).render())


def red_risks(app) -> str:
    table = app.screen.query_one("#fig-risks", DataTable)
    return next(r[1] for r in rows(table) if r[0].startswith("● red"))


async def test_the_portfolio_opens_on_the_figures_kept_while_todays_are_worked_out(
        seeded, ctx, monkeypatch):
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))  # another PM's opening
    _risk(ctx, seeded["Redwood"], "Data loss")                          # then a change
    release = threading.Event()
    worked_out = portfolio_kept.current

    def slow(*args, **kwargs):
        assert release.wait(10)
        return worked_out(*args, **kwargs)

    monkeypatch.setattr(portfolio_kept, "current", slow)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        assert await until_shown(pilot, app, lambda: "figures of" in summary(app))
        assert isinstance(app.screen, OverviewScreen)
        assert "figures of 10:00, today's on their way" in summary(app)
        assert "2 red risks" in summary(app) and red_risks(app) == "2"
        release.set()
        assert await until(pilot, 5, lambda: "figures of" not in summary(app)) is not None
        assert "3 red risks" in summary(app) and red_risks(app) == "3"
        assert "enter opens a figure's records" in summary(app)
    # what it worked out is kept for the next opening, and is no step to undo
    assert portfolio_kept.latest(ctx).figures.risks["red"] == 3
    assert len(app.journal) == 0


async def until_shown(pilot, app, condition, seconds: float = 5) -> bool:
    """Wait for ``condition`` without waiting for the workers (one is held on purpose)."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return True
    return False


async def test_figures_of_another_day_say_their_day_and_a_failure_leaves_them(
        seeded, ctx, monkeypatch):
    kept = portfolio_kept.current(ctx)
    earlier = dataclasses.replace(kept, at=kept.at - dt.timedelta(days=3))
    assert portfolio_kept.keep(ctx, None, earlier)

    def gone(*args, **kwargs):
        raise BusyError("the database is busy (another user is writing); nothing was saved")

    monkeypatch.setattr(portfolio_kept, "current", gone)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert summary(app).endswith("figures of 20 Nov 10:00")  # no longer "on their way"
        assert red_risks(app) == "2"
    assert portfolio_kept.latest(ctx) == earlier


async def test_the_first_opening_keeps_the_figures_and_a_viewer_keeps_none(seeded, ctx):
    app = make_app(ctx, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert red_risks(app) == "2" and "figures of" not in summary(app)
    assert portfolio_kept.latest(ctx) is None
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert red_risks(app) == "2"
        await pilot.press("M")  # my view is kept apart
        await settle(pilot)
    assert portfolio_kept.latest(ctx).figures == portfolio.overview(ctx)
    assert portfolio_kept.latest(ctx, ctx.user).figures == portfolio.overview(ctx, ctx.user)


@pytest.mark.sqlite_only
def test_a_board_opened_read_only_keeps_nothing(seeded, ctx, db_spec):
    from relboard.db import close_database, open_database

    kept = portfolio_kept.current(ctx)
    close_database()
    open_database(db_spec, read_only=True)
    assert not portfolio_kept.keep(ctx, None, kept)
    assert portfolio_kept.latest(ctx) is None


def _held(monkeypatch, name: str, free: int = 0, module=portfolio_kept
          ) -> tuple[threading.Event, list]:
    """``module.<name>`` held (after its first ``free`` calls) until the returned event is
    set; the list gets each call's arguments after the first (the context)."""
    release = threading.Event()
    real = getattr(module, name)
    calls: list = []

    def held(*args, **kwargs):
        calls.append(args[1:])
        if len(calls) > free:
            assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return release, calls


async def test_kept_figures_coming_after_todays_are_not_drawn(seeded, ctx, monkeypatch):
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    _risk(ctx, seeded["Redwood"], "Data loss")
    release, _ = _held(monkeypatch, "latest")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await until_shown(pilot, app, lambda: "3 red risks" in summary(app))
        release.set()
        await settle(pilot)
        assert red_risks(app) == "3" and "figures of" not in summary(app)


async def test_my_view_and_back_while_todays_are_worked_out(seeded, ctx, monkeypatch):
    assert portfolio_kept.keep(ctx, None, portfolio_kept.current(ctx))
    assert portfolio_kept.keep(ctx, "alice", portfolio_kept.current(ctx, "alice"))
    release, _ = _held(monkeypatch, "current", free=1)  # everyone's today's come, then none
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await until_shown(pilot, app, lambda: "records" in summary(app))
        assert summary(app).startswith("3 customers")
        await pilot.press("M")  # alice's kept: Redwood and Greenfield
        assert await until_shown(pilot, app, lambda: summary(app).startswith("2 customers"))
        title = app.screen.query_one("#overview-title", Static)
        assert "my view" in str(title.render())
        await pilot.press("M")  # everyone's again: their kept figures, not alice's
        assert await until_shown(pilot, app, lambda: summary(app).startswith("3 customers"))
        assert "everyone's" in str(title.render())
        assert "today's on their way" in summary(app)
        release.set()
        assert await until(pilot, 5, lambda: "figures of" not in summary(app)) is not None
        assert summary(app).startswith("3 customers") and "everyone's" in str(title.render())


async def test_refreshes_while_the_figures_are_worked_out_wait_for_them(seeded, ctx,
                                                                        monkeypatch):
    release, started = _held(monkeypatch, "current")
    monkeypatch.setattr(live, "POLL_SECONDS", 3600)  # the loads below are the refreshes
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await until_shown(pilot, app, lambda: len(started) == 1)
        _risk(ctx, seeded["Redwood"], "Data loss")  # another PM saves, twice: two refreshes
        app.screen.load()
        app.screen.load()
        await pilot.pause(0.2)
        assert len(started) == 1  # the one under way is not dropped for a new one
        release.set()
        assert await until(pilot, 5, lambda: "3 red risks" in summary(app)) is not None
        assert len(started) == 2  # then once more, for what was saved meanwhile
        assert red_risks(app) == "3"


async def test_refreshes_while_the_charts_are_worked_out_wait_for_them(seeded, ctx,
                                                                      monkeypatch):
    release, started = _held(monkeypatch, "over_time", module=portfolio)
    monkeypatch.setattr(live, "POLL_SECONDS", 3600)  # the loads below are the refreshes
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")
        assert await until_shown(pilot, app, lambda: len(started) == 1)
        app.screen.load()
        app.screen.load()
        await pilot.pause(0.2)
        assert len(started) == 1  # the charts under way are not dropped for new ones
        release.set()
        assert await until(pilot, 5, lambda: len(started) == 2
                           and not app.screen.query_one("#overview-trends").loading) is not None
        assert "Customers per health band, by week (Mon-Sun)" in screen_text(app)
        assert app.screen.query_one("#chart-bands").weeks  # drawn from what was worked out
