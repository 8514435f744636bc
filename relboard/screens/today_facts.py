"""Today's second line of an item: the facts a verb acts on, then the rest of its reason.

At 80 columns the facts run on with " · "; from ``COLUMNS_FROM`` columns they line up in
columns (kind, status, severity, when, owner), so a PM reads down one column to see every
owner or every status.
"""

from __future__ import annotations

from relboard.services.today.items import KIND_WORDS, AttentionItem, facts, note

COLUMNS_FROM = 120
"""The width from which the facts line up in columns."""
WIDTHS = (12, 14, 9, 32, 12)
"""Each column's width: kind, status, severity, when, owner."""


def facts_line(item: AttentionItem, width: int) -> str:
    """The facts and the note of ``item``, for a line ``width`` wide (cut by the caller)."""
    rest = note(item)
    if width < COLUMNS_FROM:
        text = " · ".join(facts(item))
        return f"{text} — {rest}" if rest else text
    cells = (KIND_WORDS.get(item.kind, item.kind),
             (item.status or "").replace("_", " "), item.severity or "",
             item.when or "", "" if item.owner is None else item.owner or "unowned")
    text = "".join(_cell(value, size) for value, size in zip(cells, WIDTHS, strict=True))
    extra = "; ".join(part for part in (f"with {item.people}" if item.people else "", rest)
                      if part)
    return (text + extra).rstrip()


def _cell(value: str, size: int) -> str:
    """``value`` in a column ``size`` wide (cut with … when longer)."""
    if len(value) >= size:
        value = value[: size - 2] + "…"
    return value.ljust(size)
