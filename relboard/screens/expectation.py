"""One expectation: what was promised, baseline vs current due, the whole trail and history.

The same one-key moves as the register (agree, at risk, met, missed, withdraw, renegotiate)
act on this record; the screen refreshes after each. ``ExpectationActions``
(``screens.verbs.expectation_actions``) holds those moves for both.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from relboard.clock import local_text
from relboard.screens.verbs.expectation_actions import (
    EXPECTATION_BINDINGS,
    ExpectationActions,
    status_label,
)
from relboard.services import expectations, lookups, records, tags
from relboard.text import safe
from relboard.widgets.footer import BoardFooter
from relboard.widgets.live import LiveRefresh
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import content, short

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


def day_text(value: Any) -> str:
    """A date as YYYY-MM-DD, or a dash when there is none."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return safe(value)[:10] if value else "—"


def when_text(value: Any, zone: _dt.tzinfo) -> str:
    """A stored moment as local YYYY-MM-DD HH:MM in ``zone``."""
    if isinstance(value, _dt.datetime):
        return local_text(value, zone)
    return safe(value)[:16] if value else "—"


def slip_text(baseline: Any, current: Any) -> str:
    """How far the current due date moved from the baseline: ``+14 days``, ``on baseline``."""
    if not isinstance(baseline, _dt.date) or not isinstance(current, _dt.date):
        return ""
    days = (current - baseline).days
    if days == 0:
        return "on baseline"
    return f"{days:+d} day{'' if abs(days) == 1 else 's'}"


def load_detail(expectation_id: int) -> dict[str, Any]:
    """Everything the detail shows, read in one go (runs in a worker thread)."""
    record = records.get("expectation", expectation_id)
    record["tags"] = tags.of("expectation", expectation_id)
    return {"record": record, "customer": lookups.customer_name(record["customer"]),
            "trail": expectations.trail(expectation_id),
            "history": records.history("expectation", expectation_id)}


def facts(data: dict[str, Any]) -> Content:
    """The record's fields, baseline vs current due first among the dates."""
    rec = data["record"]
    slip = slip_text(rec.get("baseline_due"), rec.get("current_due"))
    rows = [("Customer", safe(data["customer"])),
            ("Statement", safe(rec.get("statement"), multiline=True)),
            ("Category", safe(rec.get("category"))),
            ("Owner", safe(rec.get("owner")) or "—"),
            ("Status", status_label(rec.get("status"))),
            ("Baseline due", day_text(rec.get("baseline_due"))),
            ("Current due", day_text(rec.get("current_due")) + (f"  ({slip})" if slip else ""))]
    if rec.get("tags"):
        rows.append(("Tags", tags.shown(rec["tags"])))
    parts: list[Any] = []
    for label, value in rows:
        parts += [(f"{label:<13}", "bold"), value, "\n"]
    return Content.assemble(*parts[:-1])


def trail_lines(trail: list[dict[str, Any]], zone: _dt.tzinfo) -> Content:
    """The trail, oldest first: when, who, status move, due move, statement change, why."""
    if not trail:
        return Content("No changes recorded.")
    parts: list[Any] = []
    for step in trail:
        old, new = step.get("old_status"), step.get("new_status")
        move = (f"{status_label(old)} → {status_label(new)}" if old
                else f"recorded as {status_label(new)}")
        parts += [(when_text(step.get("changed_at"), zone), "bold"), "  ",
                  safe(step.get("changed_by")), "  ", (move, "bold"), "\n"]
        if step.get("new_due") and step.get("old_due"):
            parts.append(f"    due {day_text(step.get('old_due'))} → "
                         f"{day_text(step.get('new_due'))}\n")
        elif step.get("new_due"):
            parts.append(f"    due {day_text(step.get('new_due'))}\n")
        if step.get("new_statement"):
            parts.append(f"    statement “{safe(step.get('old_statement'))}” → "
                         f"“{safe(step.get('new_statement'))}”\n")
        if step.get("reason"):
            parts.append(f"    why: {safe(step.get('reason'), multiline=True)}\n")
        if step.get("decision_title"):
            parts.append(f"    decision: {safe(step.get('decision_title'))}\n")
    return Content.assemble(*parts).rstrip()


