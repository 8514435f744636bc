"""The board driven like a PM would (Pilot at 80x24), asserting what is stored and shown."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.config import AttentionConfig
from relboard.db import close_database, open_database
from relboard.screens.customer import CustomerScreen
from relboard.screens.issue import IssueScreen
from relboard.services import attention, expectations, records
from relboard.widgets.paged_table import PagedTable
from tests import factories as f
from tests.pilot import SIZE, highlight, make_app, open_list, settle, today_options

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL

async def test_today_lists_groups_items_and_reasons(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = today_options(app)
        assert texts[0].startswith("SLA breaches and near-breaches (")
        assert any("issue · new · alex · high · response overdue by 13h" in t for t in texts)
        assert any("last contact 16 days ago; cadence 7" in t for t in texts)
        summary = str(app.screen.query_one("#today-summary").render())
        assert "need you" in summary and "SLA" in summary



async def test_today_says_a_count_that_stopped_at_the_cap_is_at_least(sample, monkeypatch):
    """A group bigger than the count's cap reads "3+" in its heading, its "… and N+ more"
    line and the summary; a PM never sees a number that is less than the truth as exact."""
    from relboard.screens import today_feed
    from relboard.services.today import streams

    monkeypatch.setattr(streams, "COUNT_CAP", 3)
    monkeypatch.setattr(today_feed, "FIRST_PAGE", 2)  # counted past the items shown
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = today_options(app)
        capped = [t for t in texts if t.endswith("+)")]  # a heading: "Follow-ups due (3+)"
        assert capped, texts
        assert any(t.startswith("  … and ") and "+ more" in t for t in texts), texts
        summary = str(app.screen.query_one("#today-summary").render())
        assert "+ need you: " in summary
        assert any(f"{words[words.index('(') + 1:-1]} " in summary for words in capped)

async def test_breaching_issue_acknowledge_assign_resolve(sample):
    item = next(it for it in attention.attention(sample)
                if it.group == "sla" and records.get("issue", it.record_id)["status"] == "new")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{item.record_id}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        await pilot.press("a")
        await settle(pilot)
        assert records.get("issue", item.record_id)["status"] == "acknowledged"
        await pilot.press("m", "y")  # alex's: it asks before taking it
        await settle(pilot)
        assert records.get("issue", item.record_id)["owner"] == "alice"
        await pilot.press("d")  # resolve: asks what was done
        await settle(pilot)
        await pilot.press(*"Called back and fixed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = records.get("issue", item.record_id)
        assert (row["status"], row["resolution"]) == ("resolved", "Called back and fixed")
        await pilot.press("escape")
        await settle(pilot)
        assert f"issue:{item.record_id}" not in app.screen.items


async def test_log_touchpoint_clears_overdue_customer(sample):
    item = next(it for it in attention.attention(sample) if it.kind == "customer")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Quarterly check-in call")
        await pilot.press("ctrl+s")
        await settle(pilot)
        latest = m.Interaction.select().order_by(m.Interaction.id.desc()).first()
        assert (latest.customer_id, latest.summary) == (item.record_id, "Quarterly check-in call")
        assert f"customer:{item.record_id}" not in app.screen.items
        assert all(f"customer:{item.record_id}" != o for o in app.screen.items)


async def test_renegotiate_from_register_shows_baseline_and_trail(sample):
    row = next(e for e in m.Expectation.select().where(m.Expectation.status == "agreed")
               .order_by(m.Expectation.current_due))
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "e")
        table.move_cursor(row=table.get_row_index(str(row.id)))
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("end", "ctrl+u", *"2027-01-15", "tab", "tab")
        await pilot.press(*"Customer moved the board meeting")
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = records.get("expectation", row.id)
        assert (str(stored["baseline_due"]), str(stored["current_due"]), stored["status"]) == \
            (str(row.baseline_due), "2027-01-15", "renegotiated")
        assert expectations.trail(row.id)[-1]["reason"] == "Customer moved the board meeting"
        await pilot.press("enter")
        await settle(pilot)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "2027-01-15" in shown and str(row.baseline_due) in shown
        assert "Customer moved the board meeting" in shown


async def test_changes_are_kept_across_restarts(sample, db_spec):
    item = next(it for it in attention.attention(sample) if it.group == "unacknowledged")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{item.record_id}")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("q")
    close_database()
    open_database(db_spec)
    again = make_app(sample)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"issue:{item.record_id}" not in again.screen.items
    assert records.get("issue", item.record_id)["status"] == "acknowledged"


async def test_queue_marks_several_rows_and_acts_on_all(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        first, second = list(table.rows_by_key)[:2]
        await pilot.press("space", "space", "m")
        await settle(pilot)
        question = str(app.screen.query_one("#dialog-message").render())
        assert "2 of the issues are others'" in question and "take them?" in question
        await pilot.press("y")
        await settle(pilot)
        assert {records.get("issue", int(k))["owner"] for k in (first, second)} == {"alice"}
        assert table.marked == set()
        await pilot.press("2")
        await settle(pilot)
        assert records.get("issue", int(table.current_key()))["severity"] == "high"


async def test_palette_jumps_to_a_customer(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Harbourline")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert "Harbourline Retail Group" in str(app.screen.query_one("#customer-title").render())


async def test_empty_database_says_how_to_start(db, ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#today-empty").render())
        assert "No customers yet" in text and "relboard --demo" in text
        assert "Your board is unused.db." in text  # where the new board is (issue 24)


async def test_nothing_due_says_so(db, ctx):
    cid = f.customer(ctx, "Calm Co")
    f.touchpoint(ctx, cid)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Nothing needs you today." in str(app.screen.query_one("#today-empty").render())


async def test_today_refreshes_when_someone_else_saves(sample, monkeypatch):
    import asyncio

    from relboard.services.context import Context
    from relboard.widgets import live

    monkeypatch.setattr(live, "POLL_SECONDS", 0.05)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = set(app.screen.items)
        bob = Context(user="bob", now_override=sample.now())
        new_id = await asyncio.to_thread(
            f.issue, bob, 1, "Raised by Bob in his own session", severity="low")
        for _ in range(200):  # up to ~10 s on a loaded machine; stops once it is there
            await asyncio.sleep(0.05)
            await settle(pilot)
            if f"issue:{new_id}" in app.screen.items:
                break
        new = {k for k in set(app.screen.items) - before
               if not k.startswith("health:")}  # (the day's health scores come in meanwhile)
        assert new == {f"issue:{new_id}"}


async def test_profile_rows_open_and_customer_can_be_archived(sample):
    from relboard.screens.touchpoint import TouchpointScreen

    (name, cid), = __import__("relboard.services.lookups", fromlist=["x"]).customer_choices(
        "Harbourline")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(cid, tab="issues")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TouchpointScreen)
        text = str(app.screen.query_one("#touchpoint-text").render())
        assert "With:" in text and "Logged by" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert records.get("customer", cid)["archived"] is True
        assert all(it.customer_id != cid for it in attention.attention(sample))


async def test_follow_up_opens_on_its_touchpoint_and_can_be_done(sample):
    item = next(it for it in attention.attention(sample) if it.kind == "interaction")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"interaction:{item.record_id}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        table = app.screen.query_one("#touchpoints-table", PagedTable)
        assert table.current_key() == str(item.record_id)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert records.get("interaction", item.record_id)["follow_up_done_at"] is not None


async def test_m_switches_today_to_my_view_and_back(db, ctx):
    import datetime as dt

    from tests.conftest import NOW

    bob = f.customer(ctx, "Bob Co", owner="bob", cadence_days=1)
    mine = f.customer(ctx, "Alice Co", owner=ctx.user, cadence_days=1)
    for cid in (bob, mine):
        f.touchpoint(ctx, cid, occurred_at=NOW - dt.timedelta(days=5))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("Bob Co" in t for t in today_options(app))
        await pilot.press("M")
        await settle(pilot)
        texts = today_options(app)
        assert any("Alice Co" in t for t in texts) and not any("Bob Co" in t for t in texts)
        assert "mine (alice" in str(app.screen.query_one("#today-title").render())
        await pilot.press("M")
        await settle(pilot)
        assert any("Bob Co" in t for t in today_options(app))
    app = make_app(ctx, attention=AttentionConfig(mine=True))  # the config's default
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any("Bob Co" in t for t in today_options(app))


async def test_today_reads_the_attention_list_once_at_start(sample, monkeypatch):
    from relboard.screens import today_feed as today  # where Today fetches its list

    calls = []
    real = today.board
    monkeypatch.setattr(today, "board", lambda *a, **k: calls.append(
        a[3] if len(a) > 3 else None) or real(*a, **k))
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert calls.count(None) == 1  # the whole list once (the day's health scores
        assert set(calls) <= {None, frozenset({"health"})}  # may bring their group again)
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("escape")  # back from help: read again
        await settle(pilot)
        assert calls.count(None) == 2


async def test_keys_typed_after_q_run_nothing(sample):
    """A paste or fast typing after q (say "question_mark") must not open screens while the
    board closes: that crashed with NoMatches on a half-built screen."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.closing = True  # what q sets before the exit starts
        await pilot.press("e", "i", "l")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        assert app.check_action("show_mode", ("issues",)) is False
        app.closing = False
        await pilot.press(*"question_mark")
    assert app.return_code == 0


