"""Moments are stored in UTC and shown and typed in each PM's own time zone.

Two PMs, one in Berlin and one in New York, share one database: a touchpoint one logs at
"14:30" their time is one stored moment, which each sees in local time, and "today", the
days since last contact and the SLA clocks agree for both.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from relboard import models as m
from relboard.clock import system_zone, to_local, to_utc, zone_named
from relboard.db import close_database, open_database
from relboard.services import attention, records, touchpoints
from relboard.services.context import Context
from relboard.services.export import export_text
from relboard.services.transfer import import_file
from tests import factories as f

BERLIN, NEW_YORK = zone_named("Europe/Berlin"), zone_named("America/New_York")
NOW = dt.datetime(2026, 11, 23, 22, 30)  # UTC: 23:30 in Berlin, 17:30 in New York


def pm(user: str, zone, now: dt.datetime = NOW) -> Context:
    return Context(user=user, now_override=now, zone=zone)


def test_conversions_honour_daylight_saving_time():
    assert to_utc(dt.datetime(2026, 7, 1, 12, 0), BERLIN) == dt.datetime(2026, 7, 1, 10, 0)
    assert to_utc(dt.datetime(2026, 12, 1, 12, 0), BERLIN) == dt.datetime(2026, 12, 1, 11, 0)
    assert to_local(dt.datetime(2026, 12, 1, 11, 0), NEW_YORK) == dt.datetime(2026, 12, 1, 6, 0)
    aware = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert to_utc(aware, BERLIN) == dt.datetime(2026, 12, 1, 11, 0)  # an offset wins


def test_today_is_where_the_pm_is():
    assert pm("ana", BERLIN).today() == dt.date(2026, 11, 23)
    late = pm("ana", BERLIN, dt.datetime(2026, 11, 23, 23, 30))  # 00:30 on the 24th in Berlin
    assert late.today() == dt.date(2026, 11, 24)
    assert pm("ben", NEW_YORK, dt.datetime(2026, 11, 23, 23, 30)).today() == dt.date(2026, 11, 23)


def test_typed_time_is_local_and_stored_in_utc(db):
    ana, ben = pm("ana", BERLIN), pm("ben", NEW_YORK)
    cid = f.customer(ana)
    tid = touchpoints.log_touchpoint(ana, {"customer": cid, "summary": "Call",
                                           "occurred_at": "2026-11-23 14:30"}, [])
    stored = m.Interaction.get_by_id(tid).occurred_at
    assert stored == dt.datetime(2026, 11, 23, 13, 30)  # 14:30 in Berlin
    assert ben.local(stored) == dt.datetime(2026, 11, 23, 8, 30)  # what Ben is shown
    assert records.get("interaction", tid)["occurred_at"] == stored
    created = m.Customer.get_by_id(cid).created_at
    assert created == NOW  # stamps are the UTC moment, whoever writes


def test_an_offset_or_z_is_converted_and_a_day_alone_is_nine_local(db):
    ana = pm("ana", BERLIN)
    cid = f.customer(ana)
    for typed, expected in (("2026-11-23T10:00+09:00", dt.datetime(2026, 11, 23, 1, 0)),
                            ("2026-11-23 10:00Z", dt.datetime(2026, 11, 23, 10, 0)),
                            ("2026-11-22", dt.datetime(2026, 11, 22, 8, 0))):
        tid = touchpoints.log_touchpoint(ana, {"customer": cid, "summary": typed,
                                               "occurred_at": typed}, [])
        assert m.Interaction.get_by_id(tid).occurred_at == expected, typed


def test_days_since_contact_count_in_the_pms_own_days(db):
    ana = pm("ana", BERLIN)
    cid = f.customer(ana, cadence_days=1)
    # 23:00 UTC on the 21st is the 22nd in Berlin (00:00) but the 21st in New York (18:00)
    touchpoints.log_touchpoint(ana, {"customer": cid, "summary": "late call",
                                     "occurred_at": dt.datetime(2026, 11, 21, 23, 0)}, [])
    later = dt.datetime(2026, 11, 23, 12, 0)
    berlin = [i.reason for i in attention.attention(pm("ana", BERLIN, later))
              if i.kind == "customer"]
    new_york = [i.reason for i in attention.attention(pm("ben", NEW_YORK, later))
                if i.kind == "customer"]
    assert berlin == []  # 1 day ago in Berlin: within the cadence
    assert new_york == ["last contact 2 days ago; cadence 1"]


def test_export_writes_utc_with_z_and_imports_to_the_same_moments(db, tmp_path):
    ana = pm("ana", BERLIN)
    cid = f.customer(ana)
    touchpoints.log_touchpoint(ana, {"customer": cid, "summary": "Call",
                                     "occurred_at": "2026-11-23 14:30"}, [])
    text = export_text()
    assert "occurred_at: '2026-11-23 13:30:00Z'" in text
    close_database()
    open_database(str(tmp_path / "copy.db"))
    path = tmp_path / "board.yaml"
    path.write_text(text)
    import_file(pm("ben", NEW_YORK), path)  # another zone reads the same moments
    assert export_text() == text


def test_relative_times_in_a_file_are_local(db, tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("customers:\n  - {id: 1, name: Acme}\n"
                    "interactions:\n  - {customer: 1, summary: x, occurred_at: today-1 14:30}\n")
    import_file(pm("ana", BERLIN), path)
    assert m.Interaction.get().occurred_at == dt.datetime(2026, 11, 22, 13, 30)


def test_schema_3_local_times_move_to_utc(tmp_path, monkeypatch):
    """An older board stored the server's local time; upgrading converts it, DST included."""
    monkeypatch.setenv("TZ", "America/New_York")
    assert to_utc(dt.datetime(2026, 7, 1, 12), system_zone()) == dt.datetime(2026, 7, 1, 16)
    path = tmp_path / "old.db"
    open_database(str(path))
    ctx = Context(user="pat", now_override=dt.datetime(2026, 7, 1, 12))
    cid = f.customer(ctx)
    touchpoints.log_touchpoint(ctx, {"customer": cid, "summary": "summer",
                                     "occurred_at": dt.datetime(2026, 7, 1, 9, 0)}, [])
    touchpoints.log_touchpoint(ctx, {"customer": cid, "summary": "winter",
                                     "occurred_at": dt.datetime(2026, 1, 5, 9, 0)}, [])
    close_database()
    con = sqlite3.connect(path)  # make it a schema 3 database with local times
    con.execute("DELETE FROM schema_migration WHERE number >= 4")
    con.commit()
    con.close()
    open_database(str(path))
    try:
        moments = [r.occurred_at for r in m.Interaction.select().order_by(m.Interaction.id)]
        assert moments == [dt.datetime(2026, 7, 1, 13, 0), dt.datetime(2026, 1, 5, 14, 0)]
        assert m.Customer.get_by_id(cid).created_at == dt.datetime(2026, 7, 1, 16, 0)
    finally:
        close_database()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_config_timezone_names_the_zone(tmp_path, zone):
    from relboard.config_check import load_config

    path = tmp_path / "c.yaml"
    path.write_text(f"timezone: {zone}\n")
    ctx = Context.from_config(load_config(path, env={}))
    assert ctx.zone == zone_named(zone)
