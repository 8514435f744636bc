"""The fixed vocabularies (tiers, channels, statuses...) for screens (``relboard.domain``)."""

from relboard.domain import (  # noqa: F401 - re-exported for the UI layer
    CHANNELS,
    ENGAGEMENT,
    EXPECTATION_CATEGORIES,
    EXPECTATION_STATUSES,
    FEEDBACK_KINDS,
    HEALTH_BANDS,
    ISSUE_STATUSES,
    PHASES,
    REFERRAL_STATUSES,
    RISK_STATUSES,
    SEVERITIES,
    TIERS,
)

__all__ = [
    "CHANNELS", "ENGAGEMENT", "EXPECTATION_CATEGORIES", "EXPECTATION_STATUSES", "FEEDBACK_KINDS",
    "HEALTH_BANDS", "ISSUE_STATUSES", "PHASES", "REFERRAL_STATUSES", "RISK_STATUSES",
    "SEVERITIES", "TIERS",
]
