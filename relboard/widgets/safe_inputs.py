"""The widgets text is typed or put into, cleaned (see ``relboard.widgets.safe``): every value
that enters them passes ``relboard.text.safe``. Imported through ``safe`` on first use."""

from __future__ import annotations

from typing import Any, Iterable

from textual.document._edit import Edit
from textual.suggester import SuggestFromList
from textual.widgets import Input, TextArea

from relboard.text import safe


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