def history_lines(history: list[dict[str, Any]], zone: _dt.tzinfo) -> Content:
    """The activity log of the record, newest first."""
    if not history:
        return Content("No activity.")
    lines = []
    for row in history:
        line = (f"{when_text(row.get('at'), zone)}  {safe(row.get('user'))}  "
                f"{safe(row.get('action'))}")
        if row.get("field"):
            line += (f"  {safe(row.get('field'))}: {short(row.get('old'), 30) or '—'} → "
                     f"{short(row.get('new'), 30) or '—'}")
        lines.append(line)
    return Content("\n".join(lines))


class ExpectationScreen(ReadOnlyGuard, ExpectationActions, Screen, LiveRefresh):
    """The detail of one expectation, its trail and its history; escape goes back."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "expectation.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="expectation.back", show=False),
        *EXPECTATION_BINDINGS,
        Binding("E", "edit", "Edit", id="expectation.edit"),
    ]

    def __init__(self, expectation_id: int) -> None:
        super().__init__()
        self.expectation_id = int(expectation_id)
        self.data: dict[str, Any] | None = None
        self._first_load = True

    def compose(self) -> ComposeResult:
        """Title, message line, the scrolling body and the footer."""
        yield Static(f"Expectation #{self.expectation_id}", id="exp-title")
        yield Static("Loading…", id="exp-message")
        with VerticalScroll(id="exp-body"):
            yield Static(id="exp-facts")
            yield Static("Trail (oldest first)", classes="section")
            yield Static(id="exp-trail")
            yield Static("Activity (newest first)", classes="section")
            yield Static(id="exp-history")
        yield BoardFooter(compact=True)

    def on_mount(self) -> None:
        """Read the record off the UI thread; focus the body so arrows scroll it."""
        self.query_one("#exp-body").focus()
        self.refresh_detail()
        self.start_live_refresh(self.refresh_detail)

    def refresh_detail(self) -> None:
        """Read the record, trail and history again."""
        self.call_service(load_detail, self.expectation_id, done=self._show,
                          failed=lambda exc: self._say(str(exc), error=True))

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        rec = data["record"]
        self.query_one("#exp-title", Static).update(Content.assemble(
            (f"Expectation #{rec['id']}", "bold"), " · ", short(data["customer"], 30),
            " · ", (status_label(rec.get("status")), "bold")))
        self.query_one("#exp-facts", Static).update(facts(data))
        self.query_one("#exp-trail", Static).update(trail_lines(data["trail"], self.app.ctx.zone))
        self.query_one("#exp-history", Static).update(
            history_lines(data["history"], self.app.ctx.zone))
        if self._first_load:
            self._first_load = False
            self._say("")

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#exp-message", Static)
        message.update(content(text))
        message.set_class(error, "-error")

    def highlighted_record(self) -> tuple[str, int] | None:
        """This expectation, for a config command."""
        return ("expectation", self.expectation_id)

    def expectation_target(self) -> dict[str, Any] | None:
        """The record shown (None until it has loaded)."""
        return self.data["record"] if self.data else None

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """Show what happened and read the record again."""
        self._say(message, error=error)
        if not error:
            self.app.notify(message, markup=False)
        if reload:
            self.refresh_detail()

    def action_edit(self) -> None:
        """Edit statement, category, owner, project (E); the due date: renegotiate (n)."""
        from relboard.screens.expectation_form import ExpectationForm

        def saved(result: int | None) -> None:
            if result is not None:
                self.expectation_changed("Saved")

        if (rec := self.expectation_target()) is not None:
            self.app.push_screen(ExpectationForm(rec["customer"], self.expectation_id), saved)

    def action_back(self) -> None:
        """Back to where the detail was opened from."""
        self.app.pop_screen()
