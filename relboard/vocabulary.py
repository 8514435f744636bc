"""The board's key language: one meaning per key, on every screen where it makes sense.

The README's "Keys" table and the help screen show this table; a test holds every binding of
every screen to it (a key bound to an action its row does not name is a test failure), so a
letter cannot quietly mean two things. Dialogs (yes/no, conflict, forms) answer with their
own letters and are not part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One key (or keys) of the language: what it means, and the actions that do it."""

    keys: tuple[str, ...]
    meaning: str
    actions: frozenset[str]


def _w(keys: str, meaning: str, *actions: str) -> Word:
    return Word(tuple(keys.split()), meaning, frozenset(actions))


VOCABULARY: tuple[Word, ...] = (
    # where to go: the same on every screen
    _w("t", "Today", "show_mode('today')"),
    _w("c", "Customers", "show_mode('customers')"),
    _w("e", "Expectation register", "show_mode('expectations')"),
    _w("i", "Issue queue", "show_mode('issues')"),
    _w("p", "Portfolio overview", "show_mode('portfolio')"),
    _w("K", "Risk register", "show_mode('risks')", "risks"),
    _w("D", "Decision log", "decisions"),
    _w("G", "Stakeholder map (from the overview)", "stakeholders"),
    _w("Z", "Snoozed items (z there wakes one)", "snoozed"),
    _w("ctrl+f", "Search everything", "search"),
    _w("question_mark f1", "Help: the keys of this screen (q, escape close it)", "help",
       "dismiss"),
    _w("q ctrl+q", "Quit (asks first when a form has changes)", "quit", "dismiss"),
    _w("u", "Undo this session's last change (again: the one before)", "undo"),
    _w("ctrl+z", "Suspend relboard to the shell (fg brings it back)", "suspend_process"),
    # moving and finding
    _w("j k down up", "Down, up", "cursor_down", "cursor_up"),
    _w("enter", "Open what is highlighted (on an issue: its customer)", "open",
       "open_customer"),
    _w("escape", "Back, close, clear the filter", "back", "close", "clear", "close_filter",
       "dismiss", "cancel"),
    _w("slash", "Filter the list as you type", "filter", "customer_filter"),
    _w("s", "Sort", "sort"),
    _w("f", "Filter by status (cycles); gaps only on the map", "cycle_status", "toggle_gaps"),
    _w("v", "Due-window filter: due soon, review due", "cycle_due", "toggle_review"),
    _w("B", "Band filter (risks)", "cycle_band"),
    _w("O", "Owner filter (risks)", "owner_filter"),
    _w("M", "Mine / everyone's", "toggle_mine"),
    _w("V", "Preview: the highlighted item's record beside the list (from 120 columns) or "
       "below it", "toggle_preview"),
    _w("full_stop", "Show archived customers too", "toggle_archived"),
    _w("space", "Mark a row (the verbs then act on every marked row)", "toggle_mark"),
    _w("left_square_bracket right_square_bracket", "Previous, next queue",
       "previous_queue", "next_queue"),
    _w("1 2 3 4 5 6 7 8 9 0",
       "A tab of the profile, map or portfolio (figures, trends); on an issue its severity 1-4",
       "tab", "triage('sev1')", "triage('sev2')", "triage('sev3')", "triage('sev4')"),
    _w("ctrl+r", "Read again now", "refresh"),
    _w("ctrl+e", "Export the list as shown (its filter and sort) to a CSV file",
       "export_csv"),
    # making and changing
    _w("n", "New: a record of what the list or tab shows", "new", "new_customer"),
    _w("l", "Log a touchpoint with this customer", "log"),
    _w("E", "Edit what is shown", "edit"),
    _w("b", "Meeting brief of this customer", "brief"),
    _w("y", "Status update for the customer (what they may read)", "status_update"),
    _w("S X I P C F U H", "On a profile: new stakeholder, expectation, issue, project, "
       "decision, feedback, referral, health rating", "add_stakeholder", "new_expectation",
       "new_issue", "new_project", "new_decision", "new_feedback", "new_referral", "rate"),
    _w("L", "Apply a playbook to the customer (its steps become follow-ups)",
       "apply_playbook"),
    _w("ctrl+d", "Archive or restore the customer (asks)", "archive"),
    _w("delete", "Archive the highlighted stakeholder (asks)", "archive_stakeholder"),
    # the verbs: issues, expectations, follow-ups, anything on Today
    _w("a", "Accept: acknowledge an issue, agree an expectation", "accept", "agree",
       "triage('acknowledge')", "verb('acknowledge')"),
    _w("d", "Done: resolve an issue (asks how), expectation met, follow-up done, risk "
       "reviewed (next date proposed)", "done",
       "resolve", "met", "follow_up_done", "review"),  # review: a risk (risk_review)
    _w("z", "Snooze until a date (un-snooze in the snoozed list)", "snooze", "unsnooze"),
    _w("m", "Mine: assign the issue to me (asks before taking someone else's)",
       "triage('mine')", "verb('mine')"),
    _w("A", "Assign the issue to… (known names offered)", "assign_to", "verb('assign')"),
    _w("g", "Issue in progress", "triage('progress')", "verb('progress')"),
    _w("w", "Issue waiting on the customer (its SLA clock pauses)", "triage('wait')",
       "verb('wait')"),
    _w("o", "Reopen a resolved or closed issue", "triage('reopen')"),
    _w("r", "Expectation at risk", "at_risk", "verb('at_risk')"),
    _w("x", "Expectation missed (asks when it was not at risk)", "missed", "verb('missed')"),
    _w("W", "Withdraw the expectation (asks)", "withdraw", "verb('withdraw')"),
    _w("R", "Renegotiate the expectation: new date or statement, with why", "renegotiate",
       "verb('renegotiate')"),
)
"""Every key of the language, in the order the README and help list them."""


def meaning_of(key: str) -> Word | None:
    """The row of ``key`` (a Textual key name such as ``slash``), or None."""
    return next((w for w in VOCABULARY if key in w.keys), None)


KEY_PLACE = re.compile(r"(?P<paren> \()?\{(?P<id>[a-z_]+\.[a-z_]+)\}(?(paren)\))")
"""Where a hint names a key: ``{binding.id}``, or `` ({binding.id})`` (a parenthesis that
goes with the key when nothing is bound to it). The screens put in the key bound now
(``widgets.key_hints``), so a keymap's remap shows in the hint too."""


def without_keys(text: str) -> str:
    """``text`` with its key places dropped (a message where no screen is to name the key)."""
    return KEY_PLACE.sub(lambda match: "" if match["paren"] else match["id"], text)
