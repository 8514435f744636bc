"""The signals of the health score: each a value 0-100 (100: nothing wrong) with its reason in
plain words, or None when there is nothing to judge it by.

Every signal starts at 100 and loses points for what is wrong; its explanation ends with the
points lost ("2 critical issues open, 1 past SLA: -30"). The formulas:

- contact: full marks while the last touchpoint is within the cadence; past it, 100 x
  (2 x cadence - days) / cadence, so it reaches 0 at twice the cadence. No touchpoint ever: no
  data.
- issues: each open issue costs 10 (critical), 6 (high), 3 (medium) or 1 (low), and 10 more
  when its SLA is breached. No issue ever raised: no data.
- expectations: each missed one (current due date within ``health.missed_days``) costs 25,
  each open one past its due date 15, each at risk (not yet due) 10. No expectation (but
  withdrawn ones): no data.
- satisfaction: the CSAT of the satisfaction period, and its NPS mapped from -100..100 to
  0..100; with both, their mean. Neither answered: no data.
- sentiment: the mean sentiment (-2..+2) of the touchpoints of the last
  ``health.sentiment_days`` days that have one, mapped to 0..100. None: no data.
- risks: each open red risk (score 15-25) costs 25. No risk ever recorded: no data.

Points lost never take a value below 0. Values are whole numbers (halves round up).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from relboard.services.satisfaction import Satisfaction
from relboard.services.wording import ago_text
from relboard.text import plural

SEVERITY_POINTS = {"critical": 10, "high": 6, "medium": 3, "low": 1}
"""Points an open issue of each severity costs the issues signal."""
BREACH_POINTS = 10
"""Points more for an open issue past its SLA."""
MISSED_POINTS, OVERDUE_POINTS, AT_RISK_POINTS = 25, 15, 10
"""Points a missed, overdue or at-risk expectation costs."""
RED_RISK_POINTS = 25
"""Points an open red risk costs."""
LABELS = {"contact": "Contact", "issues": "Issues", "expectations": "Expectations",
          "satisfaction": "Satisfaction", "sentiment": "Sentiment", "risks": "Risks"}


@dataclass(frozen=True)
class Reading:
    """A signal's value (0-100, None: no data) and why."""

    value: int | None
    explanation: str


def whole(x: float) -> int:
    """``x`` rounded to a whole number, halves up (not to even)."""
    return int(math.floor(x + 0.5))


def _lost(value: int, facts: str) -> Reading:
    value = max(0, min(100, value))
    return Reading(value, f"{facts}: " + (f"-{100 - value}" if value < 100 else "no deduction"))


def _plural(n: int, word: str) -> str:
    return plural(n, word)


def contact(days_since: int | None, cadence: int) -> Reading:
    """Recency of the last touchpoint against the cadence (days)."""
    if days_since is None:
        return Reading(None, "no touchpoint logged yet")
    facts = f"last contact {ago_text(days_since)}; cadence {cadence}"
    if days_since <= cadence:
        return _lost(100, facts)
    return _lost(whole(100 * (2 * cadence - days_since) / cadence), facts)


def issues(open_issues: Iterable[tuple[str, bool]], any_recorded: bool) -> Reading:
    """Open issues as (severity name, SLA breached)."""
    rows = list(open_issues)
    if not rows and not any_recorded:
        return Reading(None, "no issues raised")
    if not rows:
        return _lost(100, "no open issues")
    lost = sum(SEVERITY_POINTS[sev] + (BREACH_POINTS if breached else 0) for sev, breached in rows)
    counts = [f"{sum(1 for s, _ in rows if s == sev)} {sev}" for sev in SEVERITY_POINTS
              if any(s == sev for s, _ in rows)]
    breached = sum(1 for _, b in rows if b)
    facts = f"{', '.join(counts)} {'issue' if len(rows) == 1 else 'issues'} open"
    if breached:
        facts += f", {breached} past SLA"
    return _lost(100 - lost, facts)


def expectations(total: int, missed: int, overdue: int, at_risk: int, missed_days: int) -> Reading:
    """Expectations: how many there are, and how many missed lately, overdue or at risk."""
    if not total:
        return Reading(None, "no expectations recorded")
    parts = [f"{missed} missed in the last {missed_days} days" if missed else "",
             f"{overdue} overdue" if overdue else "", f"{at_risk} at risk" if at_risk else ""]
    facts = ", ".join(p for p in parts if p) or (
        f"{_plural(total, 'expectation')}, none missed, overdue or at risk")
    return _lost(100 - MISSED_POINTS * missed - OVERDUE_POINTS * overdue
                 - AT_RISK_POINTS * at_risk, facts)


def satisfaction(sat: Satisfaction) -> Reading:
    """CSAT and NPS of the period (NPS mapped to 0..100; with both, their mean)."""
    values, parts = [], []
    if sat.csat.score is not None:
        values.append(sat.csat.score)
        parts.append(f"CSAT {sat.csat.score:g}% ({_plural(sat.csat.answers, 'answer')})")
    if sat.nps.score is not None:
        values.append((sat.nps.score + 100) / 2)
        parts.append(f"NPS {sat.nps.score:+g} ({_plural(sat.nps.answers, 'answer')})")
    if not values:
        return Reading(None, f"no CSAT or NPS answers in the last {sat.csat.period_days} days")
    return _lost(whole(sum(values) / len(values)), ", ".join(parts))


def sentiment(average: float | None, count: int, days: int) -> Reading:
    """Mean sentiment (-2..+2) of ``count`` recent touchpoints."""
    if not count or average is None:
        return Reading(None, f"no touchpoint with a sentiment in the last {days} days")
    facts = (f"average sentiment {average:+.1f} over {_plural(count, 'touchpoint')} in the "
             f"last {days} days")
    return _lost(whole((average + 2) * 25), facts)


def risks(red_open: int, any_recorded: bool) -> Reading:
    """Open red risks."""
    if not any_recorded:
        return Reading(None, "no risks recorded")
    if not red_open:
        return _lost(100, "no open red risks")
    return _lost(100 - RED_RISK_POINTS * red_open, f"{_plural(red_open, 'open red risk')}")
