"""Keymap overrides and clashes, help with the real keys, themes and fallback, untrusted text."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding
from textual.widgets import DataTable

from relboard import models as m
from relboard.keymap import Scope, check_keymap
from relboard.screens.customer import CustomerScreen
from relboard.screens.help import HelpScreen
from relboard.screens.prompt import PromptDialog
from relboard.services import records
from relboard.theming import load_themes
from tests import factories as f
from tests.pilot import SIZE, make_app, settle


async def test_keymap_remaps_a_binding(db, ctx):
    f.customer(ctx, "Acme")
    app = make_app(ctx, keymap={"today.snooze": "s"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.startup_problems == []
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("z")  # the old key no longer snoozes
        await settle(pilot)
        assert not isinstance(app.screen, PromptDialog)


async def test_keymap_clash_and_unknown_id_are_reported_not_applied(db, ctx):
    f.customer(ctx, "Acme")
    app = make_app(ctx, keymap={"today.snooze": "a", "today.nonsense": "x"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        problems = " ".join(app.startup_problems)
        assert "today.snooze -> 'a' clashes with today.acknowledge" in problems
        assert "unknown binding id 'today.nonsense'" in problems
        assert any("clashes" in n.message for n in app._notifications)
        await pilot.press("z")  # the default key still works
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)


def test_keymap_check_against_app_bindings():
    scope = Scope("S", (Binding("q", "quit", "Quit", id="app.quit"),
                        Binding("r", "refresh", "Refresh", id="s.refresh")))
    ok = check_keymap({"s.refresh": "f5,ctrl+r"}, [scope])
    assert ok.keymap == {"s.refresh": "f5,ctrl+r"} and ok.problems == []
    clash = check_keymap({"s.refresh": "q"}, [scope])
    assert clash.keymap == {} and "clashes with app.quit (Quit)" in clash.problems[0]
    swap = check_keymap({"s.refresh": "q", "app.quit": "ctrl+q"}, [scope])
    assert swap.keymap == {"s.refresh": "q", "app.quit": "ctrl+q"}


async def test_help_shows_the_current_keys(db, ctx):
    app = make_app(ctx, keymap={"today.snooze": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]
        assert ["z", "Snooze", "today.snooze"] in rows
        assert any(r[2] == "app.quit" for r in rows)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_unknown_theme_falls_back_with_a_notice(db, ctx):
    app = make_app(ctx, theme="no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "relboard-dark"
        assert any("no-such-theme" in p for p in app.startup_problems)


async def test_every_shipped_theme_applies(db, ctx):
    for name in ("relboard-light", "relboard-high-contrast", "relboard-ansi16"):
        app = make_app(ctx, theme=name)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.theme == name and app.startup_problems == []


def test_broken_theme_file_is_skipped_with_a_message(tmp_path):
    (tmp_path / "good.yaml").write_text("name: good\nprimary: '#112233'\n")
    (tmp_path / "bad-colour.yaml").write_text("name: bad\nprimary: not-a-colour\n")
    (tmp_path / "bad-yaml.yaml").write_text("name: [unclosed\n")
    (tmp_path / "bad-key.yaml").write_text("name: x\nprimary: red\nsparkle: true\n")
    loaded = load_themes(tmp_path)
    assert list(loaded.themes) == ["good"]
    assert len(loaded.problems) == 3
    assert any("not a colour" in p for p in loaded.problems)
    assert any("bad-yaml.yaml:" in p for p in loaded.problems)


HOSTILE_NAME = "[@click=app.quit]x[/]"
HOSTILE_NOTES = "before \x1b]0;pwned\x07 after [/x] [link=http://evil]y[/link]"


async def test_untrusted_text_is_shown_literally_and_clicking_does_nothing(db, ctx):
    cid = f.customer(ctx, HOSTILE_NAME, cadence_days=7)
    # The service refuses control characters; data written by other means must still be safe.
    m.Customer.update(notes=HOSTILE_NOTES).where(m.Customer.id == cid).execute()
    f.touchpoint(ctx, cid, summary="[b]bold?[/b]", occurred_at=ctx.now() - dt.timedelta(days=9))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = "".join(app.export_screenshot())
        assert HOSTILE_NAME in shown.replace("&#160;", " ")
        await pilot.click("#today-list", offset=(3, 1))
        await settle(pilot)
        assert app.is_running
        await pilot.press("c")
        await settle(pilot)
        await pilot.click("#customers-table", offset=(3, 1))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        title = str(app.screen.query_one("#customer-title").render())
        assert HOSTILE_NAME in title
        notes = str(app.screen.query_one("#overview-text").render())
        assert "before \ufffd]0;pwned\ufffd after [/x] [link=http://evil]y[/link]" in notes
        assert "\x1b" not in "".join(app.export_screenshot())
        await pilot.click("#customer-title", offset=(3, 0))
        await settle(pilot)
        assert app.is_running
        await pilot.press("2")
        await settle(pilot)
        assert "[b]bold?[/b]" in "".join(app.export_screenshot())
    assert records.get("customer", cid)["name"] == HOSTILE_NAME


async def test_keys_that_are_not_keys_are_reported_and_never_shown(db, ctx):
    f.customer(ctx, "Acme")
    app = make_app(ctx, keymap={"today.snooze": "ctrl+shift+alt+banana",
                                "today.done": "\x1b[31mX", "today.log": "ctrl+l"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        problems = "\n".join(app.startup_problems)
        assert "today.snooze -> 'ctrl+shift+alt+banana': 'banana' is not a key name" in problems
        assert "today.done -> '\\x1b[31mX'" in problems  # escaped, never raw
        assert "\x1b" not in problems
        footer = "".join(s.text for strip in app.screen._compositor.render_strips()
                         for s in strip)
        assert "\x1b" not in footer and "banana" not in footer
        assert "^l" in footer or "ctrl+l" in footer.lower()  # the good remap is applied
        await pilot.press("z")  # the default snooze key still works
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)


def test_key_names():
    from relboard.keymap import key_problem

    for good in ("q", "ctrl+q", "f2", "question_mark", "?", "plus", "+", "shift+tab", "é"):
        assert key_problem(good) is None, good
    for bad in ("ctrl+shift+alt+banana", "hyper+ctrl+ctrl+a", "ctrl+", "cmd+q", "\x1b[A",
                "two words"):
        assert key_problem(bad), bad


def test_invisible_text_is_blank_for_required_fields(db, ctx):
    import pytest

    from relboard.services import ValidationError
    from relboard.text import is_blank

    assert is_blank("\u200b") and is_blank(" \u200b\ufeff\u2060\u3164 ") and not is_blank("a\u200b")
    with pytest.raises(ValidationError) as err:
        records.create(ctx, "customer", {"name": "\u200b\u200d"})
    assert err.value.errors == {"name": "is required"}


def _app_scopes(app):
    scopes = app.binding_scopes()
    return scopes[1:], scopes[0]


def test_keymap_is_checked_per_node_as_textual_resolves_keys(db, ctx):
    """The README's example works; a form's and a widget's ids are known; a screen's own key
    over an app key is no clash; one node's two actions on one key are, and so is a key the
    app takes first (a priority binding)."""
    scopes, app_scope = _app_scopes(make_app(ctx))
    ok = check_keymap({"app.quit": "ctrl+q,q", "form.save": "ctrl+s,f2", "table.mark": "x",
                       "today.snooze": "u"}, scopes, priority=app_scope)
    assert ok.problems == [] and set(ok.keymap) == {"app.quit", "form.save", "table.mark",
                                                     "today.snooze"}
    bad = check_keymap({"form.save": "escape", "today.snooze": "ctrl+q", "app.quit": "ctrl+f"},
                       scopes, priority=app_scope)
    assert bad.keymap == {} and bad.problems == [
        "keymap: form.save -> 'escape' clashes with form.cancel (Cancel) on FormScreen; "
        "kept the default keys",
        "keymap: today.snooze -> 'ctrl+q' clashes with quit (Quit) on RelboardApp (a priority "
        "key); kept the default keys",
        "keymap: app.quit -> 'ctrl+f' clashes with app.search (Search) on RelboardApp; kept "
        "the default keys"]


async def test_a_form_and_a_widget_key_can_be_remapped(db, ctx):
    f.issue(ctx, f.customer(ctx, "Acme"), "Printer jams")
    app = make_app(ctx, keymap={"form.save": "f2", "table.mark": "x", "today.snooze": "u"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.startup_problems == []
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Zenith Ltd", "f2")
        await settle(pilot)
        assert m.Customer.select().where(m.Customer.name == "Zenith Ltd").count() == 1
        await pilot.press("i")
        await settle(pilot)
        table = app.screen.query_one("PagedTable")
        await pilot.press("x")
        await settle(pilot)
        assert len(table.marked) == 1
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("u")  # Today's own u (snooze) over the app's u (undo)
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
