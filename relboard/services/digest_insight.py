"""The digest's portfolio part: satisfaction, red risks and every customer's health."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from relboard import models as m
from relboard.services import health_day, healthhistory, risks, satisfaction
from relboard.services.context import Context
from relboard.services.today.health import drop_item
from relboard.services.today.items import AttentionItem, Board, merged

RED_SHOWN = 10
"""Red risks listed in the text digest (the JSON counts them all)."""


def _figure(figure: satisfaction.Figure, kind: str) -> str:
    if figure.score is None:
        return f"{kind}: no answers in the last {figure.period_days} days"
    value = f"{figure.score:+.0f}" if kind == "NPS" else f"{figure.score:.0f}%"
    answers = f"{figure.answers} answer{'s' if figure.answers != 1 else ''}"
    return f"{kind} {value} ({answers}, last {figure.period_days} days)"


def with_live_drops(ctx: Context, found: Board, who: str | None) -> Board:
    """``found`` with "Health dropped" worked out now: from scratch when no board has scored
    today yet (a digest run by cron before anyone opens the board; the digest itself writes
    nothing), else today's listed drops scored again (feedback since the morning's snapshot
    changes the score the digest says, or ends the drop)."""
    if health_day.taken_today(ctx):
        return _rescored(ctx, found)
    s = m.Snooze
    snoozed = {i for (i,) in s.select(s.entity_id).where(
        (s.entity == "health") & (s.until > ctx.today())).tuples()}
    items = _owned([drop_item(d.customer_id, d.customer, d.from_band, d.band, d.score)
                    for d in healthhistory.drops(ctx, who) if d.customer_id not in snoozed])
    return merged(found, Board(items, {**{g: 0 for g in found.totals}, "health": len(items)}),
                  {"health"})


def _owned(items: list[AttentionItem]) -> list[AttentionItem]:
    """``items`` (drops: one per customer) with their customer's owner ("" nobody)."""
    c = m.Customer
    owners = dict(c.select(c.id, c.owner).where(c.id.in_([it.customer_id for it in items]))
                  .tuples()) if items else {}
    return [replace(it, owner=owners.get(it.customer_id) or "") for it in items]


def _rescored(ctx: Context, found: Board) -> Board:
    """``found`` with each listed "health" item's score and band as they are now."""
    listed = {it.record_id: it for it in found.items if it.group == "health"}
    if not listed:
        return found
    now = {d.customer_id: d for d in healthhistory.drops(ctx, None, list(listed))}
    items = _owned([drop_item(d.customer_id, d.customer, d.from_band, d.band, d.score)
                    for cid, d in now.items() if cid in listed])
    order = {cid: n for n, cid in enumerate(listed)}
    items.sort(key=lambda it: order[it.record_id])
    total = found.totals["health"] - (len(listed) - len(items))
    return merged(found, Board(items, {**{g: 0 for g in found.totals}, "health": total}),
                  {"health"})


def facts(ctx: Context, who: str | None) -> dict[str, Any]:
    """What the digest adds to Today's items, as plain data (``who``'s share if given)."""
    sat = satisfaction.portfolio_satisfaction(ctx, who=who)
    scores = healthhistory.scores_today(ctx, who)  # the day's snapshots, when taken
    # The same customers as a query, not 10,000 ids bound as values (peewee builds each).
    per = satisfaction.by_customer(ctx, who=who)
    missing = [cid for cid in scores if cid not in per]  # one added in between
    if missing:
        per.update(satisfaction.by_customer(ctx, missing))
    reds = risks.register_page(ctx, band=("red",), who=who, limit=RED_SHOWN)
    return {"satisfaction": sat, "health": scores, "per_customer": per, "red_risks": reds.rows,
            "red_count": risks.counts_by_band(ctx, who)["red"]}


def as_json(found: dict[str, Any]) -> dict[str, Any]:
    """``portfolio`` (NPS, CSAT, red risks) and ``customers`` (name, health, NPS, CSAT)."""
    sat = found["satisfaction"]
    return {
        "portfolio": {"nps": sat.nps.as_json(), "csat": sat.csat.as_json(),
                      "red_risks": found["red_count"]},
        "customers": [{"id": h.customer_id, "name": h.name,
                       "health": {"score": h.score, "band": h.band},
                       "nps": found["per_customer"][h.customer_id].nps.as_json(),
                       "csat": found["per_customer"][h.customer_id].csat.as_json()}
                      for h in found["health"].values()],
    }


def lines(found: dict[str, Any], md: bool, esc) -> list[str]:
    """The portfolio section of the text or Markdown digest."""
    sat = found["satisfaction"]
    bands = {"red": 0, "amber": 0, "green": 0}
    for h in found["health"].values():
        if h.band in bands:
            bands[h.band] += 1
    out = ["## Portfolio" if md else "Portfolio", ""] if md else ["Portfolio"]
    bullet = "- " if md else "  "
    out.append(f"{bullet}Satisfaction: {_figure(sat.nps, 'NPS')}; {_figure(sat.csat, 'CSAT')}")
    out.append(f"{bullet}Health: {bands['red']} red, {bands['amber']} amber, "
               f"{bands['green']} green")
    out.append(f"{bullet}Red risks open: {found['red_count']}")
    for row in found["red_risks"]:
        out.append(f"    {esc(row['customer_name'])}: {esc(row['title'])} "
                   f"(score {row['score']})" if not md else
                   f"  - **{esc(row['customer_name'])}**: {esc(row['title'])} "
                   f"(score {row['score']})")
    out.append("")
    return out
