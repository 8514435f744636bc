"""Search everything: every kind found by its words, ranked, kept in step with every write,
and what the user types is never query syntax."""

from __future__ import annotations

import pytest

from relboard import models as m
from relboard.services import records, search, transfer
from relboard.services.search import Hit, fts_query, ts_query
from tests import factories as f
from tests.conftest import TODAY

pytestmark = pytest.mark.both_databases  # every test: on SQLite and on PostgreSQL


def _found(ctx, text: str) -> list[tuple[str, int]]:
    return [(h.kind, h.record_id) for h in search.search(ctx, text)]


@pytest.fixture
def board(db, ctx):
    """One customer with a record of every kind, each with a word of its own."""
    ids = {"customer": f.customer(ctx, "Northwind Health", goals="Cut waiting lists")}
    c = ids["customer"]
    ids["contact"] = f.contact(ctx, c, "Dana Quillfeather", role="Head of Procurement")
    ids["interaction"] = f.touchpoint(ctx, c, summary="Discussed the zeppelin rollout and "
                                                      "the renewal pricing")
    ids["expectation"] = f.expectation(ctx, c, TODAY, statement="Marmalade dashboard live")
    ids["issue"] = f.issue(ctx, c, "Gateway timeouts at night",
                           description="Seen by the overnight batch")
    ids["risk"] = records.create(ctx, "risk", {"customer": c, "title": "Vendor insolvency",
                                               "mitigation": "Second supplier lined up"})
    ids["decision"] = records.create(ctx, "decision", {
        "customer": c, "title": "Phase the migration", "rationale": "Lower cutover risk",
        "decided_on": TODAY})
    return ids


@pytest.mark.parametrize("text, kind", [
    ("zeppelin", "interaction"),            # a word of a touchpoint summary
    ("Quillfeather", "contact"),            # a stakeholder's name
    ("gateway timeouts", "issue"),          # an issue's title (every word must match)
    ("insolvency", "risk"),
    ("supplier", "risk"),                   # a risk's mitigation
    ("migration", "decision"),
    ("marmalade", "expectation"),
    ("waiting", "customer"),                # a customer's goals
])
def test_every_kind_is_found_by_its_words(board, ctx, text, kind):
    hits = search.search(ctx, text)
    assert [(h.kind, h.record_id) for h in hits] == [(kind, board[kind])]
    hit = hits[0]
    assert isinstance(hit, Hit)
    assert (hit.customer_id, hit.customer, hit.archived) == \
        (board["customer"], "Northwind Health", False)
    assert hit.score > 0 and hit.title and hit.snippet


def test_a_prefix_finds_the_whole_word_in_any_case_and_accent(board, ctx):
    assert _found(ctx, "renew") == [("interaction", board["interaction"])]  # renewal
    assert _found(ctx, "ZEPP") == [("interaction", board["interaction"])]
    assert _found(ctx, "quill") == [("contact", board["contact"])]
    assert _found(ctx, "zeppelin nowhere") == []  # every word must match


@pytest.mark.sqlite_only
def test_accents_are_ignored(db, ctx):
    cid = f.customer(ctx, "Café Müller")
    assert _found(ctx, "cafe muller") == [("customer", cid)]
    assert _found(ctx, "CAFÉ") == [("customer", cid)]


def test_a_title_match_ranks_before_a_body_match(db, ctx):
    c = f.customer(ctx, "Acme")
    body = f.issue(ctx, c, "Slow reports", description="Blocks the renewal for now, "
                                                       "they say")
    title = f.issue(ctx, c, "Renewal at risk")
    f.touchpoint(ctx, c, summary="Nothing about it")
    hits = search.search(ctx, "renewal")
    assert [(h.kind, h.record_id) for h in hits] == [("issue", title), ("issue", body)]
    assert hits[0].score > hits[1].score


