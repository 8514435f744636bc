"""The meeting brief of a customer (``b`` on the profile): one scrollable page to read before a
call, the same text as ``relboard brief`` (``services.brief``), shown as plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from relboard.services import brief
from relboard.widgets.footer import BoardFooter
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


class BriefScreen(ReadOnlyGuard, Screen, ServiceCaller):
    """The brief of customer #``customer_id``; it only reads. Escape goes back."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    BINDINGS = [
        Binding("escape", "close", "Back", id="brief.close"),
        Binding("ctrl+r", "refresh", "Refresh", id="brief.refresh"),
    ]
    DEFAULT_CSS = """
    BriefScreen #brief-box { height: 1fr; padding: 0 1; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.text = ""

    def compose(self) -> ComposeResult:
        """A scrolling page of text."""
        with VerticalScroll(id="brief-box"):
            yield Static(plain("Loading…"), id="brief-text")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Read it; j/k, arrows and page keys scroll."""
        self.query_one("#brief-box").focus()
        self.load()

    def load(self) -> None:
        """Gather and render the brief (in a thread); a gone customer closes it."""
        ctx, customer_id = self.app.ctx, self.customer_id
        self.call_service(lambda: brief.render(brief.brief(ctx, customer_id)), parallel=True,
                          group="brief", exclusive=True, done=self._show,
                          failed=self.leave_when_gone,
                          placeholder=self.query_one("#brief-text", Static))

    def _show(self, text: str) -> None:
        self.text = text
        self.query_one("#brief-text", Static).update(plain(text.rstrip("\n"), multiline=True))

    def action_refresh(self) -> None:
        """Read it again."""
        self.read_again()

    def read_again(self) -> None:
        """``ctrl+r``: read the brief again."""
        self.load()

    def action_close(self) -> None:
        """Back to the profile."""
        self.dismiss()
