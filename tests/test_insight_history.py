"""Health history: one snapshot per customer per day (upsert), the trend, band drops; and the
new tables and columns survive export -> import unchanged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml

from relboard import models as m
from relboard.db import close_database, open_database
from relboard.services import decisions, export, health, healthhistory, records, transfer
from tests import factories as f
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _customer(ctx, name, days_since_contact):
    """A customer whose only signal is contact (cadence 100): 100 within it, then
    200 - days: 10 days -> 100 green, 130 -> 70 amber, 160 -> 40 red."""
    cid = f.customer(ctx, name, cadence_days=100)
    f.touchpoint(ctx, cid, occurred_at=NOW - days_since_contact * DAY)
    return cid


def _snapshot(cid, days_ago, score, band):
    m.HealthSnapshot.create(customer=cid, day=TODAY - days_ago * DAY, score=score, band=band,
                            taken_at=NOW - days_ago * DAY)


def test_one_snapshot_per_customer_per_day(db, ctx):
    cid = _customer(ctx, "Northwind", 130)
    f.customer(ctx, "No data yet")  # no score: no snapshot
    assert healthhistory.record_snapshots(ctx) == 1
    f.touchpoint(ctx, cid, occurred_at=NOW - DAY)
    assert healthhistory.record_snapshots(ctx) == 1  # the same day: replaced, not added
    rows = list(m.HealthSnapshot.select().tuples())
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [(cid, TODAY, 100, "green")]
    tomorrow = at(ctx, NOW + DAY)
    healthhistory.record_snapshots(tomorrow)
    assert healthhistory.trend(tomorrow, cid) == [(TODAY, 100), (TODAY + DAY, 100)]
    assert healthhistory.trend(tomorrow, cid, days=1) == [(TODAY + DAY, 100)]


def test_band_drop_is_against_the_best_band_of_the_last_seven_days(db, ctx):
    slid = _customer(ctx, "Slid", 160)          # red today
    _snapshot(slid, 6, 90, "green")
    _snapshot(slid, 2, 60, "amber")             # green -> amber -> red: dropped from green
    dipped = _customer(ctx, "Dipped", 130)      # amber today
    _snapshot(dipped, 7, 80, "green")           # today-7 is the first day of the window
    old = _customer(ctx, "Old news", 130)       # amber today
    _snapshot(old, 8, 95, "green")              # outside the window
    rose = _customer(ctx, "Rose", 130)          # amber today, was red
    _snapshot(rose, 3, 30, "red")
    back = _customer(ctx, "Back", 10)           # green again today
    _snapshot(back, 5, 90, "green")
    _snapshot(back, 1, 40, "red")
    same_day = _customer(ctx, "Same day", 130)  # only today's own snapshot: no window
    _snapshot(same_day, 0, 95, "green")
    got = [(d.customer, d.from_band, d.from_score, d.from_day, d.band, d.score)
           for d in healthhistory.drops(ctx)]
    assert got == [
        ("Slid", "green", 90, TODAY - 6 * DAY, "red", 40),
        ("Dipped", "green", 80, TODAY - 7 * DAY, "amber", 70),
    ]
    assert [d.customer for d in healthhistory.drops(ctx, customer_ids=[dipped])] == ["Dipped"]


def test_drops_follow_my_view_and_skip_archived(db, ctx):
    theirs = _customer(ctx, "Theirs", 160)
    records.update(ctx, "customer", theirs, 1, {"owner": "bob"})
    _snapshot(theirs, 3, 90, "green")
    gone = _customer(ctx, "Gone", 160)
    _snapshot(gone, 3, 90, "green")
    records.set_archived(ctx, "customer", gone, 1)
    assert [d.customer for d in healthhistory.drops(ctx)] == ["Theirs"]
    assert healthhistory.drops(ctx, who="alice") == []


def _dump() -> str:
    out = io.StringIO()
    export.export_yaml(out)
    return out.getvalue()


def test_new_tables_and_columns_round_trip(db, ctx, tmp_path, new_db_spec):
    cid = _customer(ctx, "Northwind", 130)
    k = f.contact(ctx, cid, "Dana")
    health.set_rating(ctx, cid, 1, score=55, note="Board is nervous")
    healthhistory.record_snapshots(ctx)
    e = f.expectation(ctx, cid, TODAY + 5 * DAY, status="agreed")
    decision_id, _ = decisions.decide_and_renegotiate(
        ctx, {"customer": cid, "title": "Phase the rollout", "decided_on": TODAY}, [k], e, 1,
        reason="Phased", new_due=TODAY + 20 * DAY)
    records.create(ctx, "risk", {"customer": cid, "title": "Vendor", "likelihood": 4,
                                 "impact": 4, "owner": "bob", "review_on": TODAY + 9 * DAY})
    first = _dump()
    data = yaml.safe_load(first)
    assert data["health_snapshots"][0]["band"] == "amber"
    assert data["decisions"][0]["contacts"] == [k]
    assert data["expectation_changes"][-1]["decision"] == decision_id
    assert data["customers"][0]["health_rating_note"] == "Board is nervous"
    assert "score" not in data["risks"][0]  # derived from likelihood and impact
    path = tmp_path / "export.yaml"
    path.write_text(first)
    close_database()
    open_database(new_db_spec("second"))
    transfer.import_file(ctx, path)
    assert _dump() == first
    assert m.Risk.get().score == 16
    assert decisions.decision(decision_id)["contacts"] == [(k, "Dana")]


def test_an_import_refuses_another_customers_stakeholder_on_a_decision(db, ctx, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n  - {id: 2, name: B}\n"
                    "contacts:\n  - {id: 1, customer: 2, name: Pat}\n"
                    "decisions:\n  - {customer: 1, title: X, decided_on: today, contacts: [1]}\n")
    with pytest.raises(transfer.ImportFileError, match="stakeholder 1 belongs to another"):
        transfer.import_file(ctx, path)
    assert m.Decision.select().count() == 0


def test_an_import_with_sections_out_of_order_reads_each_in_turn(db, ctx, tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n"
                    "risks:\n  - {customer: 1, title: R, likelihood: 5, impact: 4}\n"
                    "decisions:\n  - {id: 1, customer: 1, title: D, decided_on: today}\n"
                    "expectations:\n  - {id: 1, customer: 1, statement: S, current_due: today}\n"
                    "expectation_changes:\n  - {expectation: 1, decision: 1, reason: why,"
                    " changed_at: today, changed_by: pat}\n")
    result = transfer.import_file(ctx, path)
    assert result.counts == {"customers": 1, "expectations": 1, "decisions": 1,
                             "expectation_changes": 1, "risks": 1}
    assert m.ExpectationChange.get().decision_id == m.Decision.get().id
    assert m.Risk.get().score == 20
