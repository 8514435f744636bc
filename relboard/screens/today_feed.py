"""How Today's list is fetched: whole, or only the groups a change can move, never two at once
on top of each other; shown only when the words on screen change."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from relboard.screens.mixin_base import CallerScreenMixin
from relboard.services.today.groups import ALL_GROUPS, groups_for
from relboard.services.today.items import FIRST_PAGE, AttentionItem, Board, merged

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


def board(*args, **kwargs) -> Board:
    """``services.today.board.board`` (imported with the first read, so Today's code
    loads without the database code)."""
    from relboard.services.today.board import board as read

    return read(*args, **kwargs)


class TodayFeed(CallerScreenMixin):
    """Mixin for the Today screen: ``refresh_items`` (whole list), ``refresh_groups`` and
    ``refresh_changed`` (parts), each fetched in a thread and numbered, so an older answer
    never replaces a newer one and a part always goes on top of the latest whole list. The
    screen sets the state in ``on_mount`` and draws with ``_show``."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]
        items: dict[str, AttentionItem]  # the host screen's (TodayScreen)

        def _show(self, found: Board, has_customers: bool, day: _dt.date) -> None: ...

    _board: Board | None
    _shown: tuple | None
    _seen: int
    _asked: int
    _done_seq: int
    _full_asked: int
    _later: frozenset[str]
    _scored: bool
    _early = False  # the first read asked whether to score the day before the first paint
    _scored_early = False  # ... and the day was scored then (nothing left for after it)
    _group_seq: dict[str, int]
    """Per group, the fetch last shown (``_arrived``)."""
    _pages: dict[str, int]
    """Groups read further than ``FIRST_PAGE``: group -> items (``read_further``)."""
    mine: bool

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

    def read_further(self, group: str, shown: int) -> None:
        """``enter`` on ``group``'s "… and N more" line (``shown`` of its items listed): its
        next ``FIRST_PAGE`` items, kept on every later read of the list."""
        wanted = shown + FIRST_PAGE
        if self._pages.get(group, FIRST_PAGE) >= wanted:
            return  # on its way
        self._pages[group] = wanted
        self.refresh_groups(frozenset({group}))

    def refresh_changed(self) -> None:
        """Someone saved: work out again only the groups their saves can change (all of them
        while a whole fetch is still on its way: a part must go on top of the latest whole)."""
        if self._full_asked > self._done_seq:
            self.refresh_items()
            return
        self._asked += 1
        self._fetch(self._asked, True)

    def show_first(self) -> None:
        """The first whole list, read at once (Today's queries stop after the rows shown, a
        few milliseconds at any size), so the screen is laid out and painted once, with its
        list, instead of empty first and again when a thread brings the list."""
        self._asked += 1
        self._full_asked = self._asked
        try:
            got = self._read(False, None)
        except Exception as exc:  # noqa: BLE001 - reported; the board stays up
            self.report_unreadable(exc)
            got = None
        if got is not None:
            self._arrived(self._asked, *got)

    def _fetch(self, seq: int, changed: bool, groups: frozenset[str] | None = None) -> None:
        """Read in a thread (``call_service``: a failure is said in one line)."""

        def arrived(got: tuple | None) -> None:
            if got is not None:
                self._arrived(seq, *got)

        self.call_service(self._read, changed, groups, parallel=True, group="today",
                          done=arrived)

    def _read(self, changed: bool, groups: frozenset[str] | None) -> tuple | None:
        """The board and what ``_arrived`` needs with it; None when there is nothing to show
        (no group touched). Raises what the database raised."""
        from relboard.services import changes, lookups

        ctx = self.app.ctx
        if groups is not None:
            pass
        elif changed and self._board is not None:
            self._seen, kinds = changes.since(self._seen)
            groups = groups_for(kinds)
            if not groups:
                return None  # nothing Today shows was touched
        else:
            self._seen = changes.latest()
        if not self._scored and not self._early:  # the first board: a small day scored first
            self._early = True
            self._scored_early = _score_if_few(self.app)
        found = board(ctx, ctx.user if self.mine else None, FIRST_PAGE, groups,
                      pages=dict(self._pages))
        has_customers = found.items or lookups.first_customer() is not None
        return found, groups, bool(has_customers), ctx.today()

    def _arrived(self, seq: int, found: Board, groups, has_customers: bool,
                 day: _dt.date) -> None:
        """A fetch came back: each of its groups is shown unless a later fetch of that group
        was shown already (a health refresh asked after an issue's must not hide the issue
        refresh that comes back after it)."""
        every = ALL_GROUPS
        asked = every if groups is None else frozenset(groups)
        fresh = frozenset(g for g in asked if seq >= self._group_seq.get(g, 0))
        if not fresh:
            return
        self._group_seq.update(dict.fromkeys(fresh, seq))
        self._done_seq = max(self._done_seq, seq)
        if self._later and self._full_asked <= seq:
            later, self._later = self._later, frozenset()
            self.call_later(self.refresh_groups, later)
        if fresh != every and self._board is not None:
            found = merged(self._board, found, fresh)
        self._board = found
        shown = (self.mine, day, has_customers, tuple(found.totals.items()), found.capped,
                 tuple((it.group, it.kind, it.record_id, it.customer, it.title, it.reason,
                        it.version) for it in found.items))
        if shown != self._shown:  # the same words as on screen: nothing to repaint
            self._shown = shown
            self._show(found, has_customers, day)
        if not self._scored:  # after the first paint, so it never delays it
            self._scored = True
            if not self._scored_early:
                self.set_timer(0.2, self._score_the_day)

    def _score_the_day(self) -> None:
        """Once a day (by whichever PM opens a board first): today's health snapshots, which
        "Health dropped" reads; then that group is worked out again. In a thread of its own,
        not the write queue: scoring a large portfolio must not hold up the PM's first keys;
        a busy or read-only database is left quietly (tomorrow's board will)."""
        from relboard.services import healthhistory

        if getattr(self.app, "read_only", False):
            return

        def scored(written: bool) -> None:
            if written:
                self.refresh_groups(frozenset({"health", "renewal"}))  # bands beside renewals

        self.call_service(healthhistory.ensure_today, self.app.ctx, parallel=True,
                          group="health", done=scored, notify_errors=False)



def _score_if_few(app) -> bool:
    """Score the day before the first board when the portfolio is small (see
    ``healthhistory.scored_if_few``); a read-only or busy database is left to later."""
    from relboard.errors import BusyError
    from relboard.services.health_day import nobody_to_score, taken_today

    if getattr(app, "read_only", False):
        return False
    try:  # most starts: asked without loading the health signals
        if taken_today(app.ctx) or nobody_to_score():
            return True
        from relboard.services import healthhistory

        return healthhistory.scored_if_few(app.ctx)
    except BusyError:
        return False
