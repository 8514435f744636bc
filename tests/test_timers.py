"""A timer due in the past fires at once instead of holding the event loop for ever."""

from __future__ import annotations

from textual.message_pump import MessagePump

from relboard.widgets import timers
from tests.pilot import make_app, settle


async def test_a_timer_set_in_the_past_fires_now(db, ctx):
    """The race behind a frozen run: a toast's notification expires between the rack's check
    and the toast's reading of its time left, and the toast sets a timer of a negative
    delay. Textual's timer loops for ever on one, holding the event loop."""
    app = make_app(ctx)
    fired: list[str] = []
    async with app.run_test() as pilot:
        await settle(pilot)
        timer = app.screen.set_timer(-0.25, lambda: fired.append("now"))
        interval = timer._interval  # what Textual's loop reads; negative, it spins
        if interval <= 0:
            timer.stop()  # before its loop runs: the test fails instead of freezing
        assert interval == timers.SOON
        await pilot.pause(0.1)
        assert fired == ["now"]
    timers.install()  # a second install changes nothing
    assert MessagePump.set_timer is timers._set_timer
