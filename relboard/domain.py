"""The domain's fixed words, in one place: tiers, channels, statuses, severities, bands.

Names only (no database, no Textual): the models, the config, the services and the screens
all read them from here, so a vocabulary is never copied and cannot drift. Severity is a name
(``critical`` ... ``low``) everywhere but in the database, which stores its rank (1 = critical)
so queues sort by it: ``severity_rank`` and ``severity_name`` convert at that boundary.
"""

from __future__ import annotations

TIERS = ("strategic", "key", "standard")
ENGAGEMENT = ("unaware", "resistant", "neutral", "supportive", "leading")
CHANNELS = ("call", "email", "meeting", "video", "chat", "site_visit", "other")
PHASES = ("initiation", "planning", "execution", "monitoring", "closing", "closed")
EXPECTATION_CATEGORIES = ("scope", "timeline", "deliverable", "quality", "budget",
                          "communication")
EXPECTATION_STATUSES = (
    "proposed", "agreed", "at_risk", "met", "missed", "renegotiated", "withdrawn",
)
OPEN_EXPECTATION_STATUSES = ("proposed", "agreed", "at_risk", "renegotiated")
"""An expectation still to be met: Today, the register and the brief count these."""
SEVERITIES = ("critical", "high", "medium", "low")
"""Worst first; stored as its rank 1..4 so queues sort by it."""
ISSUE_STATUSES = (
    "new", "acknowledged", "in_progress", "waiting_on_customer", "resolved", "closed",
)
OPEN_ISSUE_STATUSES = ISSUE_STATUSES[:4]
"""An issue not yet resolved: its SLA clocks run (or wait, on the customer)."""
RISK_STATUSES = ("open", "mitigating", "occurred", "closed")
OPEN_RISK_STATUSES = RISK_STATUSES[:3]
"""A risk still worked on: reviews fall due, the register lists it by default."""
FEEDBACK_KINDS = ("csat", "nps")
REFERRAL_STATUSES = ("new", "qualified", "won", "lost")
HEALTH_BANDS = ("red", "amber", "green")
"""Health bands, worst first."""
HEALTH_SIGNALS = ("contact", "issues", "expectations", "satisfaction", "sentiment", "risks")
"""The signals of the health score, in the order they are shown."""


def severity_rank(name: str) -> int:
    """The stored rank of a severity name (critical 1 ... low 4); ValueError if unknown."""
    return SEVERITIES.index(name) + 1


def severity_name(rank: int) -> str:
    """The name of a stored severity rank (1 critical ... 4 low); ValueError if out of range."""
    if not 1 <= rank <= len(SEVERITIES):
        raise ValueError(f"no severity of rank {rank!r}")
    return SEVERITIES[rank - 1]


def parse_severity(value: object) -> str:
    """The severity name a person gave: a name (any case) or its rank written as 1-4 (the
    CLI's ``--severity 2``, a number in an import file); ValueError saying what is allowed.
    The one place a rank typed by a person becomes a name."""
    text = str(value).strip().lower()
    if text in SEVERITIES:
        return text
    if text in ("1", "2", "3", "4"):
        return severity_name(int(text))
    raise ValueError("must be critical, high, medium or low (or 1-4)")
