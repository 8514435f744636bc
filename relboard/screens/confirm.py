"""A yes/no question in a small modal: y or enter says yes, n or escape says no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from relboard.widgets.key_hints import with_keys
from relboard.widgets.safe import content


class ConfirmDialog(ModalScreen[bool]):
    """Asks ``message`` (shown as plain text); dismisses with True for yes, False for no."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.message, self.yes, self.no = message, yes, no

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="dialog", classes="confirm"):
            yield Static(content(self.message, multiline=True), id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(content(self.yes + with_keys(self, " ({confirm.yes})")),
                             id="dialog-yes", variant="warning", compact=True)
                yield Button(content(self.no + with_keys(self, " ({confirm.no})")),
                             id="dialog-no", compact=True)

    def on_mount(self) -> None:
        """Focus Yes (enter answers yes); tab reaches No."""
        self.query_one("#dialog-yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "dialog-yes")
