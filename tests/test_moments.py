"""Date-and-time fields read the words of date fields (issue 21 point 8): ``now``,
``today 10:00``, ``tomorrow 9:30``, ``+2d 14:00``, ``friday 16:00`` and ``YYYY-MM-DD HH:MM``,
one parser (``spec.parse_datetime`` / ``dates.relative_moment``) for the forms' quick check,
the services, and the command line; an import (no today) keeps to full dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.screens.form_choices import FormField, quick_check
from relboard.screens.touchpoint_form import TouchpointForm
from relboard.services.context import Context
from relboard.services.dates import relative_moment
from relboard.services.errors import ValidationError
from relboard.services.spec import F, clean, parse_datetime
from tests import factories as f
from tests.conftest import NOW, TODAY
from tests.form_harness import SIZE, FormApp, error_of, opened, settle

BERLIN = ZoneInfo("Europe/Berlin")  # UTC+1 in November


@pytest.mark.parametrize("text, local", [
    ("today 10:00", "2026-11-23 10:00"), ("tomorrow 9:30", "2026-11-24 09:30"),
    ("+2d 14:00", "2026-11-25 14:00"), ("friday 16:00", "2026-11-27 16:00"),
    ("Yesterday 15:30", "2026-11-22 15:30"), ("-1w 8:05", "2026-11-16 08:05"),
    ("2026-11-30 9:30", "2026-11-30 09:30"), ("tomorrow", "2026-11-24 09:00"),
    ("fri @ 16:00", "2026-11-27 16:00"),
])
def test_the_words_of_a_date_with_a_time(text, local):
    assert relative_moment(text, TODAY) == dt.datetime.fromisoformat(local)


@pytest.mark.parametrize("text", ["2026-11-30T14:30:05", "2026-11-30", "soon", "14:30", ""])
def test_what_is_not_a_relative_moment_is_left_to_iso(text):
    assert relative_moment(text, TODAY) is None


def test_a_time_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="25:00 is not a time of day"):
        relative_moment("today 25:00", TODAY)


def test_typed_moments_are_local_time_stored_as_utc():
    assert parse_datetime("tomorrow 9:30", BERLIN, TODAY) == dt.datetime(2026, 11, 24, 8, 30)
    assert parse_datetime("2026-11-24 09:30", BERLIN, TODAY) == dt.datetime(2026, 11, 24, 8, 30)
    assert parse_datetime("now", BERLIN, TODAY, NOW) == NOW
    assert parse_datetime(" NOW ", BERLIN, TODAY, NOW) == NOW


def test_clean_reads_words_only_with_today_and_says_them():
    rules = {"at": F("datetime")}
    assert clean(rules, {"at": "+2d 14:00"}, partial=False, today=TODAY, now=NOW) == {
        "at": dt.datetime(2026, 11, 25, 14, 0)}
    with pytest.raises(ValidationError) as refused:
        clean(rules, {"at": "+2d 14:00"}, partial=False)  # an import: no today, no words
    assert refused.value.errors == {
        "at": "must be a date and time like 2026-11-30 14:30 (years 1900-2199)"}
    with pytest.raises(ValidationError) as refused:
        clean(rules, {"at": "soon"}, partial=False, today=TODAY, now=NOW)
    assert "today 10:00, tomorrow 9:30, +2d 14:00" in refused.value.errors["at"]
    with pytest.raises(ValidationError) as refused:
        clean(rules, {"at": "today 24:10"}, partial=False, today=TODAY, now=NOW)
    assert refused.value.errors == {"at": "must be a date and time: 24:10 is not a time of day"}


def test_the_form_quick_check_lets_the_words_through():
    field = FormField("occurred_at", "When", "datetime")
    for text in ("now", "yesterday 15:30", "+2d 14:00", "friday 16:00", "2026-11-20 09:00"):
        assert quick_check(field, text) is None, text
    assert "tomorrow 9:30" in quick_check(field, "yesterday-ish")


async def test_typing_yesterday_1530_in_the_touchpoint_form_logs_it_then(db, ctx):
    customer = f.customer(ctx)
    app = FormApp(ctx, lambda: TouchpointForm(customer))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*"Called about the invoice")
        form.field("occurred_at").focus()
        await pilot.press(*"yesterday 15:30")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form, error_of(form, "occurred_at")
    row = m.Interaction.get_by_id(app.results[0])
    assert ctx.local(row.occurred_at) == dt.datetime(2026, 11, 22, 15, 30)


def test_the_command_line_logs_a_touchpoint_when_it_happened(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = tmp_path / "r.db"
    open_database(str(database))
    try:
        f.customer(Context(user="alice", now_override=NOW), "Brightwater Logistics")
    finally:
        close_database()
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {database}\nuser: ann\ntimezone: Europe/Berlin\n")
    code = main(["--config", str(cfg), "log", "Brightwater", "Call", "--when", "-1d 15:30"])
    assert code == 0, capsys.readouterr().err
    code = main(["--config", str(cfg), "log", "Brightwater", "Call", "--when", "soon"])
    err = capsys.readouterr().err
    assert code == 2 and "--when: must be a date and time like 2026-11-30 14:30, now" in err
    open_database(str(database))
    try:
        assert [row.occurred_at for row in m.Interaction.select()] == [
            dt.datetime(2026, 11, 22, 14, 30)]  # 15:30 in Berlin
    finally:
        close_database()
