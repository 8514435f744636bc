"""The relationship health score: 0-100 per customer, from weighted signals, with its reasons.

Each signal (``healthsignals``: contact, issues, expectations, satisfaction, sentiment, risks)
has a value 0-100 or no data. The score is the weighted mean of the signals that have data,
with the weights of ``health.weights`` (a weight of 0 leaves a signal out): a signal with no
data is left out, not counted as 0, and a customer with no signal at all has no score (None).
A signal's ``contribution`` is the points it adds to the score (value x weight / the weights
of the signals with data); the contributions add up to the score before rounding. The band is
red below ``health.bands.amber`` (default 50), amber below ``green`` (75), green from there.

The PM's own rating (0-100 and/or a band, with a note) is kept beside the computed score on the
customer (``set_rating``). Everything is worked out for many customers at once, one grouped
query per signal.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from relboard import models as m
from relboard.config import HEALTH_SIGNALS
from relboard.db import write
from relboard.domain import severity_name
from relboard.services import healthsignals as hs
from relboard.services import records, rules, satisfaction
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.issues import OPEN_STATUSES as OPEN_ISSUES
from relboard.services.issues import sla_of
from relboard.services.risks import OPEN_STATUSES as OPEN_RISKS
from relboard.services.scope import active_customers, first_day, start_of
from relboard.services.sla import BREACHED
from relboard.services.spec import F, clean, parse_stored

_OPEN_EXPECTATIONS = ("proposed", "agreed", "at_risk", "renegotiated")


@dataclass(frozen=True)
class Signal:
    """One signal of a customer's score: value 0-100 (None: no data, left out), the configured
    weight, the points it adds to the score (None when left out), and why in plain words."""

    key: str
    label: str
    value: int | None
    weight: float
    contribution: float | None
    explanation: str


@dataclass(frozen=True)
class Rating:
    """The PM's own judgement beside the computed score."""

    score: int | None
    band: str | None
    note: str


@dataclass(frozen=True)
class Health:
    """A customer's health: score (None: no signal has data), band, signals and the rating."""

    customer_id: int
    name: str
    score: int | None
    band: str | None
    signals: tuple[Signal, ...]
    rating: Rating | None
    version: int


def combine(readings: dict[str, hs.Reading], weights: Any) -> tuple[int | None, list[Signal]]:
    """The score (None with no data) and the signals, from each signal's reading and the
    weights (an object with one attribute per signal)."""
    present = {k: r for k, r in readings.items() if r.value is not None and getattr(weights, k)}
    total = sum(getattr(weights, k) for k in present)
    signals = []
    for key, reading in readings.items():
        weight = getattr(weights, key)
        part = reading.value * weight / total if key in present else None
        signals.append(Signal(key, hs.LABELS[key], reading.value, weight,
                              None if part is None else round(part, 1), reading.explanation))
    if not present:
        return None, signals
    return hs.whole(sum(r.value * getattr(weights, k) for k, r in present.items()) / total), \
        signals


def _grouped(query: Any) -> dict[int, Any]:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in query.tuples()}


def _facts(ctx: Context, customers: Any) -> dict[str, Any]:
    """Every signal's facts for the customers of the query ``customers``, keyed by id."""
    i, s, e, r = m.Interaction, m.Issue, m.Expectation, m.Risk
    today, cfg = ctx.today(), ctx.health
    facts: dict[str, Any] = {}
    facts["issues_recorded"] = {cid for (cid,) in s.select(s.customer).distinct()
                                .where(s.customer.in_(customers)).tuples()}
    open_issues: dict[int, list[tuple[str, bool]]] = {}
    columns = [s.customer, s.severity, s.raised_at, s.first_response_at, s.resolved_at,
               s.paused_seconds, s.waiting_since]
    if ctx.sla.tiers:  # tiers with hours of their own: each row says its tier (sla_of)
        columns.append(m.Customer.select(m.Customer.tier).where(
            m.Customer.id == s.customer).alias("tier"))
    for row in (s.select(*columns)
                .where(s.customer.in_(customers) & s.status.in_(OPEN_ISSUES)).dicts()):
        breached = sla_of(ctx, row).state == BREACHED
        open_issues.setdefault(row["customer"], []).append(
            (severity_name(row["severity"]), breached))
    facts["open_issues"] = open_issues
    missed_since = today - _dt.timedelta(days=cfg.missed_days - 1)
    exp: dict[int, list[int]] = {}  # total, missed, overdue, at risk
    for cid, status, due in (e.select(e.customer, e.status, e.current_due)
                             .where(e.customer.in_(customers) & (e.status != "withdrawn"))
                             .tuples()):
        counts = exp.setdefault(cid, [0, 0, 0, 0])
        counts[0] += 1
        if status == "missed" and due is not None and missed_since <= due <= today:
            counts[1] += 1
        elif status in _OPEN_EXPECTATIONS and due is not None and due < today:
            counts[2] += 1
        elif status == "at_risk":
            counts[3] += 1
    facts["expectations"] = exp
    since = start_of(ctx, first_day(ctx, cfg.sentiment_days))
    facts["sentiment"] = _grouped(
        i.select(i.customer, fn.AVG(i.sentiment), fn.COUNT(i.sentiment))
        .where(i.customer.in_(customers) & (i.internal == False)  # noqa: E712
               & i.sentiment.is_null(False) & (i.occurred_at >= since)
               & (i.occurred_at <= ctx.now()))
        .group_by(i.customer))
    facts["risks_recorded"] = {cid for (cid,) in r.select(r.customer).distinct()
                               .where(r.customer.in_(customers)).tuples()}
    facts["red_risks"] = _grouped(
        r.select(r.customer, fn.COUNT(r.id))
        .where(r.customer.in_(customers) & r.status.in_(OPEN_RISKS) & (r.score >= 15))
        .group_by(r.customer))
    return facts


