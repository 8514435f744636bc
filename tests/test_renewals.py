"""Today's "Renewals ahead" (both databases): customers renewing within
``attention.renewal_days`` and live projects ending within it, red customers first, then by
date, each with its stored health band; snooze, done (the next date, at the version read),
my view, and the count cap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from relboard import models as m
from relboard.config import AttentionConfig
from relboard.services import attention, records, snoozed, today
from relboard.services.errors import ConflictError, ValidationError
from relboard.services.today import streams
from relboard.services.today.groups import groups_for
from tests import factories as f
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.both_databases
D = dt.timedelta(days=1)


def _band(cid: int, band: str, day: dt.date) -> None:
    m.HealthSnapshot.create(customer=cid, day=day, score={"red": 30, "amber": 60}.get(band, 90),
                            band=band, taken_at=NOW)


def _portfolio(ctx) -> dict[str, int]:
    ids = {
        "green": f.customer(ctx, "Green Co", owner="alice", renews_on=TODAY + 10 * D),
        "red": f.customer(ctx, "Red Co", owner="bob", renews_on=TODAY + 60 * D),
        "late": f.customer(ctx, "Late Co", owner="", renews_on=TODAY - 5 * D),
        "far": f.customer(ctx, "Far Co", renews_on=TODAY + 91 * D),
        "none": f.customer(ctx, "No Date Co"),
        "gone": f.customer(ctx, "Gone Co", renews_on=TODAY + 3 * D),
    }
    records.set_archived(ctx, "customer", ids["gone"], 1)
    _band(ids["green"], "green", TODAY)
    _band(ids["red"], "green", TODAY - 9 * D)
    _band(ids["red"], "red", TODAY - 2 * D)  # the latest snapshot on or before today counts
    _band(ids["late"], "red", TODAY + 1 * D)  # not yet: a snapshot of tomorrow is no band
    ids["ends"] = records.create(ctx, "project", {
        "customer": ids["green"], "name": "Rollout", "phase": "execution",
        "end_date": TODAY + 20 * D})
    records.create(ctx, "project", {"customer": ids["green"], "name": "Done", "phase": "closed",
                                    "end_date": TODAY + 5 * D})
    records.create(ctx, "project", {"customer": ids["red"], "name": "Ended",
                                    "phase": "execution", "end_date": TODAY - 1 * D})
    return ids


def _renewals(ctx, who=None):
    return [(it.kind, it.customer, it.title, it.reason)
            for it in attention.attention(ctx, who) if it.group == "renewal"]


def test_red_first_then_by_date_with_the_band_beside_each(db, ctx):
    _portfolio(ctx)
    assert _renewals(ctx) == [
        ("renewal", "Red Co", "Renewal (health red)",
         "renews in 60 days (Fri 22 Jan 2027); health red"),
        ("renewal", "Late Co", "Renewal (health not scored)",
         "renewal passed 5 days ago (Wed 18 Nov 2026); health not scored"),
        ("renewal", "Green Co", "Renewal (health green)",
         "renews in 10 days (Thu 03 Dec 2026); health green"),
        ("project", "Green Co", "Project Rollout ends (health green)",
         "ends in 20 days (Sun 13 Dec 2026); health green"),
    ]
    board = attention.board(ctx)
    assert board.totals["renewal"] == 4
    first = next(it for it in board.items if it.group == "renewal")
    assert (first.due, first.owner) == (TODAY + 60 * D, "bob")


def test_the_window_is_the_config_and_my_view_is_mine_and_unowned(db, ctx):
    _portfolio(ctx)
    assert [c for _, c, _, _ in _renewals(ctx, "alice")] == ["Late Co", "Green Co", "Green Co"]
    assert [c for _, c, _, _ in _renewals(ctx, "bob")] == ["Red Co", "Late Co"]
    near = dataclasses.replace(ctx, attention=AttentionConfig(renewal_days=15))
    assert [(k, c) for k, c, _, _ in _renewals(near)] == [
        ("renewal", "Late Co"), ("renewal", "Green Co")]
    far = dataclasses.replace(ctx, attention=AttentionConfig(renewal_days=91))
    assert "Far Co" in [c for _, c, _, _ in _renewals(far)]


def test_snooze_and_done_ask_for_the_next_date_and_save_it(db, ctx):
    ids = _portfolio(ctx)
    items = {it.customer + it.kind: it for it in attention.attention(ctx)
             if it.group == "renewal"}
    today.snooze(ctx, items["Red Corenewal"], TODAY + 7 * D)
    today.snooze(ctx, items["Green Coproject"], TODAY + 2 * D)
    assert [(s["what"], s["title"], s["customer"], s["until"])
            for s in snoozed.snoozed_now(ctx)] == [
        ("project end", "Rollout", "Green Co", TODAY + 2 * D),
        ("renewal", "renewal of Red Co", "Red Co", TODAY + 7 * D)]
    assert groups_for({"renewal"}) == groups_for({"project"}) == frozenset({"renewal"})
    snoozed.unsnooze(ctx, "project", ids["ends"])
    assert [c for _, c, _, _ in _renewals(ctx)] == ["Late Co", "Green Co", "Green Co"]
    later = dataclasses.replace(ctx, now_override=NOW + 7 * D)
    assert "Red Co" in [c for _, c, _, _ in _renewals(later)]  # back when the snooze ends

    late = items["Late Corenewal"]
    with pytest.raises(ValidationError) as bad:
        today.renew(ctx, late, "2026-11-01")
    assert bad.value.errors == {"renews_on": "must be after today (2026-11-23)"}
    with pytest.raises(ValidationError):
        today.renew(ctx, late, "next year")
    assert records.get("customer", ids["late"])["renews_on"] == TODAY - 5 * D  # nothing saved
    assert today.renew(ctx, late, "2027-11-18") == "renewed: next renewal 2027-11-18"
    got = records.get("customer", ids["late"])
    assert (got["renews_on"], got["version"]) == (dt.date(2027, 11, 18), late.version + 1)
    assert "Late Co" not in [c for _, c, _, _ in _renewals(ctx)]
    with pytest.raises(ConflictError):  # the version Today read is gone: nothing overwritten
        today.renew(ctx, late, "2028-11-18")

    ends = items["Green Coproject"]
    assert today.renew(ctx, ends, "+200d") == \
        "extended: the project now ends 2027-06-11"
    assert records.get("project", ids["ends"])["end_date"] == dt.date(2027, 6, 11)
    assert [k for k, _, _, _ in _renewals(ctx)] == ["renewal"]


def test_the_count_stops_at_the_cap_and_the_digest_counts_exactly(db, ctx, monkeypatch):
    from relboard.services import digest

    for n in range(7):
        f.customer(ctx, f"C{n}", renews_on=TODAY + n * D)
    monkeypatch.setattr(streams, "COUNT_CAP", 5)
    board = attention.board(ctx, per_group=2)
    assert (board.count_text("renewal"), "renewal" in board.capped) == ("5+", True)
    assert [it.customer for it in board.items if it.group == "renewal"] == ["C0", "C1"]
    report = json.loads(digest.render(ctx, "json", portfolio=False))
    assert report["counts"]["renewal"] == 7
    assert [(it["customer"], it["renews_on"], it["band"]) for it in report["items"]
            if it["group"] == "renewal"][:2] == [
        ("C0", "2026-11-23", None), ("C1", "2026-11-24", None)]


async def test_today_shows_renewals_snoozes_one_and_d_asks_the_next_date(sample):
    """The demo's Today: "Renewals ahead" with Northgate (amber, in 28 days) and the band on
    its line; ``z`` snoozes it; ``d`` on another asks for the next date, refuses one that is
    not after today on the field (nothing saved) and saves a good one."""
    from textual.widgets import Static

    from relboard.screens.prompt import PromptDialog
    from tests.pilot import footer_text, highlight, make_app, settle, today_options

    ctx = sample
    northgate = m.Customer.get(m.Customer.name == "Northgate Health Partners")
    harbour = m.Customer.get(m.Customer.name == "Harbourline Retail Group")
    app = make_app(ctx)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        lines = today_options(app)
        heading = next(n for n, line in enumerate(lines) if line.startswith("Renewals ahead ("))
        assert any("Northgate Health Partners · Renewal (health amber)" in line
                   and "renews in 28 days (Mon 21 Dec 2026)" in line
                   for line in lines[heading:])
        key = f"renewal:{northgate.id}"
        highlight(app, key)
        await settle(pilot)
        assert "d Done" in footer_text(app)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # tomorrow, proposed
        await settle(pilot)
        assert key not in app.screen.items
        assert m.Snooze.get((m.Snooze.entity == "renewal")
                            & (m.Snooze.entity_id == northgate.id)).until == TODAY + D

        key = f"renewal:{harbour.id}"
        highlight(app, key)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        await pilot.press(*"2026-11-01", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert str(dialog.query_one("#prompt-error", Static).render()) == \
            "Next renewal on must be after 2026-11-23"
        assert records.get("customer", harbour.id)["renews_on"] == harbour.renews_on
        dialog.query_one("#prompt-value").value = "2027-12-31"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptDialog)
        got = records.get("customer", harbour.id)
        assert (got["renews_on"], got["version"]) == (dt.date(2027, 12, 31), harbour.version + 1)
        assert key not in app.screen.items


async def _type_renews_on(ctx, cid: int, typed: str, shown: str = "") -> str | None:
    """Open the customer form (its "Renews on" shows ``shown``), type ``typed``, save: the
    field's error when the form stays open, None when it saved and closed."""
    from relboard.screens.customer_form import CustomerForm
    from tests.form_harness import SIZE, FormApp, error_of, opened, settle

    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        assert form.field("renews_on").value == shown
        form.field("renews_on").value = typed
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        return error_of(form, "renews_on") if app.screen is form else None


