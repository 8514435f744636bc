"""The expectation verbs on a customer's profile: ``a`` agree, ``r`` at risk, ``d`` met,
``x`` missed, ``W`` withdraw, ``R`` renegotiate act on the highlighted row of its
Expectations tab, as on the register; on another tab, or with no row, they say so in one line.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.widgets import TabbedContent

from relboard.screens.verbs.expectation_actions import EXPECTATION_BINDINGS, ExpectationActions
from relboard.widgets.key_hints import with_keys
from relboard.widgets.paged_table import PagedTable

PROFILE_EXPECTATION_BINDINGS = [dataclasses.replace(b, show=False)
                                for b in EXPECTATION_BINDINGS]
"""The register's bindings (the same ids: a keymap's remap holds here too), out of the
profile's footer, which has its own keys to show."""

NO_TARGET = "No expectation selected"
"""What ``ExpectationActions`` says when it has no row to act on."""
NOT_HERE = ("This key acts on an expectation: open the Expectations tab "
            "({customer.tab_expectations})")
NO_ROW = "No expectation to act on: add one with {customer.expectation}"


class ProfileExpectations(ExpectationActions):
    """``ExpectationActions`` for the profile (``CustomerScreen``)."""

    def _on_expectations(self) -> bool:
        return self.query_one(TabbedContent).active == "expectations"

    def expectation_target(self) -> dict[str, Any] | None:
        """The highlighted row of the Expectations tab (None on another tab)."""
        if not self._on_expectations():
            return None
        return self.query_one("#expectations-table", PagedTable).current_row()

    def expectation_changed(self, message: str, *, error: bool = False,
                            reload: bool = True) -> None:
        """Say what happened in one line (a refusal is said already); reload the tab with the
        cursor kept on the row. With no row to act on, say where the verbs act."""
        if error and message == NO_TARGET:
            where = NO_ROW if self._on_expectations() else NOT_HERE
            self.app.notify(with_keys(self, where), severity="warning", timeout=4, markup=False)
        elif not error:
            self.app.notify(message, timeout=4, markup=False)
        if reload:
            self.query_one("#expectations-table", PagedTable).reload()
