"""Triage keys shared by the issue queue and the issue detail: one key per action.

A screen mixes this in and says which issues an action applies to (``issue_targets``: the
marked rows, or the one under the cursor) and what to do afterwards (``issues_changed``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from relboard.services import ServiceError
from relboard.widgets.key_hints import undo_hint
from relboard.widgets.service_caller import ServiceCaller, recording_for

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from relboard.widgets.board_app import BoardApp

TRIAGE_BINDINGS = [
    Binding("a", "triage('acknowledge')", "Ack", id="issue.acknowledge"),
    Binding("m", "triage('mine')", "Mine", id="issue.assign_me"),
    Binding("A", "assign_to", "Assign", id="issue.assign", show=False),
    Binding("1", "triage('sev1')", "Critical", id="issue.critical", show=False),
    Binding("2", "triage('sev2')", "High", id="issue.high", show=False),
    Binding("3", "triage('sev3')", "Medium", id="issue.medium", show=False),
    Binding("4", "triage('sev4')", "Low", id="issue.low", show=False),
    Binding("g", "triage('progress')", "In progress", id="issue.in_progress", show=False),
    Binding("w", "triage('wait')", "Waiting", id="issue.waiting", show=False),
    Binding("d", "resolve", "Resolve", id="issue.resolve"),
    Binding("z", "snooze", "Snooze", id="issue.snooze", show=False),
    Binding("o", "triage('reopen')", "Reopen", id="issue.reopen", show=False),
]
"""The issue verbs of the key language (README "Keys"): the queue, the issue and Today."""

RANK = {"new": 0, "acknowledged": 1, "in_progress": 2, "waiting_on_customer": 2,
        "resolved": 3, "closed": 4}
"""How far along each status is: a move to a lower rank goes back, and asks first."""
TARGET = {"acknowledge": "acknowledged", "progress": "in_progress",
          "wait": "waiting_on_customer"}
"""The status each one-key status move goes to."""

_SIMPLE: dict[str, tuple[str, str, tuple[Any, ...]]] = {
    "acknowledge": ("acknowledged", "acknowledge", ()),
    "progress": ("in progress", "set_status", ("in_progress",)),
    "wait": ("waiting on customer", "set_status", ("waiting_on_customer",)),
    "reopen": ("reopened", "reopen", ()),
    "sev1": ("set to critical", "set_severity", ("critical",)),
    "sev2": ("set to high", "set_severity", ("high",)),
    "sev3": ("set to medium", "set_severity", ("medium",)),
    "sev4": ("set to low", "set_severity", ("low",)),
}
"""Each one-key action: its words, the ``services.issues`` function and its extra values."""


def issue_service(name: str) -> Callable[..., int]:
    """A function of ``services.issues``, imported on first use (Today is drawn before the
    database code is loaded)."""
    from relboard.services import issues

    return getattr(issues, name)


class IssueActions(ServiceCaller):
    """Mixin: triage actions over ``issue_targets()``."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

        def notify(self, message: str, *, title: str = "",  # the host screen's (Widget's)
                   severity: SeverityLevel = "information", timeout: float | None = None,
                   markup: bool = True) -> None: ...

    issues_acted = 0
    """How many issues the last action changed (read in ``issues_changed``)."""

    def issue_targets(self) -> list[dict[str, Any]]:
        """Rows with at least ``id`` and ``version`` to act on."""
        raise NotImplementedError

    def issues_changed(self) -> None:
        """Called on the UI thread after an action (reload what is shown)."""
        raise NotImplementedError

    def _apply(self, label: str, name: str, *extra: Any) -> None:
        targets = [(row["id"], row["version"]) for row in self.issue_targets()]
        if not targets:
            return
        ctx = self.app.ctx
        fn = issue_service(name)

        already = label.removeprefix("set to ")

        def run() -> tuple[int, list[str], str, list[int]]:
            ok, refused, same = 0, [], []
            with recording_for(self.app) as step:
                for issue_id, version in targets:
                    noted = len(step.notes)
                    try:
                        fn(ctx, issue_id, version, *extra)
                    except ServiceError as exc:
                        refused.append(f"#{issue_id}: {exc}")
                        continue
                    if len(step.notes) == noted:  # it was so already: nothing was written
                        same.append(issue_id)
                    else:
                        ok += 1
            return ok, refused, step.describe(), same

        def report(result: tuple[int, list[str], str, list[int]]) -> None:
            ok, refused, what, same = result
            self.issues_acted = ok
            if ok:  # "issue #12 status new → acknowledged", "3 issues in progress"
                text = what if ok == 1 else f"{what} {label}"
                self.notify(f"{text[:1].upper()}{text[1:]} {undo_hint(self)}", timeout=4,
                            markup=False)
            if same:
                which = (f"Issue #{same[0]} is" if len(same) == 1
                         else f"{len(same)} issues are")
                self.notify(f"{which} already {already}: nothing was changed", timeout=4,
                            markup=False)
            for reason in refused[:3]:
                self.notify(reason, severity="warning", markup=False, timeout=6)
            self.issues_changed()

        self.call_service(run, done=report)

    def action_triage(self, what: str) -> None:
        """One of the one-key actions (acknowledge, mine, severity, in progress, wait,
        reopen). A move back (acknowledge on an issue in progress) asks first."""
        if what == "mine":
            self._take()
            return
        label, fn, extra = _SIMPLE[what]
        target = TARGET.get(what)
        back = [row for row in self.issue_targets() if target and row.get("status")
                and RANK.get(row["status"], 0) > RANK[target]]
        if not back:
            self._apply(label, fn, *extra)
            return
        from relboard.screens.confirm import ConfirmDialog

        row = back[0]
        was = str(row["status"]).replace("_", " ")
        question = (f"#{row['id']} is {was}: move it back to {label}?" if len(back) == 1
                    else f"{len(back)} of the issues are further along: move them back to "
                    f"{label}?")
        self.app.push_screen(ConfirmDialog(question),
                             lambda yes: self._apply(label, fn, *extra) if yes else None)

    def _take(self) -> None:
        """``m``: assign to me; an issue someone else owns asks first ("take #19 from
        alex?"): nobody loses an issue by a key pressed on the wrong row."""
        me = self.app.ctx.user
        label = f"assigned to {me}"
        others = [row for row in self.issue_targets() if row.get("owner") not in (None, "", me)]
        if not others:
            self._apply(label, "assign", me)
            return
        from relboard.screens.confirm import ConfirmDialog
        from relboard.text import safe

        row = others[0]
        question = (f"Take #{row['id']} from {safe(row['owner'])}?" if len(others) == 1
                    else f"{len(others)} of the issues are others' "
                    f"({', '.join(sorted({safe(r['owner']) for r in others})[:3])}): take "
                    "them?")
        self.app.push_screen(ConfirmDialog(question),
                             lambda yes: self._apply(label, "assign", me) if yes else None)

    def _what(self) -> str:
        """What the next action applies to, for a dialog's title."""
        targets = self.issue_targets()
        if len(targets) == 1:
            return f"#{targets[0]['id']} {targets[0].get('title', '')}"
        return f"{len(targets)} marked issues"

    def action_assign_to(self) -> None:
        """Assign to someone (asks who; known users are suggested as you type, and a name
        nobody has used asks before it is saved)."""
        from relboard.screens.prompt import PromptDialog

        if not self.issue_targets():
            return
        what = self._what()

        def ask(known: list[str]) -> None:
            self.app.push_screen(PromptDialog(f"Assign: {what}",
                                              f"Owner (e.g. {', '.join(known[:6])})",
                                              kind="text", required=True, suggestions=known),
                                 lambda owner: self._assign_checked(owner, known))

        from relboard.services import lookups

        self.call_service(lookups.owner_choices, self.app.ctx, done=ask, parallel=True)

    def _assign_checked(self, owner: str | None, known: list[str]) -> None:
        """Assign to ``owner``; a name not in ``known`` (as shown: cleaned) asks first."""
        from relboard.screens.confirm import ConfirmDialog
        from relboard.text import safe

        name = (owner or "").strip()
        if not name:
            return
        if name in {safe(k).strip() for k in known}:
            self._apply(f"assigned to {name}", "assign", name)
            return
        from relboard.services.team import near_names

        near = near_names(name, known)
        hint = f" (did you mean {' or '.join(near)}?)" if near else ""
        self.app.push_screen(
            ConfirmDialog(f"“{name}” is a new name{hint}; assign anyway?"),
            lambda yes: self._apply(f"assigned to {name}", "assign", name) if yes else None)

    def action_resolve(self) -> None:
        """Resolve (asks for the resolution)."""
        from relboard.screens.prompt import PromptDialog

        if not self.issue_targets():
            return

        def chosen(text: str | None) -> None:
            if text and text.strip():
                self._apply("resolved", "resolve", text.strip())

        self.app.push_screen(PromptDialog(f"Resolve: {self._what()}",
                                          "Resolution (what was done)",
                                          kind="longtext", required=True), chosen)

    def action_snooze(self) -> None:
        """Snooze until a date (hidden from Today; its SLA keeps running)."""
        import datetime as _dt

        from relboard.screens.prompt import PromptDialog

        if not self.issue_targets():
            return
        today = self.app.ctx.today()
        tomorrow = (today + _dt.timedelta(days=1)).isoformat()

        def chosen(day: str | None) -> None:
            if day:
                self._apply(f"snoozed until {day}", "snooze", day)

        self.app.push_screen(PromptDialog(f"Snooze: {self._what()}", "Until", initial=tomorrow,
                                          kind="date", required=True, after=today), chosen)