async def test_the_customer_form_edits_the_renewal_date_and_saves_only_it(db, ctx):
    """"Renews on" in the customer form: a wrong date says why on the field, nothing saved;
    a good one is saved alone (the audit names that field only); clearing it clears it."""
    cid = f.customer(ctx, "Northwind", industry="Health")
    for typed in ("next spring", "2026-02-30"):
        error = await _type_renews_on(ctx, cid, typed)
        assert error is not None and error.startswith("Renews on must be a date like")
        assert records.get("customer", cid)["version"] == 1
    assert await _type_renews_on(ctx, cid, "2027-03-31") is None
    got = records.get("customer", cid)
    assert (got["renews_on"], got["version"], got["industry"]) == (
        dt.date(2027, 3, 31), 2, "Health")
    assert [(h["field"], h["old"], h["new"]) for h in records.history("customer", cid)
            if h["action"] == "update"] == [("renews_on", None, "2027-03-31")]
    assert await _type_renews_on(ctx, cid, "", shown="2027-03-31") is None
    assert records.get("customer", cid)["renews_on"] is None


def test_the_profile_says_when_the_customer_renews(db, ctx):
    from relboard.screens.profile_cells import overview_lines
    from relboard.services.profiles import customer_profile

    cid = f.customer(ctx, "Northwind")
    assert "Renews on: not set" in overview_lines(customer_profile(ctx, cid))
    records.update(ctx, "customer", cid, 1, {"renews_on": TODAY + 28 * D})
    assert "Renews on: Mon 21 Dec 2026 (in 28 days)" in \
        overview_lines(customer_profile(ctx, cid)).splitlines()
    records.update(ctx, "customer", cid, 2, {"renews_on": TODAY - D})
    assert "Renews on: Sun 22 Nov 2026 (passed 1 day ago)" in \
        overview_lines(customer_profile(ctx, cid))


