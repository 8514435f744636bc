"""Tags on customers, issues, expectations and risks (``services.tags``): the rule for a
name, storing them with a record (created, changed, undone), the schema step, and the list
filters' ``#tag`` in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.migrations import LATEST, m0012_tags, migrate, schema_version, steps
from relboard.services import lists, records, tags
from relboard.services.errors import ValidationError
from tests import factories as f
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.both_databases


def test_names_are_normalised_and_bad_ones_refused_with_the_reason():
    assert tags.parse("#Renewal, urgent  renewal,exec-sponsor q1_2027") == (
        "exec-sponsor", "q1_2027", "renewal", "urgent")
    assert tags.parse(["a", "#B"]) == ("a", "b")
    assert tags.parse("") == tags.parse(None) == ()
    for hostile, shown in (("bad!", "'bad!'"), ("-x", "'-x'"), ("a" * 41, "'" + "a" * 41 + "'"),
                           ("ok\x1b[31m", r"'ok\x1b[31m'"), ("é", "'é'"),
                           ("$(rm -rf ~)", "'$(rm'"), ("[b]x[/b]", "'[b]x[/b]'")):
        with pytest.raises(ValueError) as exc:
            tags.parse(hostile)
        assert str(exc.value) == f"{shown} is not a tag: {tags.RULE}"
    with pytest.raises(ValueError, match="at most 20"):
        tags.parse([f"t{n}" for n in range(21)])
    with pytest.raises(ValueError, match="list of tag names"):
        tags.parse(["a", 3])


def test_a_record_is_created_and_changed_with_its_tags_audit_logged(db, ctx):
    cid = f.customer(ctx, tags="Renewal strategic")
    assert tags.of("customer", cid) == ("renewal", "strategic")
    version = records.get("customer", cid)["version"]
    assert records.update(ctx, "customer", cid, version, {"tags": "strategic, at-risk"}) \
        == version  # tags make no version
    assert tags.of("customer", cid) == ("at-risk", "strategic")
    logged = [(r["field"], r["old"], r["new"]) for r in records.history("customer", cid)
              if r["field"] == "tags"]
    assert logged == [("tags", "#renewal #strategic", "#at-risk #strategic"),
                      ("tags", None, "#renewal #strategic")]
    iid = f.issue(ctx, cid, tags=["outage"])
    eid = f.expectation(ctx, cid, TODAY + dt.timedelta(days=3), tags="pilot")
    rid = records.create(ctx, "risk", {"customer": cid, "title": "R", "tags": "#outage"})
    assert tags.records_tagged("outage") == {"issue": [iid], "risk": [rid]}
    assert tags.of("expectation", eid) == ("pilot",)
    assert tags.known("o") == [("outage", 2)]


def test_a_bad_tag_saves_nothing_and_says_why_with_the_other_fields(db, ctx):
    cid = f.customer(ctx, tags="keep")
    version = records.get("customer", cid)["version"]
    with pytest.raises(ValidationError) as exc:
        records.update(ctx, "customer", cid, version, {"tags": "ok b@d", "name": ""})
    assert exc.value.errors == {"tags": f"'b@d' is not a tag: {tags.RULE}",
                                "name": "is required"}
    assert tags.of("customer", cid) == ("keep",)
    with pytest.raises(ValidationError, match="tags: 'x y!' is not|tags: 'y!' is not"):
        f.customer(ctx, "Other", tags="x y!")
    assert m.Customer.select().count() == 1
    assert records.problems(ctx, "customer", {"tags": "fine #Also"}, cid) == {}
    assert records.problems(ctx, "customer", {"tags": "no!"}, cid) == {
        "tags": f"'no!' is not a tag: {tags.RULE}"}
    with pytest.raises(ValidationError, match="tags: is not a field"):
        f.contact(ctx, cid, tags="x")  # a stakeholder carries no tags


def test_undoing_a_new_record_removes_its_tags(db, ctx):
    from relboard.services import journal, undo

    book = journal.Journal()
    with journal.recording(book):
        cid = f.customer(ctx, tags="gone")
    assert tags.of("customer", cid) == ("gone",)
    undo.undo(ctx, book)
    assert m.Tag.select().count() == 0


def test_undo_takes_a_tag_edit_back_unless_the_tags_changed_since(db, ctx):
    from relboard.services import journal, undo
    from relboard.services.undo import UndoRefused

    cid = f.customer(ctx, tags="a")
    book = journal.Journal()
    with journal.recording(book):
        records.update(ctx, "customer", cid, 1, {"tags": "a b"})
    with journal.recording(book):
        records.update(ctx, "customer", cid, 1, {"tags": "c", "name": "Renamed"})
    assert undo.undo(ctx, book) == f"customer #{cid} name Renamed → Northwind Health"
    assert tags.of("customer", cid) == ("a", "b")
    assert records.get("customer", cid)["name"] == "Northwind Health"
    assert undo.undo(ctx, book) == f"customer #{cid} tags #a #b → #a"
    assert tags.of("customer", cid) == ("a",)
    with journal.recording(book):
        records.update(ctx, "customer", cid, 3, {"tags": "x"})
    records.update(ctx, "customer", cid, 3, {"tags": "y"})  # someone else, elsewhere
    with pytest.raises(UndoRefused, match=f"the tags of customer #{cid} were changed since"):
        undo.undo(ctx, book)
    assert tags.of("customer", cid) == ("y",)


def test_filters_find_tagged_records_and_their_customers_in_sql(db, ctx):
    acme = f.customer(ctx, "Acme", tags="strategic")
    beta = f.customer(ctx, "Beta")
    own = f.issue(ctx, beta, "Tagged itself", tags="strategic outage")
    through = f.issue(ctx, acme, "Of a tagged customer")
    f.issue(ctx, beta, "Neither")
    names = lambda page, key="name": [r[key] for r in page.rows]  # noqa: E731
    assert names(lists.customers_page(ctx, search="#strategic")) == ["Acme"]
    assert names(lists.customers_page(ctx, search="#STRATEGIC ac")) == ["Acme"]
    assert names(lists.customers_page(ctx, search="#nothing")) == []
    assert names(lists.customers_page(ctx, search="#")) == ["Acme", "Beta"]  # still typing
    for sort in ("owner", "tier", "contact", "overdue"):
        assert names(lists.customers_page(ctx, search="#strategic", sort=sort)) == ["Acme"]
    assert names(lists.customers_page(ctx, search="#strategic", include_archived=True)) == \
        ["Acme"]
    for sort in ("severity", "oldest", "newest", "sla"):
        found = lists.issues_page(ctx, search="#strategic", sort=sort)
        assert sorted(r["id"] for r in found.rows) == [own, through], sort
    assert names(lists.issues_page(ctx, search="tag:outage #strategic"), "title") == \
        ["Tagged itself"]
    assert names(lists.issues_page(ctx, tag=["outage"]), "title") == ["Tagged itself"]
    e1 = f.expectation(ctx, beta, TODAY + dt.timedelta(days=2), "Mine", tags="pilot")
    f.expectation(ctx, acme, TODAY + dt.timedelta(days=1), "Acme's")
    assert [r["id"] for r in lists.expectations_page(ctx, search="#pilot").rows] == [e1]
    assert [r["statement"] for r in lists.expectations_page(ctx, search="#strategic").rows] \
        == ["Acme's"]
    # paged: the keyset window goes on after the tagged rows of the first page
    more = [f.customer(ctx, f"Z{n}", tags="strategic") for n in range(5)]
    first = lists.customers_page(ctx, search="#strategic", limit=3)
    rest = lists.customers_page(ctx, search="#strategic", after=first.after, limit=10)
    assert [r["id"] for r in first.rows + rest.rows] == [acme, *more]


def test_hostile_filter_text_is_a_value_never_sql(db, ctx):
    f.customer(ctx, "Acme", tags="strategic")
    for text in ("#'; DROP TABLE tag; --", "#%", "#_", "tag:\x00x", "#strat%"):
        assert lists.customers_page(ctx, search=text).rows == []
    assert m.Tag.select().count() == 1


def test_the_schema_step_adds_the_table_and_is_idempotent(db, ctx):
    cid = f.customer(ctx, "Kept")
    with db.atomic():  # back to the schema before tags
        db.drop_tables([m.Tag])
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 12).execute()
    assert migrate(db) == [n for n, _, _ in steps() if n >= 12]  # the later steps again too
    assert schema_version(db) == LATEST
    names = {i.name for i in db.get_indexes("tag")}
    assert {"tag_kind_record_id_name", "tag_name_kind_record_id"} <= names
    with db.atomic():
        m0012_tags.apply(db)  # again: nothing to do, nothing breaks
    records.update(ctx, "customer", cid, 1, {"tags": "after-upgrade"})
    assert tags.of("customer", cid) == ("after-upgrade",)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the unique index holds
        with db.atomic():
            m.Tag.create(kind="customer", record_id=cid, name="after-upgrade")


@pytest.mark.sqlite_only
def test_a_saved_queue_filters_by_tag_and_a_bad_one_is_refused_where_it_is(tmp_path):
    from relboard.config import QueueFilter
    from relboard.config_check import load_config
    from tests.config_files import errors_of, write

    path = write(tmp_path, """\
        queues:
          - {name: Renewals, filter: {tag: "#Renewal, urgent", status: new}}
          - {name: All}
        """)
    queues = load_config(path, env={}).queues
    assert queues[0].filter == QueueFilter(status=("new",), tag="renewal urgent")
    assert queues[1].filter.tag is None
    bad = write(tmp_path, """\
        queues:
          - {name: Bad, filter: {tag: "ok no!"}}
        """, "bad.yaml")
    assert errors_of(bad) == [
        f"{bad}:2:31: queues[0].filter.tag: 'no!' is not a tag: {tags.RULE}"]


def test_the_portfolio_registers_filter_by_tag_too(db, ctx):
    from relboard.services import decisions, portfolio_lists, risks

    acme = f.customer(ctx, "Acme", tags="strategic")
    beta = f.customer(ctx, "Beta")
    f.contact(ctx, acme, "Ann")
    f.contact(ctx, beta, "Bob")
    tagged_risk = records.create(ctx, "risk", {"customer": beta, "title": "Own", "tags": "ops"})
    records.create(ctx, "risk", {"customer": acme, "title": "Acme's"})
    records.create(ctx, "risk", {"customer": beta, "title": "Untagged"})
    titles = lambda page: sorted(r["title"] for r in page.rows)  # noqa: E731
    assert titles(risks.register_page(ctx, search="#strategic")) == ["Acme's"]
    page = risks.register_page(ctx, search="#ops")
    assert [(r["id"], r["tags"]) for r in page.rows] == [(tagged_risk, ("ops",))]
    for sort in ("review", "newest"):
        assert titles(risks.register_page(ctx, search="#strategic", sort=sort)) == ["Acme's"]
    records.create(ctx, "decision", {"customer": acme, "title": "Go", "decided_on": TODAY})
    records.create(ctx, "decision", {"customer": beta, "title": "Stop", "decided_on": TODAY})
    assert titles(decisions.log_page(ctx, search="#strategic")) == ["Go"]
    assert [r["name"] for r in portfolio_lists.matrix_page(search="#strategic").rows] == ["Ann"]
    assert [r["name"] for r in portfolio_lists.matrix_page(search="#strategic bob").rows] == []


@pytest.mark.sqlite_only
def test_a_tag_filter_keeps_the_lists_index_walks(db, ctx):
    """``#tag`` is an EXISTS probe of the tag index beside the walk of the sort index: no
    temporary sort, the tag found by its unique (kind, record_id, name) key."""
    from relboard.services import risks
    from tests.plans import fill, query_plans, temporary_sorts

    fill(db)
    stamp = {"created_at": NOW, "created_by": "t", "updated_at": NOW, "updated_by": "t"}
    with db.atomic():
        m.Risk.insert_many([{"customer": 1 + n % 300, "title": "r", "likelihood": 1 + n % 5,
                             "impact": 1 + n % 3, "score": (1 + n % 5) * (1 + n % 3), **stamp}
                            for n in range(2000)]).execute()
        m.Tag.insert_many([("customer", n, "strategic") for n in range(1, 300, 3)]
                          + [("issue", n, "outage") for n in range(1, 3000, 7)],
                          fields=[m.Tag.kind, m.Tag.record_id, m.Tag.name]).execute()
        db.execute_sql("ANALYZE")
    calls = [lambda: lists.customers_page(ctx, search="#strategic"),
             lambda: lists.customers_page(ctx, search="#strategic", sort="owner"),
             lambda: lists.issues_page(ctx, search="#outage #strategic"),
             lambda: lists.issues_page(ctx, tag=["outage"], sort="newest", after=(NOW, 5)),
             lambda: lists.expectations_page(ctx, search="#strategic"),
             lambda: risks.register_page(ctx, search="#strategic")]
    assert temporary_sorts(db, *calls) == []
    for sql, plan in query_plans(db, *calls):
        if '"tag' in sql:
            assert any("tag_kind_record_id_name" in step for step in plan), plan
