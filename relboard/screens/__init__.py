"""The board's screens, one per file; they call services and never build queries."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScreenEntry:
    """One screen: its name, where its class lives (``module:Class`` under ``screens``) and,
    for a mode (a key on every screen shows it: ``t``, ``c``...), that it is one."""

    name: str
    spec: str
    mode: bool = False

    def load(self) -> type:
        """The screen's class (its module imported on first use)."""
        module, name = self.spec.split(":")
        return getattr(importlib.import_module(f"relboard.screens.{module}"), name)


REGISTRY = (
    ScreenEntry("today", "today:TodayScreen", mode=True),
    ScreenEntry("customers", "customers:CustomersScreen", mode=True),
    ScreenEntry("expectations", "expectations:ExpectationsScreen", mode=True),
    ScreenEntry("issues", "issues:IssuesScreen", mode=True),
    ScreenEntry("portfolio", "overview:OverviewScreen", mode=True),
    ScreenEntry("risks", "risks:RiskRegisterScreen", mode=True),
    ScreenEntry("customer", "customer:CustomerScreen"),
    ScreenEntry("expectation", "expectation:ExpectationScreen"),
    ScreenEntry("issue", "issue:IssueScreen"),
    ScreenEntry("help", "help:HelpScreen"),
    ScreenEntry("touchpoint", "touchpoint:TouchpointScreen"),
    ScreenEntry("breakdown", "breakdown:BreakdownScreen"),
    ScreenEntry("decisions", "decisions:DecisionLogScreen"),
    ScreenEntry("stakeholder_map", "stakeholder_map:StakeholderMapScreen"),
    ScreenEntry("brief", "brief:BriefScreen"),
    ScreenEntry("status_update", "status_update:StatusUpdateScreen"),
    ScreenEntry("snoozed", "snoozed:SnoozedScreen"),
    ScreenEntry("search", "search:SearchScreen"),
)
"""Every full screen, once: the app's modes, keymap checks and help are derived from it."""
MODES = tuple(entry for entry in REGISTRY if entry.mode)

RECORD_PLACES: dict[str, tuple[str, str | None]] = {
    "issue": ("issue", None),
    "expectation": ("expectation", None),
    "customer": ("customer", "overview"),
    "contact": ("customer", "overview"),
    "interaction": ("customer", "touchpoints"),
    "health": ("customer", "health"),
    "risk": ("customer", "risks"),
    "decision": ("customer", "decisions"),
}
"""Where a record of each kind is shown: its own screen, or its customer's profile on a tab
(with its row highlighted). Today, the snoozed list and search open records through it."""


def record_screen(kind: str, record_id: int, customer_id: int | None) -> Any:
    """The screen that shows the record ``kind`` #``record_id`` (of customer ``customer_id``);
    an unknown kind shows its customer."""
    name, tab = RECORD_PLACES.get(kind, ("customer", "overview"))
    entry = next(e for e in REGISTRY if e.name == name)
    if name != "customer":
        return entry.load()(record_id)
    if kind == "customer":
        return entry.load()(record_id, tab=tab)
    select = record_id if kind in ("contact", "interaction", "risk", "decision") else None
    return entry.load()(customer_id, tab=tab, select=select)


def all_screen_classes() -> list[type]:
    """The screen classes of the registry (imported on demand)."""
    return [entry.load() for entry in REGISTRY]


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