def test_renewals_by_quarter_count_each_band_in_its_quarter(db, ctx):
    """The portfolio figure: the passed renewals, then the quarter of today (from today) and
    the next three, each by stored band; archived customers and those beyond left out."""
    from relboard.services import portfolio, portfolio_renewals

    ids = _portfolio(ctx)  # red +60 (Q1), late -5 (passed), green +10 (Q4), far +91 (Q1)
    f.customer(ctx, "Edge Co", renews_on=dt.date(2026, 12, 31))  # the last day of Q4
    f.customer(ctx, "New Year Co", renews_on=dt.date(2027, 1, 1))
    f.customer(ctx, "Beyond Co", renews_on=dt.date(2027, 10, 1))  # Q4 2027: not counted
    _band(ids["far"], "amber", TODAY)
    got = [(r.label, r.first, r.last, r.red, r.amber, r.green, r.unscored)
           for r in portfolio_renewals.by_quarter(ctx)]
    assert got == [
        ("passed", None, TODAY - D, 0, 0, 0, 1),
        ("Q4 2026", TODAY, dt.date(2026, 12, 31), 0, 0, 1, 1),
        ("Q1 2027", dt.date(2027, 1, 1), dt.date(2027, 3, 31), 1, 1, 0, 1),
        ("Q2 2027", dt.date(2027, 4, 1), dt.date(2027, 6, 30), 0, 0, 0, 0),
        ("Q3 2027", dt.date(2027, 7, 1), dt.date(2027, 9, 30), 0, 0, 0, 0),
    ]
    mine = portfolio_renewals.by_quarter(ctx, "bob")  # bob's and the unowned
    assert [r.total for r in mine] == [1, 1, 3, 0, 0]
    assert portfolio.overview(ctx).renewals == portfolio_renewals.by_quarter(ctx)
    page = portfolio_renewals.renewals_page(ctx, dt.date(2027, 1, 1), dt.date(2027, 3, 31),
                                            limit=2)
    assert [(r["name"], r["band"]) for r in page.rows] == [("New Year Co", None),
                                                           ("Red Co", "red")]
    rest = portfolio_renewals.renewals_page(ctx, dt.date(2027, 1, 1), dt.date(2027, 3, 31),
                                            after=page.after, limit=2)
    assert ([r["name"] for r in rest.rows], rest.after) == (["Far Co"], None)


