"""Today: what needs the PM now, grouped, each with its reason; one key per action."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from relboard import startup_gc
from relboard.screens.today_actions import TODAY_VERBS, TodayVerbs
from relboard.screens.today_facts import facts_line
from relboard.screens.today_feed import TodayFeed
from relboard.screens.today_preview import WIDE, TodayPreview
from relboard.services.today.groups import GROUPS
from relboard.services.today.items import (
    FIRST_PAGE,
    AttentionItem,
    Board,
    facts,
    item_key,
    note,
)
from relboard.text import safe
from relboard.widgets.bands import BAND_STYLE
from relboard.widgets.footer import BoardFooter
from relboard.widgets.item_list import ItemList
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain, short

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

MORE = "more:"
"""The key of a group's "… and N more" line: ``more:`` and the group."""
CLOCK_SECONDS = 60.0
"""Today is worked out again this often with no saves at all: SLA clocks and due dates move."""


class TodayScreen(ReadOnlyGuard, TodayFeed, TodayVerbs, Screen, LiveRefresh):
    """The morning review: the attention list from the service, refreshed after each action."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    """The preview pane is beside the list from ``WIDE`` columns (``app.tcss``)."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="today.open", show=False),
        Binding("l", "log", "Log", id="today.log"),
        *TODAY_VERBS,
        Binding("ctrl+r", "refresh", "Refresh", id="today.refresh", show=False),
        Binding("n", "new_customer", "New customer", id="today.new_customer", show=False),
        Binding("M", "toggle_mine", "Mine/all", id="today.mine", show=False),
        Binding("V", "toggle_preview", "Preview", id="today.preview"),
        Binding("j", "cursor_down", "Down", id="today.down", show=False),
        Binding("k", "cursor_up", "Up", id="today.up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AttentionItem] = {}
        self.mine = False
        """My view: only my customers, my issues and expectations, and unowned ones."""
        self.preview_wanted = {True: True, False: False}
        """Whether the preview pane shows, wide (beside the list) and narrow (below it): ``V``
        turns it on or off for the width it is at."""
        self._wide: bool | None = None

    def compose(self) -> ComposeResult:
        """Title, summary line, the list, the footer."""
        yield Static("", id="today-title", classes="screen-title")
        yield Static("", id="today-summary", classes="summary")
        with Container(id="today-body"):
            with Vertical(id="today-main"):
                yield ItemList(id="today-list")
                yield Static("", id="today-empty", classes="empty")
            yield TodayPreview(id="today-preview")
        yield BoardFooter()

    def on_mount(self) -> None:
        """Load the list (my view when the config or ``--mine`` asks for it)."""
        self.mine = bool(getattr(self.app, "mine", False))
        self.query_one("#today-empty").display = False
        self._board: Board | None = None
        self._shown: tuple | None = None
        self._made: dict[tuple, Option] = {}
        self._words: dict[str, tuple[str, str]] = {}  # what each Static shows (``_put``)
        self._seen = 0  # the newest audit row read: saves after it are the ones to show
        self._asked = self._done_seq = self._full_asked = 0
        self._group_seq: dict[str, int] = {}
        self._pages: dict[str, int] = {}  # groups read further (``read_further``)
        self._later: frozenset[str] = frozenset()  # groups to work out after the whole list
        self._scored = False  # the day's health scores: once the list is on screen
        self._drawn: tuple | None = None  # what ``_show`` drew last, to draw again at a new width
        self._place_preview(self.size.width)
        self.show_first()
        self.call_after_refresh(startup_gc.release)  # painted: the collector back on
        self._follow_changes()

    def _follow_changes(self) -> None:
        """Others' saves and the clock move the list."""
        self.start_live_refresh(self.refresh_changed)
        self.set_interval(CLOCK_SECONDS, self.refresh_items)

    def on_screen_resume(self) -> None:
        """Coming back from a profile or form: the data may have changed."""
        if self.returned():
            self.refresh_items()

    def on_resize(self, event: events.Resize) -> None:
        """Across ``WIDE`` columns the pane moves beside or below the list (or hides), and the
        items are cut to the list's new width."""
        if self._place_preview(event.size.width) and self._drawn is not None:
            self._shown = None
            self._show(*self._drawn)

    def _place_preview(self, width: int) -> bool:
        """Show or hide the pane for ``width``; True when it moved across ``WIDE``."""
        wide = width >= WIDE
        moved, self._wide = wide != self._wide, wide
        pane = self.query_one(TodayPreview)
        was, pane.display = pane.display, self.preview_wanted[wide]
        if pane.display and not was:
            pane.shown()
        if pane.display != was:  # the list got shorter or taller: keep the cursor in view
            listing = self.query_one("#today-list", OptionList)
            self.call_after_refresh(listing.scroll_to_highlight)
        return moved

    def action_toggle_preview(self) -> None:
        """Show or hide the preview pane (``V``): beside the list when wide, below it when
        narrow."""
        wide = bool(self._wide)
        self.preview_wanted[wide] = not self.preview_wanted[wide]
        self._place_preview(self.size.width)
        if wide and self._drawn is not None:  # the list is wider or narrower now
            self._shown = None
            self._show(*self._drawn)

    def _list_width(self) -> int:
        """The list's width: the screen's, less the pane beside it (40%, ``app.tcss``)."""
        width = self.size.width
        if self._wide and self.preview_wanted[True]:
            width -= round(width * 0.4) + 1
        return width

    @on(OptionList.OptionHighlighted, "#today-list")
    def _highlighted(self) -> None:
        self.query_one(TodayPreview).show_item(self.current())

    def action_open(self) -> None:
        """Open the record behind the item; on a group's "… and N more" line, the group's
        next ``FIRST_PAGE`` items in its place (the cursor on the first of them)."""
        option = self.query_one("#today-list", OptionList).highlighted_option
        key = option.id or "" if option is not None else ""
        if key.startswith(MORE):
            group = key[len(MORE):]
            self.read_further(group, sum(it.group == group for it in self.items.values()))
            return
        super().action_open()

    def action_toggle_mine(self) -> None:
        """Switch between my view and everyone's (M)."""
        self.mine = not self.mine
        self.notify("Today: yours and unowned items" if self.mine else "Today: everyone's items",
                    timeout=2)
        self.refresh_items()

    def _show(self, found: Board, has_customers: bool, day: _dt.date) -> None:
        self._drawn = (found, has_customers, day)
        title = f"Today — {day:%A %d %B %Y}"
        if self.mine:
            title += f" — mine ({self.app.ctx.user}; M: everyone's)"
        if self.app.demo:
            title += "   (demo data)"
        self._put("#today-title", title)
        items, n = found.items, found.totals
        summary = " · ".join(g.screen_count(n[g.name], g.name in found.capped)
                             for g in GROUPS if g.always or n[g.name])
        self._put("#today-summary", f"{found.total_text()} need you: {summary}" if items
                  else "All clear" if has_customers else "Getting started")
        listing = self.query_one("#today-list", OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        keep_index = listing.highlighted or 0
        self.items = {}
        options: list[Option] = []
        made, self._made = self._made, {}

        def line(group: str, words: str, style: str) -> Option:  # heading, "… and 3 more"
            look = (group, words, style)
            option = made.get(look) or Option(plain(words, style), disabled=True)
            self._made[look] = option
            return option

        for group in GROUPS:
            members = [it for it in items if it.group == group.name]
            if not members:
                continue
            count = n[group.name]
            options.append(line(group.name, f"{group.title} ({found.count_text(group.name)})",
                                "bold"))
            for it in members:
                key = item_key(it)
                self.items[key] = it
                look = (key, it.customer, it.title, tuple(facts(it)), note(it),
                        self._list_width())
                option = made.get(look) or Option(self._prompt(it), id=key)
                self._made[look] = option  # the same words next time: its layout is kept
                options.append(option)
            if count > len(members):  # enter on it reads the next page (so: enabled)
                rest = found.count_text(group.name, less=len(members))
                words = (f"  … and {rest} more{with_keys(self, group.more)}; "
                         f"{with_keys(self, '{today.open}')}: the next {FIRST_PAGE}")
                more_look: tuple = (MORE, group.name, words)
                more = made.get(more_look) or Option(plain(words, "italic"), id=MORE + group.name)
                self._made[more_look] = more
                options.append(more)
        self._relist(listing, options)
        empty = self.query_one("#today-empty", Static)
        empty.display = not items
        listing.display = bool(items)
        if not has_customers:
            self._put("#today-empty",
                      f"No customers yet. Your board is {self._where()}.\n\nPress n to add "
                      "your first customer, or try the board with the sample portfolio:\n"
                      "  relboard --demo\nor import yours:\n  relboard import FILE",
                      multiline=True)
        elif not items:
            self._put("#today-empty", "Nothing needs you today.", "bold")
        if items:
            if keep in self.items:
                listing.highlighted = listing.get_option_index(keep)
            else:  # the item is done: stay where it was, on the next one
                enabled = [n for n, o in enumerate(options) if not o.disabled]
                later = [n for n in enabled if n >= keep_index]
                listing.highlighted = later[0] if later else enabled[-1]
            listing.focus()
        self.query_one(TodayPreview).show_item(self.current(), again=True)  # it may have changed

    def _put(self, selector: str, words: str, style: str = "", multiline: bool = False) -> None:
        """Show ``words`` in a Static, unless they are there already (an update repaints);
        the screen is laid out again only when they take another number of lines (a layout
        pass repaints every scrollbar on the screen a frame later)."""
        if self._words.get(selector) == (words, style):
            return
        self._words[selector] = (words, style)
        static = self.query_one(selector, Static)
        width = static.content_region.width
        rules: Any = static.styles  # what Textual's own widgets pass as the rules (RulesMap)
        lines = static.visual.get_height(rules, width) if width > 0 else -1
        static.update(plain(words, style, multiline=multiline), layout=False)
        if width <= 0 or static.visual.get_height(rules, width) != lines:
            static.refresh(layout=True)

    @staticmethod
    def _relist(listing: OptionList, options: list[Option]) -> None:
        """Put ``options`` in the list unless it holds those already (the same objects: a
        change repaints the whole list), keeping where it is scrolled to. ``set_options``,
        not clear and add: an empty list in between hides the scrollbar, so every option's
        height would be worked out again at another width, twice (tens of ms at 100k)."""
        now = listing.options
        if len(now) == len(options) and all(a is b for a, b in zip(now, options, strict=True)):
            return
        top = listing.scroll_y
        listing.set_options(options)
        listing.scroll_y = top

    def _prompt(self, item: AttentionItem) -> Text:
        """Two lines, each cut to the width: customer · title, then the facts a verb acts on
        (kind, status, severity, when, with whom, owner: in columns on a wide terminal) and
        the rest of the reason."""
        width = max(20, self._list_width() - 4)
        title = item.customer if item.title == item.customer else \
            f"{item.customer} · {item.title}"
        head = short(title, width)
        line = plain(head[: len(safe(item.customer))], "bold")
        line.append_text(plain(head[len(safe(item.customer)):],  # a red renewal stands out
                               BAND_STYLE["red"] if item.band == "red" else ""))
        line.append("\n")
        line.append_text(plain(short("  " + facts_line(item, width), width)))
        return line

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Another item: the footer offers the verbs that fit it."""
        self.refresh_bindings()

    def _where(self) -> str:
        """Where this board's data is: the database file, or the server (password masked)."""
        from relboard.dburl import mask_url

        if self.app.demo:
            return "a temporary demo database"
        return mask_url(str(self.app.config.database))

    def current(self) -> AttentionItem | None:
        """The highlighted item."""
        listing = self.query_one("#today-list", OptionList)
        option = listing.highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def highlighted_record(self) -> tuple[str, int] | None:
        """The highlighted item's record (kind, id), for a config command."""
        item = self.current()
        return (item.kind, item.record_id) if item else None

    def action_cursor_down(self) -> None:
        """Next item."""
        self.query_one("#today-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous item."""
        self.query_one("#today-list", OptionList).action_cursor_up()

    def action_refresh(self) -> None:
        """Fetch the list again."""
        self.read_again()

    def read_again(self) -> None:
        """``ctrl+r``: fetch the list again."""
        self.refresh_items()
