"""Today's verbs: the same keys as the issue queue and the expectation register.

On an issue Today offers the queue's verbs (``a`` acknowledge, ``m`` mine, ``A`` assign,
``g`` in progress, ``w`` waiting on customer, ``d`` resolve); on an expectation the register's
(``a`` agree, ``r`` at risk, ``d`` met, ``x`` missed, ``W`` withdraw, ``R`` renegotiate); on
a risk ``d`` reviews it (``RiskReviewForm``: the next date proposed, enter saves); on a
renewal ``d`` asks for the next renewal date (a project's end: its new end date); on
anything ``l`` logs a touchpoint, ``z`` snoozes and enter opens. A verb that does not fit
the highlighted item says which items it is for. An issue verb passes the version and status
Today holds (the service reads the row once, and says so when someone else saved it since);
an expectation verb reads the record again first (its moves ask with its statement).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.widgets import OptionList

from relboard.screens.verbs.expectation_actions import ExpectationActions
from relboard.screens.verbs.issue_actions import IssueActions
from relboard.services.today.items import AttentionItem, item_key
from relboard.widgets.key_hints import undo_hint, with_keys

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

TODAY_VERBS = [
    Binding("a", "accept", "Ack/agree", id="today.acknowledge"),
    Binding("d", "done", "Done", id="today.done"),
    Binding("z", "snooze", "Snooze", id="today.snooze"),
    Binding("m", "verb('mine')", "Mine", id="today.assign_me", show=False),
    Binding("A", "verb('assign')", "Assign", id="today.assign", show=False),
    Binding("g", "verb('progress')", "In progress", id="today.in_progress", show=False),
    Binding("w", "verb('wait')", "Waiting", id="today.waiting", show=False),
    Binding("r", "verb('at_risk')", "At risk", id="today.at_risk", show=False),
    Binding("x", "verb('missed')", "Missed", id="today.missed", show=False),
    Binding("W", "verb('withdraw')", "Withdraw", id="today.withdraw", show=False),
    Binding("R", "verb('renegotiate')", "Renegotiate", id="today.renegotiate", show=False),
]
"""Today's one-key verbs (the ``l``, enter and mode keys are the screen's own)."""

ISSUE_VERBS = {"acknowledge", "mine", "assign", "progress", "wait"}
EXPECTATION_VERBS = {"agree", "at_risk", "missed", "withdraw", "renegotiate"}
CLOSING = {"missed", "withdraw"}
"""Expectation verbs after which the item leaves Today."""
FOR = {"issue": "an issue", "expectation": "an expectation"}
DROP_WAIT = 0.05
"""Seconds a finished item waits for the refresh that takes it off the list
(``_drop_with_refresh``)."""


class TodayVerbs(IssueActions, ExpectationActions):
    """Mixin for Today: the verbs over the highlighted item (see the module)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]
        items: dict[str, AttentionItem]  # the host screen's (TodayScreen, TodayFeed)
        _shown: tuple | None

        def refresh_items(self) -> None: ...
        def refresh_changed(self) -> None: ...

    _target: dict[str, Any] | None = None
    _acting: AttentionItem | None = None
    _leaves = False

    def current(self) -> AttentionItem | None:
        """The highlighted item (the screen's)."""
        raise NotImplementedError

    def issue_targets(self) -> list[dict[str, Any]]:
        """The issue read just before the verb (IssueActions)."""
        return [self._target] if self._target and self._target.get("kind") == "issue" else []

    def issues_changed(self) -> None:
        """After an issue verb: a new issue acknowledged leaves at once; then the groups it
        can move (IssueActions)."""
        if self.issues_acted:
            self._moved_on()
        self.refresh_changed()

    def expectation_target(self) -> dict[str, Any] | None:
        """The expectation read just before the verb (ExpectationActions)."""
        if self._target and self._target.get("kind") == "expectation":
            return self._target
        return None

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """After an expectation verb: say it, drop a closed one, rework its groups."""
        if error:
            self.refresh_items()
            return
        self._moved_on()
        self.notify(message, timeout=4, markup=False)
        self.refresh_changed()

    def offers(self, action: str) -> bool:
        """Whether the footer offers ``action`` for the highlighted item: a verb that does
        not fit its kind or its state is left out (pressed anyway, it says why)."""
        item = self.current()
        if action == "accept":
            return item is not None and (
                (item.kind == "issue" and item.status == "new")
                or (item.kind == "expectation" and item.status == "proposed"))
        if action == "done":
            return item is not None and item.kind in (  # a risk: reviewed; a renewal: renewed
                "interaction", "expectation", "issue", "risk", "step", "renewal", "project")
        if action in ("log", "snooze"):  # nothing to act on: an empty board, a "more" line
            return item is not None
        if not action.startswith("verb("):
            return True
        verb = action[len("verb('"):-len("')")]
        if item is None or item.kind != ("issue" if verb in ISSUE_VERBS else "expectation"):
            return False
        moves_to = {"mine": None, "progress": "in_progress", "wait": "waiting_on_customer",
                    "at_risk": "at_risk", "agree": "agreed"}
        if verb == "mine":
            return item.owner != self.app.ctx.user
        return moves_to.get(verb) != item.status

    def action_accept(self) -> None:
        """``a``: acknowledge an issue, agree an expectation."""
        item = self.current()
        if item is not None and item.kind == "expectation":
            self.action_verb("agree")
        else:
            self.action_verb("acknowledge")

    def action_verb(self, verb: str) -> None:
        """Run ``verb`` on the highlighted item (an expectation's record read again first)."""
        item = self.current()
        if item is None:
            return
        kind = "issue" if verb in ISSUE_VERBS else "expectation"
        if item.kind != kind:
            key = {"acknowledge": "a"}.get(verb, "")
            self.notify(f"{key or 'That key'} is for {FOR[kind]}; this is "
                        f"{'a follow-up' if item.kind == 'interaction' else 'a ' + item.kind}. "
                        "? lists the keys", severity="warning", timeout=4, markup=False)
            return

        def ready(row: dict[str, Any]) -> None:
            self._target = {**row, "kind": kind, "title": item.title}
            self._acting = item
            self._leaves = verb in CLOSING or (verb == "acknowledge"
                                               and item.group == "unacknowledged")
            if kind == "issue":
                if verb == "assign":
                    self.action_assign_to()
                else:
                    self.action_triage(verb)
            else:
                getattr(self, f"action_{verb}")()

        if kind == "issue":  # the version and status it holds: one read of the row, the save's
            ready({"id": item.record_id, "version": item.version, "status": item.status,
                   "owner": item.owner})
            return
        from relboard.services import records

        self.call_service(records.get, kind, item.record_id, done=ready,
                          failed=lambda _: self.refresh_items())

    def _moved_on(self) -> None:
        """After a verb the cursor goes to the next item: the acted-on item leaves the list
        (done, closed, a new issue acknowledged) or stays where it is, behind the cursor."""
        item, self._acting = self._acting, None
        if item is None:
            return
        if self._leaves:
            self._drop_with_refresh(item)
            return
        listing = self.query_one("#today-list", OptionList)
        key = item_key(item)
        if listing.highlighted_option is None or listing.highlighted_option.id != key:
            return  # the PM moved on already
        index = listing.get_option_index(key)
        later = [n for n, o in enumerate(listing.options) if n > index and not o.disabled]
        if later:
            listing.highlighted = later[0]

    @on(OptionList.OptionSelected, "#today-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the record behind the item."""
        item = self.current()
        if item is None:
            return
        self.app.open_record(item.kind, item.record_id, item.customer_id)

    def action_log(self) -> None:
        """Log a touchpoint with the item's customer (and stakeholder)."""
        from relboard.screens.touchpoint_form import TouchpointForm

        item = self.current()
        if item is None:
            return
        contacts = (item.record_id,) if item.kind == "contact" else ()
        answers = (item.record_id, item.version) if item.kind == "interaction" else None
        step = (item.record_id, item.version, item.title) if item.kind == "step" else None
        form = TouchpointForm(item.customer_id, contact_ids=contacts, answers=answers,
                              step=step)
        self.app.push_screen(form, lambda result: self._after_form(
            result, item if form.closed else None))

    def _after_form(self, result: object, answered: AttentionItem | None = None) -> None:
        """After the touchpoint form: a follow-up it answered (and closed), or a playbook
        step it did, leaves Today."""
        if result is not None:
            if answered is not None:
                self._drop(answered)
            done = "" if answered is None else (
                "; playbook step done" if answered.kind == "step" else "; follow-up done")
            self.notify(f"Touchpoint logged{done} {undo_hint(self)}", timeout=3,
                        markup=False)
        self.refresh_changed()

    def _drop(self, item: AttentionItem) -> None:
        """Take an item the user just finished off the list at once (the refresh that follows
        brings the counts and the next items); the cursor stays on the item after it."""
        key = item_key(item)
        listing = self.query_one("#today-list", OptionList)
        board = getattr(self, "_board", None)
        if board is not None and any(item_key(it) == key for it in board.items):
            self._board = board.less(item.group, [  # a later part must not bring it back
                it for it in board.items if item_key(it) != key])
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

    def _drop_with_refresh(self, item: AttentionItem) -> None:
        """Take an item the user just finished off the list with the refresh that follows
        (one repaint with the new counts and the item after it, instead of two), or after
        ``DROP_WAIT`` s if that refresh is slower; no later part of the list brings it back."""
        board = getattr(self, "_board", None)
        key = item_key(item)
        if board is not None and any(item_key(it) == key for it in board.items):
            self._board = board.less(item.group, [
                it for it in board.items if item_key(it) != key])
            self._shown = None  # the next fetch is shown even if it finds the same words
        self.set_timer(DROP_WAIT, lambda: self._drop(item))  # gone by then, if still listed

    def _done(self, message: str, finished: AttentionItem | None = None):
        def report(_: object) -> None:
            if finished is not None:
                self._drop_with_refresh(finished)
            self.notify(message, timeout=3, markup=False)
            self.refresh_changed()  # the groups this change can move, read from the audit

        return report

    def action_snooze(self) -> None:
        """Put the item off until a date."""
        from relboard.screens.prompt import PromptDialog

        item = self.current()
        if item is None:
            return
        tomorrow = (self.app.ctx.today() + _dt.timedelta(days=1)).isoformat()

        def chosen(value: str | None) -> None:
            from relboard.services import today

            if value:
                self.call_service(today.snooze, self.app.ctx, item, value,
                                  done=self._done(
                                      f"Snoozed until {value} {undo_hint(self)}", item),
                                  failed=lambda _: self.refresh_items())

        self.app.push_screen(PromptDialog(f"Snooze: {item.customer} · {item.title}", "Until",
                                          initial=tomorrow, kind="date", required=True,
                                          after=self.app.ctx.today()), chosen)

    def action_done(self) -> None:
        """Mark done: a follow-up done, an expectation met, an issue resolved (asks why), a
    risk reviewed (its next review date proposed: enter saves)."""
        from relboard.services import issues, today

        item = self.current()
        if item is None:
            return
        if today.can_mark_done(item):
            self.call_service(today.mark_done, self.app.ctx, item,
                              done=lambda what: self._done(
                                  f"{what.capitalize()}: {item.title} {undo_hint(self)}",
                                  item)(None),
                              failed=lambda _: self.refresh_items())
        elif item.kind == "issue":
            from relboard.screens.prompt import PromptDialog

            def resolved(text: str | None) -> None:
                if text:
                    self.call_service(issues.resolve, self.app.ctx, item.record_id,
                                      item.version, text,
                                      done=self._done(
                                          f"#{item.record_id} resolved {undo_hint(self)}",
                                          item),
                                      failed=lambda _: self.refresh_items())

            self.app.push_screen(PromptDialog(f"Resolve: {item.customer} · {item.title}",
                                              "Resolution (what was done)", kind="longtext",
                                              required=True), resolved)
        elif item.kind == "risk":
            self._review_risk(item)
        elif item.kind == "step":  # done by logging the touchpoint that did it
            self.action_log()
        elif item.kind in ("renewal", "project"):
            self._renew(item)
        else:
            self.notify(with_keys(self, today.DONE_HINTS[item.kind]), timeout=4, markup=False)

    def _renew(self, item: AttentionItem) -> None:
        """``d`` on a renewal: asks for the next renewal date (a project's new end date); a
        date that is not one, or not after today, is refused on the field, nothing saved."""
        from relboard.screens.prompt import PromptDialog
        from relboard.services import today

        renewal = item.kind == "renewal"
        label = "Next renewal on" if renewal else "The project now ends on"
        title = (f"Renewed: {item.customer}" if renewal
                 else f"Extend: {item.customer} · {item.title}")

        def chosen(value: str | None) -> None:
            if value:
                self.call_service(today.renew, self.app.ctx, item, value,
                                  done=lambda what: self._done(
                                      f"{item.customer} {what} {undo_hint(self)}", item)(None),
                                  failed=lambda _: self.refresh_items())

        self.app.push_screen(PromptDialog(title, label, kind="date", required=True,
                                          after=self.app.ctx.today()), chosen)

    def _review_risk(self, item: AttentionItem) -> None:
        """``d`` on a risk: the review dialog, its next date proposed (a shared risk to go
        through with the customer: that too, as today); enter saves."""
        from relboard.screens.risk_review import RiskReviewForm

        joint = item.group == "joint_risk"

        def reviewed(result: object) -> None:
            if result is None:
                return
            what = "Gone through with the customer" if joint else "Risk reviewed"
            self._done(f"{what}: {item.title} {undo_hint(self)}", item)(None)

        self.app.push_screen(RiskReviewForm(item.record_id, with_customer=joint), reviewed)

    def action_new_customer(self) -> None:
        """Add a customer."""
        from relboard.screens.customer_form import CustomerForm

        self.app.push_screen(CustomerForm(), lambda _: self.refresh_items())
