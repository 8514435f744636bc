"""Reviewing a risk (Today's ``d`` on a risk to review): the next review date moved on, the
status and owner confirmed or changed, in one audited step (action ``review``) that ``u``
takes back.

The next date proposed is today plus the risk's usual interval: the gap between the last two
review dates its audit log shows, else ``DEFAULT_DAYS``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from relboard import models as m
from relboard.db import write
from relboard.services import records
from relboard.services.context import Context
from relboard.services.entities import entity
from relboard.services.errors import ValidationError
from relboard.services.spec import clean

DEFAULT_DAYS = 14
"""The review interval of a risk whose log shows none."""
FIELDS = ("review_on", "status", "owner", "reviewed_with_customer_on")
"""What a review may change."""


def usual_days(risk_id: int) -> int:
    """The risk's review interval in days: the last change of its review date that moved it
    later (``old`` -> ``new``), else ``DEFAULT_DAYS``; at most a year."""
    a = m.Activity
    rows = (a.select(a.old, a.new)
            .where((a.entity == "risk") & (a.entity_id == risk_id) & (a.field == "review_on"))
            .order_by(a.at.desc(), a.id.desc()).limit(20).tuples())
    for old, new in rows:
        try:
            days = (_dt.date.fromisoformat(new) - _dt.date.fromisoformat(old)).days
        except (TypeError, ValueError):
            continue
        if days > 0:
            return min(days, 365)
    return DEFAULT_DAYS


def review_draft(ctx: Context, risk_id: int, with_customer: bool = False) -> dict[str, Any]:
    """The stored risk with ``review_on`` replaced by the proposed next review date (and
    ``interval``, the days it adds to today); ``with_customer``: gone through with the
    customer today (Today's shared risks), proposed too."""
    risk = records.get("risk", risk_id)
    days = usual_days(risk_id)
    draft = {**risk, "review_on": ctx.today() + _dt.timedelta(days=days), "interval": days,
             "last_review_on": risk["review_on"],
             "last_joint_review_on": risk["reviewed_with_customer_on"]}
    if with_customer:
        draft["reviewed_with_customer_on"] = ctx.today()
    return draft


def review(ctx: Context, risk_id: int, version: int, values: dict[str, Any]) -> int:
    """Record a review of risk #``risk_id`` read at ``version``: ``review_on`` (after today,
    required), and ``status`` / ``owner`` / ``reviewed_with_customer_on`` (not after today)
    as given. Every change is an audit row of action
    ``review``; a review that changes nothing else still leaves one. Returns the version."""
    given = {key: values[key] for key in FIELDS if key in values}
    data = clean(entity("risk").rules, given, partial=True, zone=ctx.zone, today=ctx.today(),
                 now=ctx.now())
    day = data.get("review_on")
    if day is None:
        raise ValidationError("review_on", "is required: when to look at it again")
    if day <= ctx.today():
        raise ValidationError("review_on", "must be after today")

    def run() -> int:
        row = records.fetch("risk", risk_id)
        before = row.version
        new = records.change(ctx, "risk", risk_id, version, data, action="review", row=row)
        if new == before:  # nothing moved: the review itself is still on the record
            records.log(ctx, "risk", risk_id, "review", "review_on", None, day.isoformat())
        return new

    return write(run)
