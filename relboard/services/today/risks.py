"""Today's "Risks to review": open risks whose review date has come (the most overdue first),
then red risks recorded in the last week and not reviewed since (the highest score first).

And "Shared risks to review with the customer": open risks with a customer-side owner that
were not gone through with the customer for ``attention.joint_review_days`` (never: counted
from when the risk was recorded), the longest ago first; each walks the partial index of the
shared risks (schema 11), so the risks the team keeps to itself cost nothing."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from peewee import ModelSelect, fn

from relboard import models as m
from relboard.domain import OPEN_RISK_STATUSES as OPEN_RISKS
from relboard.services.context import Context
from relboard.services.prepared import slot
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import (
    SHARES,
    Candidate,
    Stream,
    by_ids,
    fetch_all,
    few_shares,
    scoped,
    shares,
    values,
)
from relboard.services.wording import due_text

RED = 15
"""The lowest red risk score (likelihood x impact)."""
CLOSED_RISKS = tuple(s for s in m.RISK_STATUSES if s not in OPEN_RISKS)
NEW_DAYS = 7
"""A red risk recorded this many days ago or less is new."""


def _risk_fields(r) -> tuple:
    return (r.id, r.title, r.likelihood, r.impact, r.score, r.review_on, r.created_at,
            r.status, r.version, r.customer, r.owner)


def _risks_due(mine: bool, share: str | None = None) -> ModelSelect:  # slot "status"
    r = m.Risk
    query = r.select(*_risk_fields(r)).where(
        (r.status == slot("status")) & (r.review_on <= slot("today", r.review_on)))
    return scoped(query, r, "risk", mine, owner=r.owner, share=share)


def _red_risks(mine: bool, share: str | None = None) -> ModelSelect:
    r, a = m.Risk, m.Activity
    reviewed = a.select(a.id).where((a.entity == "risk") & (a.entity_id == r.id)
                                    & (a.action == "review"))  # services.risk_review
    query = r.select(*_risk_fields(r)).where(
        (r.score >= RED) & r.status.not_in(CLOSED_RISKS)  # (not IN: walk the score)
        & (r.created_at >= slot("since", r.created_at))
        & (r.review_on.is_null() | (r.review_on > slot("today", r.review_on)))
        & ~fn.EXISTS(reviewed))
    return scoped(query, r, "risk", mine, owner=r.owner, share=share)


def _joint_risks(mine: bool, never: bool, share: str | None = None) -> ModelSelect:
    r = m.Risk
    when = r.reviewed_with_customer_on
    stale = (when.is_null() & (r.created_at <= slot("recorded", r.created_at)) if never
             else when <= slot("cutoff", when))
    query = r.select(*_risk_fields(r), when, r.customer_owner).where(
        (r.status == slot("status")) & r.customer_owner.is_null(False) & stale)
    return scoped(query, r, "risk", mine, owner=r.owner, share=share)


def _never_order() -> tuple:  # the order of ``risk_joint_never`` (schema 16): by recording
    return (m.Risk.status, m.Risk.created_at, m.Risk.id)


def _stale_order() -> tuple:
    return (m.Risk.status, m.Risk.reviewed_with_customer_on, m.Risk.id)


def _due_order() -> tuple:
    return (m.Risk.status, m.Risk.review_on, m.Risk.id)


def _red_order() -> tuple:
    return (m.Risk.score.desc(), m.Risk.id.desc())


_MAKES = {"due": _risks_due, "red": _red_risks,
          "never": lambda mine, share: _joint_risks(mine, True, share),
          "stale": lambda mine, share: _joint_risks(mine, False, share)}
_BUILDS = {(name, mine, share): (lambda make=make, mine=mine, share=share: make(mine, share))
           for name, make in _MAKES.items()
           for mine, share in ((False, None), (True, None), *((True, s) for s in SHARES))}
"""Each stream's query, one function per shape, view and share of one PM's view
(``streams.shares``: each walk of one PM's view is one per share), made once: see
``Stream``."""


def risk_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Open risks due for review (per status, by review date), then new red ones by score."""
    mine, today = who is not None, ctx.today()
    since = ctx.utc(_dt.datetime.combine(today - _dt.timedelta(days=NEW_DAYS - 1), _dt.time()))
    found = values(ctx, who, since=since)
    out = [Stream("risk", ("risk due", mine, share), _BUILDS["due", mine, share], _due_order,
                  {**found, "status": status}, "due")
           for share in shares(who) for status in OPEN_RISKS]
    out += [Stream("risk", ("risk red", mine, share), _BUILDS["red", mine, share], _red_order,
                   found, "red") for share in few_shares(who)]
    return out


def joint_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Shared open risks never gone through with the customer since recorded longer than the
    joint review cadence ago (oldest first), then those last gone through before it."""
    mine, today = who is not None, ctx.today()
    days = ctx.attention.joint_review_days
    cutoff = today - _dt.timedelta(days=days)
    recorded = ctx.utc(_dt.datetime.combine(cutoff + _dt.timedelta(days=1), _dt.time()))
    found = values(ctx, who, cutoff=cutoff, recorded=recorded)
    return [Stream("joint_risk", (f"joint {shape}", mine, share), _BUILDS[shape, mine, share],
                   order, {**found, "status": status}, shape)
            for share in few_shares(who)
            for shape, order in (("never", _never_order), ("stale", _stale_order))
            for status in OPEN_RISKS]


def joint_key(ctx: Context, row: dict[str, Any]) -> tuple:
    """The longest ago first: the last joint review, else the day the risk was recorded."""
    since = row["reviewed_with_customer_on"] or ctx.local(row["created_at"]).date()
    return (0, (since - ctx.today()).days, row["id"])


def joint_reason(ctx: Context, row: dict[str, Any], owner: str) -> str:
    """"not gone through with Ines Ortega (their side) for 41 days" and its band."""
    who = f"{owner} (their side)" if owner else "the customer"
    day = row["reviewed_with_customer_on"]
    if day is None:
        days = (ctx.today() - ctx.local(row["created_at"]).date()).days
        when = f"never gone through with {who}; recorded {days} days ago"
    else:
        when = f"last gone through with {who} {(ctx.today() - day).days} days ago"
    return f"{when} (every {ctx.attention.joint_review_days} days); {_band_score(row)}"


def risk_key(row: dict[str, Any], info: str, today: _dt.date) -> tuple:
    """Reviews due first, the most overdue first; then new red risks, highest score first."""
    if info == "due":
        return (0, (row["review_on"] - today).days, row["id"])
    return (1, -row["score"], -row["id"])


def _band_score(row: dict[str, Any]) -> str:
    """"red 20 (likelihood 4 x impact 5)"."""
    band = "red" if row["score"] >= RED else "amber" if row["score"] >= 5 else "green"
    return f"{band} {row['score']} (likelihood {row['likelihood']} x impact {row['impact']})"


def risk_reason(ctx: Context, row: dict[str, Any], info: str) -> str:
    """The band and score, and why it is on Today."""
    what = _band_score(row)
    if info == "due":
        return f"{what}; review {due_text(row['review_on'], ctx.today())}"
    days = (ctx.today() - ctx.local(row["created_at"]).date()).days
    when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
    return f"new red risk, recorded {when}; {what}"


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` risks to review: reviews due, then new red ones; then the first
    ``limit`` shared ones to go through with the customer (of ``want``)."""
    today = ctx.today()
    found: list[Candidate] = []
    if "risk" in want:
        found += fetch_all(risk_streams(ctx, who), limit, totals,
                           lambda row, stream: (risk_key(row, stream.info, today), "risk",
                                                row, stream.info))
    if "joint_risk" in want:
        joint = fetch_all(joint_streams(ctx, who), limit, totals,
                          lambda row, stream: (joint_key(ctx, row), "joint_risk", row,
                                               stream.info))
        _name_their_owners([row for _, _, row, _ in joint])
        found += joint
    return found


def _name_their_owners(rows: list[dict[str, Any]]) -> None:
    """Each shared risk's owner on the customer's side by name (``their_owner``), read in
    one statement for the rows found (not one per item)."""
    got = by_ids(("their owner",), _contact_names,
                 [row["customer_owner"] for row in rows if row["customer_owner"] is not None])
    for row in rows:
        found = got.get(row["customer_owner"])
        row["their_owner"] = found["name"] if found else ""


def _contact_names() -> Any:
    k = m.Contact
    return k.select(k.id, k.name)


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A risk: its band and score, and its review date or how new it is (a shared one: when
    it was last gone through with the customer)."""
    key, group, row, info = candidate
    if group == "joint_risk":
        return _joint_item(ctx, candidate, names)
    day = row["review_on"]
    when = f"review {due_text(day, ctx.today())}" if day else "no review date"
    note = _band_score(row) if info == "due" else risk_reason(ctx, row, info)
    return AttentionItem(group, "risk", row["id"], row["customer"],
                         names.get(row["customer"], ""), row["title"],
                         risk_reason(ctx, row, info), key[1], row["version"], row["status"],
                         owner=row["owner"] or "", due=day, when=when, note=note)


def _joint_item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    key, group, row, info = candidate
    owner = row.get("their_owner", "")
    since = row["reviewed_with_customer_on"]
    when = (f"with them {(ctx.today() - since).days} days ago" if since
            else "never with them")
    return AttentionItem(group, "risk", row["id"], row["customer"],
                         names.get(row["customer"], ""), row["title"],
                         joint_reason(ctx, row, owner), key[1], row["version"], row["status"],
                         owner=row["owner"] or "", due=since, when=when,
                         note=f"their side: {owner or 'nobody named'}; {_band_score(row)}")


def snoozed_names(kind: str, ids: list[int]) -> list[tuple[int, str, int]]:
    """(id, title, customer id) of the snoozed risks ``ids``."""
    r = m.Risk
    return list(r.select(r.id, r.title, r.customer).where(r.id.in_(ids)).tuples())
