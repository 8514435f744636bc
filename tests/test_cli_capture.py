"""Capture from the shell (issue 9 points 7 and 8): ``log``, ``issue add``, ``expect`` and
``brief`` — names matched (ambiguous or unknown: exit 2 with the candidates, nothing stored),
relative dates, one-line refusals, the audit log, read-only, and a brief safe to print."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from relboard import models as m
from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.services import expectations, records, touchpoints
from relboard.services.context import Context
from relboard.services.dates import relative_day
from relboard.services.errors import ValidationError
from relboard.services.spec import F, clean
from tests import factories as f
from tests.conftest import NOW, TODAY
from tests.hostile import controls_in

HOSTILE_NAME = "[@click=app.quit]x\x1b]0;t\x07"


def _dump(database) -> str:
    with sqlite3.connect(database) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture
def board(tmp_path, monkeypatch):
    """A database with three customers (two "Northgate ..."), stakeholders and history, and
    a config (user ann) pointing at it; today is Monday 2026-11-23."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = tmp_path / "r.db"
    open_database(str(database))
    try:
        ctx = Context(user="alice", now_override=NOW)
        north = f.customer(ctx, "Northgate Health Partners", owner="alice", tier="strategic")
        f.customer(ctx, "Northgate Health")
        f.customer(ctx, "Brightwater Logistics")
        for name in ("Dana Ruiz", "Dan Brown", "Raj Patel"):
            f.contact(ctx, north, name, engagement_current="neutral",
                      engagement_desired="supportive" if name == "Raj Patel" else "neutral")
        raj = m.Contact.get(m.Contact.name == "Raj Patel").id
        f.touchpoint(ctx, north, [raj], summary="Reviewed the PAS error logs", sentiment=-1,
                     occurred_at=NOW - dt.timedelta(days=2), follow_up_on=TODAY + dt.timedelta(1))
        # raised the day before: the CLI's "now" is RELBOARD_TODAY at the real time of day,
        # and its 1h first response must be breached at any of them (00:00-01:00 too)
        f.issue(ctx, north, "Duplicate SMS confirmations", severity="critical",
                raised_at=NOW - dt.timedelta(hours=34))
        e = f.expectation(ctx, north, TODAY + dt.timedelta(days=5), "Accessibility audit passed",
                          status="agreed")
        expectations.set_status(ctx, e, records.get("expectation", e)["version"], "at_risk",
                                "37 contrast issues found")
        records.create(ctx, "risk", {"customer": north, "title": "PAS vendor slips",
                                     "likelihood": 4, "impact": 5, "owner": "alice",
                                     "review_on": TODAY + dt.timedelta(days=9)})
        records.create(ctx, "decision", {"customer": north, "title": "Freeze new features",
                                         "decided_on": TODAY - dt.timedelta(days=2)})
    finally:
        close_database()
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {database}\nuser: ann\nteam: [bob, priya]\n")
    return str(cfg), database


def _run(capsys, cfg, *argv) -> tuple[int, str, str]:
    code = main(["--config", cfg, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _read(database, query):
    open_database(str(database))
    try:
        return query()
    finally:
        close_database()


def _last_touchpoint(database):
    def query():
        row = m.Interaction.select().order_by(m.Interaction.id.desc()).get()
        people = [p["name"] for p in touchpoints.participants(row.id)]
        audit = list(m.Activity.select().where((m.Activity.entity == "interaction")
                                               & (m.Activity.entity_id == row.id)).dicts())
        return row, people, audit
    return _read(database, query)


# -- relative dates ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("today", TODAY), ("tomorrow", TODAY + dt.timedelta(1)), ("+3d", dt.date(2026, 11, 26)),
    ("-2d", dt.date(2026, 11, 21)), ("+2w", dt.date(2026, 12, 7)),
    ("today+3", dt.date(2026, 11, 26)),
    ("friday", dt.date(2026, 11, 27)), ("Fri", dt.date(2026, 11, 27)),
    ("monday", dt.date(2026, 11, 30)),  # today is a Monday: the next one
    ("2026-12-01", None), ("someday", None), ("fr", None),
])
def test_relative_day(text, expected):
    assert relative_day(text, TODAY) == expected


def test_date_cleaning_reads_relative_dates_only_with_today():
    rules = {"due": F("date")}
    assert clean(rules, {"due": "friday"}, partial=False, today=TODAY) == {
        "due": dt.date(2026, 11, 27)}
    with pytest.raises(ValidationError) as refused:
        clean(rules, {"due": "friday"}, partial=False)  # an import: no today, no words
    assert refused.value.errors == {"due": "must be a date like 2026-11-30 (years 1900-2199)"}
    with pytest.raises(ValidationError) as refused:
        clean(rules, {"due": "+99999d"}, partial=False, today=TODAY)
    assert "within 36500 days" in refused.value.errors["due"]


