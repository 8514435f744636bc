"""The board's screens, one per file; they call services and never build queries."""

from __future__ import annotations

import importlib
import pkgutil

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


def all_binding_classes() -> list[type]:
    """Every screen, form, dialog and widget class of relboard that declares bindings (each
    module of ``relboard.screens`` and ``relboard.widgets`` imported): the nodes a keymap
    reaches, for its check and for help."""
    from textual.dom import DOMNode

    out: list[type] = []
    for package in ("relboard.screens", "relboard.widgets"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            out += [cls for cls in vars(module).values()
                    if isinstance(cls, type) and issubclass(cls, DOMNode)
                    and cls.__module__ == module.__name__ and "BINDINGS" in vars(cls)]
    return out
