"""The cells of the profile's tables and its overview text, from service rows (untrusted
text is made safe by ``PagedTable``/``plain`` when shown)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard.clock import local_text
from relboard.services import tags
from relboard.services.profiles import Profile
from relboard.services.wording import ago_text, days_text, touchpoint_kind
from relboard.widgets.paged_table import Column
from relboard.widgets.safe import plain

SENTIMENT = {-2: "--", -1: "-", 0: "·", 1: "+", 2: "++", None: " "}


def words(value: Any) -> str:
    """A stored word as text: ``at_risk`` -> ``at risk``; None -> empty."""
    return "" if value is None else str(value).replace("_", " ")


def day(value: Any) -> str:
    """A date as YYYY-MM-DD, or a dash."""
    return value.isoformat() if isinstance(value, _dt.date) else "—"


def one_line(value: Any) -> str:
    """Text on one line (cells are one line high)."""
    return " ".join(str(value or "").split())


def touchpoint_cells(row: dict[str, Any], zone: _dt.tzinfo) -> tuple[Any, ...]:
    """A timeline row: when, channel, mood, summary (internal notes marked)."""
    follow = ""
    if row["follow_up_on"] and not row["follow_up_done_at"]:
        follow = f"follow-up {row['follow_up_on']}: "
    kind = touchpoint_kind(row["channel"], row["internal"])
    return (local_text(row["occurred_at"], zone), kind, SENTIMENT[row["sentiment"]],
            follow + one_line(row["summary"]))


def expectation_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """An expectation row: due, status, statement (↻ when renegotiated off its baseline)."""
    moved = "↻" if row["baseline_due"] != row["current_due"] else " "
    return (f"{row['current_due']}{moved}", words(row["status"]), row["statement"])


def issue_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """An issue row: severity, status, SLA, title."""
    from relboard.screens.issues import sla_cell

    return (row["severity"], words(row["status"]), sla_cell(row["sla"]), row["title"])


def risk_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A risk row: score, band (with what a red risk lacks), status, review date, title (a
    risk shared with the customer: with whom on their side, and when last gone through)."""
    band = row["band"] + ("!" if row.get("missing") else "")
    review = day(row["review_on"]) + ("*" if row.get("review_due") else "")
    title = row["title"]
    if row.get("their_owner"):
        joint = row.get("reviewed_with_customer_on")
        title += (f" (shared with {row['their_owner']}"
                  + (f", gone through {day(joint)})" if joint else ", not gone through yet)"))
    return (str(row["score"]), band, words(row["status"]), review, title)


def decision_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A decision row: when, what, who took part (stakeholders, then the free text)."""
    people = [name for _, name in row.get("contacts", ())]
    if (row.get("participants") or "").strip():
        people.append(one_line(row["participants"]))
    return (day(row["decided_on"]), row["title"], ", ".join(people) or "—")


def feedback_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A feedback row: when, kind, answer, who, comment."""
    return (day(row["received_on"]), row["kind"].upper(), str(row["score"]),
            row["contact_name"] or "—", one_line(row["comment"]) or "—")


def project_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A project row: name (archived marked), phase, start, end."""
    name = row["name"] + (" (archived)" if row["archived"] else "")
    return (name, words(row["phase"]), day(row["start_date"]), day(row["end_date"]))


def referral_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    """A referral row: when, status, who was referred, given by."""
    return (day(row["referred_on"]), words(row["status"]), row["referred_name"],
            row["contact_name"] or "—")


STAKEHOLDER_COLUMNS = [
    Column("name", "Stakeholder", 13, flex=True), Column("role", "Role", 7, flex=True),
    Column("channel", "Prefers", 7), Column("ii", "I/I", 3),
    Column("engagement", "Now → wanted", 22, squeeze=4), Column("gap", "Gap", 3),
]
"""The stakeholder table: name and role share what the fixed columns leave."""

def stakeholder_cells(k: dict[str, Any]) -> tuple[Any, ...]:
    """A stakeholder row: name, role, preferred channel, influence/interest, engagement now →
    wanted, and the gap (▲ to raise, ▼ more than needed, ✓ where they should be)."""
    gap = f"▲{k['gap']}" if k["gap"] > 0 else (f"▼{-k['gap']}" if k["gap"] < 0 else "✓")
    return (plain(k["name"]), plain(k["role"]), plain(words(k["preferred_channel"])),
            plain(f"{k['influence']}/{k['interest']}"),
            plain(k["engagement_current"] if k["engagement_current"] == k["engagement_desired"]
                  else f"{k['engagement_current']} → {k['engagement_desired']}"),
            plain(gap, "bold" if k["gap"] else ""))


def renewal_line(day: Any, days: int | None) -> str:
    """"Renews on: Mon 21 Dec 2026 (in 28 days)", "(passed 3 days ago)", or "not set"."""
    if day is None or days is None:
        return "Renews on: not set"
    when = "today" if days == 0 else f"in {days_text(days)}" if days > 0 \
        else f"passed {days_text(-days)} ago"
    return f"Renews on: {day:%a %d %b %Y} ({when})"


def overview_lines(p: Profile) -> str:
    """The overview's text: owner, cadence and last contact, counts, playbooks' progress,
    goals, needs, notes."""
    c = p.customer
    days = p.days_since_contact
    contact = "never contacted" if days is None else f"last contact {ago_text(days)}"
    state = "OVERDUE" if days is None or days > p.cadence else "within cadence"
    lines = [
        f"Owner: {c['owner'] or '(none)'}   Cadence: every "
        f"{days_text(p.cadence)} — {contact} ({state})",
        renewal_line(c.get("renews_on"), p.renews_in),
        f"Open issues: {p.open_issues}   Expectations at risk: {p.at_risk}   "
        f"CSAT: {p.latest_csat if p.latest_csat is not None else '—'}   "
        f"NPS: {p.latest_nps if p.latest_nps is not None else '—'}   "
        f"Projects: {len(p.projects)}   Referrals: {p.referrals}",
        *([f"Tags: {tags.shown(c['tags'])}"] if c.get("tags") else []),
        *(f"Playbook {line}" for line in p.playbooks),
        "", f"Goals: {c['goals'] or '—'}", f"Needs: {c['needs'] or '—'}",
        f"Notes: {c['notes'] or '—'}", "",
    ]
    return "\n".join(lines)
