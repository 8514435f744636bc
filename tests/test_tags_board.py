"""Tags on the board (80x24): typed in the customer, issue, expectation and risk forms (a bad
tag is explained under the field, the typing kept, nothing saved), shown on the profile and
record screens as plain ``#tag`` text, ``#tag`` typed after ``/`` filters the lists, and the
palette finds a tag and opens its list filtered."""

from __future__ import annotations

import datetime as dt

from relboard import models as m
from relboard.screens.customer import CustomerScreen
from relboard.screens.customer_form import CustomerForm
from relboard.screens.expectation_form import ExpectationForm
from relboard.screens.issue_form import IssueForm
from relboard.screens.risk_form import RiskForm
from relboard.services import records, tags
from tests import factories as f
from tests.conftest import TODAY
from tests.form_harness import FormApp, error_of, opened
from tests.form_harness import settle as form_settle
from tests.pilot import SIZE, make_app, rows, settle


async def _save_tags(ctx, make, typed: str):
    """Open the edit form ``make()``, type ``typed`` in Tags, save; the form (or None when
    it closed) and its Tags error line."""
    app = FormApp(ctx, make)
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(app, pilot)
        form.field("tags").value = typed
        await pilot.press("ctrl+s")
        await form_settle(app, pilot)
        if app.screen is not form:
            return None, ""
        return form.collect(), error_of(form, "tags")


def _four(ctx, customer_tags: str):
    """A customer (tagged ``customer_tags``) with an issue, an expectation and a risk: each
    record's kind, id and the edit form that opens it."""
    cid = f.customer(ctx, "Acme", tags=customer_tags)
    iid = f.issue(ctx, cid)
    eid = f.expectation(ctx, cid, TODAY + dt.timedelta(days=3))
    rid = records.create(ctx, "risk", {"customer": cid, "title": "R"})
    return cid, (("customer", cid, lambda: CustomerForm(cid)),
                 ("issue", iid, lambda: IssueForm(issue_id=iid)),
                 ("expectation", eid, lambda: ExpectationForm(expectation_id=eid)),
                 ("risk", rid, lambda: RiskForm(cid, rid)))


async def test_each_form_edits_its_record_s_tags(db, ctx):
    cid, forms = _four(ctx, "old")
    for kind, record_id, make in forms:
        assert await _save_tags(ctx, make, "#Renewal, q1-2027") == (None, ""), kind
        assert tags.of(kind, record_id) == ("q1-2027", "renewal"), kind
    version = records.get("customer", cid)["version"]
    app = FormApp(ctx, lambda: CustomerForm(cid))
    async with app.run_test(size=SIZE) as pilot:  # the form shows the stored tags
        form = await opened(app, pilot)
        assert form.collect()["tags"] == "q1-2027 renewal"
        form.field("notes").text = "Only the notes"
        await pilot.press("ctrl+s")
        await form_settle(app, pilot)
    assert tags.of("customer", cid) == ("q1-2027", "renewal")  # untouched: not sent
    assert records.get("customer", cid)["version"] == version + 1


async def test_a_bad_tag_is_explained_under_the_field_and_nothing_is_saved(db, ctx):
    cid = f.customer(ctx, "Acme", tags="keep")
    hostile = "fine [b]x[/b]\x1b[31m"
    values, error = await _save_tags(ctx, lambda: CustomerForm(cid), hostile)
    # the markup shown as typed, the escape as the input holds it (cleaned)
    assert error == f"Tags '[b]x[/b]\ufffd[31m' is not a tag: {tags.RULE}"
    assert values["tags"] == "fine [b]x[/b]\ufffd[31m"  # the typing stays
    assert tags.of("customer", cid) == ("keep",)
    values, error = await _save_tags(ctx, lambda: IssueForm(cid), "ok no!")
    assert error == f"Tags 'no!' is not a tag: {tags.RULE}" and values["tags"] == "ok no!"
    assert m.Issue.select().count() == 0  # a new issue with a bad tag: not raised


async def test_the_profile_and_the_record_screens_show_tags_as_text(db, ctx):
    cid = f.customer(ctx, "Acme", tags="renewal strategic")
    iid = f.issue(ctx, cid, "Outage", tags="p1")
    eid = f.expectation(ctx, cid, TODAY + dt.timedelta(days=3), tags="pilot")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_customer(cid)
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        overview = str(app.screen.query_one("#overview-text").render())
        assert "Tags: #renewal #strategic" in overview
        app.open_issue(iid)
        await settle(pilot)
        assert "Tags:        #p1" in str(app.screen.query_one("#issue-fields").render())
        app.open_expectation(eid)
        await settle(pilot)
        assert "#pilot" in str(app.screen.query_one("#exp-facts").render())