def test_equal_ranks_are_ordered_by_kind_then_id(db, ctx):
    c = f.customer(ctx, "Acme")
    second, first = f.issue(ctx, c, "Orbit"), f.issue(ctx, c, "Orbit")
    risk = records.create(ctx, "risk", {"customer": c, "title": "Orbit"})
    contact = f.contact(ctx, c, "Orbit")
    assert _found(ctx, "orbit") == [("contact", contact), ("issue", min(first, second)),
                                    ("issue", max(first, second)), ("risk", risk)]


@pytest.mark.parametrize("text", [
    '"', '""', "*", "NEAR(", "NEAR(a b", "a - b", "-zeppelin", "(zeppelin", "zeppelin)",
    "[@click=app.quit]", "[/]", "title:zeppelin", "^zeppelin", "zeppelin OR x", "AND", "'",
    "a'b", "\x1b]0;x\x07", "\x00", "::*", "&|!", "{title body}: x", "  ", "_", "…",
    "NOT", "x" * 2000, " ".join(["word"] * 500),
])
def test_hostile_input_is_data_never_syntax(board, ctx, text):
    hits = search.search(ctx, text)  # never raises
    assert all(isinstance(h, Hit) for h in hits)


def test_punctuation_inside_a_query_is_a_word_break(board, ctx):
    assert _found(ctx, 'zeppelin"*') == [("interaction", board["interaction"])]
    assert _found(ctx, "NEAR(zeppelin") == []  # "near" is a word that must match too
    assert _found(ctx, "(zeppelin)") == [("interaction", board["interaction"])]
    assert _found(ctx, "") == _found(ctx, "  ") == _found(ctx, '"*-()') == []


def test_the_query_text_quotes_every_word():
    assert fts_query('renew NEAR("x" *') == '"renew"* "NEAR"* "x"'
    assert ts_query("renew x-y") == "'renew':* & 'x' & 'y'"
    assert fts_query("[@click=app.quit]") == '"click"* "app"* "quit"*'
    assert fts_query(" ,;- ") == ts_query("") == ""


def test_the_index_follows_updates_and_deletes(board, ctx):
    iid = board["issue"]
    version = records.get("issue", iid)["version"]
    records.update(ctx, "issue", iid, version, {"title": "Printer jams"})
    assert _found(ctx, "gateway") == []
    assert _found(ctx, "printer") == [("issue", iid)]
    assert _found(ctx, "overnight") == [("issue", iid)]  # the description stayed
    m.Interaction.delete_by_id(board["interaction"])
    assert _found(ctx, "zeppelin") == []
    m.Customer.delete_by_id(board["customer"])  # cascades to every record of the customer
    for word in ("northwind", "quillfeather", "marmalade", "printer", "insolvency",
                 "migration"):
        assert _found(ctx, word) == [], word


def test_a_renamed_customer_shows_its_new_name_on_every_hit(board, ctx):
    cid = board["customer"]
    records.update(ctx, "customer", cid, records.get("customer", cid)["version"],
                   {"name": "Southwind Care"})
    assert _found(ctx, "northwind") == []
    assert search.search(ctx, "zeppelin")[0].customer == "Southwind Care"


def test_archived_customers_and_stakeholders_are_found_and_marked(board, ctx):
    k = board["contact"]
    records.set_archived(ctx, "contact", k, records.get("contact", k)["version"])
    [hit] = search.search(ctx, "quillfeather")
    assert (hit.kind, hit.archived) == ("contact", True)
    assert not search.search(ctx, "zeppelin")[0].archived
    cid = board["customer"]
    records.set_archived(ctx, "customer", cid, records.get("customer", cid)["version"])
    assert [(h.kind, h.archived) for h in search.search(ctx, "northwind")] == \
        [("customer", True)]
    assert search.search(ctx, "zeppelin")[0].archived  # its customer is archived


