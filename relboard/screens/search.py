"""Search everything (``ctrl+f`` anywhere, or "Search everything" in the palette): words
typed at the top find customers, stakeholders, touchpoints, expectations, issues, risks and
decisions, best first; enter opens the record, escape closes.

The query runs off the UI thread (``call_service``) ~150 ms after the last key, and only the
latest query's answer is shown, so typing never waits for the database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from relboard.services import ServiceError, search
from relboard.services.search import Hit
from relboard.widgets.footer import BoardFooter
from relboard.widgets.key_hints import with_keys
from relboard.widgets.safe import SafeInput, plain, short
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

DEBOUNCE = 0.15
"""Seconds after the last key before the query runs."""

HINT = ("Type words: a name, a summary, a title (a word's start is enough). "
        "Customers, stakeholders, touchpoints, expectations, issues, risks, decisions.")


class SearchScreen(Screen, ServiceCaller):
    """The search box, a status line and the hits (kind, customer, title, the words around
    the match)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="search.open"),
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "cursor_down", "Down", id="search.down", show=False),
        Binding("up", "cursor_up", "Up", id="search.up", show=False),
        Binding("j", "cursor_down", "Down", id="search.j", show=False),
        Binding("k", "cursor_up", "Up", id="search.k", show=False),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial_text = text
        self.hits: list[Hit] = []
        self._timer: Timer | None = None
        self._asked = 0  # the number of the latest query; older answers are dropped
        self.shown_text: str | None = None
        """The text whose hits are on screen (None before the first answer)."""
        self._open_when_shown = False  # enter came before the answer: open its best hit
        self._marks: re.Pattern[str] | None = None  # the words typed, shown bold in the hits

    def compose(self) -> ComposeResult:
        """Title, the search box, a status line, the hits, the footer."""
        yield Static(plain("Search everything"), classes="screen-title")
        yield SafeInput(self.initial_text, placeholder="words to find…", id="search-input")
        yield Static(plain(HINT), id="search-status", classes="summary")
        yield OptionList(id="search-list")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Focus the box; search at once when opened with text."""
        self.query_one("#search-input", Input).focus()
        if self.initial_text:
            self.run_search()

    def on_screen_resume(self) -> None:
        """Back from a record: its words may have changed, so ask again."""
        if self.shown_text:
            self.run_search()

    def read_again(self) -> None:
        """``ctrl+r``: ask again for what is typed."""
        self.run_search()

    def focus_input(self) -> None:
        """Back to the box (``ctrl+f`` again), its text selected for typing over."""
        box = self.query_one("#search-input", Input)
        box.focus()
        box.select_all()

    @property
    def text(self) -> str:
        """What is typed."""
        return self.query_one("#search-input", Input).value

    @on(Input.Changed, "#search-input")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.run_search)

    def run_search(self) -> None:
        """Ask the service for what is typed now (in a thread)."""
        self._timer = None
        self._asked += 1
        asked, text = self._asked, self.text
        if not search.words(text):
            self._show(asked, text, [])
            return
        self.call_service(search.search, self.app.ctx, text,
                          done=lambda hits: self._show(asked, text, hits),
                          failed=self._failed, notify_errors=False)

    def _failed(self, exc: ServiceError) -> None:
        self._open_when_shown = False
        self.query_one("#search-status", Static).update(plain(f"Search failed: {exc}"))

    def _show(self, asked: int, text: str, hits: list[Hit]) -> None:
        if asked != self._asked or not self.is_attached:
            return  # a later query is on its way
        if not hits:
            self._open_when_shown = False
        self.hits, self.shown_text = hits, text
        status = self.query_one("#search-status", Static)
        listing = self.query_one("#search-list", OptionList)
        listing.clear_options()
        if not search.words(text):
            status.update(plain(HINT))
            return
        if not hits:
            status.update(plain(f"Nothing found for “{short(text, 40).strip()}”"))
            return
        found = sorted(set(search.words(text)), key=len, reverse=True)
        self._marks = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, found)) + ")",
                                 re.IGNORECASE)  # where each word starts, as the search does
        more = "+" if len(hits) >= 50 else ""
        keys = with_keys(self, "{search.open} opens · {search.close} closes")
        status.update(plain(f"{len(hits)}{more} found, best first · {keys}"))
        listing.add_options([Option(self._prompt(h), id=str(n)) for n, h in enumerate(hits)])
        listing.highlighted = 0
        if self._open_when_shown:
            self._open_when_shown = False
            self.action_open()

    def _prompt(self, hit: Hit) -> Text:
        """Two lines cut to the width: kind, customer · title (archived marked), then the
        words around the match."""
        width = max(20, self.size.width - 6)
        mark = " (archived)" if hit.archived else ""
        title = hit.title if hit.kind == "customer" else f"{hit.customer} · {hit.title}"
        snippet = hit.snippet if hit.snippet != hit.title else ""
        shown = plain(short(title, max(8, width - 12 - len(mark))))
        around = plain(short(snippet, width - 12), "dim italic")
        for part in (shown, around):
            if self._marks is not None:
                part.highlight_regex(self._marks, "bold underline")
        line = plain(f"{hit.label:<12}", "bold")
        line.append_text(shown)
        if mark:
            line.append_text(plain(mark, "italic"))
        line.append("\n" + " " * 12)
        line.append_text(around)
        return line

    def current(self) -> Hit | None:
        """The highlighted hit."""
        listing = self.query_one("#search-list", OptionList)
        option = listing.highlighted_option
        return self.hits[int(option.id)] if option is not None and option.id else None

    def action_cursor_down(self) -> None:
        """Next hit."""
        self.query_one("#search-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous hit."""
        self.query_one("#search-list", OptionList).action_cursor_up()

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self._timer is not None or self.shown_text != self.text:
            self._open_when_shown = True  # typed and entered at once: search now, then open
            self.run_search()
            return
        self.action_open()

    @on(OptionList.OptionSelected, "#search-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted record where it lives (escape comes back here)."""
        hit = self.current()
        if hit is None:
            return
        self.app.open_record(hit.kind, hit.record_id, hit.customer_id)

    def action_close(self) -> None:
        """Back to where the search was opened."""
        self.app.pop_screen()
