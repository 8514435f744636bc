"""Hostile text for hardening tests: one set of strings, one portfolio full of them.

``HOSTILE`` covers markup and actions, ESC/OSC/CSI sequences, C1 codes, NUL, bidi overrides and
isolates, zero-width characters and very long text. ``seed(ctx, today)`` builds a portfolio
through the services (so Today, every list and every profile tab has rows), then writes the
hostile strings straight into every free-text column of every table, as another program, an
older version or a colleague with sqlite3 could have left them: the services refuse control
characters on the way in, the board must still show such data safely.

``CONTROL`` matches what must never reach a terminal from data; ``controls_in(text)`` lists
what it finds.
"""

from __future__ import annotations

import datetime as dt
import re

from relboard import models as m
from relboard.services import expectations, issues, records, touchpoints
from relboard.services.context import Context

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 (but tab and newline), DEL, C1, bidi overrides and isolates."""

HOSTILE = (
    "[@click=app.quit]Click me[/]",
    "[/x] closing [/] tags [b]bold",
    "\x1b]0;pwned\x07title \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31mred\x1b[0m \x1b[?1049l",
    "O\x92Brien \x9b31m\x9d0;c1\x9c",
    "nul\x00byte bell\x07 back\x08space",
    "evil\u202etxt.exe \u2066isolate\u2069 \u202aembed\u202c",
    "zero\u200bwidth\ufeff joiner\u200d",
    "[link=https://evil.example]link[/link] *md* `code` <b>html</b>",
    "long " + "x" * 3000 + " end",
)
"""Each string is also a valid-looking name: visible characters are always present."""


def controls_in(text: str) -> list[str]:
    """The forbidden characters found in ``text``, as ``U+XXXX`` (empty when clean)."""
    return sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text)})


_SKIP = {"tier", "phase", "channel", "category", "status", "preferred_channel", "kind", "band",
         "health_rating_band",
         "engagement_current", "engagement_desired", "entity", "action", "old_status",
         "new_status"}
"""Vocabulary columns: they keep valid words (the board reads them as codes)."""


def _poison(model: type[m.BaseModel], start: int) -> None:
    """Write hostile strings into every free-text column of every row of ``model``."""
    text_fields = [f for f in model._meta.sorted_fields
                   if isinstance(f, (m.CharField, m.TextField)) and f.name not in _SKIP]
    for offset, row in enumerate(model.select()):
        for i, field in enumerate(text_fields):
            value = HOSTILE[(start + offset + i) % len(HOSTILE)]
            if isinstance(field, m.CharField) and field.max_length:
                value = value[: field.max_length]
            setattr(row, field.name, value)
        row.save()


def seed(ctx: Context, today: dt.date) -> dict[str, int]:
    """A portfolio with a row in every table, then hostile text in every free-text column.

    Returns the ids of the main records (``customer``, ``contact``, ``issue``, ...).
    """
    day = dt.timedelta(days=1)
    ids: dict[str, int] = {}
    ids["customer"] = c = records.create(ctx, "customer", {"name": "Hostile Co", "owner": ctx.user,
                                                           "cadence_days": 7})
    records.create(ctx, "customer", {"name": "Quiet Ltd", "owner": "bob", "cadence_days": 1})
    ids["contact"] = k = records.create(ctx, "contact", {
        "customer": c, "name": "Dana", "role": "CIO", "email": "d@example.com",
        "influence": 5, "interest": 2, "cadence_days": 1})
    ids["project"] = p = records.create(ctx, "project", {"customer": c, "name": "Pilot"})
    ids["interaction"] = touchpoints.log_touchpoint(ctx, {
        "customer": c, "project": p, "summary": "Call", "channel": "call",
        "occurred_at": ctx.now() - 20 * day, "follow_up_on": today - day}, [k])
    ids["expectation"] = e = expectations.create(ctx, {
        "customer": c, "project": p, "statement": "Go live", "owner": ctx.user,
        "current_due": today + 2 * day, "status": "agreed"})
    version = records.get("expectation", e)["version"]
    expectations.renegotiate(ctx, e, version, reason="Scope grew", new_due=today + 3 * day)
    ids["issue"] = issues.raise_issue(ctx, {
        "customer": c, "project": p, "raised_by": k, "title": "Export fails",
        "description": "It fails", "severity": "critical", "owner": ctx.user,
        "raised_at": ctx.now() - 3 * day})
    ids["risk"] = records.create(ctx, "risk", {
        "customer": c, "project": p, "title": "Vendor late", "likelihood": 4, "impact": 5,
        "owner": ctx.user, "review_on": today})
    ids["decision"] = records.create(ctx, "decision", {
        "customer": c, "title": "Phase it", "decided_on": today, "expectation": e})
    ids["feedback"] = records.create(ctx, "feedback", {
        "customer": c, "contact": k, "kind": "nps", "score": 3, "received_on": today})
    ids["referral"] = records.create(ctx, "referral", {
        "customer": c, "contact": k, "referred_name": "Acme", "referred_on": today})
    for start, model in enumerate(m.ENTITY_MODELS):
        if model is not m.InteractionContact:
            _poison(model, start)
    return ids
