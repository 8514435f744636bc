"""``relboard calendar`` (issue 24 point 2): the PM's dated work as an iCalendar file, read
back with the ``icalendar`` library: stable UIDs across runs and edits, SEQUENCE from the
record's version, descriptions without internal text, hostile names as plain escaped text."""

from __future__ import annotations

import dataclasses
import datetime as dt

import icalendar
import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.db import close_database
from relboard.services import records, touchpoints
from relboard.services.dated import database_identity, dated_work
from relboard.services.ical import Event, calendar_text, escape_text, fold
from relboard.text import safe
from tests import factories as f
from tests.config_files import for_the_command
from tests.conftest import NOW, TODAY
from tests.hostile import CONTROL, HOSTILE

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _parse(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text.encode("utf-8"))
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _calendar(ctx, who: str = "alice", days: int = 60) -> str:
    return calendar_text(dated_work(ctx, who, days), ctx.now(), name=f"relboard: {who}")


@pytest.fixture
def work(db, ctx):
    """Alice's customer Acme with one of each kind of dated work, Bob's Bolt with his own,
    and an archived customer's follow-up; internal text everywhere a calendar must not go."""
    acme = f.customer(ctx, "Acme", owner="alice", notes="SECRET customer note")
    bolt = f.customer(ctx, "Bolt", owner="bob")
    gone = f.customer(ctx, "Gone", owner="alice")
    ids = {
        "call": f.touchpoint(ctx, acme, summary="Weekly call; agreed the plan",
                             follow_up_on=TODAY + 3 * DAY),
        "note": f.touchpoint(ctx, acme, summary="SECRET internal note", internal=True,
                             occurred_at=NOW - 5 * DAY, follow_up_on=TODAY - 2 * DAY),
        "far": f.touchpoint(ctx, acme, summary="Far away", follow_up_on=TODAY + 90 * DAY),
        "bob": f.touchpoint(ctx, bolt, summary="Bob's call", follow_up_on=TODAY + DAY),
        "gone": f.touchpoint(ctx, gone, summary="Archived", follow_up_on=TODAY + DAY),
        "promise": f.expectation(ctx, acme, TODAY + 10 * DAY, "Pilot live, in production"),
        "risk": records.create(ctx, "risk", {"customer": acme, "title": "Vendor slips",
                                             "mitigation": "SECRET mitigation",
                                             "review_on": TODAY + 5 * DAY}),
        "issue": f.issue(ctx, acme, "Export fails", severity="high",
                         description="SECRET issue text"),
    }
    records.set_archived(ctx, "customer", gone, records.get("customer", gone)["version"], True)
    return ids


def test_the_calendar_holds_the_users_dated_work_read_back_by_icalendar(work, ctx):
    events = _parse(_calendar(ctx))
    ident = database_identity()
    follow, note = f"followup-{work['call']}.{ident}@relboard", f"followup-{work['note']}." \
        f"{ident}@relboard"
    assert sorted(events) == sorted([
        follow, note, f"expectation-{work['promise']}.{ident}@relboard",
        f"risk-review-{work['risk']}.{ident}@relboard",
        f"issue-response-{work['issue']}.{ident}@relboard",
        f"issue-resolution-{work['issue']}.{ident}@relboard"])  # not Bob's, archived, far
    call = events[follow]
    assert call["DTSTART"].dt == TODAY + 3 * DAY and call["DTEND"].dt == TODAY + 4 * DAY
    assert call["SEQUENCE"] == 1 and str(call["SUMMARY"]) == "Follow up: Acme"
    assert str(call["DESCRIPTION"]).splitlines() == [
        "Customer: Acme", "After: call on Mon 2026-11-23", "Said: Weekly call; agreed the plan"]
    assert events[note]["DTSTART"].dt == TODAY - 2 * DAY  # overdue: on its own date
    due = events[f"expectation-{work['promise']}.{ident}@relboard"]
    assert str(due["SUMMARY"]) == "Due: Pilot live, in production (Acme)"
    response = events[f"issue-response-{work['issue']}.{ident}@relboard"]
    raised = m.Issue.get_by_id(work["issue"]).raised_at
    target = ctx.sla.target("high").first_response_hours
    assert response["DTSTART"].dt == (raised + dt.timedelta(hours=target)).replace(
        tzinfo=dt.UTC)
    assert "DTEND" not in response
    assert all(e["DTSTAMP"].dt == NOW.replace(tzinfo=dt.UTC) for e in events.values())


