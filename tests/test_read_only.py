"""Read-only viewers: every write key on every screen is hidden and refused; nothing is stored."""

from __future__ import annotations

import inspect

import pytest
from textual.binding import Binding

from relboard import models as m
from relboard.app import RelboardApp
from relboard.keymap import bindings_of
from relboard.screens import all_screen_classes
from relboard.screens.form_base import FormScreen
from relboard.services.sample import load_sample
from relboard.widgets import paged_table
from relboard.widgets.read_only import READ_ACTIONS, WRITE_ACTIONS
from tests.pilot import SIZE, make_app, settle


def _action_name(action: str) -> str:
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def _every_bound_class() -> list[type]:
    import relboard.screens.confirm
    import relboard.screens.conflict
    import relboard.screens.prompt

    classes = [RelboardApp, paged_table.PagedTable, FormScreen, *all_screen_classes()]
    for module in (relboard.screens.confirm, relboard.screens.conflict, relboard.screens.prompt):
        classes += [c for _, c in inspect.getmembers(module, inspect.isclass)
                    if c.__module__ == module.__name__]
    return classes


def test_every_bound_action_is_known_to_write_or_not():
    actions = {_action_name(b.action) for b in bindings_of(_every_bound_class())}
    assert actions - WRITE_ACTIONS - READ_ACTIONS == set()
    assert WRITE_ACTIONS & READ_ACTIONS == set()


def _stored() -> tuple:
    """Everything a write would change: row counts, audit rows, versions."""
    counts = tuple(model.select().count() for model in m.ENTITY_MODELS)
    versions = tuple(sum(r.version for r in model.select(model.version))
                     for model in m.ENTITY_MODELS if issubclass(model, m.Editable))
    return counts, versions


def _write_keys(screen_class: type) -> list[str]:
    keys = []
    for binding in bindings_of(screen_class.__mro__[::-1]):
        if _action_name(binding.action) in WRITE_ACTIONS:
            keys += [k.strip() for k in binding.key.split(",")]
    return keys


@pytest.fixture
def sample(db, ctx):
    load_sample(ctx)
    return ctx


async def test_every_write_key_on_every_screen_is_refused(sample):
    app = make_app(sample, read_only=True)
    before = _stored()
    seen = set()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)

        async def try_writes(where: str) -> None:
            screen = app.screen
            seen.add(type(screen).__name__)
            footer = "".join(s.text for s in screen._compositor.render_strips()[-1])
            for key in _write_keys(type(screen)):
                await pilot.press(key)
                await settle(pilot)
                assert app.screen is screen, f"{where}: {key} opened {type(app.screen).__name__}"
            for binding in screen.active_bindings.values():
                assert _action_name(binding.binding.action) not in WRITE_ACTIONS, where
            for word in ("l Log", "Snooze", "Resolve", "Renegotiate", "Ack "):
                assert word not in footer, f"{where}: {word!r} in the footer"

        await try_writes("today")
        await pilot.press("enter")  # the first item: an issue
        await settle(pilot)
        await try_writes("issue")
        await pilot.press("enter")  # its customer
        await settle(pilot)
        await try_writes("profile")
        await pilot.press("2", "enter")
        await settle(pilot)
        await try_writes("touchpoint")
        for mode, opens in (("c", True), ("e", True), ("i", True)):
            await pilot.press("escape", "escape", mode)
            await settle(pilot)
            await try_writes(mode)
            if opens:
                await pilot.press("enter")
                await settle(pilot)
                await try_writes(f"{mode} detail")
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert not any("Resolve" in t or "Ack" in t for t in palette)
    assert _stored() == before
    assert {"TodayScreen", "IssueScreen", "CustomerScreen", "TouchpointScreen",
            "CustomersScreen", "ExpectationsScreen", "ExpectationScreen",
            "IssuesScreen"} <= seen


async def test_a_write_action_reached_anyway_is_refused(sample):
    app = make_app(sample, read_only=True)
    before = _stored()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for action in ("screen.acknowledge", "screen.done", "screen.log", "screen.snooze"):
            assert await app.run_action(action) is False
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
    assert _stored() == before


def test_the_help_lists_no_write_key():
    assert all(isinstance(b, Binding) for b in bindings_of([RelboardApp]))
