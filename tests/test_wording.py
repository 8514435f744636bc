"""Words: plurals by count, "last contact today/yesterday", History's field labels."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.screens.customer import history_change
from relboard.screens.customers import customer_cells
from relboard.services.attention import _overdue, ago_text
from relboard.services.digest import _summary
from relboard.services.entities import field_label
from relboard.services.healthsignals import contact
from relboard.services.transfer import section_count
from relboard.text import plural, short_count
from tests.conftest import NOW, TODAY


def test_plural_counts():
    assert [plural(n, "follow-up") for n in (0, 1, 2)] == ["0 follow-ups", "1 follow-up",
                                                           "2 follow-ups"]
    assert plural(2, "activity", "activity") == "2 activity"
    assert [section_count("customers", n) for n in (1, 3)] == ["1 customer", "3 customers"]
    assert section_count("activity", 1) == "1 activity"


def test_digest_summary_says_one_follow_up_and_one_item():
    assert _summary({"follow_up": 1}) == "1 item: 1 follow-up"
    assert _summary({"follow_up": 2, "expectation": 1}) == \
        "3 items: 2 follow-ups, 1 expectation"


@pytest.mark.parametrize("days, words", [(0, "today"), (1, "yesterday"), (2, "2 days ago"),
                                         (30, "30 days ago")])
def test_last_contact_today_and_yesterday_not_zero_days_ago(days, words):
    assert ago_text(days) == words
    last = NOW - dt.timedelta(days=days)
    assert _overdue(last, 1, TODAY)[1] == f"last contact {words}; cadence 1"
    assert contact(days, 14).explanation.startswith(f"last contact {words}; cadence 14")


def test_customers_list_says_today_and_yesterday():
    row = {"name": "A", "owner": "", "open_issues": 0, "at_risk": 0, "tier": "key",
           "cadence": 14, "overdue": False, "archived": False}
    cells = [str(customer_cells({**row, "days_since_contact": d})[2]) for d in (0, 1, 5)]
    assert cells == ["today /14d", "yesterday /14d", "5d ago /14d"]


def test_history_shows_field_labels_not_column_names():
    assert field_label("contact", "engagement_desired") == "Desired engagement"
    assert field_label("customer", "cadence_days") == "Cadence (days)"
    assert field_label("expectation", "statement") == "What was promised"
    assert field_label("issue", "severity") == "Severity"
    row = {"entity": "contact", "field": "engagement_desired", "old": "neutral",
           "new": "leading", "action": "update"}
    assert history_change(row) == "Desired engagement: neutral → leading"
    assert history_change({**row, "field": "", "action": "create", "new": "Pat"}) == \
        "create Pat"


@pytest.mark.both_databases
async def test_an_internal_note_has_one_name_on_the_tab_and_in_the_brief(db, ctx):
    """Issue 21: the brief said "other (internal)", the Touchpoints tab "note"."""
    from textual.widgets import TabbedContent

    from relboard.services import brief
    from tests import factories as f
    from tests.pilot import SIZE, make_app, settle

    cid = f.customer(ctx, "Acme")
    f.touchpoint(ctx, cid, summary="Budget worry, keep it in the team", channel="other",
                 internal=True)
    text = brief.render(brief.brief(ctx, cid), "text")
    assert "internal note: Budget worry" in text and "(internal)" not in text
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.open_record("interaction", 1, cid)
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "touchpoints"
        table = app.screen.query_one("#touchpoints-table")
        assert [str(cell) for cell in table.get_row_at(0)][1] == "internal note"


@pytest.mark.parametrize(("count", "room", "shown"), [
    (999, 4, "999"), (9999, 4, "9999"), (10_000, 4, "10k"), (35_823, 4, "36k"),
    (35_823, 5, "35823"), (100_000, 4, "100k"), (99_950, 4, "100k"), (999_999, 4, "1.0M"),
    (999_999, 5, "1.00M"), (1_234_567, 5, "1.23M"), (1_234_567, 4, "1.2M"),
    (2_000_000_000, 4, "2.0G"), (0, 4, "0"), (35_823, 3, "36k"), (100_000, 3, ".1M"),
    (260_000, 3, ".3M"), (999_999, 3, "1M"), (4_123, 3, "4k")])
def test_a_count_too_long_for_its_room_reads_in_thousands_or_millions(count, room, shown):
    assert short_count(count, room) == shown
    assert len(short_count(count, room)) <= room
