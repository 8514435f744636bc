"""What every terminal program does (issue 24): ctrl+c says how to quit in plain words,
ctrl+z suspends, a 16-colour console gets the 16-colour theme, a dumb terminal is refused
with what works there instead."""

from __future__ import annotations

from relboard.theming import for_terminal
from tests.pilot import SIZE, make_app, settle


def test_the_linux_console_gets_the_sixteen_colour_theme_unless_one_was_chosen():
    assert for_terminal("relboard-dark", "linux") == "relboard-ansi16"
    assert for_terminal("relboard-dark", "xterm-256color") == "relboard-dark"
    assert for_terminal("relboard-light", "linux") == "relboard-light"  # chosen: kept


def test_a_dumb_terminal_is_refused_before_anything_is_opened(tmp_path, monkeypatch, capsys,
                                                              isolated_env):
    from relboard.__main__ import main

    config = tmp_path / "c.yaml"
    config.write_text(f"database: {tmp_path / 'b.db'}\nuser: ann\n")
    monkeypatch.setenv("TERM", "dumb")
    assert main(["--config", str(config), "--create"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TERM=dumb" in err and "relboard digest" in err
    assert not (tmp_path / "b.db").exists()


async def test_ctrl_c_says_the_quit_key_in_plain_words_and_ctrl_z_suspends(db, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert "Press q or ^q to quit relboard" in said and not any("[b]" in m for m in said)
        assert app.active_bindings["ctrl+z"].binding.action == "suspend_process"
