"""Themes are YAML files in ``themes/`` (data, not code), turned into Textual ``Theme``s.

A broken theme file does not stop the board: it is skipped and reported, and the board falls
back to ``relboard-dark`` (or Textual's own dark theme if even that is missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

from relboard.theme_files import read_theme_files

FALLBACK = "relboard-dark"
COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground",
           "background", "surface", "panel", "boost")


class LoadedThemes:
    """The themes that loaded, and one message per file that did not (a plain class: a
    dataclass costs ~0.5 ms of a start to make)."""

    def __init__(self) -> None:
        self.themes: dict[str, Theme] = {}
        self.problems: list[str] = []


def theme_from_data(path: Path | str, data: Any) -> Theme:
    """The theme of one file's data; ValueError says what is wrong (``FILE: ...``)."""
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ValueError(f"{path}: a theme is a mapping with a 'name'")
    allowed = {"name", "dark", "variables", *COLOURS}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"{path}: unknown key {unknown[0]!r}")
    if "primary" not in data:
        raise ValueError(f"{path}: 'primary' colour is required")
    for key in COLOURS:
        if key in data:
            try:
                Color.parse(str(data[key]))
            except ColorParseError:
                raise ValueError(f"{path}: {key}: {data[key]!r} is not a colour") from None
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError(f"{path}: variables must be a mapping")
    if not isinstance(data.get("dark", True), bool):
        raise ValueError(f"{path}: dark must be true or false")
    return Theme(name=data["name"], dark=data.get("dark", True),
                 variables={str(k): str(v) for k, v in variables.items()},
                 **{k: str(data[k]) for k in COLOURS if k in data})


def load_themes(folder: Path | None = None) -> LoadedThemes:
    """Every ``*.yaml`` theme in ``folder`` (default: the shipped themes)."""
    out = LoadedThemes()
    for path, data, problem in read_theme_files(folder):
        if problem is None:
            try:
                theme = theme_from_data(path, data)
            except ValueError as exc:
                problem = str(exc)
        if problem is not None:
            out.problems.append(problem)
            continue
        out.themes[theme.name] = theme
    return out


def start_with(app: App, name: str) -> None:
    """Make ``name`` (a registered theme) the theme of ``app`` before it runs.

    Setting ``app.theme`` queues a re-parse of all the CSS and a restyle of every node, for
    a theme change; before the first parse (which reads the theme as it is then) that work
    is wasted, a few milliseconds of start-up. This sets the theme without it and does to
    the app what Textual's theme watcher does: the theme's variables for the stylesheet, the
    theme's classes and the mapping of ANSI colours for the theme's darkness.
    """
    app.set_reactive(App.theme, name)
    theme = app.current_theme
    app.update_classes({**{c: False for c in app.classes if c.startswith("-theme-")},
                        f"-theme-{theme.name}": True, "-dark-mode": theme.dark,
                        "-light-mode": not theme.dark}, update=False)
    app.stylesheet.set_variables(app.get_css_variables())  # read at the first parse
    refresh_colours = getattr(app, "_refresh_truecolor_filter", None)
    if refresh_colours is not None:
        refresh_colours(app.ansi_theme)


DEFAULT_THEME = "relboard-dark"
SIXTEEN_COLOURS = "relboard-ansi16"
SIXTEEN_COLOUR_TERMINALS = ("linux", "vt100", "vt220", "xterm-16color", "screen-16color")
"""TERM values of terminals with 16 colours: the default theme becomes ``SIXTEEN_COLOURS``."""


def for_terminal(wanted: str, term: str | None = None) -> str:
    """The theme to start in: ``wanted``, but the 16-colour theme in place of the default
    one on a 16-colour terminal (the Linux console: ``TERM=linux``)."""
    import os

    term = (os.environ.get("TERM", "") if term is None else term).strip().lower()
    return SIXTEEN_COLOURS if wanted == DEFAULT_THEME and term in SIXTEEN_COLOUR_TERMINALS \
        else wanted


def install_themes(app: App, wanted: str) -> list[str]:
    """Register the shipped themes and start ``app`` in ``wanted`` (``for_terminal``), else
    in the fallback; the problems, one line each."""
    wanted = for_terminal(wanted)
    loaded = load_themes()
    for theme in loaded.themes.values():
        app.register_theme(theme)
    problems = [f"theme file skipped: {p}" for p in loaded.problems]
    if wanted not in app.available_themes:
        fallback = FALLBACK if FALLBACK in app.available_themes else "textual-dark"
        problems.append(f"theme {wanted!r} is not available; using {fallback}")
        wanted = fallback
    start_with(app, wanted)
    return problems
