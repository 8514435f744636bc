"""Stakeholder map (gaps, quadrants), loyalty, and the decision log with its links to the
stakeholders who took part and to the renegotiations it caused."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.services import decisions, expectations, loyalty, records, stakeholders
from relboard.services.errors import ConflictError, ValidationError
from tests import factories as f
from tests.conftest import NOW, TODAY, at

pytestmark = pytest.mark.both_databases

DAY = dt.timedelta(days=1)


def _person(ctx, cid, name, influence, interest, now="neutral", wanted="supportive"):
    return f.contact(ctx, cid, name, influence=influence, interest=interest,
                     engagement_current=now, engagement_desired=wanted)


def test_engagement_gaps_largest_first(db, ctx):
    cid = f.customer(ctx, "Northwind")
    other = f.customer(ctx, "Contoso")
    _person(ctx, cid, "Ann", 3, 3, "resistant", "supportive")      # +2
    _person(ctx, cid, "Bo", 3, 3, "leading", "neutral")            # -2
    _person(ctx, cid, "Cy", 3, 3, "neutral", "supportive")         # +1
    _person(ctx, cid, "Di", 3, 3, "supportive", "supportive")      # 0
    _person(ctx, other, "Ed", 3, 3, "unaware", "leading")          # +4
    gone = _person(ctx, cid, "Gone", 3, 3, "unaware", "leading")
    records.set_archived(ctx, "contact", gone, 1)
    rows = stakeholders.engagement_matrix(cid)
    assert [(s.name, s.current, s.desired, s.gap) for s in rows] == [
        ("Ann", "resistant", "supportive", 2), ("Bo", "leading", "neutral", -2),
        ("Cy", "neutral", "supportive", 1), ("Di", "supportive", "supportive", 0)]
    assert [s.name for s in stakeholders.engagement_matrix(gaps_only=True)] == \
        ["Ed", "Ann", "Bo", "Cy"]
    # the PM moves Cy's desired engagement up: the gap follows
    cy = rows[2]
    records.update(ctx, "contact", cy.contact_id, cy.version, {"engagement_desired": "leading"})
    assert [(s.name, s.gap) for s in stakeholders.engagement_matrix(cid)][:2] == \
        [("Ann", 2), ("Cy", 2)]
    assert stakeholders.gap_summary() == {"stakeholders": 5, "with_gap": 4, "below": 3,
                                          "above": 1, "largest": 4}


def test_power_interest_quadrants(db, ctx):
    cid = f.customer(ctx)
    for name, influence, interest in [("HH", 4, 4), ("Top", 5, 5), ("HL", 5, 3), ("HL2", 4, 1),
                                      ("LH", 3, 4), ("LL", 3, 3), ("Low", 1, 1)]:
        _person(ctx, cid, name, influence, interest)
    grid = stakeholders.power_interest_grid(cid)
    assert [(q.key, q.title, [s.name for s in q.stakeholders]) for q in grid] == [
        ("manage_closely", "Manage closely", ["Top", "HH"]),
        ("keep_satisfied", "Keep satisfied", ["HL", "HL2"]),
        ("keep_informed", "Keep informed", ["LH"]),
        ("monitor", "Monitor", ["LL", "Low"])]
    assert stakeholders.quadrant(3, 5) == "keep_informed"
    assert stakeholders.quadrant(4, 3) == "keep_satisfied"


def test_portfolio_map_follows_my_view(db, ctx):
    mine = f.customer(ctx, "Mine", owner="alice")
    theirs = f.customer(ctx, "Theirs", owner="bob")
    _person(ctx, mine, "Ann", 5, 5)
    _person(ctx, theirs, "Bo", 5, 5)
    assert [s.name for s in stakeholders.stakeholders(who="alice")] == ["Ann"]
    assert [s.customer for s in stakeholders.stakeholders()] == ["Mine", "Theirs"]


def test_loyalty_repeat_projects_and_referrals(db, ctx):
    a, b, c = f.customer(ctx, "A"), f.customer(ctx, "B"), f.customer(ctx, "C")
    for name in ("One", "Two", "Three"):
        records.create(ctx, "project", {"customer": a, "name": name})
    records.set_archived(ctx, "project", records.create(ctx, "project",
                                                        {"customer": a, "name": "Four"}), 1)
    records.create(ctx, "project", {"customer": b, "name": "Only"})
    for customer, status in [(a, "won"), (a, "won"), (a, "new"), (b, "lost")]:
        records.create(ctx, "referral", {"customer": customer, "referred_name": "X",
                                         "referred_on": TODAY, "status": status})
    got = loyalty.customer_loyalty(a)
    assert (got.projects, got.repeat_projects, got.repeat_customers) == (4, 3, 1)
    assert got.referrals == {"new": 1, "qualified": 0, "won": 2, "lost": 0}
    assert got.referrals_total == 3
    assert loyalty.customer_loyalty(c) == loyalty.Loyalty(0, 0, 0, {
        "new": 0, "qualified": 0, "won": 0, "lost": 0})
    whole = loyalty.portfolio_loyalty()
    assert (whole.projects, whole.repeat_projects, whole.repeat_customers) == (5, 3, 1)
    assert whole.referrals == {"new": 1, "qualified": 0, "won": 2, "lost": 1}


def test_decisions_are_validated_and_linked_to_their_stakeholders(db, ctx):
    cid, other = f.customer(ctx, "Northwind"), f.customer(ctx, "Contoso")
    dana, eli = f.contact(ctx, cid, "Dana"), f.contact(ctx, cid, "Eli")
    stranger = f.contact(ctx, other, "Stranger")
    base = {"customer": cid, "title": "Pilot first", "decided_on": TODAY - DAY,
            "options": "All at once; pilot", "rationale": "Less risk", "participants": "CFO"}
    with pytest.raises(ValidationError) as err:
        decisions.create(ctx, base, [stranger])
    assert err.value.errors == {"contacts": f"stakeholder #{stranger} is another customer's"}
    with pytest.raises(ValidationError, match="in the future"):
        decisions.create(ctx, {**base, "decided_on": TODAY + DAY})
    with pytest.raises(ValidationError, match="is required"):
        decisions.create(ctx, {"customer": cid, "title": "No date"})
    did = decisions.create(ctx, base, [eli, dana])
    got = decisions.decision(did)
    assert got["contacts"] == [(dana, "Dana"), (eli, "Eli")]
    assert (got["title"], got["participants"], got["version"]) == ("Pilot first", "CFO", 1)
    # bob drops Eli; alice, who read version 1, retitles it: the changes merge
    bob = at(ctx, NOW, "bob")
    assert decisions.update(bob, did, 1, {}, contacts=[dana]) == 2
    assert decisions.update(ctx, did, 1, {"title": "Pilot in one clinic"}) == 3
    got = decisions.decision(did)
    assert (got["title"], got["contacts"]) == ("Pilot in one clinic", [(dana, "Dana")])
    # both changing who took part is a conflict that names it
    with pytest.raises(ConflictError) as err:
        decisions.update(ctx, did, 1, {}, contacts=[eli])
    assert err.value.fields == {"contacts": (f"#{dana}", f"#{eli}")}
    history = [(h["field"], h["old"], h["new"]) for h in records.history("decision", did)]
    assert ("contacts", f"#{dana}, #{eli}", f"#{dana}") in history


def test_decision_log_pages_newest_first(db, ctx):
    a, b = f.customer(ctx, "A", owner="alice"), f.customer(ctx, "B", owner="bob")
    for n, (cid, days_ago) in enumerate([(a, 5), (b, 1), (a, 1), (b, 9)]):
        decisions.create(ctx, {"customer": cid, "title": f"D{n}",
                               "decided_on": TODAY - days_ago * DAY})
    titles = lambda page: [r["title"] for r in page.rows]  # noqa: E731
    assert titles(decisions.log_page(ctx)) == ["D2", "D1", "D0", "D3"]
    assert titles(decisions.log_page(ctx, customer_id=a)) == ["D2", "D0"]
    assert titles(decisions.log_page(ctx, who="bob")) == ["D1", "D3"]
    first = decisions.log_page(ctx, limit=3)
    assert titles(decisions.log_page(ctx, limit=3, after=first.after)) == ["D3"]
    assert first.rows[0]["customer_name"] == "A" and first.rows[0]["contacts"] == []


def test_a_renegotiation_records_the_decision_behind_it(db, ctx):
    cid, other = f.customer(ctx, "Northwind"), f.customer(ctx, "Contoso")
    dana = f.contact(ctx, cid, "Dana")
    e = f.expectation(ctx, cid, TODAY + 5 * DAY, "Go live", status="agreed")
    did, version = decisions.decide_and_renegotiate(
        ctx, {"customer": cid, "title": "Phase the rollout", "decided_on": TODAY}, [dana], e, 1,
        reason="Phased rollout agreed", new_due=TODAY + 20 * DAY)
    assert version == 2
    last = expectations.trail(e)[-1]
    assert (last["old_due"], last["new_due"], last["decision"], last["decision_title"]) == \
        (TODAY + 5 * DAY, TODAY + 20 * DAY, did, "Phase the rollout")
    assert expectations.trail(e)[0]["decision_title"] is None
    shown = decisions.decision(did)
    assert shown["expectation"] == e
    assert [(c["statement"], c["new_due"], c["reason"]) for c in shown["expectation_changes"]] \
        == [("Go live", TODAY + 20 * DAY, "Phased rollout agreed")]
    foreign = decisions.create(ctx, {"customer": other, "title": "Theirs", "decided_on": TODAY})
    with pytest.raises(ValidationError, match="belongs to another customer"):
        expectations.renegotiate(ctx, e, 2, reason="x", new_due=TODAY + 30 * DAY,
                                 decision_id=foreign)
    with pytest.raises(ValidationError, match="does not exist"):
        expectations.renegotiate(ctx, e, 2, reason="x", new_due=TODAY + 30 * DAY,
                                 decision_id=999)
    # all or nothing: a refused renegotiation leaves no decision behind
    with pytest.raises(ValidationError, match="in the past"):
        decisions.decide_and_renegotiate(
            ctx, {"customer": cid, "title": "Too late", "decided_on": TODAY}, [], e, 2,
            reason="x", new_due=TODAY - DAY)
    assert [r["title"] for r in decisions.log_page(ctx, customer_id=cid).rows] == \
        ["Phase the rollout"]


def test_a_quadrant_lists_its_first_and_counts_the_rest(db, ctx):
    """However many stakeholders a quadrant holds (a hundred thousand on a 1M-record board),
    the grid reads its first few, in the grid's order, and counts the rest; gaps only
    narrows both."""
    acme, beta = f.customer(ctx, "Acme"), f.customer(ctx, "beta")
    for n in range(5):
        _person(ctx, acme if n % 2 else beta, f"Keen {n}", 5, 4 + n % 2,
                "neutral", "supportive" if n < 3 else "neutral")
    _person(ctx, acme, "Quiet", 1, 1)
    grid = {q.key: q for q in stakeholders.power_interest_grid(shown=3)}
    top = grid["manage_closely"]
    assert [s.name for s in top.stakeholders] == ["Keen 1", "Keen 3", "Keen 0"]  # 5/5 first
    assert (top.total, top.more) == (5, 2)
    assert (len(grid["monitor"].stakeholders), grid["monitor"].more) == (1, 0)
    gaps = {q.key: q for q in stakeholders.power_interest_grid(gaps_only=True, shown=2)}
    assert [s.name for s in gaps["manage_closely"].stakeholders] == ["Keen 1", "Keen 0"]
    assert gaps["manage_closely"].more == 1 and all(s.gap for s in gaps["monitor"].stakeholders)
    whole = {q.key: [s.name for s in q.stakeholders] for q in stakeholders.power_interest_grid()}
    assert whole["manage_closely"] == ["Keen 1", "Keen 3", "Keen 0", "Keen 2", "Keen 4"]
