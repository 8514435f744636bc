"""Config commands through the board (Pilot): the key on Today and on the issue queue asks,
then runs exactly the argv filled with the highlighted record's fields; hostile values arrive
as single arguments and no shell sees them; a viewer runs only ``read_only`` commands."""

from __future__ import annotations

import json
import sys

from textual.widgets import DataTable

from relboard import models as m
from relboard.config import CommandConfig
from relboard.domain import severity_name
from relboard.screens.commands import run_program
from relboard.services import attention
from tests.pilot import SIZE, highlight, make_app, open_list, settle, watch_notices

MAIL = CommandConfig("O", "Mail the stakeholder",
                     ("mail", "-s", "{customer.name}: {issue.title}", "{stakeholder.email}"),
                     ("today", "issues"))


def _issue_with_stakeholder(ctx):
    """An issue on Today raised by a stakeholder who has an email."""
    on_today = {it.record_id for it in attention.attention(ctx) if it.kind == "issue"}
    return next(i for i in m.Issue.select().order_by(m.Issue.id)
                if i.id in on_today and i.raised_by_id and i.raised_by.email)


async def test_today_key_asks_then_runs_the_filled_argv(sample):
    issue = _issue_with_stakeholder(sample)
    ran: list[list[str]] = []
    app = make_app(sample, commands=(MAIL,))
    app.command_runner = lambda argv: ran.append(argv) or 0
    seen = watch_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        highlight(app, f"issue:{issue.id}")
        assert "Mail the stakeholder" in [b.binding.description
                                          for b in app.screen.active_bindings.values()]
        await pilot.press("O")
        await settle(pilot)
        assert ran == []  # it asks first
        assert "Run Mail the stakeholder?" in str(app.screen.query_one("#dialog-message")
                                                  .render())
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("question_mark")  # help lists it with its key
        await settle(pilot)
        rows = [[str(c) for c in app.screen.query_one(DataTable).get_row_at(n)]
                for n in range(app.screen.query_one(DataTable).row_count)]
        assert ["O", "Mail the stakeholder", "command.0"] in rows
        await pilot.press("escape", "ctrl+p")  # and the palette offers it
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen_stack[-2])]
        assert "Mail the stakeholder (O)" in titles
    assert ran == [["mail", "-s", f"{issue.customer.name}: {issue.title}",
                    issue.raised_by.email]]
    assert ("Mail the stakeholder: mail exited 0", ) in [(t,) for t, _ in seen]


async def test_issue_queue_hostile_values_are_single_arguments(sample, tmp_path, monkeypatch):
    """A real (tiny python) program gets the highlighted issue's hostile values, each one
    argument, intact; no shell ran them (no file ``x`` made); its exit status is said."""
    run_in = tmp_path / "run"
    run_in.mkdir()
    monkeypatch.chdir(run_in)  # where `touch x` would have made its file
    out, script = run_in / "args.json", run_in / "echo_args.py"
    script.write_text("import json, sys\n"
                      f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
                      "sys.exit(3)\n")
    command = CommandConfig("O", "Echo", (sys.executable, str(script), "{customer.name}",
                                          "{issue.title}", "{issue.severity}"), ("issues",))
    app = make_app(sample, commands=(command,))
    app.command_runner = run_program  # really run, without giving it the (absent) terminal
    seen = watch_notices(app)
    hostile_name, hostile_title = "$(touch x); rm -rf ~", "; ls\n`touch y` --option"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_list(pilot, "i")
        record = app.screen.highlighted_record()
        assert record is not None and record[0] == "issue"
        issue = m.Issue.get_by_id(record[1])
        m.Customer.update(name=hostile_name).where(m.Customer.id == issue.customer_id).execute()
        m.Issue.update(title=hostile_title).where(m.Issue.id == issue.id).execute()
        await pilot.press("O", "y")
        await settle(pilot)
    assert json.loads(out.read_text()) == [hostile_name, hostile_title,
                                           severity_name(issue.severity)]
    assert sorted(p.name for p in run_in.iterdir()) == ["args.json", "echo_args.py"]
    assert any(t == f"Echo: {sys.executable} exited 3" for t, _ in seen)


async def test_viewer_runs_only_read_only_commands_and_empty_fields_refuse(sample):
    ran: list[list[str]] = []
    allowed = CommandConfig("ctrl+o", "Look", ("view", "{stakeholder.email}"), ("today",),
                            read_only=True)
    app = make_app(sample, commands=(MAIL, allowed), read_only=True)
    app.command_runner = lambda argv: ran.append(argv) or 0
    seen = watch_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = [b.binding.description for b in app.screen.active_bindings.values()]
        assert "Look" in shown and "Mail the stakeholder" not in shown
        await pilot.press("O")  # not offered to a viewer: nothing asked, nothing run
        await settle(pilot)
        customer = next(it for it in attention.attention(sample) if it.kind == "customer")
        highlight(app, f"customer:{customer.record_id}")
        await pilot.press("ctrl+o")  # a customer item has no stakeholder: refused, said
        await settle(pilot)
    assert ran == []
    assert any("Look not run: this customer has no {stakeholder.email}" == t for t, _ in seen)
