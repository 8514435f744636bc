"""Shell completion made from the argument parser (issue 24): bash answers as bash would,
zsh loads the same through bashcompinit, fish gets one line per command and option."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from relboard.cli.completion import bash, fish, tree, zsh
from relboard.cli.registry import parser


def _complete(script: str, line: str) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end)."""
    program = (f"{script}\nCOMP_WORDS=({line}); "
               + ('COMP_WORDS+=(""); ' if line.endswith(" ") else "")
               + 'COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _relboard; echo "${COMPREPLY[*]}"')
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_bash_completes_commands_verbs_options_and_choices():
    script = bash(tree(parser()))
    assert _complete(script, "relboard di") == ["digest"]
    assert _complete(script, "relboard digest --format ") == ["text", "markdown", "json"]
    assert _complete(script, "relboard issue ") == ["add"]
    assert _complete(script, "relboard issue add x y --new") == ["--new-owner"]
    assert _complete(script, "relboard --config x.yaml exp") == ["export", "expect"]
    assert _complete(script, "relboard brief x --format ") == ["text", "markdown"]


def test_zsh_and_fish_scripts_name_every_command():
    data = tree(parser())
    assert zsh(data).startswith("# relboard completion for zsh")
    assert "bashcompinit" in zsh(data) and "complete -o default -F _relboard relboard" in zsh(data)
    text = fish(data)
    for name in data["commands"]:
        assert f"-a {name} -d " in text
    assert ("complete -c relboard -n '__fish_seen_subcommand_from digest' -l format -d '' "
            "-xa 'text markdown json'") in text.splitlines()
    assert "__fish_seen_subcommand_from issue' -a add" in text


def test_the_command_prints_the_script(capsys):
    from relboard.__main__ import main

    assert main(["completion", "bash"]) == 0
    assert "complete -o default -F _relboard relboard" in capsys.readouterr().out
