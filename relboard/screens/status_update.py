"""The status update for a customer (``y`` on the profile): what the customer may read, the
same text as ``relboard update`` (``services.status_update``), shown as plain text. The
brief (``b``) is the PM's internal page; this one leaves out everything internal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from relboard.services import status_update
from relboard.widgets.footer import BoardFooter
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


class StatusUpdateScreen(ReadOnlyGuard, Screen, ServiceCaller):
    """The status update of customer #``customer_id``; it only reads. Escape goes back."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "status_update.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="status_update.close"),
        Binding("ctrl+r", "refresh", "Refresh", id="status_update.refresh"),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.text = ""

    def compose(self) -> ComposeResult:
        """A scrolling page of text."""
        with VerticalScroll(id="status-update-box"):
            yield Static(plain("Loading…"), id="status-update-text")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Read it; j/k, arrows and page keys scroll."""
        self.query_one("#status-update-box").focus()
        self.load()

    def load(self) -> None:
        """Gather and render the update (in a thread); a gone customer closes it."""
        ctx, customer_id = self.app.ctx, self.customer_id
        self.call_service(
            lambda: status_update.render(status_update.status_update(ctx, customer_id)),
            parallel=True, group="status_update", exclusive=True, done=self._show,
            failed=self.leave_when_gone,
            placeholder=self.query_one("#status-update-text", Static))

    def _show(self, text: str) -> None:
        self.text = text
        self.query_one("#status-update-text", Static).update(
            plain(text.rstrip("\n"), multiline=True))

    def action_refresh(self) -> None:
        """Read it again."""
        self.read_again()

    def read_again(self) -> None:
        """``ctrl+r``: read the update again."""
        self.load()

    def action_close(self) -> None:
        """Back to the profile."""
        self.dismiss()
