"""Untrusted text at every widget boundary: control characters removed, never markup.

Two ways data reaches a terminal, and both are closed here (see ``relboard.text.safe``):

* **shown**: ``plain``/``content``/``template`` turn a value into Rich ``Text`` or Textual
  ``Content`` that is never parsed, so ``[@click=app.quit]x[/]`` shows literally;
* **put into a widget**: ``SafeInput`` and ``SafeTextArea`` clean every value that enters them
  (set by code, pre-filled from a record, typed, pasted, suggested, or a placeholder), and
  ``SafeSuggestions`` cleans autocomplete lists. Screens use these instead of Textual's
  ``Input``/``TextArea``/``SuggestFromList`` (a test checks), and the app cleans every
  notification and key label (``RelboardApp.notify``/``get_key_display``).

A form shows cleaned text but keeps the stored value: it saves only fields the user changed,
so cleaning for display never rewrites data.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content

from relboard.text import safe

INPUT_WIDGETS = ("SafeSuggestions", "SafeInput", "SafeTextArea")
"""Defined in ``safe_inputs`` (Input and TextArea cost start-up time; only forms need them)
and importable from here as ever."""


def __getattr__(name: str) -> Any:
    """``SafeInput``, ``SafeTextArea`` and ``SafeSuggestions``, imported on first use."""
    if name in INPUT_WIDGETS:
        from relboard.widgets import safe_inputs

        return getattr(safe_inputs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def plain(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich ``Text`` of ``value`` (for DataTable cells and option prompts): never parsed."""
    return Text(safe(value, multiline=multiline), style=style, no_wrap=not multiline,
                overflow="ellipsis")


def content(value: object, *, multiline: bool = False) -> Content:
    """A Textual ``Content`` of ``value`` (for Static/Label): never parsed."""
    return Content(safe(value, multiline=multiline))


def template(markup: str, **values: object) -> Content:
    """Trusted ``markup`` with ``$name`` holes filled by untrusted values, as plain text."""
    return Content.from_markup(markup, **{k: safe(v) for k, v in values.items()})


def short(value: object, width: int) -> str:
    """``safe`` text cut to ``width`` characters with an ellipsis."""
    text = safe(value)
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
