"""``relboard completion bash|zsh|fish``: a completion script made from the argument parser
(commands, verbs, options, an option's choices, file names where a file goes).

Installed by one line (README "Commands"): ``relboard completion bash >
~/.local/share/bash-completion/completions/relboard`` (zsh and fish likewise)."""

from __future__ import annotations

import argparse
from typing import Any

SHELLS = ("bash", "zsh", "fish")
FILE_METAVARS = {"PATH", "FILE", "DEST", "SRC", "DIR"}
"""Values completed with file names."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """``completion``'s one argument: the shell."""
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[dict[str, Any]]:
    """Each option of ``parser``: its long name, help, whether it takes a value, its
    choices, and whether the value is a file."""
    out = []
    for action in parser._actions:
        longs = [o for o in action.option_strings if o.startswith("--")]
        if not longs:
            continue
        takes = action.nargs != 0 and not isinstance(
            action, (argparse._StoreTrueAction, argparse._HelpAction, argparse._VersionAction))
        out.append({"name": longs[0], "help": (action.help or "").replace("%%", "%"),
                    "takes": takes, "choices": list(action.choices or ()),
                    "file": str(action.metavar or "") in FILE_METAVARS})
    return out


def tree(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """What the scripts complete: the board's options, and per command (``issue add`` with
    its group's verb) its help line and options."""
    commands: dict[str, Any] = {}
    helps = {a.dest: a.help for action in parser._actions
             if isinstance(action, argparse._SubParsersAction)
             for a in action._choices_actions}
    for name, sub in _subparsers(parser).items():
        verbs = _subparsers(sub)
        commands[name] = {"help": helps.get(name) or "", "options": _options(sub),
                          "verbs": {verb: _options(p) for verb, p in verbs.items()}}
    return {"options": _options(parser), "commands": commands}


def _words(options: list[dict[str, Any]]) -> str:
    return " ".join(o["name"] for o in options)


def bash(data: dict[str, Any]) -> str:
    """The bash script (zsh loads it through ``bashcompinit``)."""
    valued = sorted({o["name"] for o in data["options"] if o["takes"]}
                    | {o["name"] for c in data["commands"].values()
                       for opts in [c["options"], *c["verbs"].values()] for o in opts
                       if o["takes"]})
    cases = []
    for name, command in data["commands"].items():
        for verb, opts in [("", command["options"]), *command["verbs"].items()]:
            for o in opts:
                if o["choices"]:
                    cases.append(f'    "{name}:{verb}:{o["name"]}") COMPREPLY=($(compgen -W '
                                 f'"{" ".join(o["choices"])}" -- "$cur")); return ;;')
                elif o["file"]:
                    cases.append(f'    "{name}:{verb}:{o["name"]}") COMPREPLY=($(compgen -f '
                                 '-- "$cur")); return ;;')
    words = []
    for name, command in data["commands"].items():
        if command["verbs"]:
            words.append(f'    "{name}:") COMPREPLY=($(compgen -W '
                         f'"{" ".join(command["verbs"])}" -- "$cur")) ;;')
            for verb, opts in command["verbs"].items():
                words.append(f'    "{name}:{verb}") COMPREPLY=($(compgen -W "{_words(opts)}" '
                             '-- "$cur")) ;;')
        else:
            words.append(f'    "{name}:") COMPREPLY=($(compgen -W '
                         f'"{_words(command["options"])}" -- "$cur")) ;;')
    top = " ".join(list(data["commands"]) + [o["name"] for o in data["options"]])
    groups = " ".join(name for name, c in data["commands"].items() if c["verbs"])
    nl = "\n"
    return f"""# relboard completion for bash (made by: relboard completion bash)
_relboard() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  local cmd="" verb="" skip="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${{COMP_WORDS[i]}}"
    if [ -n "$skip" ]; then skip=""; continue; fi
    case " {" ".join(valued)} " in *" $w "*) skip=1; continue ;; esac
    case "$w" in
      -*) ;;
      *) if [ -z "$cmd" ]; then cmd="$w"
         elif [ -z "$verb" ] && [[ " {groups} " == *" $cmd "* ]]; then verb="$w"; fi ;;
    esac
  done
  case "$cmd:$verb:$prev" in
{nl.join(cases)}
  esac
  case "$prev" in --config) COMPREPLY=($(compgen -f -- "$cur")); return ;; esac
  case "$cmd:$verb" in
    ":") COMPREPLY=($(compgen -W "{top}" -- "$cur")) ;;
{nl.join(words)}
    *) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}}
complete -o default -F _relboard relboard
"""


def zsh(data: dict[str, Any]) -> str:
    """The zsh script: the bash one through zsh's ``bashcompinit``."""
    return ("# relboard completion for zsh (made by: relboard completion zsh)\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + bash(data).split("\n", 1)[1])


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(data: dict[str, Any]) -> str:
    """The fish script: one ``complete`` line per command, verb and option."""
    lines = ["# relboard completion for fish (made by: relboard completion fish)",
             "complete -c relboard -f"]
    names = " ".join(data["commands"])
    for name, command in data["commands"].items():
        lines.append(f"complete -c relboard -n 'not __fish_seen_subcommand_from {names}' "
                     f"-a {name} -d {_fish_quote(command['help'])}")
        for verb in command["verbs"]:
            lines.append(f"complete -c relboard -n '__fish_seen_subcommand_from {name}' "
                         f"-a {verb}")
        for opts in [command["options"], *command["verbs"].values()]:
            for o in opts:
                line = (f"complete -c relboard -n '__fish_seen_subcommand_from {name}' "
                        f"-l {o['name'][2:]} -d {_fish_quote(o['help'])}")
                if o["choices"]:
                    line += f" -xa {_fish_quote(' '.join(o['choices']))}"
                elif o["file"]:
                    line += " -rF"
                elif o["takes"]:
                    line += " -x"
                lines.append(line)
    for o in data["options"]:
        lines.append(f"complete -c relboard -n 'not __fish_seen_subcommand_from {names}' "
                     f"-l {o['name'][2:]} -d {_fish_quote(o['help'])}"
                     + (" -rF" if o["file"] else ""))
    return "\n".join(lines) + "\n"


def script(shell: str, top: argparse.ArgumentParser) -> str:
    """The completion script of ``shell`` for the parser ``top``."""
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](tree(top))
