"""The status update for a customer (``y`` on the profile): what the customer may read, the
same text as ``relboard update`` (``services.status_update``), shown as plain text. The
brief (``b``) is the PM's internal page; this one leaves out everything internal."""

from __future__ import annotations

from textual.binding import Binding

from relboard.screens.text_page import TextPage
from relboard.services import status_update
from relboard.services.context import Context


class StatusUpdateScreen(TextPage):
    """The status update of customer #``customer_id``; it only reads. Escape goes back."""

    PAGE = "status-update"
    CSS_PATH = "status_update.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="status_update.close"),
        Binding("ctrl+r", "refresh", "Refresh", id="status_update.refresh"),
    ]

    def page_text(self, ctx: Context, customer_id: int) -> str:
        """The update, as ``relboard update`` prints it."""
        return status_update.render(status_update.status_update(ctx, customer_id))
