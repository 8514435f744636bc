"""Today's preview pane (issue 21 point 2): the highlighted item's record beside the list from
120 columns, below it at 80 when ``V`` opens it; plain text only; one read for a held key."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.widgets import OptionList, Static

from relboard import models as m
from relboard.screens import today_preview as preview_pane
from relboard.screens.today_preview import TodayPreview
from relboard.services import records
from relboard.services.today import preview as service
from tests.pilot import make_app, screen_text, settle, until

pytestmark = pytest.mark.both_databases  # the pane's reads run on SQLite and PostgreSQL


def pane(app) -> TodayPreview:
    return app.screen.query_one(TodayPreview)


def pane_text(app) -> str:
    """The pane's words as shown (heading and body)."""
    found = pane(app)
    return "\n".join(str(found.query_one(f"#preview-{part}", Static).content)
                     for part in ("head", "body"))



async def hold(app, key: str, times: int, every: float = 0.03) -> None:
    """``key`` held down: the terminal repeats it every ``every`` seconds (``pilot.press``
    waits for the board to go idle after each key, as a slow typist)."""
    for _ in range(times):
        event = events.Key(key, key)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(every)


def highlighted(app):
    return app.screen.current()


async def test_wide_pane_shows_the_highlighted_issue_then_the_next_item(sample):
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        item = highlighted(app)
        assert item.kind == "issue"
        issue = m.Issue.get_by_id(item.record_id)
        assert pane(app).display
        assert await until(pilot, 3, lambda: issue.description in pane_text(app)) is not None
        assert f"Issue #{issue.id}" in pane_text(app)
        assert f"Owner:    {issue.owner}" in pane_text(app)
        # the pane is beside the list, not under it
        assert pane(app).region.x > 80 and pane(app).region.y < 5
        assert issue.description[:40] in screen_text(app)

        await pilot.press("j")
        after = highlighted(app)
        assert (after.kind, after.record_id) != (item.kind, item.record_id)
        assert after.kind == "issue"
        nxt = m.Issue.get_by_id(after.record_id)
        assert await until(pilot, 3, lambda: nxt.description in pane_text(app)) is not None
        assert issue.description not in pane_text(app)


async def test_each_kind_shows_its_record(sample):
    """A follow-up its touchpoint, an expectation its baseline and trail, a customer its last
    contact and health, a risk its assessment."""
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        wanted = {"interaction": "Touchpoint", "expectation": "Baseline due:",
                  "customer": "Health:", "risk": "Mitigation"}
        for kind, words in wanted.items():
            key = next(k for k, it in app.screen.items.items() if it.kind == kind)
            listing.highlighted = listing.get_option_index(key)
            item = app.screen.items[key]
            record = records.get(kind, item.record_id)
            shown = {"interaction": record.get("summary"), "expectation": "Trail",
                     "customer": "Last contact:", "risk": record.get("mitigation")}[kind]
            got = await until(pilot, 3, lambda w=words, s=shown: w in pane_text(app)
                              and (s or "") in pane_text(app))
            assert got is not None, (kind, pane_text(app))


async def test_narrow_pane_is_hidden_until_the_key_then_below(sample):
    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not pane(app).display
        assert "V Preview" in screen_text(app).splitlines()[-1]
        reads = pane(app).reads
        await pilot.press("j")
        await settle(pilot)
        assert pane(app).reads == reads  # hidden: nothing read

        await pilot.press("V")
        item = highlighted(app)
        issue = m.Issue.get_by_id(item.record_id)
        assert await until(pilot, 3, lambda: issue.description in pane_text(app)) is not None
        listing = app.screen.query_one("#today-list", OptionList)
        assert pane(app).display and pane(app).region.y >= listing.region.bottom
        assert pane(app).region.width >= 78
        # the highlighted item is still in view above the pane
        assert item.title[:30] in screen_text(app)

        await pilot.press("V")
        await settle(pilot)
        assert not pane(app).display


async def test_resizing_across_120_columns_moves_the_pane(sample):
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert pane(app).display
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert not pane(app).display
        await pilot.resize_terminal(130, 40)
        await settle(pilot)
        assert pane(app).display and pane(app).region.x > 60
        await pilot.press("V")  # hidden at this width: the list takes the whole width
        await settle(pilot)
        assert not pane(app).display
        listing = app.screen.query_one("#today-list", OptionList)
        assert listing.region.width == 130


async def test_a_resize_while_a_record_is_open_is_seen_on_coming_back(sample):
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the highlighted issue's record
        await settle(pilot)
        assert type(app.screen).__name__ != "TodayScreen"
        await pilot.resize_terminal(90, 30)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        assert not pane(app).display and app.screen.has_class("-narrow")
        listing = app.screen.query_one("#today-list", OptionList)
        assert listing.region.width == 90
        assert all(len(line) <= 90 for line in screen_text(app).splitlines())


async def test_hostile_description_shows_as_text(sample):
    hostile = "[@click=app.quit]click me[/] \x1b]0;x\x07 [b]bold[/b]"
    issue = m.Issue.select().where(m.Issue.status == "acknowledged").first()
    m.Issue.update(description=hostile).where(m.Issue.id == issue.id).execute()
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#today-list", OptionList)
        listing.highlighted = listing.get_option_index(f"issue:{issue.id}")
        shown = await until(pilot, 3, lambda: "[@click=app.quit]click me[/]" in pane_text(app))
        assert shown is not None, pane_text(app)
        assert "[b]bold[/b]" in pane_text(app)
        text = screen_text(app)
        assert "[@click=app.quit]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert app.is_running


async def test_holding_j_reads_a_few_previews_and_shows_the_last(sample, monkeypatch):
    calls: list[tuple[str, int]] = []
    read = service.preview

    def counted(ctx, kind, record_id, customer_id):
        calls.append((kind, record_id))
        return read(ctx, kind, record_id, customer_id)

    monkeypatch.setattr(service, "preview", counted)
    # a key repeats every 30 ms; on a loaded test machine the board may take 100 ms or more
    # over one, which a 0.15 s pause would read as the key let go
    monkeypatch.setattr(preview_pane, "QUIET", 0.5)
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await asyncio.sleep(preview_pane.QUIET * 2)
        await settle(pilot)
        calls.clear()
        await hold(app, "j", 20)
        await settle(pilot)
        last = highlighted(app)
        listing = app.screen.query_one("#today-list", OptionList)
        assert listing.highlighted >= 20  # every key moved (headings are skipped)
        assert await until(pilot, 3, lambda: calls and calls[-1] ==
                           (last.kind, last.record_id)) is not None
        await asyncio.sleep(preview_pane.QUIET * 2)
        await settle(pilot)
        assert 1 <= len(calls) <= 5, calls  # of 20 rows passed: a few, not one a row
        assert f"{last.kind}:{last.record_id}" == \
            app.screen.query_one("#today-list", OptionList).highlighted_option.id
        assert pane(app)._shown_key == (last.kind, last.record_id)


async def test_a_failed_read_is_one_line_in_the_pane(sample, monkeypatch):
    def broken(*args):
        raise RuntimeError("disk on fire\nTraceback (most recent call last):")

    monkeypatch.setattr(service, "preview", broken)
    app = make_app(sample)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        body = pane(app).query_one("#preview-body", Static)
        assert await until(pilot, 3, lambda: "Could not read" in str(body.content)) is not None
        assert str(body.content).count("\n") == 0
        assert "Traceback" not in str(body.content)
        assert "disk on fire" in str(body.content)
