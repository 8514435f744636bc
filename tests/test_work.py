"""One way to run work (``ServiceCaller.call_service``): a read that fails is said in one
line and never leaves "Loading…" for good; a worker that fails unexpectedly is said in one line
and the board goes on."""

from __future__ import annotations

from peewee import OperationalError
from textual.widgets import Static

from tests import factories as f
from tests.test_board import SIZE, make_app, settle
from tests.test_board_writes import watch_notices


def _one_line(notices: list[tuple[str, dict]]) -> list[str]:
    texts = [text for text, _ in notices]
    assert all("\n" not in t and "Traceback" not in t for t in texts), texts
    return texts


async def test_a_touchpoint_that_cannot_be_shown_says_so_and_never_stays_loading(
        db, ctx, monkeypatch):
    from relboard.screens.touchpoint import TouchpointScreen

    cid = f.customer(ctx, "Shown Co")
    tid = f.touchpoint(ctx, cid, summary="A call")

    def broken(self, row, people):
        raise KeyError("channel")

    monkeypatch.setattr(TouchpointScreen, "_show", broken)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        screen = TouchpointScreen(tid)
        app.push_screen(screen)
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert any("channel" in t for t in texts), texts
        shown = str(screen.query_one("#touchpoint-text", Static).content)
        assert "Loading" not in shown and "channel" in shown


async def test_a_decision_that_cannot_be_read_is_said_in_one_line(db, ctx, monkeypatch):
    from relboard.screens.decisions import DecisionLogScreen
    from relboard.services import decisions

    cid = f.customer(ctx, "Decided Co")
    decisions.create(ctx, {"customer": cid, "title": "Phase the rollout",
                           "decided_on": ctx.today()})

    def unreadable(decision_id):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(decisions, "decision", unreadable)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        screen = DecisionLogScreen()
        app.push_screen(screen)
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert any("disk I/O error" in t or "damaged" in t or "read" in t for t in texts), texts
        assert str(screen.query_one("#list-detail", Static).content) in texts


async def test_a_worker_that_fails_is_said_in_one_line_and_the_board_goes_on(db, ctx):
    f.customer(ctx, "Busy Co")
    app = make_app(ctx)

    def boom() -> None:
        raise ValueError("nobody expected this\nsecond line")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = watch_notices(app)
        app.screen.run_worker(boom, thread=True, exit_on_error=False)  # a screen's worker
        await settle(pilot)
        app.run_worker(boom, thread=True, exit_on_error=False)  # the app's own
        await settle(pilot)
        assert app.is_running
        texts = _one_line(notices)
        assert [t for t in texts if "nobody expected this" in t] and len(texts) == 2, texts
        await pilot.press("i")  # the board still answers keys
        await settle(pilot)
        assert type(app.screen).__name__ == "IssuesScreen"