def test_imported_records_are_found(db, ctx, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text("relboard: 1\ncustomers:\n  - id: 1\n    name: Harbour Lights\n"
                    "interactions:\n  - id: 1\n    customer: 1\n"
                    "    occurred_at: today-1 10:00\n    summary: Quarterly kaleidoscope "
                    "review\n")
    transfer.import_file(ctx, path)
    assert _found(ctx, "kaleidoscope") == [("interaction", 1)]
    assert _found(ctx, "harbour") == [("customer", 1)]


def test_the_limit_bounds_the_hits(db, ctx):
    c = f.customer(ctx, "Acme")
    for n in range(7):
        f.touchpoint(ctx, c, summary=f"Weekly sync {n}")
    assert len(search.search(ctx, "weekly", limit=5)) == 5
    assert len(search.search(ctx, "weekly")) == 7


@pytest.mark.postgresql_only
def test_postgresql_searches_through_the_gin_indexes(board, ctx):
    db = m.database_proxy.obj
    db.execute_sql("SET enable_seqscan = off")  # a tiny table: make the planner show its way
    params = ["'zeppelin':*"] * (1 + 2 * 7) + [50]
    plan = "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + search._POSTGRES, params))
    for table in ("customer", "contact", "interaction", "expectation", "issue", "risk",
                  "decision"):
        assert f"search_index_{table}" in plan, plan


# --- the board: ctrl+f anywhere, type, see the hit, enter lands on the record ---------------


def _hits_shown(app) -> list[str]:
    from textual.widgets import OptionList

    listing = app.screen.query_one("#search-list", OptionList)
    return [str(listing.get_option_at_index(n).prompt) for n in range(listing.option_count)]


async def _search(pilot, text: str) -> None:
    from tests.pilot import settle

    await pilot.press("ctrl+f")
    await settle(pilot)
    await pilot.press(*text)
    await pilot.pause(0.3)  # the pause after the last key, then the query
    await settle(pilot)


@pytest.mark.parametrize("size", [(70, 20), (160, 48)])
async def test_ctrl_f_finds_a_touchpoint_and_enter_opens_it_in_the_profile(board, ctx, size):
    from relboard.screens.customer import CustomerScreen
    from relboard.screens.search import SearchScreen
    from relboard.screens.today import TodayScreen
    from relboard.widgets.paged_table import PagedTable
    from tests.pilot import make_app, settle

    app = make_app(ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _search(pilot, "zeppelin")
        assert isinstance(app.screen, SearchScreen)
        [shown] = _hits_shown(app)
        assert shown.startswith("touchpoint") and "Northwind Health · Discussed the" in shown
        prompt = app.screen.query_one("#search-list").get_option_at_index(0).prompt
        assert {prompt.plain[s.start:s.end] for s in prompt.spans
                if str(s.style) == "bold underline"} == {"zeppelin"}  # the word typed
        assert "found" in str(app.screen.query_one("#search-status").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert (app.screen.customer_id, app.screen.initial_tab) == \
            (board["customer"], "touchpoints")
        table = app.screen.query_one("#touchpoints-table", PagedTable)
        assert table.current_key() == str(board["interaction"])
        await pilot.press("escape")  # back to the hits, then back to where it was opened
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and len(_hits_shown(app)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_the_hits_move_with_arrows_and_j_k_and_enter_opens_an_issue(board, ctx):
    from relboard.screens.issue import IssueScreen
    from tests.pilot import make_app, settle

    c = board["customer"]
    zebras = [f.issue(ctx, c, f"Zebra crossing {n}") for n in range(4)]
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _search(pilot, "gateway")
        assert [h.kind for h in app.screen.hits] == ["issue"]
        await pilot.press("ctrl+u", *"zebr")  # the start of a word is enough
        await pilot.pause(0.3)
        await settle(pilot)
        assert [h.record_id for h in app.screen.hits] == zebras
        assert app.screen.current() == app.screen.hits[0]
        await pilot.press("down", "down")  # arrows move while typing
        assert app.screen.current() == app.screen.hits[2]
        await pilot.press("up")
        assert app.screen.current() == app.screen.hits[1]
        await pilot.press("tab")  # to the list: j and k move too
        await pilot.press("j", "j")
        assert app.screen.current() == app.screen.hits[3]
        await pilot.press("k")
        assert app.screen.current() == app.screen.hits[2]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen) and app.screen.issue_id == zebras[2]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+f")  # again: back in the box, its text selected
        await pilot.press(*"crossing 1", "enter")  # typed and entered at once: opens
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen) and app.screen.issue_id == zebras[1]


async def test_the_palette_offers_search_everything(board, ctx):
    from relboard.screens.search import SearchScreen
    from tests.pilot import make_app, settle

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"search everything")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_hostile_text_typed_and_found_is_shown_as_plain_text(db, ctx):
    from relboard.screens.search import SearchScreen
    from tests.pilot import make_app, settle

    c = f.customer(ctx, "Evil")
    t = f.touchpoint(ctx, c)
    # what the services refuse can still be stored (an old import, another tool): by hand
    m.Customer.update(name="[@click=app.quit]Evil[/] \u202eCorp").execute()
    m.Interaction.update(summary="[b]bold[/b] [/oops] hostile\x1b]0;x\x07 summary").where(
        m.Interaction.id == t).execute()
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _search(pilot, "[/oops] hostile")
        assert isinstance(app.screen, SearchScreen)
        box = app.screen.query_one("#search-input")
        box.value = "[/oops] \x1b[2J hostile"  # a paste: the box holds it cleaned
        assert app.screen.text == "[/oops] \ufffd[2J hostile"
        box.value = "[/oops] hostile"
        await pilot.pause(0.3)
        await settle(pilot)
        [shown] = _hits_shown(app)
        assert "[@click=app.quit]Evil[/] \ufffdCorp · [b]bold[/b] [/oops] hostile\ufffd" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        await pilot.press("ctrl+u", *'"*NEAR(', "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        assert _hits_shown(app) == []
        assert "Nothing found" in str(app.screen.query_one("#search-status").render())


async def test_ctrl_f_over_a_form_leaves_the_form_alone(board, ctx):
    from relboard.screens.search import SearchScreen
    from tests.pilot import make_app, settle

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # a new customer's form (a modal screen)
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.screen is form and not isinstance(app.screen, SearchScreen)


@pytest.mark.sqlite_only
def test_a_word_in_very_many_records_ranks_the_newest(db, ctx, monkeypatch):
    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    c = f.customer(ctx, "Acme")
    ids = [f.touchpoint(ctx, c, summary=f"Weekly sync {n}") for n in range(6)]
    assert sorted(h.record_id for h in search.search(ctx, "weekly")) == ids[3:]
    assert _found(ctx, "sync 1") == [("interaction", ids[1])]  # a second word narrows


@pytest.mark.sqlite_only
def test_an_update_leaving_the_words_alone_does_not_touch_the_index(board, ctx):
    db = m.database_proxy.obj

    def segments() -> int:  # every write to the index commits a new segment row
        return db.execute_sql("SELECT count(*) FROM search_index_data").fetchone()[0]

    before = segments()
    iid = board["issue"]
    records.update(ctx, "issue", iid, records.get("issue", iid)["version"],
                   {"severity": "critical"})
    m.Issue.get_by_id(iid).save()  # every column written, the same values
    assert segments() == before
    records.update(ctx, "issue", iid, records.get("issue", iid)["version"],
                   {"description": "Seen by the night shift"})
    assert segments() > before
    assert _found(ctx, "shift") == [("issue", iid)] and _found(ctx, "overnight") == []


async def test_ctrl_f_opens_search_from_a_lists_filter_box(board, ctx):
    """The customers' filter box has the focus: ctrl+f still opens search (it is a
    priority key outside forms), and escape comes back to the list with its filter."""
    from relboard.screens.search import SearchScreen
    from tests.pilot import make_app, settle

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        customers = app.screen
        await pilot.press("slash", "a")
        await settle(pilot)
        assert app.focused is customers.query_one("#customers-filter")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is customers
        assert customers.query_one("#customers-filter").value == "a"
