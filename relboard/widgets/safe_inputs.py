"""The widgets text is typed or put into, cleaned (see ``relboard.widgets.safe``): every value
that enters them passes ``relboard.text.safe``. Imported through ``safe`` on first use.

Typed characters that arrive together (an unbracketed paste: a terminal without bracketed
paste sends one key per character; fast typing over SSH) go in as one insert: Textual re-wraps
the line and re-measures the value on every insert, so 20,000 single-character inserts cost
O(n^2) (over four minutes for one long line) where one insert costs O(n). The order of what
was typed is kept, and a form reading its fields first puts in what is still waiting
(``flush_typed``), so nothing typed is ever missing from a save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events
from textual.document._edit import Edit
from textual.suggester import SuggestFromList
from textual.widgets import Input, TextArea

from relboard.text import safe


class SafeSuggestions(SuggestFromList):
    """``SuggestFromList`` over cleaned suggestions (owner names come from other people)."""

    def __init__(self, suggestions: Iterable[Any], *, case_sensitive: bool = False) -> None:
        super().__init__([safe(s) for s in suggestions], case_sensitive=case_sensitive)


class TypedBurst:
    """Mixin for Input and TextArea: characters typed together are inserted at once.

    The app (``relboard.widgets.typed_keys``) hands each typed character to ``queue_typed``
    instead of passing the key along. The first character of a burst schedules its insert
    behind the messages already waiting for the widget; the next ones join it until anything
    else happens (another key, a click, a paste: ``seal_typed``), which the app passes along
    behind the scheduled insert, so everything happens in the order it was typed.
    """

    _bursts: list[list[str]] | None = None
    _open: list[str] | None = None

    def queue_typed(self, text: str) -> None:
        """Add ``text`` (one key's character) to the open burst, or start one."""
        if self._open is not None:
            self._open.append(text)
            return
        self._open = [text]
        if self._bursts is None:
            self._bursts = []
        self._bursts.append(self._open)
        self.call_later(self._insert_burst, self._open)  # type: ignore[attr-defined]

    def seal_typed(self) -> None:
        """Something else happened: the next character starts a new burst."""
        self._open = None

    def _insert_burst(self, burst: list[str]) -> None:
        if self._open is burst:
            self._open = None
        if self._bursts and any(b is burst for b in self._bursts):
            self._bursts = [b for b in self._bursts if b is not burst]
            self.insert_typed("".join(burst))

    def flush_typed(self) -> None:
        """Insert every character typed and not yet inserted, now (a form reading its fields
        must see them)."""
        bursts, self._bursts, self._open = self._bursts or [], [], None
        for burst in bursts:
            self.insert_typed("".join(burst))

    def insert_typed(self, text: str) -> None:
        """Insert ``text`` at the cursor, replacing the selection, as typing does."""
        raise NotImplementedError

    def burst_text(self, event: events.Key) -> str | None:
        """What key ``event`` types into this widget, or None if it does something else."""
        raise NotImplementedError


class SafeInput(TypedBurst, Input):
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

    def burst_text(self, event: events.Key) -> str | None:
        """A printable key types its character."""
        return event.character if event.is_printable and event.character is not None else None

    def insert_typed(self, text: str) -> None:
        """As Input inserts a typed character, for the whole burst (one character at a time
        when the input restricts what it takes, so a refused character refuses only itself)."""
        pieces = [text] if not (self.restrict or self.max_length or self.type != "text") \
            else list(text)
        for piece in pieces:
            if self.selection.is_empty:
                self.insert_text_at_cursor(piece)
            else:
                self.replace(piece, *self.selection)


class SafeTextArea(TypedBurst, TextArea):
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

    def burst_text(self, event: events.Key) -> str | None:
        """A printable key types its character, enter a new line (not when read-only)."""
        if self.read_only or event.character is None:
            return None
        if event.key == "enter":
            return "\n"
        return event.character if event.is_printable else None

    def insert_typed(self, text: str) -> None:
        """As TextArea inserts a typed character, for the whole burst."""
        if not self.read_only:
            start, end = self.selection
            self.replace(text, start, end, maintain_selection_offset=False)


def focus_now(widget: Any) -> None:
    """Focus ``widget`` at once. Textual's ``focus()`` waits behind the events already queued:
    the letters typed in the same burst as the key that opened a filter ("/ke" in one read
    of the terminal) went to the list's own keys ("e" opened the register) instead."""
    widget.screen.set_focus(widget)