def _readings(ctx: Context, cid: int, cadence: int, last: Any, facts: dict[str, Any],
              sat: satisfaction.Satisfaction) -> dict[str, hs.Reading]:
    days = rules.days_since(ctx, parse_stored(last))  # the stored last contact (clocks)
    total, missed, overdue, at_risk = facts["expectations"].get(cid, (0, 0, 0, 0))
    average, count = facts["sentiment"].get(cid, (None, 0))
    readings = {
        "contact": hs.contact(days, cadence),
        "issues": hs.issues(facts["open_issues"].get(cid, []),
                            cid in facts["issues_recorded"]),
        "expectations": hs.expectations(total, missed, overdue, at_risk,
                                        ctx.health.missed_days),
        "satisfaction": hs.satisfaction(sat),
        "sentiment": hs.sentiment(None if average is None else float(average), count,
                                  ctx.health.sentiment_days),
        "risks": hs.risks(facts["red_risks"].get(cid, 0), cid in facts["risks_recorded"]),
    }
    return {key: readings[key] for key in HEALTH_SIGNALS}


def health_of(ctx: Context, customer_ids: Iterable[int] | None = None,
              who: str | None = None) -> dict[int, Health]:
    """The health of each customer: ``customer_ids``, or every active one (``who``'s share)."""
    ctx = ctx.pinned()  # one "today" for every customer's readings
    customers = active_customers(who, customer_ids)
    c = m.Customer
    rows = list(c.select(c.id, c.name, c.cadence_days, c.health_rating, c.health_rating_band,
                         c.health_rating_note, c.version, c.last_contact_at)
                .where(c.id.in_(customers)).order_by(c.name, c.id).tuples())
    facts = _facts(ctx, customers)
    sats = satisfaction.by_customer(ctx, [row[0] for row in rows])
    out = {}
    for cid, name, cadence, rating, rating_band, note, version, last in rows:
        readings = _readings(ctx, cid, rules.cadence(cadence, ctx), last, facts, sats[cid])
        score, signals = combine(readings, ctx.health.weights)
        mine = None
        if rating is not None or rating_band in m.HEALTH_BANDS:
            mine = Rating(rating, rating_band if rating_band in m.HEALTH_BANDS else None,
                          note or "")
        out[cid] = Health(cid, name, score, ctx.health.bands.band(score), tuple(signals), mine,
                          version)
    return out


def customer_health(ctx: Context, customer_id: int) -> Health:
    """One customer's health (NotFoundError if there is no such customer)."""
    found = health_of(ctx, [customer_id])
    if customer_id not in found:
        records.fetch("customer", customer_id)  # raises NotFoundError
    return found[customer_id]


def set_rating(ctx: Context, customer_id: int, version: int, *, score: Any = None,
               band: Any = None, note: str = "") -> int:
    """Set (or, with neither score nor band, clear) the PM's own rating of a customer, read at
    ``version``; returns the new version. With a score the band follows from it (by the
    configured bands); a band given beside it must agree."""
    values = clean({"score": F("int", lo=0, hi=100), "band": F("choice", choices=m.HEALTH_BANDS),
                    "note": F("longtext")}, {"score": score, "band": band, "note": note},
                   partial=True)
    if values["score"] is not None:
        derived = ctx.health.bands.band(values["score"])
        if values["band"] not in (None, derived):
            raise ValidationError("band", f"a score of {values['score']} is {derived}")
        values["band"] = derived
    if values["score"] is None and values["band"] is None and values["note"]:
        raise ValidationError("score", "give a score (0-100) or a band with the note")
    data = {"health_rating": values["score"], "health_rating_band": values["band"],
            "health_rating_note": values["note"]}
    return write(lambda: records.change(ctx, "customer", customer_id, version, data,
                                        action="rate"))
