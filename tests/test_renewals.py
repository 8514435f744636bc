"""Today's "Renewals ahead" (both databases): customers renewing within
``attention.renewal_days`` and live projects ending within it, red customers first, then by
date, each with its stored health band; snooze, done (the next date, at the version read),
my view, and the count cap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from relboard import models as m
from relboard.config import AttentionConfig
from relboard.services import attention, records, today
from relboard.services.errors import ConflictError, ValidationError
from relboard.services.today import streams
from tests import factories as f
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.both_databases
D = dt.timedelta(days=1)


def _band(cid: int, band: str, day: dt.date) -> None:
    m.HealthSnapshot.create(customer=cid, day=day, score={"red": 30, "amber": 60}.get(band, 90),
                            band=band, taken_at=NOW)


def _portfolio(ctx) -> dict[str, int]:
    ids = {
        "green": f.customer(ctx, "Green Co", owner="alice", renews_on=TODAY + 10 * D),
        "red": f.customer(ctx, "Red Co", owner="bob", renews_on=TODAY + 60 * D),
        "late": f.customer(ctx, "Late Co", owner="", renews_on=TODAY - 5 * D),
        "far": f.customer(ctx, "Far Co", renews_on=TODAY + 91 * D),
        "none": f.customer(ctx, "No Date Co"),
        "gone": f.customer(ctx, "Gone Co", renews_on=TODAY + 3 * D),
    }
    records.set_archived(ctx, "customer", ids["gone"], 1)
    _band(ids["green"], "green", TODAY)
    _band(ids["red"], "green", TODAY - 9 * D)
    _band(ids["red"], "red", TODAY - 2 * D)  # the latest snapshot on or before today counts
    _band(ids["late"], "red", TODAY + 1 * D)  # not yet: a snapshot of tomorrow is no band
    ids["ends"] = records.create(ctx, "project", {
        "customer": ids["green"], "name": "Rollout", "phase": "execution",
        "end_date": TODAY + 20 * D})
    records.create(ctx, "project", {"customer": ids["green"], "name": "Done", "phase": "closed",
                                    "end_date": TODAY + 5 * D})
    records.create(ctx, "project", {"customer": ids["red"], "name": "Ended",
                                    "phase": "execution", "end_date": TODAY - 1 * D})
    return ids


def _renewals(ctx, who=None):
    return [(it.kind, it.customer, it.title, it.reason)
            for it in attention.attention(ctx, who) if it.group == "renewal"]


def test_red_first_then_by_date_with_the_band_beside_each(db, ctx):
    _portfolio(ctx)
    assert _renewals(ctx) == [
        ("renewal", "Red Co", "Renewal (health red)",
         "renews in 60 days (Fri 22 Jan 2027); health red"),
        ("renewal", "Late Co", "Renewal (health not scored)",
         "renewal passed 5 days ago (Wed 18 Nov 2026); health not scored"),
        ("renewal", "Green Co", "Renewal (health green)",
         "renews in 10 days (Thu 03 Dec 2026); health green"),
        ("project", "Green Co", "Project Rollout ends (health green)",
         "ends in 20 days (Sun 13 Dec 2026); health green"),
    ]
    board = attention.board(ctx)
    assert board.totals["renewal"] == 4
    first = next(it for it in board.items if it.group == "renewal")
    assert (first.due, first.owner) == (TODAY + 60 * D, "bob")


def test_the_window_is_the_config_and_my_view_is_mine_and_unowned(db, ctx):
    _portfolio(ctx)
    assert [c for _, c, _, _ in _renewals(ctx, "alice")] == ["Late Co", "Green Co", "Green Co"]
    assert [c for _, c, _, _ in _renewals(ctx, "bob")] == ["Red Co", "Late Co"]
    near = dataclasses.replace(ctx, attention=AttentionConfig(renewal_days=15))
    assert [(k, c) for k, c, _, _ in _renewals(near)] == [
        ("renewal", "Late Co"), ("renewal", "Green Co")]
    far = dataclasses.replace(ctx, attention=AttentionConfig(renewal_days=91))
    assert "Far Co" in [c for _, c, _, _ in _renewals(far)]


def test_snooze_and_done_ask_for_the_next_date_and_save_it(db, ctx):
    ids = _portfolio(ctx)
    items = {it.customer + it.kind: it for it in attention.attention(ctx)
             if it.group == "renewal"}
    today.snooze(ctx, items["Red Corenewal"], TODAY + 7 * D)
    assert [c for _, c, _, _ in _renewals(ctx)] == ["Late Co", "Green Co", "Green Co"]
    later = dataclasses.replace(ctx, now_override=NOW + 7 * D)
    assert "Red Co" in [c for _, c, _, _ in _renewals(later)]  # back when the snooze ends

    late = items["Late Corenewal"]
    with pytest.raises(ValidationError) as bad:
        today.renew(ctx, late, "2026-11-01")
    assert bad.value.errors == {"renews_on": "must be after today (2026-11-23)"}
    with pytest.raises(ValidationError):
        today.renew(ctx, late, "next year")
    assert records.get("customer", ids["late"])["renews_on"] == TODAY - 5 * D  # nothing saved
    assert today.renew(ctx, late, "2027-11-18") == "renewed: next renewal 2027-11-18"
    got = records.get("customer", ids["late"])
    assert (got["renews_on"], got["version"]) == (dt.date(2027, 11, 18), late.version + 1)
    assert "Late Co" not in [c for _, c, _, _ in _renewals(ctx)]
    with pytest.raises(ConflictError):  # the version Today read is gone: nothing overwritten
        today.renew(ctx, late, "2028-11-18")

    ends = items["Green Coproject"]
    assert today.renew(ctx, ends, "+200d") == \
        "extended: the project now ends 2027-06-11"
    assert records.get("project", ids["ends"])["end_date"] == dt.date(2027, 6, 11)
    assert [k for k, _, _, _ in _renewals(ctx)] == ["renewal"]


def test_the_count_stops_at_the_cap_and_the_digest_counts_exactly(db, ctx, monkeypatch):
    from relboard.services import digest

    for n in range(7):
        f.customer(ctx, f"C{n}", renews_on=TODAY + n * D)
    monkeypatch.setattr(streams, "COUNT_CAP", 5)
    board = attention.board(ctx, per_group=2)
    assert (board.count_text("renewal"), "renewal" in board.capped) == ("5+", True)
    assert [it.customer for it in board.items if it.group == "renewal"] == ["C0", "C1"]
    report = json.loads(digest.render(ctx, "json", portfolio=False))
    assert report["counts"]["renewal"] == 7
    assert [(it["customer"], it["renews_on"], it["band"]) for it in report["items"]
            if it["group"] == "renewal"][:2] == [
        ("C0", "2026-11-23", None), ("C1", "2026-11-24", None)]
