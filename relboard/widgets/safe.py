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

from typing import Any, Iterable

from rich.text import Text
from textual.content import Content
from textual.document._edit import Edit
from textual.suggester import SuggestFromList
from textual.widgets import Input, TextArea

from relboard.text import safe


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


class SafeSuggestions(SuggestFromList):
    """``SuggestFromList`` over cleaned suggestions (owner names come from other people)."""

    def __init__(self, suggestions: Iterable[Any], *, case_sensitive: bool = False) -> None:
        super().__init__([safe(s) for s in suggestions], case_sensitive=case_sensitive)


class SafeInput(Input):
    """An ``Input`` whose value, placeholder and suggestion never hold a control character.

    Textual calls ``validate_<name>`` on every assignment of a reactive, so this holds for a
    value set from a record, typed, pasted or restored, whatever the caller.
    """

    def validate_value(self, value: str) -> str:
        """The value with control characters replaced and line breaks made spaces."""
        return safe(value)

    def validate_placeholder(self, value: str) -> str:
        """The placeholder, cleaned (it may name records)."""
        return safe(value)

    def validate__suggestion(self, value: str) -> str:
        """A suggestion from any suggester, cleaned."""
        return safe(value)


class SafeTextArea(TextArea):
    """A ``TextArea`` that cleans text loaded into it and every edit (typing, paste, undo)."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(safe(text, multiline=True), **kwargs)

    def load_text(self, text: str) -> None:
        """Load cleaned ``text`` (newlines and tabs kept)."""
        super().load_text(safe(text, multiline=True))

    def edit(self, edit: Edit) -> Any:
        """Apply ``edit`` with its inserted text cleaned."""
        cleaned = safe(edit.text, multiline=True)
        if cleaned != edit.text:
            edit = Edit(cleaned, edit.from_location, edit.to_location,
                        edit.maintain_selection_offset)
        return super().edit(edit)
