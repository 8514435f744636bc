"""Someone else saved the record first: reload theirs, overwrite with yours, or go back."""

from __future__ import annotations

import datetime as _dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from relboard.widgets.key_hints import with_keys
from relboard.widgets.safe import content, short, template

_HELP = ("Reload shows the stored values (what you typed is dropped). Overwrite saves your "
         "values over theirs. Cancel returns to your form as you left it.")


class ConflictDialog(ModalScreen[str]):
    """Says who changed the record and when; dismisses with "reload", "overwrite" or "cancel"."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("r", "choose('reload')", "Reload", id="conflict.reload"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("escape", "choose('cancel')", "Cancel", id="conflict.cancel"),
    ]

    def __init__(self, changed_by: str, changed_at: _dt.datetime | None,
                 fields: dict[str, tuple[str | None, str | None]] | None = None) -> None:
        super().__init__()
        self.changed_by, self.changed_at = changed_by, changed_at
        self.fields = dict(fields or {})

    @property
    def message(self) -> str:
        """The sentence shown, e.g. "Changed by bob at 2026-11-23 11:05 after you opened it"."""
        when = self.changed_at.strftime("%Y-%m-%d %H:%M") if self.changed_at else "just now"
        return f"Changed by {self.changed_by} at {when} after you opened it"

    def compose(self) -> ComposeResult:
        """The message, what each choice does, and three buttons."""
        with Vertical(id="dialog", classes="conflict"):
            yield Static(template("[b]$message[/b]", message=self.message), id="dialog-message")
            yield Static(self._both(), id="dialog-fields")
            yield Static(content(_HELP), id="dialog-help")
            with Horizontal(id="dialog-buttons"):
                yield Button(with_keys(self, "Reload ({conflict.reload})"),
                             id="conflict-reload", compact=True)
                yield Button(with_keys(self, "Overwrite ({conflict.overwrite})"),
                             id="conflict-overwrite", variant="warning", compact=True)
                yield Button(with_keys(self, "Cancel ({conflict.cancel})"),
                             id="conflict-cancel", compact=True)

    def _both(self) -> Content:
        """Each field both of you changed: their value, then yours."""
        if not self.fields:
            return Content("Which fields they changed is not known: compare before you overwrite.")
        lines = [template("[b]$name[/b]: theirs $theirs · yours $yours",
                          name=name.replace("_", " ").capitalize(),
                          theirs=short(theirs or "(empty)", 60),
                          yours=short(yours or "(empty)", 60))
                 for name, (theirs, yours) in self.fields.items()]
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        """Focus Cancel: the safe choice."""
        self.query_one("#conflict-cancel", Button).focus()

    def action_choose(self, choice: str) -> None:
        """Close with ``choice``."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "conflict-cancel").removeprefix("conflict-"))