async def test_a_mode_key_shows_its_screen_not_what_was_opened_on_it(sample):
    from relboard.screens.customer_form import CustomerForm

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        item = next(it for it in app.screen.items.values() if it.kind == "customer")
        highlight(app, f"customer:{item.record_id}")
        await pilot.press("enter")  # the profile, opened from Today
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
        await pilot.press("t")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.press("c")
        await settle(pilot)
        app.open_customer(item.customer_id)  # a profile opened from Customers
        await settle(pilot)
        await pilot.press("t", "c")  # back on Customers: the list, not the profile
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomersScreen"
        app.push_screen(CustomerForm())
        await settle(pilot)
        app.screen.focus_next()  # off the text fields: a key that is not typed
        await app.run_action("show_mode('today')")
        await settle(pilot)
        assert isinstance(app.screen, CustomerForm)  # a form is never closed by a mode key


async def test_a_snoozed_issue_does_not_look_late_in_the_queue(sample):
    import datetime as dt

    from relboard.services import issues

    late = next(it for it in attention.attention(sample) if it.group == "sla")
    issues.snooze(sample, late.record_id, late.version, sample.today() + dt.timedelta(days=2))
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        cells = [str(c) for c in table.get_row(str(late.record_id))]
        day = sample.today() + dt.timedelta(days=2)
        assert f"zz {day:%m-%d}" in cells and not any(c.startswith("late") for c in cells)


