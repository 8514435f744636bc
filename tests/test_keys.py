"""One key language (relboard.vocabulary): every screen's keys mean what the table says, the
README and help show the table, and every screen's footer fits 80 columns."""

from __future__ import annotations

from pathlib import Path

from relboard.app import RelboardApp
from relboard.keymap import bindings_of
from relboard.screens import all_screen_classes
from relboard.vocabulary import VOCABULARY, meaning_of
from tests.pilot import footer_text, make_app, settle, visit_screens

TEXTUAL_OWN = {"tab", "shift+tab", "ctrl+c", "super+c"}
"""Keys Textual binds on every screen (focus moves, copy)."""


def _action(action: str) -> str:
    return "tab" if action.startswith("tab(") else action


def test_every_key_on_every_screen_means_what_the_vocabulary_says():
    wrong = []
    for cls in [RelboardApp, *all_screen_classes()]:
        for binding in bindings_of(cls.__mro__[::-1]):
            for key in (k.strip() for k in binding.key.split(",")):
                if key in TEXTUAL_OWN:
                    continue
                word = meaning_of(key)
                if word is None or _action(binding.action) not in word.actions:
                    wrong.append(f"{cls.__name__}: {key} -> {binding.action}"
                                 f" (the table: {word.meaning if word else 'no such key'})")
    assert wrong == []


def test_no_key_has_two_rows_and_the_readme_lists_every_row():
    keys = [k for w in VOCABULARY for k in w.keys]
    assert len(keys) == len(set(keys))
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    table = readme.split("### Keys", 1)[1].split("\n## ", 1)[0]
    missing = [w.meaning for w in VOCABULARY if w.meaning not in table]
    assert missing == []


async def test_every_screens_footer_fits_80_columns(sample):
    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen, cut = set(), []
        async for where in visit_screens(app, pilot):
            screen = app.screen
            seen.add(type(screen).__name__)
            footer = footer_text(app)
            for key, active in screen.active_bindings.items():
                binding = active.binding
                if not binding.show or not active.enabled or not binding.description:
                    continue
                offers = getattr(screen, "offers", None)  # Today: the verbs that fit
                if offers is not None and not offers(binding.action):
                    continue
                shown = f" {binding.description}"
                if not any(footer.replace("▏", " ").count(shown + end) for end in (" ",)):
                    cut.append(f"{where}: {key} {shown!r} cut from {footer!r}")
        assert not cut, "\n".join(cut)
        assert len(seen) == 13, seen


async def test_customers_sort_by_last_contact_and_slash_matches_the_owner(sample):
    from relboard import models as m
    from relboard.widgets.paged_table import PagedTable

    c = m.Customer
    oldest = (c.select().where(c.archived == False)  # noqa: E712
              .order_by(c.last_contact_at.is_null(False), c.last_contact_at, c.id).first())
    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "s", "s", "s")  # name -> owner -> tier -> last contact
        await settle(pilot)
        assert "sort contact" in str(app.screen.query_one("#customers-status").render())
        table = app.screen.query_one(PagedTable)
        assert table.current_key() == str(oldest.id)
        await pilot.press("slash", *oldest.owner, "enter")
        await settle(pilot)
        shown = list(c.select().where(c.id.in_([int(k) for k in table.rows_by_key])))
        assert oldest.id in {r.id for r in shown}
        word = oldest.owner.lower()
        assert all(word in " ".join((r.name, r.owner or "", r.tier, r.industry or "")).lower()
                   for r in shown)