async def test_the_portfolio_shows_renewals_by_quarter_and_opens_a_quarter(db, ctx):
    from relboard.screens.breakdown import BreakdownScreen
    from relboard.screens.overview import OverviewScreen
    from tests.pilot import SIZE, make_app, rows, settle

    ids = _portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # Today first: the red renewal leads its group, in red
        listing = app.screen.query_one("#today-list")
        heading = next(n for n in range(listing.option_count)
                       if str(listing.get_option_at_index(n).prompt).startswith("Renewals"))
        red = listing.get_option_at_index(heading + 1)
        assert red.id == f"renewal:{ids['red']}"
        prompt = red.prompt
        assert [prompt.plain[span.start:span.end] for span in prompt.spans
                if str(span.style) == "bold red"] == [" · Renewal (health red)"]
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        table = app.screen.query_one("#fig-renewals")
        assert {r[0]: r[1:] for r in rows(table)} == {
            "passed": ["·", "·", "·", "1", "1"], "Q4 2026": ["·", "·", "1", "·", "1"],
            "Q1 2027": ["1", "·", "·", "1", "2"], "Q2 2027": ["·", "·", "·", "·", "·"],
            "Q3 2027": ["·", "·", "·", "·", "·"]}
        table.focus()
        table.move_cursor(row=2)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BreakdownScreen)
        listed = rows(app.screen.query_one("DataTable"))
        assert [r[:3] for r in listed] == [["Fri 22 Jan 2027", "Red Co", "● red"],
                                           ["Mon 22 Feb 2027", "Far Co", "· no score"]]


