"""Today computed by the database agrees with the Python reference it replaced.

``tests/attention_reference.py`` is the former ``attention()``: it read every candidate row
and worked SLA clocks and cadences out in Python. On a random portfolio (issues moved through
their statuses at different moments, waits and pauses, snoozes, internal notes, archived
customers, stakeholders with cadences) and on the demo, both must list the same items with the
same reasons, for everyone and for each PM's view; and the bounded board must be the first
items of the full one with the full counts.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from relboard import models as m
from relboard.services import (
    account_owners,
    attention,
    clocks,
    expectations,
    issues,
    records,
    today,
)
from relboard.services.prepared_pg import written
from relboard.services.sample import load_sample
from tests import attention_reference as reference
from tests import factories as f
from tests.conftest import NOW, at

pytestmark = pytest.mark.both_databases

D, H = dt.timedelta(days=1), dt.timedelta(hours=1)
MOVES = {"new": ("acknowledged", "in_progress", "waiting_on_customer", "resolved"),
         "acknowledged": ("in_progress", "waiting_on_customer", "resolved"),
         "in_progress": ("waiting_on_customer", "resolved", "acknowledged"),
         "waiting_on_customer": ("in_progress", "acknowledged", "resolved"),
         "resolved": ("in_progress",)}


def _portfolio(ctx, seed: int) -> None:
    rnd = random.Random(seed)
    owners = ("alice", "bob", "")
    customers = [f.customer(ctx, f"Customer {n:02}", owner=rnd.choice(owners),
                            cadence_days=rnd.choice((None, 3, 7, 14)))
                 for n in range(12)]
    people = {c: [f.contact(ctx, c, f"Person {c}-{n}", cadence_days=rnd.choice((None, 5, 10)))
                  for n in range(2)] for c in customers}
    for n in range(40):
        c = rnd.choice(customers)
        when = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 30))
        follow = (when.date() + rnd.randint(0, 20) * D) if n % 3 == 0 else None
        tp = f.touchpoint(at(ctx, when), c, rnd.sample(people[c], rnd.randint(0, 2)),
                          occurred_at=when, internal=n % 7 == 0, follow_up_on=follow,
                          summary=f"Call {n}")
        if follow and n % 2:
            from relboard.services import touchpoints
            touchpoints.complete_follow_up(ctx, tp, 1)
    for n in range(40):
        c = rnd.choice(customers)
        raised = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 8))
        iid = f.issue(at(ctx, raised), c, f"Issue {n}", severity=rnd.randint(1, 4),
                      raised_at=raised, owner=rnd.choice(owners))
        when, status, version = raised, "new", 1
        for _ in range(rnd.randint(0, 4)):
            when = when + dt.timedelta(minutes=rnd.randrange(1, 60 * 30))
            if when >= NOW:
                break
            status = rnd.choice(MOVES[status])
            version = issues.set_status(at(ctx, when), iid, version, status, "fixed")
        if rnd.random() < 0.15:
            issues.snooze(ctx, iid, version, NOW.date() + 2 * D)
    for n in range(5):  # fresh ones, not near a target yet
        raised = NOW - dt.timedelta(minutes=rnd.randrange(1, 300))
        f.issue(at(ctx, raised), rnd.choice(customers), f"Fresh {n}", severity=4,
                raised_at=raised, owner=rnd.choice(owners))
    for n in range(16):
        c = rnd.choice(customers)
        eid = f.expectation(at(ctx, NOW - 12 * D), c, NOW.date() + rnd.randint(-10, 20) * D,
                            f"Promise {n}", status="proposed" if n % 4 == 1 else "agreed",
                            owner=rnd.choice(owners))
        if n % 4 == 0:
            expectations.set_status(ctx, eid, 1, rnd.choice(("at_risk", "met")))
    _playbooks(ctx, rnd, customers)
    _renewals(ctx, random.Random(seed + 100), customers)  # its own dice: the rest as before
    for c in rnd.sample(customers, 2):
        records.set_archived(ctx, "customer", c, records.get("customer", c)["version"])
    _hand_over(ctx, random.Random(seed + 200), customers, owners, people)
    for item in reference.attention(ctx)[::5]:  # snooze every fifth item
        if item.kind in ("customer", "contact", "expectation", "renewal", "project"):
            today.snooze(ctx, item, NOW.date() + D)


def _playbooks(ctx, rnd: random.Random, customers: list[int]) -> None:
    """The onboarding playbook applied to half the customers from different days, some of
    its steps done (a repeating one planned again) and some moved on."""
    from dataclasses import replace

    from relboard.config import PlaybookConfig, PlaybookStepConfig
    from relboard.services import playbooks

    ctx = replace(ctx, playbooks=(PlaybookConfig("onboarding", (
        PlaybookStepConfig("Kickoff call", 0), PlaybookStepConfig("Check-in", 14),
        PlaybookStepConfig("Quarterly review", None, 10))),))
    for c in rnd.sample(customers, 6):
        run = playbooks.apply(ctx, c, "onboarding", NOW.date() - rnd.randint(0, 30) * D)
        for step in playbooks.steps_of(run):
            if rnd.random() < 0.3:
                playbooks.complete(ctx, step["id"], 1)
            elif rnd.random() < 0.2:
                playbooks.reschedule(ctx, step["id"], 1, NOW.date() + rnd.randint(1, 3) * D)


def _hand_over(ctx, rnd: random.Random, customers: list[int], owners: tuple[str, ...],
               people: dict[int, list[int]]) -> None:
    """After the records are there: customers handed to another owner (or to nobody), and
    stakeholders moved to another customer — "my view" follows them."""
    for c in rnd.sample(customers, 4):
        row = records.get("customer", c)
        records.update(ctx, "customer", c, row["version"],
                       {"owner": rnd.choice([o for o in owners if o != row["owner"]])})
    for c in rnd.sample(customers, 3):
        person = people[c][0]
        records.update(ctx, "contact", person, records.get("contact", person)["version"],
                       {"customer": rnd.choice([o for o in customers if o != c])})


def _renewals(ctx, rnd: random.Random, customers: list[int]) -> None:
    """Renewal dates around the window (some passed, some beyond it, some none), projects
    ending around it in every phase, and health snapshots of every band, some of them
    later than today or older than the latest."""
    for c in customers:
        day = rnd.choice((None, -20, -1, 0, 5, 30, 89, 90, 91, 200))
        if day is not None:
            records.update(ctx, "customer", c, records.get("customer", c)["version"],
                           {"renews_on": NOW.date() + day * D})
        for back in rnd.sample((-1, 0, 3, 9), rnd.randint(0, 3)):
            m.HealthSnapshot.create(customer=c, day=NOW.date() - back * D, score=50,
                                    band=rnd.choice(m.HEALTH_BANDS), taken_at=NOW)
    for n in range(10):
        records.create(ctx, "project", {
            "customer": rnd.choice(customers), "name": f"Project {n}",
            "phase": rnd.choice(m.PHASES), "start_date": NOW.date() - 400 * D,
            "end_date": rnd.choice((None, NOW.date() + rnd.randint(-5, 95) * D))})


def _same(ctx, who=None) -> list[attention.AttentionItem]:
    """Both lists, compared; returns the new one."""
    old = reference.attention(ctx, who)
    kept = {g for g, _ in reference.GROUPS}  # the groups the reference knew
    new = [it for it in attention.attention(ctx, who) if it.group in kept]

    def facts(items):
        return sorted((it.group, it.kind, it.record_id, it.customer, it.title, it.reason,
                       it.version) for it in items)

    assert facts(new) == facts(old)
    groups = [g for g, _ in attention.GROUPS if g in kept]
    assert [groups.index(it.group) for it in new] == sorted(groups.index(it.group) for it in new)
    for group in groups:  # most urgent first in each group (ties may go either way)
        urgencies = [it.urgency for it in new if it.group == group]
        assert urgencies == sorted(urgencies)
    return new


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_database_today_matches_the_python_reference(db, ctx, seed):
    _portfolio(ctx, seed)
    items = _same(ctx)
    assert {it.group for it in items} == {g for g, _ in reference.GROUPS}  # all kinds met
    assert {"interaction", "step"} <= {it.kind for it in items if it.group == "follow_up"}
    assert len(items) > 25
    for who in ("alice", "bob", "nobody"):
        _same(ctx, who)
    later = at(ctx, NOW + 3 * H)  # the clocks have moved on: still the same
    _same(later)


def test_the_demo_is_the_same(db, ctx):
    load_sample(ctx)
    items = _same(ctx)
    assert len(items) == 29  # 8 renewals ahead; and the insight groups: test_attention_insight
    # the import set each stakeholder's account owner from its customer: each PM's view too
    assert clocks.stale() == (0, 0, 0)
    k = m.Contact
    assert {r.account_owner for r in k.select(k.account_owner)} >= {"alex", "priya", "sam"}
    for who in ("alex", "priya", "sam"):
        _same(ctx, who)


def test_the_bounded_board_is_the_top_of_each_group_with_full_counts(db, ctx):
    _portfolio(ctx, 4)
    full = attention.attention(ctx)
    shown = attention.board(ctx, per_group=2)
    assert shown.totals == attention.counts(full)
    expect = []
    for group, _ in attention.GROUPS:
        members = [it for it in full if it.group == group]
        expect += members[:2]
    assert [(it.group, it.urgency) for it in shown.items] == \
        [(it.group, it.urgency) for it in expect]


def test_groups_read_further_are_the_top_of_their_group_the_rest_the_first_page(db, ctx):
    """Today reads a page per group and a group the PM paged through further (``pages``):
    each group is still the top of the reference's, the counts unchanged."""
    _portfolio(ctx, 4)
    full = attention.attention(ctx)
    sizes = attention.counts(full)
    further = [g for g, n in sizes.items() if n > 3][:2]
    assert len(further) == 2  # the portfolio has groups to page through
    pages = {further[0]: 3, further[1]: 5}
    shown = attention.board(ctx, per_group=2, pages=pages)
    assert shown.totals == sizes
    expect = []
    for group, _ in attention.GROUPS:
        members = [it for it in full if it.group == group]
        expect += members[:pages.get(group, 2)]
    assert [(it.group, it.urgency) for it in shown.items] == \
        [(it.group, it.urgency) for it in expect]
    alone = attention.board(ctx, per_group=2, groups=[further[1]], pages=pages)
    assert [it for it in alone.items] == [it for it in shown.items if it.group == further[1]]
    assert alone.totals[further[1]] == sizes[further[1]] and alone.total == sizes[further[1]]


