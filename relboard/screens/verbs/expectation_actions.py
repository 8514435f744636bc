"""Expectation verbs shared by the register, the expectation's detail and Today.

One key per move, the same everywhere (README "Keys"): ``a`` agree, ``r`` at risk, ``d`` met
(done), ``x`` missed, ``W`` withdraw, ``R`` renegotiate. Messages say what changed
("#7 agreed → at risk"); every move can be undone with ``u``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from relboard.services import ConflictError, ServiceError, ValidationError
from relboard.widgets.key_hints import undo_hint
from relboard.widgets.safe import short
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

EXPECTATION_BINDINGS = [
    Binding("a", "agree", "Agree", id="expectation.agree"),
    Binding("r", "at_risk", "At risk", id="expectation.at_risk"),
    Binding("d", "met", "Met", id="expectation.met"),
    Binding("x", "missed", "Missed", id="expectation.missed", show=False),
    Binding("W", "withdraw", "Withdraw", id="expectation.withdraw", show=False),
    Binding("R", "renegotiate", "Renegotiate", id="expectation.renegotiate"),
]
"""The expectation verbs of the key language."""

SKIPS_TO_MISSED = ("proposed", "agreed", "renegotiated")
"""Statuses from which "missed" skips "at risk": the move asks first."""


def status_label(status: str | None) -> str:
    """A status as words: ``at_risk`` -> ``at risk``."""
    return (status or "").replace("_", " ")


class ExpectationActions(ServiceCaller):
    """Status moves and renegotiation for a screen that shows one or more expectations.

    The screen provides ``expectation_target`` (the row to act on: id, version, statement) and
    ``expectation_changed`` (refresh and say what happened).
    """

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    def expectation_target(self) -> dict[str, Any] | None:
        """The expectation the next action applies to."""
        raise NotImplementedError

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """Refresh (when ``reload``) and show ``message``."""
        raise NotImplementedError

    def move_expectation(self, status: str, row: dict[str, Any] | None = None) -> None:
        """Move the target expectation to ``status`` through the service; a move that skips
        a step (missed while agreed, not at risk) asks first."""
        row = row or self.expectation_target()
        if row is None:
            self.expectation_changed("No expectation selected", error=True, reload=False)
            return
        was = row.get("status")
        if status == "missed" and was in SKIPS_TO_MISSED:
            from relboard.screens.confirm import ConfirmDialog

            question = (f"Mark “{short(row.get('statement'), 40)}” missed? It is "
                        f"{status_label(was)}, not at risk")

            def answered(ok: Any) -> None:
                if ok:
                    self._move(status, row)

            self.app.push_screen(ConfirmDialog(question), answered)
            return
        self._move(status, row)

    def _move(self, status: str, row: dict[str, Any]) -> None:
        what = short(row.get("statement"), 40)
        was = status_label(row.get("status"))
        from relboard.services import expectations

        self.call_service(
            expectations.set_status, self.app.ctx, row["id"], row["version"], status,
            done=lambda _version: self.expectation_changed(
                f"#{row['id']} {was} → {status_label(status)}: {what} {undo_hint(self)}"),
            failed=self._expectation_refused, notify_errors=False)

    def action_withdraw(self) -> None:
        """Withdraw the target after a yes in the confirmation dialog."""
        row = self.expectation_target()
        if row is None:
            self.expectation_changed("No expectation selected", error=True, reload=False)
            return
        from relboard.screens.confirm import ConfirmDialog

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
        from relboard.screens.renegotiate_form import RenegotiateForm

        what = short(row.get("statement"), 40)

        def back(saved: Any) -> None:
            if saved is not None:
                self.expectation_changed(
                    f"#{row['id']} renegotiated: {what} {undo_hint(self)}")

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
