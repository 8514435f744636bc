"""Undo (u): this session's changes taken back one action at a time, through the version
check; refused, saying who, when someone else changed the record since."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.services import attention, decisions, records, touchpoints, undo
from relboard.services.journal import Journal, recording
from tests import factories as f
from tests.conftest import at
from tests.pilot import highlight, make_app, open_list, settle

pytestmark = pytest.mark.both_databases

SIZE = (80, 24)


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def _acknowledge_a_new_issue(app, pilot, ctx):
    """On Today: ``a`` on the first new issue; returns its item."""
    item = next(it for it in attention.attention(ctx) if it.group == "unacknowledged")
    await settle(pilot)
    highlight(app, f"issue:{item.record_id}")
    await pilot.press("a")
    await settle(pilot)
    return item


async def test_u_takes_back_a_one_key_status_move_and_says_what(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        item = await _acknowledge_a_new_issue(app, pilot, sample)
        assert records.get("issue", item.record_id)["status"] == "acknowledged"
        assert f"Issue #{item.record_id} status new → acknowledged (u: undo)" in said(app)
        assert f"issue:{item.record_id}" not in app.screen.items  # off the new-issues group
        await pilot.press("u")
        await settle(pilot)
        row = records.get("issue", item.record_id)
        assert (row["status"], row["first_response_at"]) == ("new", None)  # the clock too
        assert f"Undone: issue #{item.record_id} status acknowledged → new" in said(app)
        assert f"issue:{item.record_id}" in app.screen.items  # back on Today
        await pilot.press("u")
        await settle(pilot)
        assert "nothing to undo in this session" in said(app)
    history = records.history("issue", item.record_id)
    assert [h["action"] for h in history[:2]] == ["undo", "undo"]  # audited, newest first


async def test_u_takes_back_a_bulk_action_on_marked_rows(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        keys = [int(k) for k in list(table.rows_by_key)[:3]]
        before = {k: records.get("issue", k)["owner"] for k in keys}
        await pilot.press("space", "space", "space", "m", "y")  # others': asked, yes
        await settle(pilot)
        assert {records.get("issue", k)["owner"] for k in keys} == {"alice"}
        assert "3 issues assigned to alice (u: undo)" in said(app)
        await pilot.press("u")
        await settle(pilot)
        assert {k: records.get("issue", k)["owner"] for k in keys} == before
        assert "Undone: 3 issues" in said(app)


async def test_undo_is_refused_when_someone_changed_the_record_since(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        item = await _acknowledge_a_new_issue(app, pilot, sample)
        version = records.get("issue", item.record_id)["version"]
        records.update(at(sample, sample.now(), "bob"), "issue", item.record_id, version,
                       {"owner": "bob"})
        await pilot.press("u")
        await settle(pilot)
        assert any(f"issue #{item.record_id} was changed by bob" in s and "nothing was undone"
                   in s for s in said(app))
    row = records.get("issue", item.record_id)
    assert (row["status"], row["owner"]) == ("acknowledged", "bob")  # bob's work stands


async def test_u_takes_back_an_expectation_met_with_its_trail(sample):
    row = next(e for e in m.Expectation.select().where(m.Expectation.status == "agreed"))
    trail = m.ExpectationChange.select().where(m.ExpectationChange.expectation == row.id)
    count = trail.count()
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "e")
        table.move_cursor(row=table.get_row_index(str(row.id)))
        await pilot.press("d")  # met
        await settle(pilot)
        assert records.get("expectation", row.id)["status"] == "met"
        assert trail.count() == count + 1
        await pilot.press("u")
        await settle(pilot)
    assert records.get("expectation", row.id)["status"] == "agreed"
    assert trail.count() == count


async def test_u_takes_back_a_snooze_and_a_logged_touchpoint(sample):
    item = next(it for it in attention.attention(sample) if it.kind == "customer")
    last = m.Customer.get_by_id(item.record_id).last_contact_at
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("z", "ctrl+s")  # until tomorrow, the offered date
        await settle(pilot)
        assert m.Snooze.select().where(m.Snooze.entity_id == item.record_id).count() == 1
        await pilot.press("u")
        await settle(pilot)
        assert m.Snooze.select().where(m.Snooze.entity_id == item.record_id).count() == 0
        assert f"customer:{item.record_id}" in app.screen.items
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Quick call")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"customer:{item.record_id}" not in app.screen.items
        await pilot.press("u")
        await settle(pilot)
        assert f"customer:{item.record_id}" in app.screen.items
    i = m.Interaction
    assert not i.select().where((i.customer == item.record_id)
                                & (i.summary == "Quick call")).exists()
    assert m.Customer.get_by_id(item.record_id).last_contact_at == last


def test_undo_of_a_new_decision_and_of_changed_participants(db, ctx):
    customer = f.customer(ctx)
    ann, ben = f.contact(ctx, customer, name="Ann"), f.contact(ctx, customer, name="Ben")
    journal = Journal()
    with recording(journal):
        did = decisions.create(ctx, {"customer": customer, "title": "Go with phase 2",
                                     "decided_on": ctx.today()}, contacts=[ann])
    with recording(journal):
        decisions.update(ctx, did, 1, {"title": "Go with phase 2b"}, contacts=[ann, ben])
    assert undo.undo(ctx, journal) == f"decision #{did} title Go with phase 2b → Go with " \
        "phase 2"
    dc = m.DecisionContact
    assert [c for (c,) in dc.select(dc.contact).where(dc.decision == did).tuples()] == [ann]
    assert records.get("decision", did)["title"] == "Go with phase 2"
    assert undo.undo(ctx, journal) == f"new decision #{did} deleted"
    assert not m.Decision.select().where(m.Decision.id == did).exists()
    with pytest.raises(undo.UndoRefused, match="nothing to undo"):
        undo.undo(ctx, journal)


def test_a_refused_write_leaves_nothing_to_undo_and_a_retried_one_counts_once(db, ctx):
    customer = f.customer(ctx)
    journal = Journal()
    with recording(journal):
        try:
            touchpoints.log_touchpoint(ctx, {"customer": customer, "summary": "",
                                             "channel": "call"})
        except Exception:  # noqa: BLE001 - refused: summary required
            pass
    assert len(journal) == 0
    with recording(journal):
        tid = touchpoints.log_touchpoint(ctx, {"customer": customer, "summary": "Call",
                                               "channel": "call"})
    assert len(journal) == 1 and journal.steps[0].describe() == f"new touchpoint #{tid}"
    later = at(ctx, ctx.now() + dt.timedelta(minutes=5))
    assert undo.undo(later, journal) == f"new touchpoint #{tid} deleted"
    assert m.Customer.get_by_id(customer).last_contact_at is None


async def test_snooze_takes_a_relative_date_and_says_the_day(sample):
    item = next(it for it in attention.attention(sample) if it.kind == "customer")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("z", "ctrl+u", *"+3d", "enter")
        await settle(pilot)
    day = sample.today() + dt.timedelta(days=3)
    s = m.Snooze
    assert s.get((s.entity == "customer") & (s.entity_id == item.record_id)).until == day
    assert f"Snoozed until {day.isoformat()} (u: undo)" in said(app)


async def test_a_part_asked_earlier_but_back_later_is_still_shown(sample):
    """Today: the new-issue refresh after `a` may come back after a health refresh asked
    later; it is still shown (per group, the latest asked wins), so the issue stays gone."""
    from relboard.services.attention import board

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        item = await _acknowledge_a_new_issue(app, pilot, sample)
        screen = app.screen
        stale = screen._board  # as if fetched before the acknowledgement was stored
        screen._board = attention.Board(stale.items + [item], stale.totals)
        day = sample.today()
        health = board(sample, None, 50, frozenset({"health"}))
        fresh = board(sample, None, 50, frozenset({"sla", "unacknowledged"}))
        seq = screen._asked
        screen._arrived(seq + 2, health, frozenset({"health"}), True, day)  # asked later
        screen._arrived(seq + 1, fresh, frozenset({"sla", "unacknowledged"}), True, day)
        await settle(pilot)
        assert f"issue:{item.record_id}" not in screen.items
