"""Typed characters that arrive together go into a form field as one insert (an unbracketed
paste of 20,000 characters is one key event per character), in the order typed, and every
read of the form sees them."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual import events
from textual.keys import _character_to_key

from relboard.screens.touchpoint_form import TouchpointForm
from tests import factories as f
from tests.pilot import SIZE, make_app, settle


def keys(text: str) -> list[events.Key]:
    return [events.Key(_character_to_key(c), c) for c in text]


async def open_form(app, pilot, customer_id: int):
    await settle(pilot)
    app.push_screen(TouchpointForm(customer_id))
    await settle(pilot)
    return app.screen


@pytest.fixture
def customer(db, ctx):
    return f.customer(ctx)


async def test_keys_arriving_together_keep_their_order_with_pastes_and_new_lines(customer,
                                                                                 ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, customer)
        summary = form.field("summary")
        assert app.focused is summary
        for event in [*keys("ab"), events.Paste("[pasted]"), *keys("c"),
                      events.Key("enter", "\r"), *keys("second line")]:
            app.post_message(event)
        await settle(pilot)
        assert summary.text == "ab[pasted]c\nsecond line"
        assert form.collect()["summary"] == "ab[pasted]c\nsecond line"
        form.field("occurred_at").focus()
        await settle(pilot)
        for event in [*keys("2026-11-"), events.Paste("22"), *keys(" 10:00")]:
            app.post_message(event)
        await settle(pilot)
        assert form.field("occurred_at").value == "2026-11-22 10:00"


async def test_a_form_read_sees_characters_still_waiting(customer, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, customer)
        summary = form.field("summary")
        for character in "Quick note":  # as the app hands them over, before any flush ran
            summary.queue_typed(character)
        assert form.changed and form.collect()["summary"] == "Quick note"
        await settle(pilot)
        assert summary.text == "Quick note"  # the scheduled flush finds nothing left


@pytest.mark.parametrize("name", ["summary", "occurred_at"])
async def test_an_unbracketed_paste_of_20000_characters_lands_whole_and_fast(customer, ctx,
                                                                             name):
    text = ("Called Dana about the rollout plan. " * 600)[:20_000]
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, customer)
        field = form.field(name)
        field.focus()
        await settle(pilot)
        sent = keys(text)
        start = time.perf_counter()
        for event in sent:
            app.post_message(event)
        held = (lambda: field.text) if name == "summary" else (lambda: field.value)
        while len(held()) < len(text) and time.perf_counter() - start < 30:
            await asyncio.sleep(0.005)
        took = time.perf_counter() - start
        await settle(pilot)
        assert held() == text
        assert took < 10, f"{took:.1f} s: one insert per key again? (about 0.5 s expected)"


@pytest.mark.parametrize("key, box", [("i", "#issues-filter"), ("c", "#customers-filter"),
                                      ("e", "#exps-customer"), ("K", "#list-input")])
async def test_a_filter_typed_in_one_burst_with_its_slash_takes_every_letter(db, ctx, key,
                                                                             box):
    """"/ke" typed fast (one read of the terminal): the slash opens the filter and "k", "e"
    are its first letters, not the list's own keys ("e" opens the register, "k" moves up)."""
    f.customer(ctx, "Keystone")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        for event in keys("/ke"):
            app.post_message(event)
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one(box).value == "ke"
        assert app.focused is screen.query_one(box)
        for event in keys("/1"):  # in the box, the slash is typed like any character
            app.post_message(event)
        await settle(pilot)
        await pilot.press("slash", "2")
        await settle(pilot)
        assert screen.query_one(box).value == "ke/1/2"
