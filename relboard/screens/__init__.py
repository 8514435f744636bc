"""The board's screens, one per file; they call services and never build queries."""

from __future__ import annotations

import importlib

SCREENS = (
    "today:TodayScreen", "customers:CustomersScreen", "customer:CustomerScreen",
    "expectations:ExpectationsScreen", "expectation:ExpectationScreen",
    "issues:IssuesScreen", "issue:IssueScreen", "help:HelpScreen",
    "touchpoint:TouchpointScreen", "overview:OverviewScreen", "breakdown:BreakdownScreen",
    "risks:RiskRegisterScreen", "decisions:DecisionLogScreen",
    "stakeholder_map:StakeholderMapScreen", "brief:BriefScreen",
    "snoozed:SnoozedScreen", "search:SearchScreen",
)
"""Every screen with its own bindings (module:class), for keymap clash checks and help."""


def all_screen_classes() -> list[type]:
    """The screen classes named in SCREENS (imported on demand)."""
    out = []
    for spec in SCREENS:
        module, name = spec.split(":")
        out.append(getattr(importlib.import_module(f"relboard.screens.{module}"), name))
    return out