async def _filter(pilot, key: str, typed: str):
    await pilot.press(key)
    await settle(pilot)
    await pilot.press("slash", *typed)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_slash_with_a_tag_filters_the_lists(db, ctx):
    acme = f.customer(ctx, "Acme", tags="strategic")
    beta = f.customer(ctx, "Beta")
    f.issue(ctx, beta, "Beta's own", tags="strategic")
    f.issue(ctx, beta, "Untagged")
    f.issue(ctx, acme, "Acme's")
    records.create(ctx, "risk", {"customer": acme, "title": "Acme risk"})
    records.create(ctx, "risk", {"customer": beta, "title": "Beta risk"})
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _filter(pilot, "c", "#strategic")
        names = [r[0] for r in rows(app.screen.query_one("#customers-table"))]
        assert names == ["Acme"]
        await pilot.press("escape")
        await settle(pilot)
        await _filter(pilot, "i", "#strategic")
        titles = sorted(r[-1] for r in rows(app.screen.query_one("#issues-table")))
        assert titles == ["Acme's", "Beta's own"]
        await _filter(pilot, "K", "#strategic")
        titles = [r[1] for r in rows(app.screen.query_one("#list-table"))]
        assert titles == ["Acme risk"]
        assert "~ #strategic" in str(app.screen.query_one("#list-filters").render())


async def test_the_palette_finds_a_tag_and_opens_its_list_filtered(db, ctx):
    f.customer(ctx, "Acme", tags="strategic")
    f.customer(ctx, "Beta")
    cid = f.customer(ctx, "Gamma", tags="strategic")
    f.issue(ctx, cid, "Tagged issue", tags="strategic")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"#strategic: 2 cu")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        names = [r[0] for r in rows(app.screen.query_one("#customers-table"))]
        assert names == ["Acme", "Gamma"]
        assert "~ #strategic" in str(app.screen.query_one("#customers-status").render())


async def test_a_saved_queue_with_a_tag_shows_its_issues(db, ctx):
    from relboard.config import QueueConfig, QueueFilter

    acme = f.customer(ctx, "Acme", tags="renewal")
    beta = f.customer(ctx, "Beta")
    f.issue(ctx, acme, "Of the renewing customer")
    f.issue(ctx, beta, "Tagged itself", tags="renewal")
    f.issue(ctx, beta, "Other")
    queues = (QueueConfig("Renewals", QueueFilter(tag="renewal")), QueueConfig("All"))
    app = make_app(ctx, queues=queues)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        titles = sorted(r[-1] for r in rows(app.screen.query_one("#issues-table")))
        assert titles == ["Of the renewing customer", "Tagged itself"]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert len(rows(app.screen.query_one("#issues-table"))) == 3


async def test_two_pms_tagging_one_record_at_once_both_keep_their_tags(db, ctx):
    """A form saves the tags its user added and removed, not the whole set it showed: a tag
    someone else gave the record meanwhile stays, and one they removed stays removed unless
    this user adds it."""
    _, forms = _four(ctx, "renewal at-risk")
    for kind, record_id, make in forms:
        version = records.get(kind, record_id)["version"]
        if kind != "customer":
            records.update(ctx, kind, record_id, version, {"tags": "renewal at-risk"})
        app = FormApp(ctx, make)
        async with app.run_test(size=SIZE) as pilot:
            form = await opened(app, pilot)
            assert form.collect()["tags"] == "at-risk renewal"
            # meanwhile, Bob drops #at-risk and adds #exec on his own board
            records.update(ctx.__class__(user="bob", now_override=ctx.now_override), kind,
                           record_id, records.get(kind, record_id)["version"],
                           {"tags": "renewal exec"})
            form.field("tags").value = "at-risk renewal q1-2027"  # this PM adds #q1-2027
            await pilot.press("ctrl+s")
            await form_settle(app, pilot)
            assert app.screen is not form, kind
        assert tags.of(kind, record_id) == ("exec", "q1-2027", "renewal"), kind
        app = FormApp(ctx, make)
        async with app.run_test(size=SIZE) as pilot:  # and a removal is applied as such
            form = await opened(app, pilot)
            form.field("tags").value = "q1-2027 renewal"
            await pilot.press("ctrl+s")
            await form_settle(app, pilot)
        assert tags.of(kind, record_id) == ("q1-2027", "renewal"), kind