def test_boards_made_again_and_again_keep_what_they_made_once(db, ctx):
    """Each stream's query functions are made once per shape: a refresh every minute for a
    day must not keep one more of anything per refresh."""
    from relboard.services import attention_sql, prepared

    _portfolio(ctx, 5)
    for who in (None, "alice"):
        attention.board(ctx, who)
    made = (attention_sql._ordered.cache_info().currsize, len(prepared._CACHE))
    for minute in range(30):
        for who in (None, "alice"):
            attention.board(at(ctx, NOW + minute * H / 60), who)
    assert (attention_sql._ordered.cache_info().currsize, len(prepared._CACHE)) == made


def test_stored_clocks_follow_every_status_move(db, ctx):
    acme = f.customer(ctx, "Acme")
    iid = f.issue(at(ctx, NOW - 10 * H), acme, "Down", raised_at=NOW - 10 * H)

    def stored():
        row = m.Issue.get_by_id(iid)
        return row.clock, row.clock_at, row.clock_frozen

    assert stored() == (clocks.RESPONSE, NOW - 10 * H, None)
    v = issues.set_status(at(ctx, NOW - 9 * H), iid, 1, "waiting_on_customer")
    assert stored() == (clocks.WAITING, None, 3600)  # answered after 1h, then waits
    v = issues.set_status(at(ctx, NOW - 5 * H), iid, v, "in_progress")  # 4h paused
    assert stored() == (clocks.RESOLUTION, NOW - 6 * H, None)
    v = issues.resolve(at(ctx, NOW - 1 * H), iid, v, "fixed")
    assert stored() == (clocks.NONE, None, None)
    issues.reopen(ctx, iid, v)
    assert stored() == (clocks.RESOLUTION, NOW - 6 * H, None)


