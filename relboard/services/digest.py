"""Today's attention list as text, Markdown or JSON — for cron, mail or a quick look."""

from __future__ import annotations

from typing import Any

from relboard.services import digest_insight, tags
from relboard.services.context import Context
from relboard.services.today.board import board
from relboard.services.today.groups import BY_NAME, GROUPS
from relboard.services.today.items import PER_GROUP, AttentionItem, counts
from relboard.text import json_dumps, plural, safe, safe_markdown

FORMATS = ("text", "markdown", "json")


def _summary(n: dict[str, int]) -> str:
    parts = [BY_NAME[g].digest_count(count) for g, count in n.items() if count]
    return plural(sum(n.values()), "item") + (": " + ", ".join(parts) if parts else "")


def render(ctx: Context, fmt: str = "text", items: list[AttentionItem] | None = None,
           who: str | None = None, per_group: int | None = PER_GROUP,
           portfolio: bool = True, tag: str | None = None) -> str:
    """The digest of ``items`` (default: today's attention list, ``who``'s view if given,
    the first ``per_group`` items of each group (None: all) with every group's count), then
    the portfolio (satisfaction, health bands, red risks; in JSON every customer's health,
    NPS and CSAT) unless ``portfolio`` is False.

    ``tag`` (a stored tag name): only the items about a record carrying it or of a customer
    carrying it, counted alike; the portfolio, which is everyone's, is left out."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    extra = digest_insight.facts(ctx, who) if portfolio and tag is None else None
    if items is None:
        found = digest_insight.with_live_drops(
            ctx, board(ctx, who, per_group if tag is None else None, exact=True), who)
        items, n = found.items, found.totals
    else:
        n = counts(items)
    if tag is not None:
        items = tags.tagged_items(items, tag)
        n = counts(items)
        if per_group is not None:
            items = [it for g in GROUPS
                     for it in [i for i in items if i.group == g.name][:per_group]]
    today = ctx.today()
    if fmt == "json":
        return json_dumps({  # the data as it is, every control a \uXXXX escape
            "today": today.isoformat(), "user": ctx.user, "scope": who or "everyone",
            **({"tag": tag} if tag is not None else {}), "counts": n,
            "items": [_as_json(it) for it in items],
            **(digest_insight.as_json(extra) if extra else {}),
        }, indent=2) + "\n"
    md = fmt == "markdown"
    esc = safe_markdown if md else safe
    title = f"relboard — {today:%A %d %B %Y} — {esc(ctx.user)}"
    if who is not None:
        title += " (mine and unowned)"
    if tag is not None:
        title += f" — tagged {esc('#' + tag)}"
    lines = [f"# {title}" if md else title, "", _summary(n), ""]
    if not items:
        lines.append("Nothing needs you today.")
    for group in GROUPS:
        members = [it for it in items if it.group == group.name]
        if not members:
            continue
        count = n[group.name]
        lines.append(f"## {group.title} ({count})" if md else f"{group.title} ({count})")
        if md:
            lines.append("")
        for it in members:
            what = "" if it.title == it.customer else f": {esc(it.title)}"
            if md:
                lines.append(f"- **{esc(it.customer)}**{what} — {esc(it.reason)}")
            else:
                lines.append(f"  • {esc(it.customer)}{what}")
                lines.append(f"      {esc(it.reason)}")
        if count > len(members):
            more = f"… and {count - len(members)} more (relboard digest --all lists them)"
            lines.append(f"- {more}" if md else f"  {more}")
        lines.append("")
    if extra:
        lines += digest_insight.lines(extra, md, esc)
    return "\n".join(lines).rstrip("\n") + "\n"


def _as_json(item: AttentionItem) -> dict[str, Any]:
    """An item for automation: what it is, and the facts its reason says in words as fields
    (``status``, ``owner``: "" nobody's, ``severity`` of an issue, ``due``: an expectation's
    or a follow-up's date, a risk's review date; null where they do not apply). An issue also
    has ``response_due`` and ``resolution_due``: its clocks' deadlines in UTC (working hours
    counted), null for a clock met, stopped or paused. A renewal also has ``renews_on`` (the
    customer's renewal date, or the project's end) and ``band`` (the customer's stored health
    band, null when not scored)."""
    out = {"group": item.group, "kind": item.kind, "id": item.record_id,
           "customer_id": item.customer_id, "customer": item.customer, "title": item.title,
           "status": item.status, "owner": item.owner, "severity": item.severity,
           "due": item.due.isoformat() if item.due else None, "with": item.people or None,
           "reason": item.reason}
    if item.kind == "issue":
        response, resolution = item.deadlines or (None, None)
        out["response_due"] = _utc_text(response)
        out["resolution_due"] = _utc_text(resolution)
    if item.group == "renewal":
        out.update(renews_on=item.due.isoformat() if item.due else None, band=item.band)
    return out


def _utc_text(moment: Any) -> str | None:
    """A stored moment (naive UTC) as ISO 8601 UTC with ``Z``, to the second."""
    return None if moment is None else f"{moment:%Y-%m-%dT%H:%M:%S}Z"