def test_board_services_take_relative_dates(db):
    ctx = Context(user="alice", now_override=NOW)
    c = f.customer(ctx)
    tp = f.touchpoint(ctx, c, follow_up_on="+3d")
    assert records.get("interaction", tp)["follow_up_on"] == dt.date(2026, 11, 26)
    version = records.get("interaction", tp)["version"]
    records.update(ctx, "interaction", tp, version, {"follow_up_on": "friday"})
    assert records.get("interaction", tp)["follow_up_on"] == dt.date(2026, 11, 27)
    e = f.expectation(ctx, c, "tomorrow")
    assert records.get("expectation", e)["baseline_due"] == dt.date(2026, 11, 24)


def test_form_quick_check_lets_relative_dates_through():
    from relboard.screens.form_choices import FormField, quick_check

    field = FormField("follow_up_on", "Follow-up", kind="date")
    assert quick_check(field, "+3d") is None and quick_check(field, "friday") is None
    assert quick_check(field, "2026-12-01") is None
    assert "tomorrow" in quick_check(field, "someday")


# -- log -----------------------------------------------------------------------------------

def test_log_with_stakeholders_follow_up_friday_and_sentiment(board, capsys):
    cfg, database = board
    code, out, err = _run(capsys, cfg, "log", "northgate health partners", "Called about SMS",
                          "--with", "raj", "--with", "Dana Ruiz", "--follow-up", "friday",
                          "--sentiment", "+1", "--channel", "video")
    assert (code, err) == (0, "")
    row, people, audit = _last_touchpoint(database)
    assert out == (f"Logged video with Northgate Health Partners (#{row.id}) — Dana Ruiz, "
                   "Raj Patel; sentiment +1; follow-up Fri 2026-11-27\n")
    assert (row.summary, row.channel, row.sentiment) == ("Called about SMS", "video", 1)
    assert row.follow_up_on == dt.date(2026, 11, 27) and people == ["Dana Ruiz", "Raj Patel"]
    assert [(a["user"], a["action"]) for a in audit] == [("ann", "create")]
    assert row.created_by == "ann"


@pytest.mark.parametrize("when, day", [("+3d", "Thu 2026-11-26"), ("today", "Mon 2026-11-23"),
                                       ("2026-12-01", "Tue 2026-12-01")])
def test_log_follow_up_relative(board, capsys, when, day):
    cfg, _ = board
    code, out, _ = _run(capsys, cfg, "log", "Brightwater", "Quick call", "--follow-up", when)
    assert code == 0 and out.endswith(f"; follow-up {day}\n") and "Logged call with " in out