def test_last_contact_follows_touchpoints(db, ctx):
    acme = f.customer(ctx, "Acme")
    dana = f.contact(ctx, acme, "Dana")
    assert m.Customer.get_by_id(acme).last_contact_at is None
    f.touchpoint(ctx, acme, [dana], occurred_at=NOW - 3 * D)
    note = f.touchpoint(ctx, acme, occurred_at=NOW - D, internal=True)
    assert m.Customer.get_by_id(acme).last_contact_at == NOW - 3 * D  # a note is no contact
    assert m.Contact.get_by_id(dana).last_contact_at == NOW - 3 * D
    records.update(ctx, "interaction", note, 1, {"internal": False})
    assert m.Customer.get_by_id(acme).last_contact_at == NOW - D
    assert m.Contact.get_by_id(dana).last_contact_at == NOW - 3 * D


def test_an_import_moves_the_last_contacts_of_its_touchpoints_only(db, ctx, tmp_path):
    """Importing touchpoints into a board recomputes the last contact of their customers
    and stakeholders, not of every customer and stakeholder (2.7 s on a 1M-record board);
    more than ``account_owners.FEW`` of a kind: one pass over all of that kind."""
    from relboard.services import transfer

    acme, globex = f.customer(ctx, "Acme"), f.customer(ctx, "Globex")
    dana = f.contact(ctx, acme, "Dana")
    f.touchpoint(ctx, globex, occurred_at=NOW - 9 * D)
    m.Customer.update(last_contact_at=None).where(m.Customer.id == globex).execute()  # by hand
    path = tmp_path / "calls.yaml"
    path.write_text(f"customers:\n  - {{id: {acme}, name: Acme, version: 1}}\n"
                    f"contacts:\n  - {{id: {dana}, customer: {acme}, name: Dana, version: 1}}\n"
                    f"interactions:\n  - {{customer: {acme}, contacts: [{dana}], summary: call, "
                    f"occurred_at: '{(NOW - 2 * D).isoformat()}'}}\n")
    transfer.import_file(ctx, path, merge=True)  # the stored Acme and Dana: one call more
    assert m.Customer.get_by_id(acme).last_contact_at == NOW - 2 * D
    assert m.Contact.get_by_id(dana).last_contact_at == NOW - 2 * D
    assert m.Customer.get_by_id(globex).last_contact_at is None  # not the import's: left
    assert clocks.stale()[1] == 1  # as check counts it, for --repair
    clocks.refresh_contacts(range(1000, 1001 + account_owners.FEW), [])  # many: all of them
    assert m.Customer.get_by_id(globex).last_contact_at == NOW - 9 * D


