"""``sla.hours``, ``sla.holidays`` and ``sla.tiers`` in the config: what is read, every mistake
as FILE:LINE:COL with exit 2 on the command line, and a board whose stored clocks were made
round the clock following the hours at its next start (schema 14 keeps what they were made
with)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.config import SlaConfig, SlaHours
from relboard.config_check import load_config
from relboard.db import close_database, open_database
from relboard.migrations import LATEST, m0014_settings, migrate, schema_version, steps
from relboard.services import clocks
from relboard.services.context import Context
from tests import factories as f
from tests.config_files import errors_of, write

pytestmark = pytest.mark.both_databases  # the tests with a database: on both kinds


def test_hours_holidays_and_tiers_are_read(tmp_path):
    path = write(tmp_path, """\
        timezone: America/New_York
        sla:
          hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00",
                  timezone: Europe/Berlin}
          holidays: [2026-12-26, 2026-12-25, 2026-12-25]
          tiers:
            strategic: {hours: null}
            key: {hours: {days: [Mon, sat], from: "07:30", to: "24:00"}}
        """)
    sla = load_config(path, env={}).sla
    assert sla.hours == SlaHours((0, 1, 2, 3, 4), dt.time(9), dt.time(17), "Europe/Berlin")
    assert sla.holidays == (dt.date(2026, 12, 25), dt.date(2026, 12, 26))
    assert sla.tiers == (("strategic", None),  # the key tier's zone: the top-level one
                         ("key", SlaHours((0, 5), dt.time(7, 30), dt.time.max,
                                          "America/New_York")))
    assert sla.hours_for("strategic") is None and sla.hours_for("standard") == sla.hours
    assert not sla.round_the_clock


def test_no_hours_is_round_the_clock_as_before(tmp_path):
    sla = load_config(write(tmp_path, "sla:\n  hours: null\n  holidays: []\n"), env={}).sla
    assert sla == SlaConfig() and sla.round_the_clock


def test_every_mistake_with_its_place(tmp_path):
    path = write(tmp_path, """\
        sla:
          hours: {days: [mon, tue, wendesday], from: "9:00", to: "08:00", zone: x}
          holidays: [2026-02-30, tomorrow]
          tiers:
            strategc: {hours: null}
            key: {hours: {from: "18:00", to: "17:00", timezone: Mars/Olympus}}
            standard: null
        """)
    assert errors_of(path) == [
        f"{path}:2:10: sla.hours.timezone: missing: name the zone the working hours are in "
        "(e.g. Europe/Berlin), or set the top-level timezone",
        f"{path}:2:28: sla.hours.days[2]: expected a day (mon, tue, wed, thu, fri, sat, sun), "
        "got 'wendesday'; did you mean 'wednesday'?",
        f"{path}:2:46: sla.hours.from: expected a time as \"HH:MM\" (00:00-24:00, in quotes), "
        "got '9:00'",
        f"{path}:2:67: sla.hours.zone: unknown key 'zone'; did you mean 'timezone'?",
        f"{path}:3:14: sla.holidays[0]: expected a real date as YYYY-MM-DD (years 1900-2199), "
        "got '2026-02-30'",
        f"{path}:3:26: sla.holidays[1]: expected a real date as YYYY-MM-DD (years 1900-2199), "
        "got 'tomorrow'",
        f"{path}:5:5: sla.tiers.strategc: unknown tier 'strategc'; did you mean 'strategic'? "
        "(tiers: strategic, key, standard)",
        f"{path}:6:38: sla.tiers.key.hours.to: from (18:00) must be before to (17:00)",
        f"{path}:6:57: sla.tiers.key.hours.timezone: unknown time zone 'Mars/Olympus' (use a "
        "name like Europe/Berlin or UTC)",
        f"{path}:7:15: sla.tiers.standard: expected a mapping with hours (e.g. {{hours: null}}), "
        "got nothing",
    ]


@pytest.mark.parametrize("text, message", [
    ("sla:\n  hours: weekdays\n", "2:10: sla.hours: expected a mapping of days, from, to and "
                                  "timezone (or null: round the clock), got 'weekdays'"),
    ("sla:\n  hours: {days: [], timezone: UTC}\n",
     "2:17: sla.hours.days: expected a list of days like [mon, tue, wed, thu, fri], got an "
     "empty list"),
    ("sla:\n  hours: {days: [mon, mon], timezone: UTC}\n",
     "2:23: sla.hours.days[1]: mon is listed twice"),
    ("sla:\n  hours: {to: \"25:00\", timezone: UTC}\n",
     "2:15: sla.hours.to: expected a time as \"HH:MM\" (00:00-24:00, in quotes), got '25:00'"),
    ("sla:\n  holidays: 2026-12-25\n",
     "2:13: sla.holidays: expected a list of dates like [2026-12-25], got '2026-12-25'"),
    ("sla:\n  tiers: [strategic]\n", "2:10: sla.tiers: expected a mapping of tiers like "
                                     "{strategic: {hours: null}}, got a list"),
    ("sla:\n  tiers: {key: {hours: null, days: [mon]}}\n",
     "2:30: sla.tiers.key.days: unknown key 'days'"),
])
def test_one_mistake_each_exits_2_on_the_command_line(tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{message}" in err and "Traceback" not in err


def test_schema_14_adds_the_settings_and_changes_no_clock(db):
    ctx = Context(user="alice", now_override=dt.datetime(2026, 11, 27, 15))
    iid = f.issue(ctx, f.customer(ctx), severity="high", raised_at=ctx.now())
    with db.atomic():  # back to schema 9
        db.drop_tables([m.Setting])
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 14).execute()
    assert migrate(db) == [n for n, _, _ in steps() if n >= 14]  # 14, then the later
    assert schema_version(db) == LATEST and "setting" in db.get_tables()
    assert m.Issue.get_by_id(iid).clock_at == ctx.now()  # the start: round the clock
    assert m.Setting.select().count() == 0
    m0014_settings.apply(db)  # again: nothing happens
    assert clocks.stale(None) == (0, 0, 0)


def test_a_board_follows_its_config_s_hours_at_the_next_start(tmp_path, capsys):
    """Made round the clock, opened with working hours: Today's and the digest's deadlines
    are the working-hours ones from the first command on."""
    database = tmp_path / "board.db"
    open_database(str(database))
    try:
        ctx = Context(user="alice", now_override=dt.datetime(2026, 11, 27, 15))  # Fri 16:00
        iid = f.issue(ctx, f.customer(ctx), severity="high", raised_at=ctx.now())
    finally:
        close_database()
    config = write(tmp_path, f"""\
        database: {database}
        today: 2026-12-01
        timezone: UTC
        sla:
          hours: {{timezone: Europe/Berlin}}
          holidays: [2026-11-30]
        """)
    assert main(["--config", str(config), "digest", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    item = next(it for it in data["items"] if it["kind"] == "issue" and it["id"] == iid)
    assert item["response_due"] == "2026-12-01T11:00:00Z"  # Tuesday 12:00 in Berlin
    assert main(["--config", str(config), "check"]) == 0
    assert "stored clocks: up to date" in capsys.readouterr().out