def test_renewal_dates_go_out_and_come_back_in_yaml_and_csv(db, ctx, tmp_path, new_db_spec):
    """``renews_on`` in the YAML export and import (a relative date too, as the sample's) and
    in the customers' CSV both ways; a bad one is refused with its place, nothing imported."""
    import io

    from relboard.db import close_database, open_database
    from relboard.services import export, transfer
    from relboard.services.csvexport import csv_chunks
    from relboard.services.csvformat import KINDS
    from relboard.services.csvimport import import_csv
    from relboard.services.transfer import ImportFileError

    f.customer(ctx, "Northwind", renews_on=dt.date(2027, 1, 31))
    f.customer(ctx, "Contoso")
    out = io.StringIO()
    export.export_yaml(out)
    text = out.getvalue()
    assert "renews_on: '2027-01-31'" in text
    sheet = "".join(csv_chunks(KINDS["customers"]))
    header, *lines = sheet.splitlines()
    column = header.split(",").index("renews_on")
    assert [line.split(",")[column] for line in lines] == ["2027-01-31", ""]
    (tmp_path / "board.yaml").write_text(text)
    (tmp_path / "customers.csv").write_text(sheet)
    close_database()
    open_database(new_db_spec("by_yaml"))
    transfer.import_file(ctx, tmp_path / "board.yaml")
    again = io.StringIO()
    export.export_yaml(again)
    assert again.getvalue() == text
    close_database()
    open_database(new_db_spec("by_csv"))
    import_csv(ctx, tmp_path / "customers.csv", KINDS["customers"])
    assert "".join(csv_chunks(KINDS["customers"])) == sheet
    relative = tmp_path / "relative.yaml"
    relative.write_text("relboard: 1\ncustomers:\n  - {id: 7, name: Fabrikam, "
                        "renews_on: today+30}\n")
    transfer.import_file(ctx, relative)
    assert m.Customer.get(m.Customer.name == "Fabrikam").renews_on == TODAY + 30 * D
    bad = tmp_path / "bad.yaml"
    bad.write_text("relboard: 1\ncustomers:\n  - {id: 8, name: Tailspin, renews_on: soon}\n")
    with pytest.raises(ImportFileError, match="renews_on"):
        transfer.import_file(ctx, bad)
    assert not m.Customer.select().where(m.Customer.name == "Tailspin").exists()


def test_renewal_dates_are_in_the_calendar_of_whose_customer_it_is(db, ctx):
    """``relboard calendar``: a renewal is an all-day event on its date (a passed one too),
    for the customer's owner (and everyone, for an unowned customer); no health, no notes;
    so is a live project's end (not a closed or an ended one)."""
    import icalendar

    from relboard.services.dated import database_identity, dated_work
    from relboard.services.ical import calendar_text

    ids = _portfolio(ctx)
    records.update(ctx, "customer", ids["green"], records.get("customer", ids["green"])[
        "version"], {"notes": "SECRET note"})
    text = calendar_text(dated_work(ctx, "alice", 60), ctx.now(), name="relboard: alice")
    assert "SECRET" not in text and "health" not in text.lower()
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        text.encode()).walk("VEVENT") if str(e["UID"]).startswith("renewal-")}
    ident = database_identity()
    green, late = (events[f"renewal-{ids[k]}.{ident}@relboard"] for k in ("green", "late"))
    assert sorted(events) == sorted([f"renewal-{ids[k]}.{ident}@relboard"
                                     for k in ("green", "late")])  # not Bob's, nor beyond
    assert (str(green["SUMMARY"]), green["DTSTART"].dt, green["SEQUENCE"]) == (
        "Renewal: Green Co", TODAY + 10 * D, 2)
    assert str(green["DESCRIPTION"]).splitlines() == [
        "Customer: Green Co", "Renews on: Thu 2026-12-03", "Tier: standard", "Owner: alice"]
    assert late["DTSTART"].dt == TODAY - 5 * D
    ends = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text.encode()).walk(
        "VEVENT") if str(e["UID"]).startswith("project-end-")}
    rollout = ends.pop(f"project-end-{ids['ends']}.{ident}@relboard")  # not closed, not ended
    assert ends == {}
    assert (str(rollout["SUMMARY"]), rollout["DTSTART"].dt) == (
        "Project ends: Rollout (Green Co)", TODAY + 20 * D)
    assert str(rollout["DESCRIPTION"]).splitlines() == [
        "Customer: Green Co", "Project: Rollout", "Phase: execution"]