@pytest.mark.parametrize("width", [80, 160])
async def test_issue_titles_take_the_width_the_other_columns_leave(sample, width):
    title = "Patients receive duplicate appointment confirmation texts"
    app = make_app(sample)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        key = next(k for k, row in table.rows_by_key.items() if row["title"] == title)
        line = table.render_line(1 + table.get_row_index(key)).text  # under the header
        assert len(line.rstrip()) <= width
        if width == 160:
            assert title in line  # whole
        else:
            assert title[:12] in line and "…" in line  # cut, and says so


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_item_shows_what_a_verb_acts_on(sample, size):
    """Issue 21 point 1: kind, status, owner ("unowned" for nobody's), an issue's severity
    and SLA time left, an expectation's status and due date, who a follow-up is with."""
    app = make_app(sample)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        texts = today_options(app)
    shown = "\n".join(texts)
    words = " ".join(shown.split())
    for item in attention.attention(sample)[:8]:
        line = next(t for t in texts if item.title[:20] in t)
        facts = line.split("\n")[1]
        assert facts.split()[0] in ("issue", "follow-up", "customer", "stakeholder",
                                    "expectation", "health", "risk")
        assert (item.owner or "unowned") in facts
    # a line of facts (at 160 the preview pane leaves the list under 120: no columns yet)
    assert "issue · new · sam · low · response due in 7h" in words
    assert "expectation · at risk · alex · due in 5 days (Sat 28 Nov)" in words
    assert "with Raj Patel" in words


async def test_m_asks_before_taking_an_issue_from_its_owner(sample):
    """Issue 21 point 3: `m` on "Printable shift summary" took the issue from alex unasked."""
    from relboard.screens.confirm import ConfirmDialog
    from tests.pilot import highlight

    item = next(it for it in attention.attention(sample) if "Printable shift" in it.title)
    assert item.owner == "alex" and sample.user == "alice"
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{item.record_id}")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#dialog-message").render())
        assert f"Take #{item.record_id} from alex?" in question
        await pilot.press("n")
        await settle(pilot)
        assert records.get("issue", item.record_id)["owner"] == "alex"
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert records.get("issue", item.record_id)["owner"] == "alice"


async def test_m_on_an_unowned_issue_takes_it_at_once(db, ctx):
    from tests import factories as f
    from tests.pilot import highlight

    cid = f.customer(ctx, "Acme")
    iid = f.issue(ctx, cid, "Export fails", severity="low")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{iid}")
        await pilot.press("m")
        await settle(pilot)
        assert records.get("issue", iid)["owner"] == "alice"


async def test_the_footer_offers_the_verbs_that_fit_the_highlighted_item(sample):
    """Issue 21 point 1: a verb that does not apply is not offered; pressed, it says why."""
    from tests.pilot import footer_text, highlight

    items = attention.attention(sample)
    new = next(it for it in items if it.kind == "issue" and it.status == "new")
    follow = next(it for it in items if it.kind == "interaction")
    busy = next(it for it in items if it.kind == "issue" and it.status == "in_progress")
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{new.record_id}")
        await settle(pilot)
        assert "Ack/agree" in footer_text(app)
        highlight(app, f"interaction:{follow.record_id}")
        await settle(pilot)
        assert "Ack/agree" not in footer_text(app) and "Done" in footer_text(app)
        await pilot.press("a")  # not offered: says why, changes nothing
        await settle(pilot)
        assert any("is for an issue" in n.message for n in app._notifications)
        highlight(app, f"issue:{busy.record_id}")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert any("already in progress" in n.message for n in app._notifications)
    assert records.get("issue", busy.record_id)["version"] == busy.version