def test_no_internal_text_goes_into_the_calendar(work, ctx):
    text = _calendar(ctx)
    assert "SECRET" not in text and "http" not in text
    events = _parse(text)
    note = next(e for uid, e in events.items() if uid.startswith(f"followup-{work['note']}."))
    assert "After: internal note on" in str(note["DESCRIPTION"])


def _events(text: str) -> list[str]:
    """The events' lines, DTSTAMP (the moment the file was made) left out."""
    return [line for line in text.split("\r\n") if not line.startswith("DTSTAMP:")]


def test_uids_stay_across_runs_and_an_edit_raises_the_sequence(work, ctx):
    first = _parse(_calendar(ctx))
    assert _parse(_calendar(ctx)).keys() == first.keys()
    version = records.get("interaction", work["call"])["version"]
    touchpoints.reschedule_follow_up(ctx, work["call"], version, TODAY + 4 * DAY)
    second = _parse(_calendar(ctx))
    assert second.keys() == first.keys()
    uid = next(u for u in first if u.startswith(f"followup-{work['call']}."))
    assert second[uid]["SEQUENCE"] > first[uid]["SEQUENCE"]
    assert second[uid]["DTSTART"].dt == TODAY + 4 * DAY
    assert all(second[u]["SEQUENCE"] == first[u]["SEQUENCE"] for u in first if u != uid)


def test_an_event_changes_only_with_its_record_or_customer_never_with_the_day(work, ctx):
    """Tomorrow's calendar holds the same events, to the byte (but DTSTAMP): what nothing
    edited does not change while its SEQUENCE stays. A renamed customer raises it."""
    tomorrow = dataclasses.replace(ctx, now_override=NOW + DAY)
    assert _events(_calendar(tomorrow)) == _events(_calendar(ctx))
    first = _parse(_calendar(ctx))
    acme = m.Interaction.get_by_id(work["call"]).customer_id
    records.update(ctx, "customer", acme, records.get("customer", acme)["version"],
                   {"name": "Acme Ltd"})
    renamed = _parse(_calendar(ctx))
    assert renamed.keys() == first.keys()
    assert all(renamed[u]["SEQUENCE"] == first[u]["SEQUENCE"] + 1 for u in first)
    assert all("(Acme Ltd)" in str(e["SUMMARY"]) or str(e["SUMMARY"]).endswith("Acme Ltd")
               for e in renamed.values())


def test_whose_work_and_how_far(work, ctx):
    bob = _parse(_calendar(ctx, "bob"))
    assert [u.split(".")[0] for u in bob if u.startswith("followup")] == [
        f"followup-{work['bob']}"]
    far = _parse(_calendar(ctx, days=120))
    assert any(u.startswith(f"followup-{work['far']}.") for u in far)
    today_only = _parse(_calendar(ctx, days=0))
    assert sorted(u.split(".")[0] for u in today_only if not u.startswith("issue")) == [
        f"followup-{work['note']}"]  # overdue is always in


def test_hostile_names_end_as_plain_escaped_text(db, ctx, db_kind):
    names = [(n.replace("\x00", "") if db_kind == "postgresql" else n)[:200] for n in HOSTILE]
    for n, name in enumerate(names):
        cid = f.customer(ctx, f"C{n}")
        m.Customer.update(name=name).where(m.Customer.id == cid).execute()
        f.touchpoint(ctx, cid, follow_up_on=TODAY + DAY)
    text = _calendar(ctx)
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line and "\r" not in line for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    assert not CONTROL.search(text.replace("\r\n", ""))
    summaries = sorted(str(e["SUMMARY"]) for e in _parse(text).values())
    assert summaries == sorted(f"Follow up: {safe(name)}" for name in names)