def test_check_finds_stored_clocks_out_of_date_and_repair_mends_them(db, ctx):
    from relboard.services import dbcheck

    acme = f.customer(ctx, "Acme", owner="alice")
    dana = f.contact(ctx, acme, "Dana")
    f.touchpoint(ctx, acme, occurred_at=NOW - 3 * D)
    iid = f.issue(ctx, acme, raised_at=NOW - 2 * H)
    assert m.Contact.get_by_id(dana).account_owner == "alice"
    assert clocks.stale() == (0, 0, 0)
    assert dbcheck.check_database(db).ok
    m.Issue.update(clock=clocks.NONE).where(m.Issue.id == iid).execute()  # by hand, say
    m.Customer.update(last_contact_at=None).execute()
    m.Contact.update(account_owner="").execute()
    m.Issue.update(account_owner="bob").execute()  # schema 22's, likewise
    assert clocks.stale() == (1, 1, 2)
    report = dbcheck.check_database(db)
    assert report.problems == [
        "1 issues' stored SLA clocks, 1 stored last contacts and 2 records' "
        "stored account owners are out of date (Today would misorder or miss them): run "
        "relboard check --repair"]
    clocks.rebuild()
    assert clocks.stale() == (0, 0, 0)
    assert m.Issue.get_by_id(iid).clock == clocks.RESPONSE
    assert m.Contact.get_by_id(dana).account_owner == "alice"
    assert m.Issue.get_by_id(iid).account_owner == "alice"


@pytest.mark.both_databases
def test_an_in_subquery_is_written_once_and_the_same_as_peewees(db, ctx, monkeypatch):
    """Today's shared filters are IN subqueries; Peewee writes those twice (to look for an
    empty ``()``), ``prepared.in_query`` once, with the same SQL."""
    import peewee

    from relboard.services.prepared import in_query, not_in_query

    written = []
    real = peewee.Select.__sql__
    monkeypatch.setattr(peewee.Select, "__sql__",
                        lambda self, ctx: written.append(1) or real(self, ctx))
    c, i = m.Customer, m.Issue
    archived = c.select(c.id).where(c.archived == True)  # noqa: E712
    for ours, peewees in ((not_in_query(i.customer, archived), i.customer.not_in(archived)),
                          (in_query(i.customer, archived), i.customer.in_(archived))):
        written.clear()
        mine = i.select(i.id).where(ours).sql()
        assert len(written) == 2  # the query and its subquery
        written.clear()
        assert i.select(i.id).where(peewees).sql() == mine
        assert len(written) == 3
    kept = f.issue(ctx, f.customer(ctx, "Active"))
    gone = f.customer(ctx, "Archived")
    f.issue(ctx, gone)
    c.update(archived=True).where(c.id == gone).execute()
    assert [r.id for r in i.select(i.id).where(not_in_query(i.customer, archived))] == [kept]


def test_a_union_reads_each_query_with_its_own_order_and_limit_and_refuses_mixed_columns(
        db, ctx):
    from relboard.services.prepared import slot
    from relboard.services.prepared_union import union_rows

    for name in ("Cedar", "Acme", "Birch"):
        f.customer(ctx, name)
    c = m.Customer
    first = lambda: c.select(c.id, c.name).order_by(c.name).limit(slot("limit"))  # noqa: E731
    last = lambda: c.select(c.id, c.name).order_by(c.name.desc()).limit(slot("limit"))  # noqa: E731,E501
    got = union_rows(("test", "names"), [first, last], [{"limit": 2}, {"limit": 1}])
    assert sorted((row["arm"], row["name"]) for row in got) == \
        [(0, "Acme"), (0, "Birch"), (1, "Cedar")]
    with pytest.raises(ValueError):
        union_rows(("test", "mixed"), [first, lambda: m.Issue.select(m.Issue.id, m.Issue.title)],
                   [{"limit": 1}, {}])


