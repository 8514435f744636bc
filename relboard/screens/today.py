"""Today: what needs the PM now, grouped, each with its reason; one key per action."""

from __future__ import annotations

import datetime as _dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from relboard.services import changes, issues, lookups, today
from relboard.services.attention import (GROUPS, PER_GROUP, AttentionItem, Board, board,
                                         groups_for, merged)
from relboard.text import safe
from relboard.widgets.live import LiveRefresh
from relboard.widgets.safe import plain, short
from relboard.widgets.service_caller import ServiceCaller
from relboard.widgets.read_only import ReadOnlyGuard

MORE = {"sla": " in the issue queue (i)", "unacknowledged": " in the issue queue (i)",
        "contact": " in Customers (c)", "expectation": " in Expectations (e)"}
CLOCK_SECONDS = 60.0
"""Today is worked out again this often with no saves at all: SLA clocks and due dates move."""
SHORT = {"sla": "SLA", "unacknowledged": "new", "follow_up": "follow-ups",
         "contact": "contact", "expectation": "expectations", "health": "health",
         "risk": "risks"}
ONE = {"follow_up": "follow-up", "expectation": "expectation", "risk": "risk"}
"""The word of SHORT for a count of one, where it differs ("1 follow-up")."""
ALWAYS = ("sla", "unacknowledged", "follow_up", "contact", "expectation")
"""Groups the summary line counts even at 0 (the others only when they hold something)."""