@pytest.mark.sqlite_only
def test_the_identity_moves_with_the_file_and_the_board(work, ctx, db_spec, tmp_path,
                                                         pg_server):
    """The file renamed keeps the UIDs, and so does the board copied into PostgreSQL
    (``migrate-to``); another board (its first record made at another moment) has its
    own."""
    import shutil

    from relboard.db import open_database
    from relboard.services.migrate_to import migrate_to

    uids = sorted(_parse(_calendar(ctx)))
    close_database()
    moved = tmp_path / "moved.db"
    shutil.move(db_spec, moved)
    source = open_database(str(moved))
    assert sorted(_parse(_calendar(ctx))) == uids
    name = pg_server.create_database(False)
    target = pg_server.url(name)
    try:
        migrate_to(source, target)
        close_database()
        open_database(target)
        assert sorted(_parse(_calendar(ctx))) == uids
        close_database()
    finally:
        pg_server.drop_database(name)
    open_database(str(moved))
    a = m.Activity
    a.update(at=NOW - DAY).where(a.id == a.select(a.id).order_by(a.id).limit(1)).execute()
    assert sorted(_parse(_calendar(ctx))) != uids


def test_the_text_follows_rfc_5545():
    assert escape_text("a\\b;c,d\ne\x1b") == "a\\\\b\\;c\\,d\\ne\ufffd"
    folded = fold("DESCRIPTION:" + "é" * 80)
    pieces = folded.split("\r\n")
    assert pieces[-1] == "" and all(len(p.encode()) <= 75 for p in pieces)
    assert pieces[1].startswith(" ") and "".join(p[1:] if i else p for i, p in
                                                  enumerate(pieces)) == "DESCRIPTION:" + "é" * 80
    event = Event("x@relboard", 3, "S", "D", day=dt.date(2026, 12, 31))
    parsed = _parse(calendar_text([event], NOW))["x@relboard"]
    assert parsed["DTEND"].dt == dt.date(2027, 1, 1) and parsed["SEQUENCE"] == 3


def _config(tmp_path, db_spec) -> str:
    return for_the_command(tmp_path, db_spec)


def test_the_command_writes_a_file_or_standard_output(work, ctx, db_spec, tmp_path, capsys,
                                                       monkeypatch):
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    config = _config(tmp_path, db_spec)
    target = tmp_path / "work.ics"
    assert main(["--config", config, "calendar", str(target)]) == 0
    written = target.read_bytes().decode("utf-8")
    assert capsys.readouterr().out == ""
    assert main(["--config", config, "calendar"]) == 0
    out = capsys.readouterr().out
    assert main(["--config", config, "calendar", "-"]) == 0  # "-": standard output too
    assert _events(capsys.readouterr().out) == _events(out)  # DTSTAMP: the real time
    assert out.startswith("BEGIN:VCALENDAR\r\n") and "\\r" not in out
    assert _parse(out).keys() == _parse(written).keys() and len(_parse(out)) == 6
    assert main(["--config", config, "calendar", "--user", "bob", "--days", "3"]) == 0
    assert len([u for u in _parse(capsys.readouterr().out) if u.startswith("followup")]) == 1


def test_the_command_refuses_bad_input_in_one_line(work, db_spec, tmp_path, capsys,
                                                    monkeypatch):
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    config = _config(tmp_path, db_spec)
    assert main(["--config", config, "calendar", "--user", "alcie"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("relboard: --user: nobody named 'alcie' on this board; did you "
                          "mean alice?") and err.count("\n") == 1
    with pytest.raises(SystemExit) as done:
        main(["--config", config, "calendar", "--days", "-1"])
    assert done.value.code == 2
    assert "--days: -1 is not between 0 and 3660" in capsys.readouterr().err
    assert main(["--config", config, "calendar", str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_completion_offers_the_command(capsys):
    assert main(["completion", "bash"]) == 0
    out = capsys.readouterr().out
    assert '"calendar:") COMPREPLY=($(compgen -W "' in out
    line = next(x for x in out.splitlines() if x.strip().startswith('"calendar:")'))
    assert "--user" in line and "--days" in line

