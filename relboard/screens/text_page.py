"""A page of text read from a service and shown as plain text (the brief, the status update):
scrolls with j/k, arrows and page keys; ``ctrl+r`` reads it again; escape goes back; a
customer gone meanwhile closes it. A page names its element ids (``PAGE``) and says what
text it shows (``page_text``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from relboard.widgets.footer import BoardFooter
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.services.context import Context
    from relboard.widgets.board_app import BoardApp


class TextPage(ReadOnlyGuard, Screen, ServiceCaller):
    """The page of customer #``customer_id``; it only reads."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    PAGE = "page"
    """The ids' stem: ``#PAGE-box`` scrolls, ``#PAGE-text`` holds the text."""

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.text = ""

    def page_text(self, ctx: Context, customer_id: int) -> str:
        """The page's text (run in a thread: a service call)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        """A scrolling page of text."""
        with VerticalScroll(id=f"{self.PAGE}-box"):
            yield Static(plain("Loading…"), id=f"{self.PAGE}-text")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Read it; j/k, arrows and page keys scroll."""
        self.query_one(f"#{self.PAGE}-box").focus()
        self.load()

    def load(self) -> None:
        """Gather and render the page (in a thread); a gone customer closes it."""
        ctx, customer_id = self.app.ctx, self.customer_id
        self.call_service(lambda: self.page_text(ctx, customer_id), parallel=True,
                          group=self.PAGE,
                          exclusive=True, done=self._show, failed=self.leave_when_gone,
                          placeholder=self.query_one(f"#{self.PAGE}-text", Static))

    def _show(self, text: str) -> None:
        self.text = text
        self.query_one(f"#{self.PAGE}-text", Static).update(
            plain(text.rstrip("\n"), multiline=True))

    def action_refresh(self) -> None:
        """Read it again."""
        self.read_again()

    def read_again(self) -> None:
        """``ctrl+r``: read the page again."""
        self.load()

    def action_close(self) -> None:
        """Back to the profile."""
        self.dismiss()
