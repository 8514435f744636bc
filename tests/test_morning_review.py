"""The demo's whole morning review, played as a newcomer who reads only the screen.

The PM reads the highlighted item's two lines on Today (at 80x24, as the screen draws them:
"Customer · title", then "kind · status · owner · severity · when · with whom — note") and
never the database, and chooses the verb a PM would from those words:

- a new issue: acknowledge it (``a``); an issue of mine already acknowledged: in progress
  (``g``); someone else's issue, or one in progress: leave it to its owner (``j``, next);
- a follow-up: call and log it (``l``, the summary typed, ``ctrl+s``: the follow-up closes);
  a playbook step: log it as the form has it (``l``, ``ctrl+s``: the step is done);
- a proposed expectation: agree it (``a``); an agreed one due soon: snooze it to tomorrow
  (``z``, ``enter``); one at risk: keep it in sight (``j``);
- a risk to review: review it (``d``, ``enter``: the next review date proposed);
- a customer or a stakeholder overdue for contact, a health drop: snooze them to tomorrow
  (``z``, ``enter``).

The keys are counted (the typed summaries are not: they are what was said); the figure is
printed and goes in the README. Nothing may change that the PM did not act on.
"""

from __future__ import annotations

from peewee import fn
from textual.widgets import OptionList

from relboard import models as m
from tests.pilot import make_app, settle

SIZE = (80, 24)
USER = "alice"  # the sample's PM (the board's title says whose view it is)


def _read(app) -> tuple[str, list[str]] | None:
    """The highlighted item as the screen shows it: its first line, and its facts."""
    listing = app.screen.query_one("#today-list", OptionList)
    option = listing.highlighted_option
    if option is None or option.disabled:
        return None
    head, second = str(option.prompt).split("\n", 1)
    facts = second.strip().split(" — ", 1)[0].split(" · ")
    return head, [fact.strip() for fact in facts]


def _listed(app) -> set[str]:
    """The first lines of the items Today lists now."""
    listing = app.screen.query_one("#today-list", OptionList)
    return {str(o.prompt).split("\n", 1)[0] for o in listing.options if not o.disabled}


def _keys_for(facts: list[str]) -> tuple[list[str], str | None]:
    """The keys for an item with these facts on screen, and a summary to type (a call)."""
    kind, status = facts[0], facts[1] if len(facts) > 1 else ""
    owner = facts[2] if len(facts) > 2 else ""  # kind · status · owner · …
    if kind == "issue":
        if status == "new":
            return ["a"], None
        if status == "acknowledged" and owner in (USER, "unowned"):
            return ["g"], None
        return ["j"], None  # the owner's to work: next
    if kind == "follow-up":
        return ["l", "ctrl+s"], "Called back: covered what was promised"
    if kind == "playbook step":  # the form holds what to do: log it as it is
        return ["l", "ctrl+s"], ""
    if kind == "expectation":
        if status == "proposed":
            return ["a"], None
        if status == "at risk":
            return ["j"], None
        return ["z", "enter"], None
    if kind == "risk":
        return ["d", "enter"], None  # reviewed: the next review date proposed, enter saves
    return ["z", "enter"], None  # customer, stakeholder, health drop: tomorrow


async def test_the_demo_morning_review_reading_only_the_screen(sample, capsys, record_property):
    app = make_app(sample)
    before = m.Activity.select(fn.MAX(m.Activity.id)).scalar() or 0
    touchpoints_before = m.Interaction.select(fn.MAX(m.Interaction.id)).scalar() or 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.4)  # the day's health scores, worked out after the first paint
        await settle(pilot)
        total, keys, seen = len(_listed(app)), 0, set()
        acted: set[tuple[str, int]] = set()
        assert total >= 20
        while not _listed(app) <= seen:  # an item may leave unseen: a call logged with its
            shown = _read(app)           # customer ends "overdue for contact" too
            assert shown is not None, f"the cursor left the list; not seen: {_listed(app) - seen}"
            head, facts = shown
            press, summary = (["j"], None) if head in seen else _keys_for(facts)
            assert keys < 5 * total, f"the review goes round in circles: {seen}"
            seen.add(head)
            if press != ["j"]:  # what the verb acts on: for the check below, not the choice
                *_, kind, record = app.screen.query_one(  # [group:]kind:record
                    "#today-list", OptionList).highlighted_option.id.split(":")
                acted.add(({"step": "playbook_step"}.get(kind, kind), int(record)))
            for key in press:
                await pilot.press(key)
                await settle(pilot)
                if key == "l":  # the form: the cursor is in the summary
                    await pilot.press(*summary)
            keys += len(press)
    per_item = keys / total
    figure = (f"morning review of the demo, reading only the screen: {total} items, {keys} "
              f"keys, {per_item:.2f} keys per item")
    record_property("figure", figure)  # the run's summary prints it (tests/conftest.py)
    with capsys.disabled():
        print(f"\n{figure}")
    assert per_item <= 2.0
    new_calls = {i for (i,) in m.Interaction.select(m.Interaction.id)
                 .where(m.Interaction.id > touchpoints_before).tuples()}
    allowed = acted | {("interaction", i) for i in new_calls}
    changed = {(a.entity, a.entity_id): a for a in m.Activity.select().where(
        m.Activity.id > before)}
    assert set(changed) <= allowed, f"changed without a verb: {set(changed) - allowed}"
    assert not any(a.field == "owner" for a in changed.values())  # nobody's issue taken
    assert {a.user for a in changed.values()} == {USER}
