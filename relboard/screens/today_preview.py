"""Today's preview pane: the highlighted item's record beside the list (from ``WIDE``
columns) or, toggled with ``V``, below it (as gh-dash's preview).

The item's own words (customer, title, facts) show at once; the record behind it is read
through ``services.today.preview`` in a thread (``call_service``), debounced: a move after a
pause reads at once; moves coming faster than ``QUIET`` seconds apart (a held ``j``) wait, and
only the item highlighted when they stop is read. An answer for an item no longer highlighted is
dropped. Every value is shown as plain text; a failed read is one line in the pane.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from relboard.services.today.items import AttentionItem, facts
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.services.today.preview import Preview
    from relboard.widgets.board_app import BoardApp

WIDE = 120
"""From this many columns the pane is beside the list (shown unless ``V`` hid it); narrower,
it is below the list when ``V`` opened it."""
QUIET = 0.15
"""Seconds after a read before the next one: moves meanwhile are read once, at the end."""


def read_preview(ctx: Any, kind: str, record_id: int, customer_id: int) -> Preview:
    """``services.today.preview.preview`` (loaded with the first read, not with Today)."""
    from relboard.services.today.preview import preview

    return preview(ctx, kind, record_id, customer_id)


def item_key(item: AttentionItem | None) -> tuple[str, int] | None:
    """Which record an item is (None for no item)."""
    return None if item is None else (item.kind, item.record_id)


class TodayPreview(VerticalScroll, ServiceCaller):
    """The pane: a heading from the item, then the record read for it (see the module)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=False)
        self._item: AttentionItem | None = None
        self._shown_key: tuple[str, int] | None = None  # whose record the body shows
        self._seq = 0
        self._busy = False  # a read is on its way
        self._again = False  # the item moved while it was
        self._moved = 0.0  # when the item last changed (monotonic)
        self._timer: Timer | None = None
        self._asked: tuple[str, int] | None = None  # the item read last (or being read)
        self.reads = 0
        """Reads asked so far (how many a held key cost)."""

    def compose(self):
        """The item's heading, then the record's words."""
        yield Static("", id="preview-head")
        yield Static("", id="preview-body")

    def show_item(self, item: AttentionItem | None, *, again: bool = False) -> None:
        """``item`` is highlighted: its heading now, its record soon (only while the pane is
        shown); ``again``: the list was read again, so is its record (it may have changed)."""
        key = item_key(item)
        if not again and key is not None and key == self._asked == item_key(self._item):
            return  # the item already read or being read (the list redrawn around it)
        self._item = item
        head = self.query_one("#preview-head", Static)
        if item is None:
            head.update(plain("Nothing highlighted"), layout=self.display)
            self._body(None, "")
            return
        text = plain(item.customer, "bold")
        if item.title != item.customer:
            text.append_text(plain(f" · {item.title}"))
        text.append("\n")
        text.append_text(plain(" · ".join(facts(item)), "dim"))
        head.update(text, layout=self.display)  # hidden: laid out when shown
        if item_key(item) != self._shown_key:
            self._body(None, "…")
        if self.display:
            self._want()

    def shown(self) -> None:
        """The pane was just shown (``V``, or the terminal grew): read what it should show."""
        if self._item is not None and self.display:
            self._want()

    def _want(self) -> None:
        """Read now when nothing moved for ``QUIET`` seconds and no read is on its way; else
        when the moves stop for ``QUIET`` seconds (a held key reads once, at its end)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        now = time.monotonic()
        still, self._moved = now - self._moved < QUIET, now  # a held key: moves keep coming
        if self._busy or still:
            self._timer = self.set_timer(QUIET, self._read)
        else:
            self._read()

    def _read(self) -> None:
        self._timer = None
        item = self._item
        if item is None or not self.display:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._seq += 1
        self.reads += 1
        seq, key = self._seq, item_key(item)
        self._asked = key
        self.call_service(read_preview, self.app.ctx, item.kind, item.record_id,
                          item.customer_id, parallel=True, group="today-preview",
                          notify_errors=False,
                          done=lambda found: self._arrived(seq, key, found),
                          failed=lambda problem: self._arrived(seq, key, None, problem))

    def _arrived(self, seq: int, key: tuple[str, int] | None, found: Preview | None,
                 problem: Exception | None = None) -> None:
        """A read came back: shown if its item is still the highlighted one, else dropped
        (and the highlighted one read)."""
        self._busy = False
        current = item_key(self._item)
        if seq == self._seq and key == current:
            if problem is not None:
                self._body(key, f"Could not read this record: {problem}")
            else:
                self._body(key, found)
        if (self._again or key != current) and current is not None:
            self._again = False
            self._want()

    def _body(self, key: tuple[str, int] | None, found: Preview | str | None) -> None:
        self._shown_key = key
        body = self.query_one("#preview-body", Static)
        if found is None or isinstance(found, str):
            body.update(plain(found or ""), layout=self.display)
            return
        body.update(render(found), layout=self.display)
        self.scroll_home(animate=False)


def render(found: Preview) -> Text:
    """The record's words as one plain ``Text`` (wrapped by the pane; never markup)."""
    out = Text()
    out.append_text(plain(found.title, "bold"))
    width = max((len(label) for label, _ in found.facts), default=0)
    for label, value in found.facts:
        out.append("\n")
        out.append_text(plain(f"{label}:".ljust(width + 2), "dim"))
        out.append_text(plain(value))
    for section in found.sections:
        out.append("\n\n")
        out.append_text(plain(section.heading, "bold underline"))
        for line in section.lines:
            out.append("\n")
            out.append_text(plain(line, multiline=True))
    return out