def test_the_cli_digest_has_renewals_ahead_in_text_and_json(tmp_path, capsys, monkeypatch):
    """``relboard digest --demo``: the group, its count and Northgate (amber, in 28 days);
    in JSON each renewal carries ``renews_on`` and ``band``; ``attention.renewal_days``
    narrows it; a bad value is one line and exit 2."""
    from relboard.__main__ import main

    monkeypatch.setenv("RELBOARD_TODAY", "2026-11-23")
    assert main(["digest", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "Renewals ahead (8)" in out and "8 renewals ahead" in out
    assert ("  • Northgate Health Partners: Renewal (health amber)\n"
            "      renews in 28 days (Mon 21 Dec 2026); health amber") in out
    assert main(["digest", "--demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    renewal = [it for it in data["items"] if it["group"] == "renewal"]
    assert data["counts"]["renewal"] == len(renewal) == 8
    assert [(it["kind"], it["customer"], it["renews_on"], it["band"]) for it in renewal][:2] \
        == [("project", "Vantor Precision Engineering", "2026-12-13", "green"),
            ("renewal", "Northgate Health Partners", "2026-12-21", "amber")]
    config = tmp_path / "config.yaml"
    config.write_text("attention:\n  renewal_days: 25\n")
    assert main(["--config", str(config), "digest", "--demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [it["customer"] for it in data["items"] if it["group"] == "renewal"] == [
        "Vantor Precision Engineering"]
    config.write_text("attention:\n  renewal_days: -3\n")
    assert main(["--config", str(config), "digest", "--demo"]) == 2
    assert capsys.readouterr().err == (
        f"{config}:2:17: attention.renewal_days: must be between 0 and 730, got -3\n")


def test_the_customer_list_sorts_by_renewal_and_shows_the_date(db, ctx):
    """``s`` on the customer list reaches "renewal": the earliest renewal date first (a
    passed one first of all), then the customers without one by name, window by window;
    the Renews column shows the date."""
    from relboard.screens.customers import COLUMNS, customer_cells
    from relboard.services import lists

    ids = {name: f.customer(ctx, name, renews_on=day) for name, day in (
        ("Alpha", None), ("Bravo", TODAY + 30 * D), ("Charlie", TODAY - 2 * D),
        ("Delta", None), ("Echo", TODAY + 30 * D), ("Foxtrot", TODAY + 400 * D))}
    expected = [ids[n] for n in ("Charlie", "Bravo", "Echo", "Foxtrot", "Alpha", "Delta")]
    for limit in (1, 2, 4, 50):
        seen, after = [], None
        while True:
            page = lists.customers_page(ctx, sort="renewal", after=after, limit=limit)
            seen += [row["id"] for row in page.rows]
            if page.after is None:
                break
            after = page.after
        assert seen == expected, limit
    rows = lists.customers_page(ctx, sort="renewal").rows
    column = [c.key for c in COLUMNS].index("renews")
    assert [customer_cells(r)[column] for r in rows] == [
        "21 Nov 26", "23 Dec 26", "23 Dec 26", "28 Dec 27", "·", "·"]
