"""Every kind of record, declared once (``declare.Kind``), in the order files list them.

Adding a kind of record: its table in ``models.py`` (and a migration for existing boards),
its declaration in a module here, and one line in ``KINDS``. Its file section (export and
import), its audit labels, its search entry, its profile tab, its form and the read-only
guard's action follow from the declaration.
"""

from __future__ import annotations

from relboard.services.kinds.declare import Column, Form, Input, Kind, Search, Tab
from relboard.services.kinds.logs import ACTIVITY_KIND, CHANGE_KIND, SNAPSHOT_KIND, SNOOZE_KIND
from relboard.services.kinds.playbooks import PLAYBOOK_RUN_KIND, PLAYBOOK_STEP_KIND
from relboard.services.kinds.register import DECISION_KIND, FEEDBACK_KIND, REFERRAL_KIND, RISK_KIND
from relboard.services.kinds.relationship import (
    CONTACT_KIND,
    CUSTOMER_KIND,
    EXPECTATION_KIND,
    INTERACTION_KIND,
    ISSUE_KIND,
    PROJECT_KIND,
)

KINDS: tuple[Kind, ...] = (
    CUSTOMER_KIND, CONTACT_KIND, PROJECT_KIND, INTERACTION_KIND, EXPECTATION_KIND,
    DECISION_KIND, CHANGE_KIND, ISSUE_KIND, RISK_KIND, FEEDBACK_KIND, REFERRAL_KIND,
    SNAPSHOT_KIND, PLAYBOOK_RUN_KIND, PLAYBOOK_STEP_KIND, ACTIVITY_KIND, SNOOZE_KIND,
)
"""Every kind, in file order: a section's records may refer only to earlier sections'."""

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
RECORD_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.editable)
"""The kinds the services create and change as records (``records``)."""
SECTIONS: tuple[tuple[str, str], ...] = tuple((k.section, k.name) for k in KINDS if k.section)
"""``(section, kind)`` of every kind a file holds, in file order."""
SEARCHED: tuple[Kind, ...] = tuple(sorted((k for k in KINDS if k.search),
                                          key=lambda k: k.search.code))
"""The kinds "Search everything" finds, by their index code."""
TABBED: tuple[Kind, ...] = tuple(k for k in KINDS if k.tab)
"""The kinds listed on a customer's profile, each on its tab, with its form."""


def kind(name: str) -> Kind:
    """The kind called ``name`` (KeyError names the known ones)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; known: {', '.join(BY_NAME)}") from None


def write_actions() -> frozenset[str]:
    """The profile actions that add a record of a tabbed kind (``new_referral``)."""
    return frozenset(k.new_action for k in TABBED)


__all__ = ["KINDS", "BY_NAME", "RECORD_KINDS", "SECTIONS", "SEARCHED", "TABBED", "Column",
           "Form", "Input", "Kind", "Search", "Tab", "kind", "write_actions"]
