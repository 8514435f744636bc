"""A one-field prompt ("snooze until", "resolution", "assign to") with its own validation line."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from relboard.services.spec import parse_date
from relboard.widgets.key_hints import with_keys
from relboard.widgets.safe import SafeInput, SafeSuggestions, SafeTextArea, content


def prompt_error(kind: str, value: str, required: bool,
                 after: _dt.date | None = None) -> str | None:
    """Why ``value`` is not acceptable for a ``kind`` prompt, or None when it is.

    ``after``: a date prompt must name a later day (snoozing), and words relative to it are
    dates too (``+3d``, ``tomorrow``, ``friday``, as in the CLI)."""
    text = value.strip()
    if not text:
        return "is required" if required else None
    if kind == "date":
        day = prompt_day(text, after)
        if day is None:
            return "must be a date like 2026-11-30, +3d, tomorrow or friday"
        if after is not None and day <= after:
            return f"must be after {after.isoformat()}"
    return None


def prompt_day(text: str, today: _dt.date | None) -> _dt.date | None:
    """The day a date prompt's text names (ISO, or relative to ``today``), or None."""
    try:
        return parse_date(text.strip() or None, today)
    except ValueError:
        return None


class PromptDialog(ModalScreen[str | None]):
    """Asks for one value; dismisses with the text (stripped), or None when cancelled.

    ``kind`` is "text", "date" (YYYY-MM-DD) or "longtext". Enter submits a one-line prompt,
    ctrl+s submits any prompt (the only way for longtext, where enter is a new line).
    ``suggestions`` (a text prompt) are offered as you type (cleaned); right arrow takes one.
    """

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "submit", "OK", id="prompt.submit"),
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, label: str, initial: str = "", kind: str = "text",
                 required: bool = False, placeholder: str = "",
                 after: _dt.date | None = None, suggestions: Iterable[str] = ()) -> None:
        super().__init__()
        self.after = after
        self.suggestions = list(suggestions)
        if kind not in ("text", "date", "longtext"):
            raise ValueError(f"unknown prompt kind {kind!r}")
        self.title_text, self.label, self.initial = title, label, initial or ""
        self.kind, self.required, self.placeholder = kind, required, placeholder

    def compose(self) -> ComposeResult:
        """Title, label, the field, its validation line and the buttons."""
        with Vertical(id="dialog", classes=f"prompt -{self.kind}"):
            yield Static(content(self.title_text), id="dialog-title")
            hint = " (a date, +3d, friday)" if self.kind == "date" else ""
            yield Static(content(self.label + (" *" if self.required else "") + hint),
                         id="prompt-label")
            if self.kind == "longtext":
                yield SafeTextArea(self.initial, id="prompt-value", soft_wrap=True,
                               tab_behavior="focus", compact=True)
            else:
                placeholder = self.placeholder or (
                    "YYYY-MM-DD, +3d, friday" if self.kind == "date" else "")
                suggester = SafeSuggestions(self.suggestions) if self.suggestions else None
                yield SafeInput(self.initial, id="prompt-value", placeholder=placeholder,
                                compact=True, suggester=suggester)
            yield Static("", id="prompt-error", classes="-empty")
            with Horizontal(id="dialog-buttons"):
                ok = "OK ({prompt.submit})" if self.kind == "longtext" else "OK (enter)"
                yield Button(with_keys(self, ok), id="prompt-ok", variant="primary",
                             compact=True)
                yield Button(with_keys(self, "Cancel ({prompt.cancel})"), id="prompt-cancel",
                             compact=True)

    def on_mount(self) -> None:
        """Focus the field."""
        self.query_one("#prompt-value").focus()

    @property
    def value(self) -> str:
        """The text in the field now."""
        widget = self.query_one("#prompt-value")
        widget.flush_typed()  # characters typed and still waiting to go in
        return widget.text if isinstance(widget, TextArea) else widget.value

    def action_submit(self) -> None:
        """Check the value; close with it when it is acceptable."""
        error = prompt_error(self.kind, self.value, self.required, self.after)
        line = self.query_one("#prompt-error", Static)
        line.update(content(f"{self.label} {error}" if error else ""))
        line.set_class(not error, "-empty")
        if error is None:
            text = self.value.strip()
            day = prompt_day(text, self.after) if self.kind == "date" else None
            self.dismiss(day.isoformat() if day else text)  # "+3d" answers as its date

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit() if event.button.id == "prompt-ok" else self.action_cancel()
