"""The meeting brief of a customer (``b`` on the profile): one scrollable page to read before a
call, the same text as ``relboard brief`` (``services.brief``), shown as plain text."""

from __future__ import annotations

from textual.binding import Binding

from relboard.screens.text_page import TextPage
from relboard.services import brief
from relboard.services.context import Context


class BriefScreen(TextPage):
    """The brief of customer #``customer_id``; it only reads. Escape goes back."""

    PAGE = "brief"
    BINDINGS = [
        Binding("escape", "close", "Back", id="brief.close"),
        Binding("ctrl+r", "refresh", "Refresh", id="brief.refresh"),
    ]
    DEFAULT_CSS = """
    BriefScreen #brief-box { height: 1fr; padding: 0 1; }
    """

    def page_text(self, ctx: Context, customer_id: int) -> str:
        """The brief, as ``relboard brief`` prints it."""
        return brief.render(brief.brief(ctx, customer_id))