def test_a_union_is_written_once_and_binds_each_query_its_own_values(db, ctx, monkeypatch):
    """A union of queries (and a count of groups of them) is written by Peewee once, not
    once more query by query (Today's first read is most of it, at every start), and each
    query still gets its own values: their parameters are found in the one text."""
    from relboard.services import prepared
    from relboard.services.prepared import slot
    from relboard.services.prepared_union import union_counts, union_rows

    for name in ("Acme", "Birch", "Cedar", "Delta", "Elm"):
        f.customer(ctx, name)
    monkeypatch.setattr(prepared, "CHECK", False)  # the check writes each query again
    made = []
    real = db.get_sql_context
    monkeypatch.setattr(db, "get_sql_context", lambda *a, **k: made.append(1) or real(*a, **k))
    c = m.Customer

    def after() -> object:
        return c.select(c.id, c.name).where(c.name > slot("name")).order_by(c.name) \
            .limit(slot("limit"))

    def before() -> object:
        return c.select(c.id, c.name).where(c.name < slot("name")) \
            .order_by(c.name.desc()).limit(slot("limit"))

    got = union_rows(("test", "once"), [after, before, after],
                     [{"name": "Birch", "limit": 2}, {"name": "Cedar", "limit": 1},
                      {"name": "Delta", "limit": 5}])
    assert len(made) == 1
    assert sorted((row["arm"], row["name"]) for row in got) == \
        [(0, "Cedar"), (0, "Delta"), (1, "Birch"), (2, "Elm")]
    made.clear()
    counts = union_counts(("test", "once"), [[after, before], [before]],
                          [([{"name": "Birch", "limit": 9}, {"name": "Birch", "limit": 9}], 9),
                           ([{"name": "Elm", "limit": 9}], 3)])
    assert len(made) == 1
    assert counts == [4, 3]  # Cedar, Delta, Elm and Acme; four before Elm, capped at 3


def test_counts_stop_at_the_cap_and_say_so_and_the_digest_counts_exactly(db, ctx, monkeypatch):
    """Today's counts are index walks that stop at ``COUNT_CAP`` (a PM reads "100+" the same
    as 30,000); the items shown stay the reference's, and a group below the cap is exact. The
    digest, a report, counts everything."""
    from relboard.services import digest
    from relboard.services.today import streams

    _portfolio(ctx, 5)
    exact = attention.board(ctx, per_group=2, exact=True)
    assert exact.capped == frozenset()
    assert exact.totals == attention.counts(attention.attention(ctx))
    cap = 3
    monkeypatch.setattr(streams, "COUNT_CAP", cap)
    shown = attention.board(ctx, per_group=2)
    assert [(it.group, it.record_id) for it in shown.items] == \
        [(it.group, it.record_id) for it in exact.items]
    # a group is capped when one of its walks stopped at the cap (walks below it add up exactly)
    assert shown.capped <= {g for g, n in exact.totals.items() if n >= cap}
    assert shown.capped and shown.capped != set(exact.totals)
    for group, n in exact.totals.items():
        if group in shown.capped:
            assert cap <= shown.totals[group] <= n
            assert shown.count_text(group) == f"{shown.totals[group]}+"
        else:
            assert shown.totals[group] == n and shown.count_text(group) == str(n)
    assert shown.total_text().endswith("+")
    assert shown.less(next(iter(shown.capped)), shown.items).capped == shown.capped
    report = digest.render(ctx, "json", portfolio=False)
    assert f'"sla": {exact.totals["sla"]},' in report


@pytest.mark.parametrize(("cap", "per_group"), [(1, 1), (3, 2), (4, 1), (7, 3), (40, 2)])
def test_a_capped_count_reads_the_cap_or_the_exact_count_in_one_statement(
        db, ctx, monkeypatch, cap, per_group):
    """However a group's walks share the cap (some read whole, some counted, some not even
    counted once the rows read reach it), a group reads the cap when it has at least that
    many and its exact count otherwise; the board's counts are one statement at most."""
    from relboard.services.today import streams

    _portfolio(ctx, 5)
    exact = attention.board(ctx, per_group=per_group, exact=True).totals
    monkeypatch.setattr(streams, "COUNT_CAP", cap)
    sent: list[str] = []
    real = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        meant = written(sql, params)
        if meant and "COUNT(*)" in meant[0]:
            sent.append(meant[0])
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        shown = attention.board(ctx, per_group=per_group)
    finally:
        db.execute_sql = real
    assert len(sent) <= 1
    assert shown.capped or cap > max(exact.values())
    for group, n in exact.items():
        if group in shown.capped:
            assert n >= cap and shown.totals[group] == cap, group
            assert shown.count_text(group) == f"{cap}+"
        else:
            assert shown.totals[group] == n, group


