"""SLA clocks in working hours (``sla.hours``) on both databases: the issue's example, pauses,
tiers that run round the clock, a change of the hours recomputing the stored clocks, the
digest's deadlines, and random issues (raised across the weeks the clocks change, with
holidays and waits) whose stored clocks, Today's SLA and new-issue groups and the SLA counts
agree with an independent quarter-hour walk (``tests/sla_hours_reference.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace

import pytest

from relboard import models as m
from relboard.config import SlaConfig, SlaHours
from relboard.db import write
from relboard.domain import SEVERITIES, severity_name
from relboard.services import (
    attention,
    clock_sync,
    clocks,
    digest,
    issues,
    lists,
    records,
    sla_grid,
)
from relboard.services.context import Context
from relboard.services.sla import BREACHED, NEAR, OK, PAUSED
from tests import factories as f
from tests.conftest import every_id
from tests.sla_hours_reference import Hours, deadline, worked

pytestmark = pytest.mark.both_databases

H = dt.timedelta(hours=1)
BERLIN = SlaHours(timezone="Europe/Berlin")
HOLIDAY = dt.date(2026, 11, 30)  # Monday
SLA = SlaConfig(hours=BERLIN, holidays=(HOLIDAY,))
FRIDAY_4PM = dt.datetime(2026, 11, 27, 15)  # Friday 16:00 in Berlin (UTC+1)


def _ctx(now: dt.datetime, sla: SlaConfig = SLA) -> Context:
    return Context(user="alice", sla=sla, now_override=now)


def _sla_ids(ctx: Context, group: str = "sla") -> set[int]:
    return {it.record_id for it in attention.attention(ctx) if it.group == group}


def test_friday_4pm_with_monday_a_holiday_is_due_tuesday_noon(db):
    ctx = _ctx(FRIDAY_4PM)
    iid = f.issue(ctx, f.customer(ctx), severity="high", raised_at=FRIDAY_4PM)
    row = m.Issue.get_by_id(iid)
    tuesday_noon = dt.datetime(2026, 12, 1, 11)  # 12:00 in Berlin
    assert (row.clock, row.clock_at + 4 * H) == (clocks.RESPONSE, tuesday_noon)
    assert issues.issue_sla(ctx, iid).response.due == tuesday_noon
    holiday = _ctx(dt.datetime(2026, 11, 30, 15))  # Monday: nothing ran since Friday 17:00
    assert issues.issue_sla(holiday, iid).response.elapsed_hours == 1
    assert iid in _sla_ids(holiday, "unacknowledged") and iid not in _sla_ids(holiday)
    # near from 3h12m run (80%): Tuesday 11:12 in Berlin, to the second
    assert iid not in _sla_ids(_ctx(dt.datetime(2026, 12, 1, 10, 11, 59)))
    assert iid in _sla_ids(_ctx(dt.datetime(2026, 12, 1, 10, 12)))
    tuesday = _ctx(dt.datetime(2026, 12, 1, 10, 15))  # 11:15: 3h15 of 4h, past 80%
    assert issues.issue_sla(tuesday, iid).response.state == NEAR and iid in _sla_ids(tuesday)
    item = next(it for it in attention.attention(tuesday) if it.record_id == iid)
    assert item.reason == ("high: first response due in 45m (target 4h), deadline Tue 01 Dec "
                           "11:00; no owner")  # the context's zone is UTC
    late = _ctx(dt.datetime(2026, 12, 1, 11, 1))
    assert issues.issue_sla(late, iid).state == BREACHED and iid in _sla_ids(late)
    data = json.loads(digest.render(tuesday, "json", portfolio=False))
    got = next(it for it in data["items"] if it["kind"] == "issue" and it["id"] == iid)
    # resolution: 24 working hours, Friday 1 + Tuesday 8 + Wednesday 8 + Thursday 7 -> 16:00
    assert (got["response_due"], got["resolution_due"]) == ("2026-12-01T11:00:00Z",
                                                            "2026-12-03T15:00:00Z")


def test_digest_deadlines_are_null_for_a_met_or_paused_clock(db):
    ctx = _ctx(FRIDAY_4PM)
    iid = f.issue(ctx, f.customer(ctx), severity="critical", raised_at=FRIDAY_4PM)
    version = issues.set_status(_ctx(FRIDAY_4PM + H / 2), iid, 1, "acknowledged")  # met
    # waiting from Wednesday 10:00: 1 + 8 + 1 working hours run, over the 8h target
    issues.set_status(_ctx(dt.datetime(2026, 12, 2, 9)), iid, version, "waiting_on_customer")
    later = _ctx(dt.datetime(2026, 12, 3, 12))
    data = json.loads(digest.render(later, "json", portfolio=False))
    got = next(it for it in data["items"] if it["kind"] == "issue" and it["id"] == iid)
    assert (got["group"], got["response_due"], got["resolution_due"]) == ("sla", None, None)


def test_a_wait_moves_the_deadline_by_the_working_time_it_took(db):
    raised = dt.datetime(2026, 11, 23, 8)  # Monday 09:00
    ctx = _ctx(raised)
    iid = f.issue(ctx, f.customer(ctx), severity="medium", raised_at=raised)  # 8h / 72h
    version = issues.set_status(_ctx(raised + H), iid, 1, "acknowledged")
    version = issues.set_status(_ctx(raised + 7 * H), iid, version, "waiting_on_customer")
    waiting = m.Issue.get_by_id(iid)  # 16:00: 7 working hours run, frozen
    assert (waiting.clock, waiting.clock_frozen) == (clocks.WAITING, 7 * 3600)
    # back on Tuesday 10:00: 18 hours of wall time, 2 of them working time
    issues.set_status(_ctx(dt.datetime(2026, 11, 24, 9)), iid, version, "in_progress")
    row = m.Issue.get_by_id(iid)
    assert row.paused_seconds == 2 * 3600
    hours = Hours(zone="Europe/Berlin", holidays=[HOLIDAY])
    assert row.clock_at + 72 * H == deadline(hours, raised, (2 + 72) * 3600)
    assert issues.issue_sla(_ctx(dt.datetime(2026, 11, 24, 11)), iid).resolution \
        .elapsed_hours == 9  # 7 on Monday, 2 on Tuesday after the wait


def test_a_strategic_tier_runs_round_the_clock_and_a_change_of_tier_follows(db):
    sla = replace(SLA, tiers=(("strategic", None),))
    ctx = _ctx(FRIDAY_4PM, sla)
    big = f.customer(ctx, "Big", tier="strategic")
    small = f.customer(ctx, "Small", tier="standard")
    fast = f.issue(ctx, big, severity="high", raised_at=FRIDAY_4PM)
    slow = f.issue(ctx, small, severity="high", raised_at=FRIDAY_4PM)
    assert m.Issue.get_by_id(fast).clock_at == FRIDAY_4PM  # 24/7: the start, as ever
    assert m.Issue.get_by_id(slow).clock_at + 4 * H == dt.datetime(2026, 12, 1, 11)
    saturday = _ctx(dt.datetime(2026, 11, 28, 10), sla)
    assert _sla_ids(saturday) == {fast}
    assert _sla_ids(saturday, "unacknowledged") == {slow}
    counts = sla_grid.count(saturday)
    assert (counts[("high", BREACHED)], counts[("high", OK)]) == (1, 1)
    records.update(ctx, "customer", small, 1, {"tier": "strategic"})
    assert m.Issue.get_by_id(slow).clock_at == FRIDAY_4PM
    assert _sla_ids(saturday) == {fast, slow}


def test_a_change_of_hours_recomputes_the_stored_clocks_once(db):
    ctx = _ctx(FRIDAY_4PM, SlaConfig())  # written round the clock
    iid = f.issue(ctx, f.customer(ctx), severity="high", raised_at=FRIDAY_4PM)
    assert m.Issue.get_by_id(iid).clock_at == FRIDAY_4PM
    assert write(lambda: clock_sync.sync(SlaConfig())) is False  # nothing stored: 24/7, as ever
    assert write(lambda: clock_sync.sync(SLA)) is True
    assert m.Issue.get_by_id(iid).clock_at + 4 * H == dt.datetime(2026, 12, 1, 11)
    assert clocks.stale(SLA) == (0, 0, 0) and clocks.stale(None)[0] == 1
    assert write(lambda: clock_sync.sync(SLA)) is False  # the same hours: nothing to do
    other = replace(SLA, holidays=())  # Monday works after all: Monday 12:00
    assert write(lambda: clock_sync.sync(other)) is True
    assert m.Issue.get_by_id(iid).clock_at + 4 * H == dt.datetime(2026, 11, 30, 11)
    assert write(lambda: clock_sync.sync(SlaConfig())) is True  # back to round the clock
    assert m.Issue.get_by_id(iid).clock_at == FRIDAY_4PM


def test_a_start_with_the_same_hours_reads_and_takes_no_write_lock(db, monkeypatch):
    """``sync_config`` (every start): the clocks follow new hours through a write; the same
    hours again are only read (a start waits for no other user's write, and writes nothing)."""
    from relboard import db as dbmodule
    from relboard.config import Config

    ctx = _ctx(FRIDAY_4PM, SlaConfig())
    iid = f.issue(ctx, f.customer(ctx), severity="high", raised_at=FRIDAY_4PM)
    writes: list[object] = []
    real = dbmodule.write
    monkeypatch.setattr(dbmodule, "write", lambda fn, *a, **k: writes.append(fn) or real(fn))
    clock_sync.sync_config(Config(database="x.db", user="alex", sla=SLA))
    assert len(writes) == 1 and m.Issue.get_by_id(iid).clock_at + 4 * H == \
        dt.datetime(2026, 12, 1, 11)
    for _ in range(2):
        clock_sync.sync_config(Config(database="x.db", user="alex", sla=SLA))
    assert len(writes) == 1  # read, found the same: no write
    clock_sync.sync_config(Config(database="x.db", user="alex"))  # round the clock again: written
    assert len(writes) == 2 and m.Issue.get_by_id(iid).clock_at == FRIDAY_4PM
    clock_sync.sync_config(Config(database="x.db", user="alex", read_only=True, sla=SLA))
    assert len(writes) == 2  # a viewer changes nothing


# --- random issues against the quarter-hour walk ---------------------------------------

Q = dt.timedelta(minutes=15)
MOVES = {"new": ("acknowledged", "in_progress", "waiting_on_customer", "resolved"),
         "acknowledged": ("in_progress", "waiting_on_customer", "resolved"),
         "in_progress": ("waiting_on_customer", "resolved", "acknowledged"),
         "waiting_on_customer": ("in_progress", "acknowledged", "resolved"),
         "resolved": ("in_progress",)}
SCENARIOS = {
    # Berlin across the spring change (29 March), Good Friday and Easter Monday as holidays
    "berlin": (dt.datetime(2026, 4, 7, 8), SlaConfig(
        hours=BERLIN, holidays=(dt.date(2026, 3, 27), dt.date(2026, 4, 3), dt.date(2026, 4, 6))),
        {None: Hours(zone="Europe/Berlin",
                     holidays=[dt.date(2026, 3, 27), dt.date(2026, 4, 3), dt.date(2026, 4, 6)])}),
    # New York across the autumn change (1 November, London's 25 October), a holiday, a
    # strategic tier round the clock and a key tier on London hours six days a week
    "new_york": (dt.datetime(2026, 11, 4, 16), SlaConfig(
        hours=SlaHours(start=dt.time(8, 30), end=dt.time(18), timezone="America/New_York"),
        holidays=(dt.date(2026, 11, 3),),
        tiers=(("strategic", None), ("key", SlaHours(days=(0, 1, 2, 3, 4, 5), start=dt.time(8),
                                                     end=dt.time(16),
                                                     timezone="Europe/London")))),
        {None: Hours(start=8.5, end=18, zone="America/New_York", holidays=[dt.date(2026, 11, 3)]),
         "strategic": Hours(),
         "key": Hours(days=range(6), start=8, end=16, zone="Europe/London",
                      holidays=[dt.date(2026, 11, 3)])}),
}


def _random_issues(ctx: Context, rnd: random.Random, now: dt.datetime, n: int) -> dict:
    """``n`` issues raised over the 16 days before ``now``, moved through their statuses at
    random quarter hours; what happened to each, as the reference needs it."""
    customers = {tier: f.customer(ctx, f"Customer {tier}", tier=tier)
                 for tier in ("strategic", "key", "standard")}
    out = {}
    for k in range(n):
        tier = rnd.choice(list(customers))
        raised = now - Q * rnd.randrange(1, 16 * 96)
        severity = rnd.choice(SEVERITIES)
        iid = f.issue(Context(user="alice", sla=ctx.sla, now_override=raised),
                      customers[tier], f"Issue {k}", severity=severity, raised_at=raised)
        story = {"tier": tier, "severity": severity, "raised": raised, "answered": None,
                 "waits": [], "waiting": None, "resolved": None, "status": "new"}
        when, version = raised, 1
        for _ in range(rnd.randint(0, 4)):
            when += Q * rnd.randrange(1, 4 * 40)
            if when >= now:
                break
            status = rnd.choice(MOVES[story["status"]])
            version = issues.set_status(Context(user="alice", sla=ctx.sla, now_override=when),
                                        iid, version, status, "fixed")
            story["answered"] = story["answered"] or when
            if story["waiting"] is not None:
                story["waits"].append((story["waiting"], when))
                story["waiting"] = None
            story["waiting"] = when if status == "waiting_on_customer" else None
            story["resolved"] = when if status == "resolved" else None
            story["status"] = status
        out[iid] = story
    return out


def _expected(story: dict, hours: Hours, sla: SlaConfig, now: dt.datetime):
    """(stored clock, its deadline or frozen seconds, Today group or None, SLA state) of an
    issue by the reference."""
    target = sla.target(story["severity"])
    raised, near = story["raised"], sla.near_breach
    if story["answered"] is None:
        t = target.first_response_hours * 3600
        run = worked(hours, raised, now)
        state = BREACHED if run > t else NEAR if run >= t * near else OK
        group = "sla" if state != OK else "unacknowledged"
        return clocks.RESPONSE, deadline(hours, raised, t), group, state
    if story["resolved"] is not None:
        return clocks.NONE, None, None, None
    t = target.resolution_hours * 3600
    paused = sum(worked(hours, a, b) for a, b in story["waits"])
    if story["waiting"] is not None:
        frozen = worked(hours, raised, story["waiting"]) - paused
        state = BREACHED if frozen > t else PAUSED
        return clocks.WAITING, int(max(0, frozen)), "sla" if state == BREACHED else None, state
    run = worked(hours, raised, now) - paused
    state = BREACHED if run > t else NEAR if run >= t * near else OK
    return clocks.RESOLUTION, deadline(hours, raised, paused + t), \
        "sla" if state != OK else None, state


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_random_issues_agree_with_a_quarter_hour_walk(db, scenario):
    now, sla, calendars = SCENARIOS[scenario]
    ctx = _ctx(now, sla)
    stories = _random_issues(ctx, random.Random(f"bizhours-{scenario}"), now, 90)
    rows = {r.id: r for r in m.Issue.select()}
    # every 97 minutes over the next day (odd moments: near thresholds fall between), then
    # three days on
    for later in [k * 97 * dt.timedelta(minutes=1) for k in range(15)] + [3 * 24 * H]:
        at = now + later
        groups: dict[str, set[int]] = {"sla": set(), "unacknowledged": set()}
        counts = {(s, state): 0 for s in SEVERITIES for state in (BREACHED, NEAR, PAUSED, OK)}
        in_state: dict[str, set[int]] = {BREACHED: set(), NEAR: set(), PAUSED: set(), OK: set()}
        for iid, story in stories.items():
            hours = calendars.get(story["tier"], calendars[None])
            clock, due, group, state = _expected(story, hours, sla, at)
            row = rows[iid]
            target = sla.target(severity_name(row.severity))
            span = dt.timedelta(hours=target.first_response_hours if clock == clocks.RESPONSE
                                else target.resolution_hours)
            stored = row.clock_frozen if clock == clocks.WAITING else \
                None if clock == clocks.NONE else row.clock_at + span
            assert (row.clock, stored) == (clock, due), (iid, story)
            if group:
                groups[group].add(iid)
            if state:
                counts[(story["severity"], state)] += 1
                in_state[state].add(iid)
        today = _ctx(at, sla)
        assert _sla_ids(today) == groups["sla"], later
        assert _sla_ids(today, "unacknowledged") == groups["unacknowledged"], later
        assert sla_grid.count(today) == counts, later
        for state, expected in in_state.items():  # the queue filtered by SLA state
            for sort in ("severity", "sla"):
                found = every_id(lambda after, state=state, sort=sort, at=today:
                                 lists.issues_page(at, sla=[state], sort=sort, after=after,
                                                   limit=20))
                assert sorted(found) == sorted(expected), (later, state, sort)
    assert len(groups["sla"]) > 5 and any(s["waits"] for s in stories.values())
    assert clocks.stale(sla) == (0, 0, 0)
    # the queue by SLA time left: soonest deadline first (a waiting issue's: now plus the
    # working time it has left), then the issues without a running clock by id
    keyed, rest = [], []
    for iid, story in stories.items():
        clock, due, _, _ = _expected(story, calendars.get(story["tier"], calendars[None]),
                                     sla, now)
        target = sla.target(story["severity"]).resolution_hours
        if clock == clocks.WAITING:
            keyed.append((now + dt.timedelta(hours=target, seconds=-due), iid))
        elif clock == clocks.NONE:
            rest.append(iid)
        else:
            keyed.append((due, iid))
    queue = every_id(lambda after: lists.issues_page(ctx, sort="sla", after=after, limit=7))
    assert queue == [iid for _, iid in sorted(keyed)] + sorted(rest)
    # filtered by a state, the queue reads only the issues whose stored clocks may be in it
    # (a 1M-record board's 300,000 open issues were each worked out for "near": 7 s)
    worked_out = []
    real = lists.sla_of
    try:
        lists.sla_of = lambda c, row: worked_out.append(row["id"]) or real(c, row)
        lists.issues_page(ctx, sla=[NEAR])
    finally:
        lists.sla_of = real
    assert len(worked_out) < len(stories) / 2


async def test_the_board_shows_working_hours_deadlines(db):
    """Today's SLA item and the issue's page say the deadline in the PM's local time."""
    from relboard.clock import zone_named
    from relboard.screens.issue import IssueScreen
    from tests.pilot import highlight, make_app, open_list, rows, settle, today_options

    ctx = replace(_ctx(dt.datetime(2026, 12, 1, 10, 15)), zone=zone_named("Europe/Berlin"))
    iid = f.issue(_ctx(FRIDAY_4PM), f.customer(ctx, "Northwind"), "Export fails",
                  severity="high", raised_at=FRIDAY_4PM)
    app = make_app(ctx, sla=SLA)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        texts = today_options(app)
        assert any("issue · new · unowned · high · response due in 45m (by Tue 12:00)" in t
                   for t in texts), texts
        highlight(app, f"issue:{iid}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        text = str(app.screen.query_one("#issue-fields").render())
        assert "first response due in 45m (target 4h), deadline Tue 01 Dec 12:00" in text
        # resolution: 24 working hours from Friday 16:00 -> Thursday 16:00 in Berlin
        assert "resolution due in 20h (target 24h), deadline Thu 03 Dec 16:00" in text
        await pilot.press("escape")
        await settle(pilot)
        table = await open_list(pilot, "i")  # the queue: the deadline, near: bold with "!"
        assert [r[3] for r in rows(table)] == ["Tue 12:00!"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("who", [None, "u1"])
def test_today_with_tier_hours_still_walks_indexes(db, who):
    """Tiers with hours of their own add walks (one per calendar), each still an index range
    in its order: no table read row by row, no sort, without statistics as on a real board."""
    from tests.plans import fill, query_plans, temporary_sorts

    fill(db, analyze=False)
    ctx = _ctx(dt.datetime(2026, 11, 23, 10), SCENARIOS["new_york"][1])
    assert temporary_sorts(db, lambda: attention.board(ctx, who)) == []
    bad = [(sql, plan) for sql, plan in query_plans(db, lambda: attention.board(ctx, who))
           if any((step.startswith("SCAN") and "INDEX" not in step
                   and f"CO-ROUTINE {step.split()[1]}" not in plan) or "TEMP B-TREE" in step
                  for step in plan)]
    assert bad == []
    # one statement still: per severity and calendar (3) two running walks, per severity
    # one waiting walk, and per severity and calendar one walk of new issues: 40 walks; in
    # one PM's view (u1 has no customers here) twice that: their own and nobody's
    unions = [sql for sql, _ in query_plans(db, lambda: attention.board(ctx, who))
              if sql.startswith("SELECT 0 AS arm") and 'FROM "issue"' in sql]
    assert [sql.count("UNION ALL") for sql in unions] == [39 if who is None else 79]


def test_health_counts_a_breach_by_the_customer_s_tier_hours(db):
    """The health signal "issues past their SLA" reads each issue's tier with it."""
    from relboard.services import health

    sla = replace(SLA, tiers=(("strategic", None),))
    ctx = _ctx(FRIDAY_4PM, sla)
    big = f.customer(ctx, "Big", tier="strategic")
    small = f.customer(ctx, "Small")
    for customer in (big, small):
        f.issue(ctx, customer, severity="critical", raised_at=FRIDAY_4PM)
    saturday = _ctx(dt.datetime(2026, 11, 28, 10), sla)  # 18h on: only 24/7 is breached
    facts = health._facts(saturday, m.Customer.select(m.Customer.id))
    assert facts["open_issues"] == {big: [("critical", True)], small: [("critical", False)]}


def test_earlier_waits_are_measured_again_when_the_hours_change(db):
    """Waited round the clock from Friday 16:00 to Monday 10:00 (66h paused); with office
    hours from then on, that wait covered 2 working hours (Friday 16-17, Monday 09-10), and
    the deadline moves by those, not by 66 working hours."""
    ctx = _ctx(FRIDAY_4PM, SlaConfig())
    iid = f.issue(ctx, f.customer(ctx), severity="medium", raised_at=FRIDAY_4PM - 7 * H)
    version = issues.set_status(ctx, iid, 1, "waiting_on_customer")
    issues.set_status(_ctx(dt.datetime(2026, 11, 30, 9), SlaConfig()), iid, version,
                      "in_progress")
    assert m.Issue.get_by_id(iid).paused_seconds == 66 * 3600
    imported = f.issue(ctx, f.customer(ctx, "Imported"), severity="medium",
                       raised_at=FRIDAY_4PM - 7 * H)
    records.change(ctx, "issue", imported, 1, {"status": "in_progress",
                                               "first_response_at": FRIDAY_4PM,
                                               "paused_seconds": 3600})  # no trail of waits
    sla = replace(SLA, holidays=())  # Monday works
    assert write(lambda: clock_sync.sync(sla)) is True
    row = m.Issue.get_by_id(iid)
    assert row.paused_seconds == 2 * 3600
    hours = Hours(zone="Europe/Berlin")
    assert row.clock_at + 72 * H == deadline(hours, row.raised_at, (2 + 72) * 3600)
    assert m.Issue.get_by_id(imported).paused_seconds == 3600  # kept as it was
    assert write(lambda: clock_sync.sync(SlaConfig())) is True  # and back: wall time again
    assert m.Issue.get_by_id(iid).paused_seconds == 66 * 3600


def test_a_tier_change_measures_earlier_waits_under_the_tier_s_hours(db):
    sla = replace(SLA, holidays=(), tiers=(("strategic", None),))
    ctx = _ctx(FRIDAY_4PM, sla)
    big = f.customer(ctx, "Big", tier="strategic")  # round the clock
    iid = f.issue(ctx, big, severity="medium", raised_at=FRIDAY_4PM - 7 * H)
    version = issues.set_status(ctx, iid, 1, "waiting_on_customer")
    issues.set_status(_ctx(dt.datetime(2026, 11, 30, 9), sla), iid, version, "in_progress")
    assert m.Issue.get_by_id(iid).paused_seconds == 66 * 3600
    records.update(ctx, "customer", big, 1, {"tier": "standard"})  # office hours now
    row = m.Issue.get_by_id(iid)
    assert row.paused_seconds == 2 * 3600
    assert row.clock_at + 72 * H == deadline(Hours(zone="Europe/Berlin"), row.raised_at,
                                             (2 + 72) * 3600)


def test_export_and_import_keep_the_working_hours_deadlines(db, new_db_spec, tmp_path):
    """Exported from a board with office hours and a strategic tier, imported into a new
    one with the same config: the same stored clocks, the pauses as measured."""
    from relboard.db import close_database, open_database
    from relboard.services import export, transfer

    now, sla, _ = SCENARIOS["new_york"]
    _random_issues(_ctx(now, sla), random.Random("bizhours-export"), now, 25)
    fields = ("id", "clock", "clock_at", "clock_frozen", "paused_seconds")

    def clocks_of():
        return sorted(m.Issue.select(*(getattr(m.Issue, k) for k in fields)).tuples())

    before = clocks_of()
    path = tmp_path / "board.yaml"
    path.write_text(export.export_text(now), encoding="utf-8")
    close_database()
    open_database(new_db_spec("imported"))
    transfer.import_file(_ctx(now, sla), path)
    assert clocks_of() == before
    assert clocks.stale(sla) == (0, 0, 0)


def test_new_issues_come_soonest_deadline_first_and_the_board_is_the_top_of_the_list(db):
    """With working hours the new-issue group is ordered by deadline (what its walks read),
    so a bounded board is the first items of the whole list, with the whole counts."""
    now, sla, _ = SCENARIOS["new_york"]
    ctx = _ctx(now, sla)
    rnd = random.Random("bizhours-order")
    _random_issues(ctx, rnd, now, 40)
    for k in range(12):  # fresh ones of each tier, not near a target yet
        raised = now - Q * rnd.randrange(1, 12)
        f.issue(_ctx(raised, sla), f.customer(ctx, f"Fresh {k}", tier=rnd.choice(
            ("strategic", "key", "standard"))), f"Fresh {k}", severity="low", raised_at=raised)
    full = attention.attention(ctx)
    shown = attention.board(ctx, per_group=3)
    assert shown.totals == attention.counts(full)
    for group in ("sla", "unacknowledged"):
        members = [it for it in full if it.group == group]
        assert len(members) > 3, group
        urgencies = [it.urgency for it in members]
        assert urgencies == sorted(urgencies)
        assert [it.record_id for it in shown.items if it.group == group] == \
            [it.record_id for it in members[:3]]


def test_new_issues_due_at_the_same_moment_keep_the_walk_s_order(db):
    """Raised Saturday 10:00 (recorded first) and Friday 18:00: both are due Monday 17:00
    (8 working hours), so the walk reads them by id; the list says them in that order too,
    and a board of one item shows the list's first."""
    monday = dt.datetime(2026, 11, 23, 8)  # 09:00 in Berlin, a working Monday
    ctx = _ctx(monday, replace(SLA, holidays=()))
    customer = f.customer(ctx)
    saturday = f.issue(ctx, customer, "Saturday", severity="medium",
                       raised_at=dt.datetime(2026, 11, 21, 9))
    friday = f.issue(ctx, customer, "Friday", severity="medium",
                     raised_at=dt.datetime(2026, 11, 20, 17))
    rows = {r.id: r.clock_at for r in m.Issue.select()}
    assert rows[saturday] == rows[friday]
    full = [it.record_id for it in attention.attention(ctx) if it.group == "unacknowledged"]
    shown = attention.board(ctx, per_group=1)
    assert full == [saturday, friday]
    assert [it.record_id for it in shown.items if it.group == "unacknowledged"] == [saturday]
