"""One touchpoint in full: when, how, who took part, the whole summary, its follow-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from relboard.clock import local_text
from relboard.services import records, touchpoints
from relboard.services.wording import touchpoint_kind
from relboard.widgets.key_hints import with_keys
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import plain
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

MOOD = {-2: "very negative", -1: "negative", 0: "neutral", 1: "positive", 2: "very positive"}


class TouchpointScreen(ReadOnlyGuard, ModalScreen[bool], ServiceCaller):
    """The full text of a touchpoint; ``d`` marks its follow-up done, ``E`` edits it."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    BINDINGS = [
        Binding("escape", "close", "Close", id="touchpoint.close"),
        Binding("d", "follow_up_done", "Follow-up done", id="touchpoint.follow_up_done"),
        Binding("E", "edit", "Edit", id="touchpoint.edit"),
        Binding("ctrl+r", "refresh", "Refresh", id="touchpoint.refresh", show=False),
    ]
    CSS_PATH = "touchpoint.tcss"

    def __init__(self, interaction_id: int) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.row: dict[str, Any] | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        """A scrolling box of text."""
        with VerticalScroll(id="touchpoint-box"):
            yield Static(plain("Loading…"), id="touchpoint-text")

    def on_mount(self) -> None:
        """Read it."""
        self.load()

    def action_refresh(self) -> None:
        """Read it again (a modal: the app's ``ctrl+r`` does not reach it)."""
        self.read_again()

    def read_again(self) -> None:
        """``ctrl+r``: read the touchpoint again."""
        self.load()

    def load(self) -> None:
        """The touchpoint and its participants (in a thread); gone, or a failing database:
        said in one line, then the screen closes."""
        interaction_id = self.interaction_id
        self.call_service(lambda: (records.get("interaction", interaction_id),
                                   touchpoints.participants(interaction_id)),
                          parallel=True, group="touchpoint", exclusive=True,
                          done=lambda got: self._show(*got),
                          failed=lambda _problem: self.dismiss(self.changed),
                          placeholder=self.query_one("#touchpoint-text", Static))

    def _show(self, row: dict[str, Any], people: list[dict[str, Any]]) -> None:
        self.row = row
        who = ", ".join(p["name"] for p in people) or "(nobody recorded)"
        mood = MOOD.get(row["sentiment"], "not recorded")
        kind = touchpoint_kind(row["channel"], row["internal"])
        zone = self.app.ctx.zone
        lines = [f"{local_text(row['occurred_at'], zone)} · {kind} · sentiment {mood}",
                 f"With: {who}   Logged by {row['created_by']}"]
        if row["follow_up_on"]:
            state = (f"done {local_text(row['follow_up_done_at'], zone, '%Y-%m-%d')}"
                     if row["follow_up_done_at"]
                     else with_keys(self, "open — {touchpoint.follow_up_done} marks it done"))
            lines.append(f"Follow-up: {row['follow_up_on']} ({state})")
        lines += ["", row["summary"], "",
                  with_keys(self, "{touchpoint.edit} edits · {touchpoint.close} closes")]
        self.query_one("#touchpoint-text", Static).update(plain("\n".join(lines),
                                                                multiline=True))

    def action_follow_up_done(self) -> None:
        """Mark the open follow-up done."""
        if not self.row:
            return

        def done(_: object) -> None:
            self.changed = True
            self.app.notify("Follow-up done", timeout=3, markup=False)
            self.load()

        self.call_service(touchpoints.complete_follow_up, self.app.ctx, self.interaction_id,
                          self.row["version"], done=done)

    def action_edit(self) -> None:
        """Edit the touchpoint in its form; show the saved values."""
        from relboard.screens.touchpoint_edit import TouchpointEditForm

        if not self.row:
            return

        def back(saved: int | None) -> None:
            if saved is not None:
                self.changed = True
                self.load()

        self.app.push_screen(TouchpointEditForm(self.row["customer"], self.interaction_id), back)

    def action_close(self) -> None:
        """Back to the timeline."""
        self.dismiss(self.changed)
