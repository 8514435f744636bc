"""One expectation: what was promised, baseline vs current due, the whole trail and history.

The same one-key moves as the register (agree, at risk, met, missed, withdraw, renegotiate)
act on this record; the screen refreshes after each. ``ExpectationActions`` holds those moves
and is shared with the register (``relboard.screens.expectations``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from relboard.screens.confirm import ConfirmDialog
from relboard.screens.renegotiate_form import RenegotiateForm
from relboard.services import ConflictError, ServiceError, ValidationError
from relboard.services import expectations, lookups, records
from relboard.widgets.live import LiveRefresh
from relboard.widgets.safe import content, short
from relboard.widgets.service_caller import ServiceCaller
from relboard.clock import local_text
from relboard.text import safe
from relboard.widgets.read_only import ReadOnlyGuard

DONE = {"agreed": "Agreed", "at_risk": "Marked at risk", "met": "Marked met",
        "missed": "Marked missed", "withdrawn": "Withdrawn"}
"""What the message says after a status move, by the new status."""


def status_label(status: str | None) -> str:
    """A status as words: ``at_risk`` -> ``at risk``."""
    return (status or "").replace("_", " ")


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


class ExpectationActions(ServiceCaller):
    """Status moves and renegotiation for a screen that shows one or more expectations.

    The screen provides ``expectation_target`` (the row to act on: id, version, statement) and
    ``expectation_changed`` (refresh and say what happened).
    """

    def expectation_target(self) -> dict[str, Any] | None:
        """The expectation the next action applies to."""
        raise NotImplementedError

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """Refresh (when ``reload``) and show ``message``."""
        raise NotImplementedError

    def move_expectation(self, status: str, row: dict[str, Any] | None = None) -> None:
        """Move the target expectation to ``status`` through the service."""
        row = row or self.expectation_target()
        if row is None:
            self.expectation_changed("No expectation selected", error=True, reload=False)
            return
        what = short(row.get("statement"), 40)
        self.call_service(
            expectations.set_status, self.app.ctx, row["id"], row["version"], status,
            done=lambda _version: self.expectation_changed(f"{DONE[status]}: {what}"),
            failed=self._expectation_refused, notify_errors=False)

    def action_withdraw(self) -> None:
        """Withdraw the target after a yes in the confirmation dialog."""
        row = self.expectation_target()
        if row is None:
            self.expectation_changed("No expectation selected", error=True, reload=False)
            return
        question = f"Withdraw “{short(row.get('statement'), 50)}”?"

        def answered(ok: Any) -> None:
            if ok:
                self.move_expectation("withdrawn", row)

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_renegotiate(self) -> None:
        """Open the renegotiation form for the target; refresh when it saved."""
        row = self.expectation_target()
        if row is None:
            self.expectation_changed("No expectation selected", error=True, reload=False)
            return
        what = short(row.get("statement"), 40)

        def back(saved: Any) -> None:
            if saved is not None:
                self.expectation_changed(f"Renegotiated: {what}")

        self.app.push_screen(RenegotiateForm(row["id"]), back)

    def action_agree(self) -> None:
        """Agree it with the customer."""
        self.move_expectation("agreed")

    def action_at_risk(self) -> None:
        """Mark it at risk."""
        self.move_expectation("at_risk")

    def action_met(self) -> None:
        """Mark it met."""
        self.move_expectation("met")

    def action_missed(self) -> None:
        """Mark it missed."""
        self.move_expectation("missed")

    def _expectation_refused(self, exc: ServiceError) -> None:
        if isinstance(exc, ValidationError):
            text, title = "Refused: " + "; ".join(exc.errors.values()), "Not allowed"
        elif isinstance(exc, ConflictError):
            text, title = str(exc), "Changed by someone else"
        else:
            text, title = str(exc), "Not saved"
        self.app.notify(text, title=title, severity="error", markup=False, timeout=8)
        self.expectation_changed(text, error=True, reload=isinstance(exc, ConflictError))


def load_detail(expectation_id: int) -> dict[str, Any]:
    """Everything the detail shows, read in one go (runs in a worker thread)."""
    record = records.get("expectation", expectation_id)
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
        line = f"{when_text(row.get('at'), zone)}  {safe(row.get('user'))}  {safe(row.get('action'))}"
        if row.get("field"):
            line += (f"  {safe(row.get('field'))}: {short(row.get('old'), 30) or '—'} → "
                     f"{short(row.get('new'), 30) or '—'}")
        lines.append(line)
    return Content("\n".join(lines))


class ExpectationScreen(ReadOnlyGuard, ExpectationActions, Screen, LiveRefresh):
    """The detail of one expectation, its trail and its history; escape goes back."""

    CSS_PATH = "expectation.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="expectation.back"),
        Binding("g", "agree", "Agree", id="expectation.agree"),
        Binding("r", "at_risk", "Risk", id="expectation.at_risk"),
        Binding("m", "met", "Met", id="expectation.met"),
        Binding("x", "missed", "Missed", id="expectation.missed"),
        Binding("W", "withdraw", "Withdraw", id="expectation.withdraw"),
        Binding("n", "renegotiate", "Renegotiate", id="expectation.renegotiate"),
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
        yield Footer(compact=True)

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
        self.query_one("#exp-history", Static).update(history_lines(data["history"], self.app.ctx.zone))
        if self._first_load:
            self._first_load = False
            self._say("")

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#exp-message", Static)
        message.update(content(text))
        message.set_class(error, "-error")

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

        if (rec := self.expectation_target()) is not None:
            self.app.push_screen(ExpectationForm(rec["customer"], self.expectation_id),
                                 lambda saved: saved is None or self.expectation_changed("Saved"))

    def action_back(self) -> None:
        """Back to where the detail was opened from."""
        self.app.pop_screen()