@pytest.mark.parametrize("argv, words", [
    (["log", "Northgate", "x"], ["customer: 'Northgate' matches 2:",
                                  "Northgate Health (#2)", "Northgate Health Partners (#1)"]),
    (["log", "Nobody Inc", "x"], ["customer: no customer named 'Nobody Inc'"]),
    (["log", "Brightwatr", "x"], ["no customer named 'Brightwatr'; did you mean "
                                   "Brightwater Logistics?"]),
    (["log", "Partners", "x", "--with", "Dan"], ["stakeholder: 'Dan' matches 2:",
                                                  "Dan Brown", "Dana Ruiz"]),
    (["log", "Partners", "x", "--with", "Zed"], ["stakeholder: no stakeholder named 'Zed'"]),
    (["log", "Partners", "x", "--follow-up", "someday"],
     ["--follow-up: must be a date like 2026-11-30, +3d, tomorrow or friday"]),
    (["log", "Partners", "x", "--follow-up", "-2d"], ["--follow-up: is before the touchpoint"]),
    (["log", "Partners", "x", "--sentiment", "+5"], ["sentiment: must be between -2 and 2"]),
    (["log", "Partners", "x", "--channel", "pigeon"], ["channel: must be one of call"]),
    (["log", "Partners", "  "], ["SUMMARY: is required"]),
    (["issue", "add", "Partners", "Broken", "--severity", "huge"],
     ["severity: must be critical, high, medium or low"]),
    (["issue", "add", "North", "Broken", "--severity", "high"], ["matches 2"]),
    (["expect", "Partners", "Go live", "--due", "-2d"], ["--due: is in the past"]),
    (["expect", "Partners", "Go live", "--due", "friday", "--category", "vibes"],
     ["category: must be one of scope"]),
    (["expect", "Partners", "Go live", "--due", "2026-02-30"], ["--due: must be a date"]),
])
def test_refused_input_is_one_line_exit_2_and_nothing_stored(board, capsys, argv, words):
    cfg, database = board
    before = _dump(database)
    code, out, err = _run(capsys, cfg, *argv)
    assert code == 2 and out == ""
    assert err.startswith("relboard: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err
    assert _dump(database) == before


def test_at_most_ten_candidates_are_named(board, capsys, tmp_path):
    cfg, database = board
    open_database(str(database))
    try:
        ctx = Context(user="alice", now_override=NOW)
        for n in range(12):
            f.customer(ctx, f"Acme {n:02d}")
    finally:
        close_database()
    code, _, err = _run(capsys, cfg, "log", "acme", "x")
    assert code == 2 and "'acme' matches 12:" in err and "Acme 09" in err
    assert "Acme 10" not in err and "and 2 more" in err


def test_an_exact_name_wins_over_longer_ones(board, capsys):
    cfg, database = board
    code, out, _ = _run(capsys, cfg, "log", "NORTHGATE  health", "x")
    assert code == 0 and "with Northgate Health (#" in out


def test_read_only_refuses_capture_but_not_the_brief(board, capsys, tmp_path):
    cfg, database = board
    before = _dump(database)
    for argv in (["log", "Partners", "x"], ["issue", "add", "Partners", "x", "--severity", "low"],
                 ["expect", "Partners", "x", "--due", "friday"]):
        with pytest.raises(SystemExit) as refused:  # a write takes no --read-only (issue 24)
            _run(capsys, cfg, "--read-only", *argv)
        out, err = capsys.readouterr()
        assert refused.value.code == 2 and out == ""
        assert err.splitlines()[-1].endswith("error: argument --read-only: "
                                             f"{' '.join(argv[:2 if argv[0] == 'issue' else 1])} "
                                             "writes; a read-only board refuses it")
    viewer = tmp_path / "viewer.yaml"
    viewer.write_text(f"database: {database}\nuser: ann\nread_only: true\n")
    code, _, err = _run(capsys, str(viewer), "log", "Partners", "x")
    assert code == 2 and "log: this board is read-only" in err
    code, out, _ = _run(capsys, str(viewer), "brief", "Partners")
    assert code == 0 and "Brief: Northgate Health Partners" in out
    assert _dump(database) == before


# -- issue add, expect ------------------------------------------------------------------------

def test_an_owner_off_the_team_is_refused_with_the_near_names(board, capsys):
    """Issue 21 point 5: ``--owner prya`` was stored, and the item was in nobody's view."""
    cfg, database = board
    before = _dump(database)
    for argv in (["issue", "add", "Partners", "Down", "--severity", "high", "--owner", "prya"],
                 ["expect", "Partners", "Pilot live", "--due", "friday", "--owner", "prya"]):
        code, out, err = _run(capsys, cfg, *argv)
        assert (code, out) == (2, "")
        assert err.startswith("relboard: --owner: nobody named 'prya' on the team; did you "
                              "mean priya? known: alice, ann, bob, priya (--new-owner: take "
                              "it as given)") and err.count("\n") == 1
    assert _dump(database) == before
    code, out, _ = _run(capsys, cfg, "issue", "add", "Partners", "Down", "--severity", "high",
                        "--owner", "prya", "--new-owner")
    assert code == 0 and "(owner prya)" in out



def test_issue_add(board, capsys):
    cfg, database = board
    code, out, err = _run(capsys, cfg, "issue", "add", "brightwater", "Invoices wrong",
                          "--severity", "high", "--owner", "bob")
    assert code == 0 and err == ""
    row = _read(database, lambda: m.Issue.select().order_by(m.Issue.id.desc()).get())
    assert out == (f"Raised high issue #{row.id} for Brightwater Logistics (owner bob); "
                   "first response due in 4h (target 4h)\n")
    assert (row.title, row.severity, row.status, row.owner, row.created_by) == (
        "Invoices wrong", 2, "new", "bob", "ann")


def test_expect_with_relative_due_and_trail(board, capsys):
    cfg, database = board
    code, out, _ = _run(capsys, cfg, "expect", "Partners", "Pilot date agreed", "--due",
                        "friday", "--category", "timeline", "--owner", "ann")
    assert code == 0

    def query():
        row = m.Expectation.select().order_by(m.Expectation.id.desc()).get()
        return row, expectations.trail(row.id)
    row, trail = _read(database, query)
    assert out == (f"Recorded expectation #{row.id} for Northgate Health Partners: due "
                   "Fri 2026-11-27, proposed, category timeline, owner ann\n")
    assert (row.current_due, row.baseline_due) == (dt.date(2026, 11, 27),) * 2
    assert [(t["new_status"], t["changed_by"]) for t in trail] == [("proposed", "ann")]


def test_expect_due_today(board, capsys):
    cfg, _ = board
    code, out, _ = _run(capsys, cfg, "expect", "Partners", "Call back", "--due", "today")
    assert code == 0 and "due Mon 2026-11-23" in out


# -- brief ------------------------------------------------------------------------------------

def test_brief_text(board, capsys):
    cfg, _ = board
    code, out, err = _run(capsys, cfg, "brief", "partners")
    assert code == 0 and err == ""
    assert out.startswith("Brief: Northgate Health Partners (#1) — Mon 2026-11-23\n")
    assert "owner alice, tier strategic, cadence 14 days, last contact 2 days ago" in out
    assert "Health: " in out and "weakest: " in out and "Satisfaction: NPS" in out
    assert "2026-11-21 call with Raj Patel: Reviewed the PAS error logs, sentiment -1" in out
    assert "Open follow-ups (1)\n  Tue 2026-11-24: Reviewed the PAS error logs" in out
    assert "critical, new: Duplicate SMS confirmations — SLA " in out  # the clock is real
    assert "first response breached by " in out and "(target 1h)" in out
    assert "due Sat 2026-11-28, at risk: Accessibility audit passed" in out
    assert "agreed → at risk: 37 contrast issues found" in out
    assert "Raj Patel: neutral → supportive wanted" in out and "Dana Ruiz:" not in out
    assert "red 20: PAS vendor slips" in out
    assert "Sat 2026-11-21: Freeze new features" in out


def test_brief_markdown(board, capsys):
    cfg, _ = board
    code, out, _ = _run(capsys, cfg, "brief", "Partners", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Brief: Northgate Health Partners (#1)")
    assert "## Open issues (1)\n\n- #" in out and "## Recent decisions (1)" in out
    assert "  - " in out  # the expectation's trail nests under it


def test_brief_of_an_ambiguous_name(board, capsys):
    cfg, _ = board
    code, out, err = _run(capsys, cfg, "brief", "North")
    assert code == 2 and out == "" and "matches 2" in err


def test_hostile_customer_name_shows_literally_in_the_brief(board, capsys):
    cfg, database = board
    with sqlite3.connect(database) as conn:
        conn.execute("update customer set name = ? where name = 'Brightwater Logistics'",
                     (HOSTILE_NAME,))
        conn.execute("update interaction set summary = ?", ("[b]bold\x1b[2J *md* [x](y)",))
    for fmt in ("text", "markdown"):
        code, out, err = _run(capsys, cfg, "brief", "click=app", "--format", fmt)
        assert code == 0 and err == "", err
        assert controls_in(out) == []
        assert "[@click=app.quit]x" in out or r"\[@click=app.quit\]x" in out
    code, out, err = _run(capsys, cfg, "log", "click=app", "Hello")
    assert code == 0 and controls_in(out + err) == [] and "[@click=app.quit]x" in out
    code, out, err = _run(capsys, cfg, "brief", "Partners")
    assert controls_in(out) == [] and "[b]bold" in out


# -- the board: b on a profile --------------------------------------------------------------

async def test_b_on_a_profile_shows_the_brief(db, ctx):
    from textual.widgets import Static

    from tests.pilot import SIZE, make_app, settle

    north = f.customer(ctx, "Northgate Health Partners", owner="alice")
    f.issue(ctx, north, "Duplicate SMS confirmations", severity="high")
    f.touchpoint(ctx, north, summary="Weekly call about SMS", follow_up_on="+3d")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(north)
        await settle(pilot)
        profile = app.screen
        await pilot.press("b")
        await settle(pilot)
        assert type(app.screen).__name__ == "BriefScreen"
        text = str(app.screen.query_one("#brief-text", Static).render())
        assert text.startswith("Brief: Northgate Health Partners (#")
        assert "Duplicate SMS confirmations — SLA" in text
        assert "Open follow-ups (1)\n  Thu 2026-11-26: Weekly call about SMS" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is profile


async def test_the_touchpoint_form_takes_a_relative_follow_up(db, ctx):
    from relboard.screens.touchpoint_form import TouchpointForm
    from tests.form_harness import SIZE, FormApp, opened, settle

    cid = f.customer(ctx)
    app = FormApp(ctx, lambda: TouchpointForm(cid, ()))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        await pilot.press(*"Agreed")
        form.field("follow_up_on").value = "friday"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    [tid] = app.results
    assert records.get("interaction", tid)["follow_up_on"] == dt.date(2026, 11, 27)