def test_the_capped_counts_walk_an_index_and_stop(db, ctx, monkeypatch):
    """The board's capped counts are one statement, each a walk of the stream's own index
    range under a LIMIT: on SQLite
    no table read row by row and no sort; on PostgreSQL no sequential scan of a table, with
    the planner told to avoid one where an index can serve (a small test table would
    otherwise be scanned whole, as it should be)."""
    import peewee

    from relboard.services.today import streams
    from tests.plans import fill

    fill(db)
    monkeypatch.setattr(streams, "COUNT_CAP", 5)
    seen: list[tuple[str, object]] = []
    real = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        meant = written(sql, params)  # a statement prepared on PostgreSQL: what it runs
        if meant and 'COUNT(*) AS "n" FROM (SELECT 1' in meant[0]:
            seen.append(meant)
        return real(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        shown = attention.board(ctx, per_group=2)
    finally:
        db.execute_sql = real
    assert shown.capped and all(shown.totals[g] >= 5 for g in shown.capped)
    assert len(seen) == 1  # every count of the board in one statement
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for sql, params in seen:
        assert "LIMIT" in sql
        if postgres:
            with db.atomic():
                db.execute_sql("SET LOCAL enable_seqscan = off")
                plan = [row[0] for row in db.execute_sql("EXPLAIN " + sql, params)]
            assert not any("Seq Scan on issue" in s or "Seq Scan on customer" in s
                           or "Seq Scan on interaction" in s or "Seq Scan on expectation" in s
                           for s in plan), (sql, plan)
            continue
        plan = [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
        bad = [s for s in plan if (s.startswith("SCAN") and "INDEX" not in s
                                   and not s.startswith(("SCAN walk", "SCAN u")))
               or "TEMP B-TREE" in s]  # walk, u<n>: a count's rows, its one-row answer
        assert bad == [], (sql, plan)


def test_a_record_deleted_between_the_walk_and_its_words_is_left_out(db, ctx, monkeypatch):
    """The walks read an issue's or an expectation's keys, then the rows of the ones shown
    (``by_ids``): another PM's delete in between leaves that item out of the board instead
    of failing it; the next refresh counts without it."""
    from relboard.services.today import expectations as today_expectations
    from relboard.services.today import issues as today_issues

    cid = f.customer(ctx, "Northwind")
    doomed = f.issue(ctx, cid, title="Doomed", severity="critical", raised_at=NOW - 30 * D)
    kept = f.issue(ctx, cid, title="Kept", severity="critical", raised_at=NOW - 29 * D)
    due = (NOW + 2 * D).date()
    gone = records.create(ctx, "expectation", {"customer": cid, "statement": "Gone",
                                               "current_due": due})
    stays = records.create(ctx, "expectation", {"customer": cid, "statement": "Stays",
                                                "current_due": due})
    for module, record in ((today_issues, (m.Issue, doomed)),
                           (today_expectations, (m.Expectation, gone))):
        real = module.by_ids

        def deleting(key, select, ids, real=real, record=record):
            model, rid = record
            model.delete().where(model.id == rid).execute()  # someone else, just now
            return real(key, select, ids)

        monkeypatch.setattr(module, "by_ids", deleting)
    shown = attention.board(ctx)
    ids = {(it.kind, it.record_id) for it in shown.items}
    assert ("issue", kept) in ids and ("expectation", stays) in ids
    assert ("issue", doomed) not in ids and ("expectation", gone) not in ids


def test_account_owners_follow_the_ids_given_or_all_when_many(db, ctx):
    """``account_owners.refresh`` sets the stakeholders named (or those of the customers
    named) and no others; past ``FEW`` ids, every stakeholder in one pass."""

    acme = f.customer(ctx, "Acme", owner="alice")
    ids = [f.contact(ctx, acme, f"P{n}") for n in range(3)]
    k = m.Contact
    k.update(account_owner="stale").execute()
    account_owners.refresh(records={k: ids[:1]})
    assert [k.get_by_id(i).account_owner for i in ids] == ["alice", "stale", "stale"]
    account_owners.refresh(records={k: []})  # none named: nothing to do
    assert k.get_by_id(ids[1]).account_owner == "stale"
    account_owners.refresh(records={k: range(1000, 1000 + account_owners.FEW + 1)})  # many
    assert [k.get_by_id(i).account_owner for i in ids] == ["alice"] * 3


def test_one_pms_view_walks_each_share_on_an_owner_keyed_index(db, ctx):
    """In one PM's view the issue, expectation and risk walks are ranges of indexes keyed by
    owner, one per share (``streams.shares``: their own, nobody's; others' records for their
    customers only when they have customers): a PM owning nothing walked every running
    clock, expectation and risk due, checking each one's owner (0.4 s a board at 1M)."""
    import peewee

    from tests.plans import fill, plan_of, selects

    fill(db)
    for owns in (False, True):  # then a customer of theirs: others' records for it sought too
        if owns:
            m.Customer.update(owner="u1").where(m.Customer.id == 7).execute()
            _analyze(db)
        _, sent = selects(db, lambda: attention.board(ctx, "u1", per_group=2))
        statements = [plan_of(db, sql, params) for sql, params in sent]
        plans = [step for plan in statements for step in plan]
        for prefix in ("issue_clock_severity_owner_clock_at",
                       "issue_clock_severity_owner_clock_fr",
                       "expectation_status_owner_current_due", "risk_status_owner_review_on",
                       "risk_owner_score_id", "risk_joint_never_owner", "risk_joint_owner"):
            assert any(prefix in step for step in plans), (prefix, plans)
        if isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase):
            assert not any("Seq Scan" in step for step in plans), plans  # its planner's
            continue  # choice of index on tables this small is its own
        for prefix in ("issue_customer_id_clock_severity", "expectation_customer_id_status",
                       "risk_customer_id_status_review_on"):  # a few customers: from them
            assert any(prefix in step for step in plans) == owns, (prefix, plans)
        for plan in statements:  # a sort only of what the few customers hold
            assert not any("TEMP B-TREE" in step for step in plan) \
                or any("of_view" in step for step in plan), plan


def _risks_and_drops(ctx, rnd: random.Random) -> None:
    """Risks of every owner due for review, new and red, and today's health drops, on the
    test portfolio's customers (which ``_portfolio`` leaves without)."""
    customers = [c for (c,) in m.Customer.select(m.Customer.id).tuples()]
    m.HealthSnapshot.delete().where(m.HealthSnapshot.day == NOW.date()).execute()
    for n, c in enumerate(customers):
        if n % 2:
            m.HealthSnapshot.create(customer=c, day=NOW.date(), score=20 + n, band="red",
                                    dropped_from=rnd.choice(("green", "amber")), taken_at=NOW)
        people = [k for (k,) in m.Contact.select(m.Contact.id).where(
            m.Contact.customer == c).tuples()]
        for k in range(3):
            shared = people and rnd.random() < 0.5
            risk = records.create(ctx, "risk", {
                "customer": c, "title": f"Risk {n}-{k}", "likelihood": rnd.choice((2, 5)),
                "impact": rnd.choice((3, 5)), "review_on": NOW.date() - rnd.randint(-3, 4) * D,
                "owner": rnd.choice(("alice", "bob", "carol")),
                **({"customer_owner": rnd.choice(people)} if shared else {})})
            m.Risk.update(  # recorded up to 60 days ago; gone through with them or not
                created_at=NOW - rnd.choice((0, 2, 40, 60)) * D,
                reviewed_with_customer_on=rnd.choice((None, NOW.date() - 45 * D,
                                                      NOW.date() - 3 * D))).where(
                m.Risk.id == risk).execute()
        m.Risk.update(owner="").where((m.Risk.customer == c) & (m.Risk.score < 15)).execute()


@pytest.mark.parametrize("few", [64, 0])
def test_one_pms_risks_are_everyones_they_own_nobody_owns_or_hold_for_their_customers(
        db, ctx, few, monkeypatch):
    """The risks of one PM's view, walked one share at a time (their own and nobody's on
    owner-keyed indexes, others' for their customers from those customers or walked): the
    risks of everyone's board that the PM owns, that nobody owns, or that are for a
    customer of the PM's."""
    from relboard.services.today import streams

    _portfolio(ctx, 3)
    _risks_and_drops(ctx, random.Random(3))
    monkeypatch.setattr(streams, "FEW", few)
    r, c = m.Risk, m.Customer
    owners = {rid: (owner, customer_owner) for rid, owner, customer_owner in
              r.select(r.id, r.owner, c.owner).join(c, on=(r.customer == c.id)).tuples()}
    everyone = [it for it in attention.attention(ctx) if it.group in ("risk", "joint_risk")]
    assert {"risk", "joint_risk"} <= {it.group for it in everyone}
    for who in ("alice", "bob", "nobody", ""):
        mine = [(it.group, it.record_id) for it in attention.attention(ctx, who)
                if it.group in ("risk", "joint_risk")]
        assert sorted(mine) == sorted(
            (it.group, it.record_id) for it in everyone
            if owners[it.record_id][0] in (who, "") or owners[it.record_id][1] == who), who


def _analyze(db) -> None:
    """PostgreSQL's statistics after the test moved customers between PMs (its planner
    weighs the PM's customers by them, as on a board whose owners were set as it grew)."""
    import peewee

    if isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase):
        db.execute_sql("ANALYZE")


