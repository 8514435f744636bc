"""The config refuses control characters in every text setting (one PM's config must not write
a hostile name into every audit row), and its messages never echo a control raw."""

from __future__ import annotations

import pytest

from relboard.__main__ import main
from relboard.config import ConfigError
from relboard.config_check import load_config
from tests.hostile import controls_in

BAD = {  # name: (file text with the bad value, line, column, key path, what is found)
    "user": ('user: "ann\\e]0;pwned\\a"\n', 1, 7, "user", "U+001B, U+0007"),
    "theme": ('theme: "dark\\x9b31m"\n', 1, 8, "theme", "U+009B"),
    "database": ('database: "/tmp/x\\u202e.db"\n', 1, 11, "database", "U+202E"),
    "keymap value": ('keymap:\n  app.quit: "q\\tw"\n', 2, 13, "keymap.app.quit", "U+0009"),
    "queue name": ('queues:\n  - {name: "Mine\\u2066", filter: {owner: me}}\n', 2, 12,
                   "queues[0].name", "U+2066"),
    "queue owner": ('queues:\n  - {name: Mine, filter: {owner: "bob\\0"}}\n', 2, 34,
                    "queues[0].filter.owner", "U+0000"),
    "queue customer": ('queues:\n  - {name: Mine, filter: {customer: "a\\nb"}}\n', 2, 37,
                       "queues[0].filter.customer", "U+000A"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_control_characters_in_a_text_setting_are_refused(case, tmp_path, capsys):
    text, line, col, key, found = BAD[case]
    path = tmp_path / "config.yaml"
    path.write_text(text)
    assert main(["--config", str(path), "check"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"{path}:{line}:{col}: {key}: must not contain control characters "
                   f"(found {found})\n")
    assert not (tmp_path / "x\u202e.db").exists()


def test_control_characters_in_a_binding_id_are_refused(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text('keymap:\n  "app.\\equit": q\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert str(err.value) == (f"{path}:2:3: keymap: a binding id must not contain control "
                              "characters (found U+001B)")


def test_env_database_with_control_characters_is_refused(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(None, env={"RELBOARD_DATABASE": "/tmp/a\x1b[2J.db"})
    assert str(err.value) == ("RELBOARD_DATABASE: must not contain control characters "
                              "(found U+001B)")


def test_messages_show_keys_and_paths_from_the_file_escaped(tmp_path, capsys):
    path = tmp_path / "conf\x1b[2J.yaml"
    path.write_text('"\\e]0;x\\a": 1\nsla:\n  "hi\\u202egh": {}\nuser: !!str "x"\n')
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert controls_in(err) == []
    assert err.startswith(f"{str(path)!r}"[1:-1] + ":4:7: ") and "tags are not allowed" in err
    path.write_text('"\\e]0;x\\a": 1\nsla:\n  "hi\\u202egh": {}\n')
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    shown = f"{str(path)!r}"[1:-1]
    assert err == (f"{shown}:1:1: \\x1b]0;x\\x07: unknown key '\\x1b]0;x\\x07'\n"
                   f"{shown}:3:3: sla.hi\\u202egh: unknown key 'hi\\u202egh'; "
                   "did you mean 'high'?\n")
