"""A DataTable that pages through a service's keyset query: never a whole table at once.

The first window is fetched in a thread worker when the table (re)loads; the next window is
fetched when the cursor comes near the end. Opening 20,000 rows costs what 200 do. Rows are
plain dicts from a service; columns fit what the loaded rows hold (``fit_columns``). A list
on one index walk also reads backward (``services.page.Back``): ``end`` reads its last
window, and the window before comes as the cursor goes up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from relboard.services import ServiceError
from relboard.services.page import Back, Page
from relboard.widgets import one_at_a_time
from relboard.widgets.fit_columns import Column, FitColumns, FittedTable, column_widths
from relboard.widgets.live import on_top
from relboard.widgets.one_at_a_time import OneAtATime
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

WINDOW = 200
FIRST_WINDOW = 80
"""Rows read when a list opens with no row to keep or select: a screenful at the largest
size and more; adding rows to the table is most of the cost of opening a list."""
PREFETCH = 40


Fetch = Callable[[tuple | None, int], Page]
Cells = Callable[[dict[str, Any]], tuple[Any, ...]]


class PagedTable(FitColumns, ServiceCaller):
    """Rows from ``fetch(after, limit)``, appended a window at a time as the cursor moves."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("space", "toggle_mark", "Mark", show=False, id="table.mark"),
    ]

    class Loaded(Message):
        """The first window arrived (``count`` rows; ``more`` if the list goes on)."""

        def __init__(self, table: PagedTable, count: int, more: bool) -> None:
            super().__init__()
            self.table, self.count, self.more = table, count, more

    def __init__(self, columns: list[Column], cells: Cells, *, markable: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.columns_spec = columns
        self.cells = cells
        self.markable = markable
        self.fetch: Fetch | None = None
        self.rows_by_key: dict[str, dict[str, Any]] = {}
        self.marked: set[str] = set()
        self._after: tuple | None = None
        self.backward = False
        """The list reads backward too (``Back`` cursors): ``end`` reads its last window."""
        self._before: tuple | None = None
        self._from_end = False
        self._loading = False
        self._generation = 0
        self._pending: str | None = None
        self.live_work = OneAtATime(one_at_a_time.REST, self.set_timer)
        """Live reloads: one at a time, each after the last one's rest (``live_reload``)."""

    def on_mount(self) -> None:
        """Add the columns, fitted to the width."""
        self.add_spec_columns()

    def load(self, fetch: Fetch, keep_cursor: bool = True, select: str | None = None,
             backward: bool = False) -> None:
        """Start over with ``fetch``; the cursor stays on the same record when it can (or
        goes to ``select``). ``backward``: ``fetch`` takes ``Back`` cursors (a list on one
        index walk), so ``end`` reads the last window instead of every window before it."""
        self.fetch, self.backward = fetch, backward
        self.live_work.start("reload")  # its time counts for the rest of live reloads
        self._before, self._from_end = None, False
        self._generation += 1
        current = select or (self.current_key() if keep_cursor else None) or self._pending
        self._pending = current  # a newer load before this one lands keeps the target
        self._loading = True  # no prefetch from the cursor moves a clear and new rows make
        self._fetch_window(self._generation, None, current,
                           WINDOW if current else min(FIRST_WINDOW, WINDOW))

    def reload(self) -> None:
        """Fetch again with the same query (after a change); read from the end again when
        ``end`` brought the last window."""
        if self.fetch is None:
            return
        if self._from_end:
            self._read_end(self.current_key())
        else:
            self.load(self.fetch, backward=self.backward)

    def live_reload(self) -> None:
        """``reload`` after others saved (the live refresh): one at a time (saves meanwhile:
        once more after it), and no sooner after the last than ``REST`` times its time
        (``OneAtATime``): a list worked out whole (customers by health band or credibility, 0.4
        to 0.7 s at 1M records) then reads at most a tenth of the time; an index page's rest
        is milliseconds."""
        if self.fetch is not None and self.live_work.ask("reload", refresh=True,
                                                         later=self._rested):
            self.reload()

    def _rested(self) -> None:
        """The rest is over: reload, if the list is on the screen on top (else its screen
        reads it again when back: ``on_screen_resume``)."""
        if on_top(self):
            self.live_reload()

    def _reloaded(self) -> None:
        """The list's first window (or last, after ``end``) is in, or it failed: a live
        reload under way has ended (once more if saves came meanwhile)."""
        if self.live_work.ended("reload") is not None:
            self.live_reload()

    def _fetch_window(self, generation: int, after: tuple | None, select: str | None,
                      limit: int | None = None) -> None:
        """Read one window in a thread (``call_service``); a failure is said in one line."""
        fetch = self.fetch
        if fetch is None:
            return
        self.call_service(fetch, after, limit or WINDOW, parallel=True, group="paged-table",
                          done=lambda page: self._apply(generation, after, page, select),
                          failed=self._failed, notify_errors=False)

    def _failed(self, problem: ServiceError) -> None:
        self._loading = False
        self.app.notify(f"Could not read the list: {problem}", severity="error",
                        markup=False, timeout=8)
        self._reloaded()

    def _apply(self, generation: int, after: tuple | None, page: Page,
               select: str | None) -> None:
        if generation != self._generation:
            return  # a newer load replaced this one
        if after is None:
            self.clear()
            self.rows_by_key.clear()
            self._pending = None
        self._after = page.after
        self._add(page.rows)
        self._loading = False
        if after is None:
            if select and select in self.rows_by_key:
                self.move_cursor(row=self.get_row_index(select), animate=False)
            self.post_message(self.Loaded(self, len(self.rows_by_key), page.after is not None))
            self._reloaded()

    def _add(self, rows: list[dict[str, Any]]) -> None:
        """Append ``rows`` (a row already shown is left where it is)."""
        for row in rows:
            key = str(row["id"])
            if key in self.rows_by_key:
                continue
            self.rows_by_key[key] = row
            cells = tuple(c if isinstance(c, Text) else plain(c) for c in self.cells(row))
            self.add_row(*((self._mark_cell(key),) if self.markable else ()), *cells, key=key)
        self.marked &= set(self.rows_by_key)

    def _replace(self, rows: list[dict[str, Any]], keep: str | None) -> None:
        """Show ``rows`` instead, the cursor on ``keep`` (else the last row)."""
        self._loading = True  # the cursor moves of a clear fetch nothing
        self.clear()
        self.rows_by_key.clear()
        self._add(rows)
        if self.row_count:
            self.move_cursor(row=self.get_row_index(keep) if keep in self.rows_by_key
                             else self.row_count - 1, animate=False)
        self._loading = False

    def action_first_row(self) -> None:
        """``home``: the first row; the list read from its start when rows above are not
        read (after ``end``)."""
        if self._before is not None and self.fetch is not None:
            self.load(self.fetch, keep_cursor=False, backward=self.backward)
        else:
            super().action_first_row()

    def action_last_row(self) -> None:
        """``end``: the last row of the list; its last window read when rows below are not
        read yet (a backward list), else the last row read so far (the next window follows)."""
        if self._after is not None and self.backward and self.fetch is not None:
            self._read_end(None)
        else:
            super().action_last_row()

    def _read_end(self, keep: str | None) -> None:
        """Read the list's last window (``Back()``) in place of what is shown."""
        self._generation += 1
        generation, fetch = self._generation, self.fetch
        if fetch is None:
            return
        self._loading = True
        self.live_work.start("reload")

        def shown(page: Page) -> None:
            if generation != self._generation:
                return
            self._after, self._before, self._from_end = None, page.after, True
            self._replace(page.rows, keep)
            self._reloaded()

        self.call_service(fetch, Back(), WINDOW, parallel=True, group="paged-table",
                          done=shown, failed=self._failed, notify_errors=False)

    def _read_before(self) -> None:
        """Read the window before the first row shown and put it above (after ``end``)."""
        generation, fetch, before = self._generation, self.fetch, self._before
        if fetch is None or before is None:
            return
        self._loading = True

        def shown(page: Page) -> None:
            if generation != self._generation:
                return
            keep = self.current_key()
            self._before = page.after
            self._replace(page.rows + list(self.rows_by_key.values()), keep)

        self.call_service(fetch, before, WINDOW, parallel=True, group="paged-table",
                          done=shown, failed=self._failed, notify_errors=False)

    def _mark_cell(self, key: str) -> Text:
        return Text("●" if key in self.marked else " ", style="bold")

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        """Fetch the next window when the cursor nears the end."""
        super().watch_cursor_coordinate(old, new)
        if (self._after is not None and not self._loading
                and new.row >= self.row_count - PREFETCH):
            self._loading = True
            self._fetch_window(self._generation, self._after, None)
        elif self._before is not None and not self._loading and new.row < PREFETCH:
            self._read_before()

    def current_key(self) -> str | None:
        """The key (record id) of the row under the cursor."""
        if self.row_count == 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - cursor outside after a clear
            return None

    def current_row(self) -> dict[str, Any] | None:
        """The service row under the cursor."""
        key = self.current_key()
        return self.rows_by_key.get(key) if key else None

    def selected_rows(self) -> list[dict[str, Any]]:
        """The marked rows, or the row under the cursor when none is marked."""
        if self.marked:
            return [self.rows_by_key[k] for k in self.rows_by_key if k in self.marked]
        row = self.current_row()
        return [row] if row else []

    def action_toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor (space)."""
        key = self.current_key()
        if not self.markable or key is None:
            return
        self.marked ^= {key}
        self.update_cell(key, "_mark", self._mark_cell(key))
        self.action_cursor_down()

    def clear_marks(self) -> None:
        """Forget every mark."""
        for key in list(self.marked):
            self.marked.discard(key)
            if key in self.rows_by_key:
                self.update_cell(key, "_mark", self._mark_cell(key))


__all__ = ["Cells", "Column", "Fetch", "FitColumns", "FittedTable", "PagedTable", "Page",
           "column_widths", "FIRST_WINDOW", "PREFETCH", "WINDOW"]
"""``Column``, ``FitColumns``, ``FittedTable`` and ``column_widths`` live in ``fit_columns``
and are named here too (the screens import them from this module)."""