def test_a_pms_view_of_few_customers_is_read_from_those_customers(db, ctx):
    """A PM whose view holds a few customers (theirs and nobody's) on a board of many: every
    walk that checked each record's customer passed all the other PMs' records (a PM of 5
    customers: 0.4 s a board at 1M records); now it starts from those customers, each one's
    records sought on an index led by the customer (schema 20), and only they are sorted;
    never on the new issues' index (schema 21: not led by the customer, so each customer walked
    every new issue of the range: a PM of 5 customers, 3 -> 10 ms a board at 1M). Follow-ups
    and health drops, which store their customer's owner (schema 23), are a range of it."""
    import peewee

    from tests.plans import fill, plan_of, selects

    fill(db, analyze=False)  # as a user's SQLite board: no statistics (relboard runs none)
    c = m.Customer
    c.update(owner="u9").execute()
    c.update(owner="u1").where(c.id.in_([7, 8])).execute()
    c.update(owner="").where(c.id == 9).execute()
    account_owners.refresh()  # as the saves keep them
    _analyze(db)
    _, sent = selects(db, lambda: attention.board(ctx, "u1", per_group=2))
    statements = [plan_of(db, sql, params) for sql, params in sent]
    plans = [step for plan in statements for step in plan]
    if isinstance(db.obj if hasattr(db, "obj") else db, peewee.PostgresqlDatabase):
        assert not any("Seq Scan" in step for step in plans), plans
        return  # which index serves tables this small is its planner's choice
    for prefix in ("issue_customer_id_clock", "expectation_customer_id_status",
                   "risk_customer_id_status_review_on", "risk_customer_id_score_id",
                   "risk_customer_id_status_reviewed_with",
                   # the follow-ups and drops of those customers' owners: ranges (schema 23)
                   "interaction_follow_up_done_at_account_owner",
                   "health_snapshot_day_dropped_from_account_owner"):
        assert any(prefix in step for step in plans), (prefix, plans)
    for plan in statements:
        assert not any("TEMP B-TREE" in step for step in plan) \
            or any("of_view" in step for step in plan), plan
        for step, inner in zip(plan, plan[1:], strict=False):  # each customer's records
            if step.startswith("SEARCH of_view"):               # sought by the customer
                assert "INDEX issue_new" not in inner, plan
    assert not any("interaction_follow_up_done_at_follow_up_on" in step for step in plans), \
        plans  # not everyone's follow-ups walked