class TodayScreen(ReadOnlyGuard, Screen, ServiceCaller, LiveRefresh):
    """The morning review: the attention list from the service, refreshed after each action."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="today.open", show=False),
        Binding("l", "log", "Log touchpoint", id="today.log"),
        Binding("a", "acknowledge", "Ack", id="today.acknowledge"),
        Binding("s", "snooze", "Snooze", id="today.snooze"),
        Binding("d", "done", "Done", id="today.done"),
        Binding("r", "refresh", "Refresh", id="today.refresh", show=False),
        Binding("n", "new_customer", "New customer", id="today.new_customer", show=False),
        Binding("M", "toggle_mine", "Mine/all", id="today.mine", show=False),
        Binding("j", "cursor_down", "Down", id="today.down", show=False),
        Binding("k", "cursor_up", "Up", id="today.up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AttentionItem] = {}
        self.mine = False
        """My view: only my customers, my issues and expectations, and unowned ones."""

    def compose(self) -> ComposeResult:
        """Title, summary line, the list, the footer."""
        yield Static("", id="today-title", classes="screen-title")
        yield Static("", id="today-summary", classes="summary")
        yield OptionList(id="today-list")
        yield Static("", id="today-empty", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        """Load the list (my view when the config or ``--mine`` asks for it)."""
        self.mine = bool(getattr(self.app, "mine", False))
        self.query_one("#today-empty").display = False
        self._board: Board | None = None
        self._shown: tuple | None = None
        self._made: dict[tuple, Option] = {}
        self._seen = 0  # the newest audit row read: saves after it are the ones to show
        self._asked = self._done_seq = self._full_asked = 0
        self._later: frozenset[str] = frozenset()  # groups to work out after the whole list
        self.refresh_items()
        self.start_live_refresh(self.refresh_changed)
        self.set_interval(CLOCK_SECONDS, self.refresh_items)
        self._scored = False  # the day's health scores: once the list is on screen

    @work(thread=True, group="health", exit_on_error=False)
    def _score_the_day(self) -> None:
        """Once a day (by whichever PM opens a board first): today's health snapshots, which
        "Health dropped" reads; then that group is worked out again."""
        from relboard.services import healthhistory

        if getattr(self.app, "read_only", False):
            return
        try:
            written = healthhistory.ensure_today(self.app.ctx)
        except Exception:  # noqa: BLE001 - a busy or read-only database: tomorrow's board will
            return
        if written:
            self.app.call_from_thread(self.refresh_groups, frozenset({"health"}))

    def on_screen_resume(self) -> None:
        """Coming back from a profile or form: the data may have changed."""
        if self.returned():
            self.refresh_items()

    def action_toggle_mine(self) -> None:
        """Switch between my view and everyone's (M)."""
        self.mine = not self.mine
        self.notify("Today: yours and unowned items" if self.mine else "Today: everyone's items",
                    timeout=2)
        self.refresh_items()

    def refresh_items(self) -> None:
        """Work the whole list out again (in a thread) and show it."""
        self._asked += 1
        self._full_asked = self._asked
        self._fetch(self._asked, False)

    def refresh_groups(self, groups: frozenset[str]) -> None:
        """Work out ``groups`` again (on top of the latest whole list: while a whole fetch is
        on its way, once it has come)."""
        if self._full_asked > self._done_seq or self._board is None:
            self._later |= groups
            return
        self._asked += 1
        self._fetch(self._asked, False, groups)

    def refresh_changed(self) -> None:
        """Someone saved: work out again only the groups their saves can change (all of them
        while a whole fetch is still on its way: a part must go on top of the latest whole)."""
        if self._full_asked > self._done_seq:
            self.refresh_items()
            return
        self._asked += 1
        self._fetch(self._asked, True)

    @work(thread=True, group="today", exit_on_error=False)
    def _fetch(self, seq: int, changed: bool, groups: frozenset[str] | None = None) -> None:
        ctx = self.app.ctx
        try:
            if groups is not None:
                pass
            elif changed and self._board is not None:
                self._seen, kinds = changes.since(self._seen)
                groups = groups_for(kinds)
                if not groups:
                    return  # nothing Today shows was touched
            else:
                self._seen = changes.latest()
            found = board(ctx, ctx.user if self.mine else None, PER_GROUP, groups)
            has_customers = found.items or lookups.first_customer() is not None
        except Exception as exc:  # noqa: BLE001 - reported; the board stays up
            self.app.call_from_thread(self.report_unreadable, exc)
            return
        self.app.call_from_thread(self._arrived, seq, found, groups, bool(has_customers),
                                  ctx.today())

    def _arrived(self, seq: int, found: Board, groups, has_customers: bool,
                 day: _dt.date) -> None:
        """A fetch came back: show it unless a later one was shown already."""
        if seq < self._done_seq:
            return
        self._done_seq = seq
        if self._later and self._full_asked <= seq:
            later, self._later = self._later, frozenset()
            self.call_later(self.refresh_groups, later)
        if groups is not None and self._board is not None:
            found = merged(self._board, found, groups)
        self._board = found
        shown = (self.mine, day, has_customers, tuple(found.totals.items()),
                 tuple((it.group, it.kind, it.record_id, it.customer, it.title, it.reason,
                        it.version) for it in found.items))
        if shown != self._shown:  # the same words as on screen: nothing to repaint
            self._shown = shown
            self._show(found, has_customers, day)
        if not self._scored:  # after the first paint, so it never delays it
            self._scored = True
            self.set_timer(0.2, self._score_the_day)

    def _show(self, found: Board, has_customers: bool, day: _dt.date) -> None:
        title = f"Today — {day:%A %d %B %Y}"
        if self.mine:
            title += f" — mine ({self.app.ctx.user}; M: everyone's)"
        if self.app.demo:
            title += "   (demo data)"
        self.query_one("#today-title", Static).update(plain(title))
        items, n = found.items, found.totals
        summary = " · ".join(f"{n[g]} {ONE.get(g, SHORT[g]) if n[g] == 1 else SHORT[g]}"
                             for g, _ in GROUPS
                             if g in ALWAYS or n[g])
        self.query_one("#today-summary", Static).update(plain(
            f"{found.total} need you: {summary}" if items
            else "All clear" if has_customers else "Getting started"))
        listing = self.query_one("#today-list", OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        keep_index = listing.highlighted or 0
        listing.clear_options()
        self.items = {}
        options: list[Option] = []
        made, self._made = self._made, {}
        for group, heading in GROUPS:
            members = [it for it in items if it.group == group]
            if not members:
                continue
            options.append(Option(plain(f"{heading} ({n[group]})", "bold"), disabled=True))
            for it in members:
                key = f"{it.kind}:{it.record_id}"
                self.items[key] = it
                look = (key, it.customer, it.title, it.reason, self.size.width)
                option = made.get(look) or Option(self._prompt(it), id=key)
                self._made[look] = option  # the same words next time: its layout is kept
                options.append(option)
            if n[group] > len(members):
                where = MORE.get(group, "")
                options.append(Option(plain(f"  … and {n[group] - len(members)} more{where}",
                                            "italic"), disabled=True))
        listing.add_options(options)
        empty = self.query_one("#today-empty", Static)
        empty.display = not items
        listing.display = bool(items)
        if not has_customers:
            empty.update(plain(
                "No customers yet.\n\nPress n to add your first customer, or try the board "
                "with the sample portfolio:\n  relboard --demo\nor import yours:\n"
                "  relboard import FILE", multiline=True))
        elif not items:
            empty.update(plain("Nothing needs you today.", "bold"))
        if items:
            if keep in self.items:
                listing.highlighted = listing.get_option_index(keep)
            else:  # the item is done: stay where it was, on the next one
                enabled = [n for n, o in enumerate(options) if not o.disabled]
                later = [n for n in enabled if n >= keep_index]
                listing.highlighted = later[0] if later else enabled[-1]
            listing.focus()

    def _prompt(self, item: AttentionItem) -> Text:
        """Two lines, each cut to the width: customer · title, then the reason."""
        width = max(20, self.size.width - 4)
        title = item.customer if item.title == item.customer else \
            f"{item.customer} · {item.title}"
        head = short(title, width)
        line = plain(head[: len(safe(item.customer))], "bold")
        line.append_text(plain(head[len(safe(item.customer)):]))
        line.append("\n")
        line.append_text(plain("  " + short(item.reason, width - 2), "italic"))
        return line

    def current(self) -> AttentionItem | None:
        """The highlighted item."""
        listing = self.query_one("#today-list", OptionList)
        option = listing.highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def action_cursor_down(self) -> None:
        """Next item."""
        self.query_one("#today-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous item."""
        self.query_one("#today-list", OptionList).action_cursor_up()

    def action_refresh(self) -> None:
        """Fetch the list again."""
        self.refresh_items()

    @on(OptionList.OptionSelected, "#today-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the record behind the item."""
        item = self.current()
        if item is None:
            return
        if item.kind == "issue":
            self.app.open_issue(item.record_id)
        elif item.kind == "expectation":
            self.app.open_expectation(item.record_id)
        elif item.kind == "interaction":
            self.app.open_customer(item.customer_id, tab="touchpoints", select=item.record_id)
        elif item.kind == "health":  # why the score fell: the signals, in words
            self.app.open_customer(item.customer_id, tab="health")
        elif item.kind == "risk":
            self.app.open_customer(item.customer_id, tab="risks", select=item.record_id)
        else:
            self.app.open_customer(item.customer_id)

    def action_log(self) -> None:
        """Log a touchpoint with the item's customer (and stakeholder)."""
        from relboard.screens.touchpoint_form import TouchpointForm

        item = self.current()
        if item is None:
            return
        contacts = (item.record_id,) if item.kind == "contact" else ()
        self.app.push_screen(TouchpointForm(item.customer_id, contact_ids=contacts),
                             self._after_form)

    def _after_form(self, result: object) -> None:
        if result is not None:
            self.notify("Touchpoint logged", timeout=3, markup=False)
        self.refresh_changed()

    def _drop(self, item: AttentionItem) -> None:
        """Take an item the user just finished off the list at once (the refresh that follows
        brings the counts and the next items); the cursor stays on the item after it."""
        key = f"{item.kind}:{item.record_id}"
        listing = self.query_one("#today-list", OptionList)
        if key not in self.items:
            return
        index = listing.get_option_index(key)
        del self.items[key]
        listing.remove_option(key)
        self._shown = None  # what is on screen is no longer the last fetch
        enabled = [n for n, o in enumerate(listing.options) if not o.disabled]
        if enabled:
            later = [n for n in enabled if n >= index]
            listing.highlighted = later[0] if later else enabled[-1]

    def _done(self, message: str, finished: AttentionItem | None = None):
        def report(_: object) -> None:
            if finished is not None:
                self._drop(finished)
            self.notify(message, timeout=3, markup=False)
            self.refresh_changed()  # the groups this change can move, read from the audit

        return report

    def action_acknowledge(self) -> None:
        """Acknowledge the highlighted new issue."""
        item = self.current()
        if item is None:
            return
        if item.kind != "issue":
            self.notify("Only an issue can be acknowledged", severity="warning", timeout=3,
                        markup=False)
            return
        self.call_service(today.acknowledge, self.app.ctx, item,
                          done=self._done("Acknowledged"), failed=lambda _: self.refresh_items())

    def action_snooze(self) -> None:
        """Put the item off until a date."""
        from relboard.screens.prompt import PromptDialog

        item = self.current()
        if item is None:
            return
        tomorrow = (self.app.ctx.today() + _dt.timedelta(days=1)).isoformat()

        def chosen(value: str | None) -> None:
            if value:
                self.call_service(today.snooze, self.app.ctx, item, value,
                                  done=self._done(f"Snoozed until {value}", item),
                                  failed=lambda _: self.refresh_items())

        self.app.push_screen(PromptDialog(f"Snooze: {item.customer} · {item.title}", "Until",
                                          initial=tomorrow, kind="date", required=True,
                                          after=self.app.ctx.today()), chosen)

    def action_done(self) -> None:
        """Mark done: a follow-up done, an expectation met, an issue resolved (asks why)."""
        item = self.current()
        if item is None:
            return
        if today.can_mark_done(item):
            self.call_service(today.mark_done, self.app.ctx, item,
                              done=lambda what: self._done(what.capitalize(), item)(None),
                              failed=lambda _: self.refresh_items())
        elif item.kind == "issue":
            from relboard.screens.prompt import PromptDialog

            def resolved(text: str | None) -> None:
                if text:
                    self.call_service(issues.resolve, self.app.ctx, item.record_id,
                                      item.version, text, done=self._done("Resolved", item),
                                      failed=lambda _: self.refresh_items())

            self.app.push_screen(PromptDialog(f"Resolve: {item.customer} · {item.title}",
                                              "Resolution (what was done)", kind="longtext",
                                              required=True), resolved)
        else:
            self.notify(today.DONE_HINTS[item.kind], timeout=4, markup=False)

    def action_new_customer(self) -> None:
        """Add a customer."""
        from relboard.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(), lambda _: self.refresh_items())
