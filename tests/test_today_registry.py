"""Today is a registry: one table of groups and kinds (``services/today/groups.py``), one
source module per group, and nothing else that names a group's words. Adding a group is one
source module and its line in the table; the screen, the digest and the snoozed list follow."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from relboard.services.today.groups import GROUPS, KINDS
from relboard.services.today.sources import OF_GROUP, OF_KIND

PACKAGE = Path(__file__).resolve().parent.parent / "relboard"


def test_every_group_has_its_source_and_kinds():
    assert len({g.name for g in GROUPS}) == len(GROUPS) >= 7
    for group in GROUPS:
        source = OF_GROUP[group.name]
        assert source.__name__ == f"relboard.services.today.{group.source}"
        assert callable(source.candidates) and callable(source.item)
        assert set(group.kinds) <= set(KINDS), group.name
    for kind in KINDS.values():  # a kind kept in a Snooze row: its source names it
        if kind.snooze == "row":
            assert callable(OF_KIND[kind.name].snoozed_names), kind.name


def _constants(path: Path) -> set[str]:
    """Every string constant of a module (f-strings' literal parts included), stripped."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return {node.value.strip() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_no_module_but_the_table_spells_a_group_or_kind_label():
    """The headings, the summary words, the "more in" hints, the snoozed kinds and the done
    hints are written once (those of more than one word: single words are everywhere)."""
    labels = {text.strip() for g in GROUPS
              for text in (g.title, *g.screen, *g.digest, g.more)}
    labels |= {text for k in KINDS.values() for text in (k.words, k.done_hint, k.snoozed_title)}
    labels = {text for text in labels if " " in text}
    assert len(labels) >= 15
    found = {str(path.relative_to(PACKAGE)): labels & _constants(path)
             for path in PACKAGE.rglob("*.py")}
    assert {path: sorted(got) for path, got in found.items() if got} == {
        "services/today/groups.py": sorted(labels)}


SOURCE = '''
"""A group for this test: customers whose name holds "Watch", by name."""

from relboard import models as m
from relboard.services.prepared import not_in_query, slot
from relboard.services.today.items import AttentionItem
from relboard.services.today.streams import Stream, fetch_all, snoozed, values


def _watched():
    c = m.Customer
    return c.select(c.id, c.name, c.version).where(
        (c.archived == False) & (c.name.startswith("Watch")) & (c.name > slot("none"))
        & not_in_query(c.id, snoozed("watched")))


def candidates(ctx, who, limit, totals, want):
    """The watched customers."""
    stream = Stream("watch", ("watch",), _watched, lambda: (m.Customer.name,),
                    values(ctx, who, none=""))
    return fetch_all([stream], limit, totals,
                     lambda row, _: ((row["name"], row["id"]), "watch", row, None))


def item(ctx, candidate, names):
    """A watched customer."""
    row = candidate[2]
    return AttentionItem("watch", "watched", row["id"], row["id"], row["name"], row["name"],
                         "on the watch list", 0, row["version"])


def snoozed_names(kind, ids):
    """(id, name, customer id) of snoozed watched customers."""
    c = m.Customer
    return list(c.select(c.id, c.name, c.id).where(c.id.in_(ids)).tuples())
'''

LINES = '''    Group("watch", "Customers on the watch list", "watch", ("watched",),
          frozenset({"watched"}), ("watched", "watched"), ("on watch", "on watch")),
'''
KIND_LINE = '''    Kind("watched", "watched customer", "row"),
'''

CHECK = textwrap.dedent('''
    import asyncio, datetime as dt, sys
    from relboard.app import RelboardApp
    from relboard.config import Config
    from relboard.db import open_database
    from relboard.services import digest, records, snoozed, today
    from relboard.services.attention import board
    from relboard.services.context import Context

    ctx = Context(user="alice", now_override=dt.datetime(2026, 11, 23, 10, 0))
    open_database(sys.argv[1])
    wid = records.create(ctx, "customer", {"name": "Watch Ltd", "cadence_days": 365})
    calm = records.create(ctx, "customer", {"name": "Calm Co", "cadence_days": 365})
    for cid in (wid, calm):  # in touch: nothing else on Today
        records.create(ctx, "interaction", {"customer": cid, "summary": "call",
                                            "channel": "call",
                                            "occurred_at": dt.datetime(2026, 11, 22, 9, 0)})
    found = board(ctx)
    print([(i.group, i.kind, i.title, i.reason) for i in found.items])
    print(digest.render(ctx, "text", portfolio=False).splitlines()[2:5])

    async def screen():
        app = RelboardApp(Config(database="unused.db", user="alice", animations=False), ctx=ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            print(str(app.screen.query_one("#today-summary").render()))

    asyncio.run(screen())
    today.snooze(ctx, found.items[0], dt.date(2026, 11, 30))
    print(board(ctx).totals["watch"], [(s["what"], s["title"]) for s in snoozed.snoozed_now(ctx)])
''')


def test_a_new_group_is_one_source_module_and_its_line_in_the_table(tmp_path):
    """A copy of relboard given a group (and its kind) in the table and a source module, and
    nothing else: Today's board, its screen, the digest and the snoozed list show it."""
    copy = tmp_path / "relboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "services" / "today" / "watch.py").write_text(SOURCE)
    table = copy / "services" / "today" / "groups.py"
    text = table.read_text()
    text, groups = re.subn(r'^\)\n(?="""Today\'s groups)', LINES + ")\n", text, flags=re.M)
    text, kinds = re.subn(r'^\)\}\n(?="""Every kind)', KIND_LINE + ")}\n", text, flags=re.M)
    assert (groups, kinds) == (1, 1)
    table.write_text(text)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "board.db")], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "[('watch', 'watched', 'Watch Ltd', 'on the watch list')]"
    assert lines[1] == "['1 item: 1 on watch', '', 'Customers on the watch list (1)']"
    assert lines[2] == "1 need you: 0 SLA · 0 new · 0 follow-ups · 0 contact · " \
        "0 expectations · 1 watched"
    assert lines[3] == "0 [('watched customer', 'Watch Ltd')]"