@pytest.mark.parametrize("seed", [1, 2])
def test_one_pms_view_walked_or_read_from_their_customers_is_the_reference(
        db, ctx, seed, monkeypatch):
    """One PM's view is the same whether its parts start from the PM's customers (few: the
    test portfolios' PMs) or walk the tables checking each record's customer (many)."""
    from relboard.services.today import streams

    _portfolio(ctx, seed)
    _risks_and_drops(ctx, random.Random(seed))
    views = ("alice", "bob", "nobody", "")
    sought = [_board_facts(attention.board(ctx, who, per_group=3)) for who in views]
    for group in ("risk", "health", "follow_up", "sla", "expectation"):  # each part met
        assert all(facts[1] and dict(facts[1])[group] for facts in sought[:2]), group
    for who in views:
        _same(ctx, who)
    monkeypatch.setattr(streams, "FEW", 0)
    assert [_board_facts(attention.board(ctx, who, per_group=3)) for who in views] == sought
    for who in views:
        _same(ctx, who)


def _board_facts(board) -> tuple:
    return (sorted((it.group, it.kind, it.record_id, it.reason) for it in board.items),
            sorted(board.totals.items()), sorted(board.capped))


@pytest.mark.parametrize("cap", [5, 100])
def test_a_union_over_the_databases_parameter_limit_is_read_in_halves(db, ctx, monkeypatch,
                                                                       cap):
    """A board's walks and counts are each one statement; one with more parameters than the
    database takes (an SQLite built before 3.32: 999) is read in halves, to the same board:
    items, counts and the capped groups, for everyone and for PMs with and without
    customers."""
    from relboard.services import prepared_union
    from relboard.services.today import streams

    _portfolio(ctx, 2)
    monkeypatch.setattr(streams, "COUNT_CAP", cap)
    views = (None, "alice", "bob", "nobody")
    whole = [_board_facts(attention.board(ctx, who, per_group=3)) for who in views]
    monkeypatch.setattr(prepared_union, "variables_allowed", lambda: 25)
    assert [_board_facts(attention.board(ctx, who, per_group=3)) for who in views] == whole


@pytest.mark.sqlite_only
def test_a_pms_board_with_three_calendars_fits_an_old_sqlites_999_parameters(db, ctx):
    """Three SLA calendars (tiers with hours of their own) and one PM's three shares: ~1,300
    parameters in one walk statement, more than the 999 an SQLite built before 3.32 takes
    (the limit set on this connection): the board is read all the same."""
    import sqlite3
    from dataclasses import replace

    from relboard.config import SlaConfig, SlaHours
    from relboard.services import prepared_union

    _portfolio(ctx, 3)
    db.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    assert prepared_union.variables_allowed() == 999
    sla = SlaConfig(hours=SlaHours(timezone="Europe/Berlin"), tiers=(
        ("strategic", None), ("key", SlaHours(start=dt.time(8), end=dt.time(16),
                                              timezone="Europe/London"))))
    tiered = replace(ctx, sla=sla)
    for who in (None, "alice", "nobody"):
        assert attention.board(tiered, who).items is not None  # no "too many SQL variables"
