"""Capture from the shell: ``log``, ``issue add``, ``expect``, the meeting ``brief`` and the
customer's status ``update``.

For a PM between meetings. Customers and stakeholders are named, not numbered: the whole name
in any case, or a part of exactly one name (``services.lookups``); an ambiguous or unknown
name is refused with the candidates (exit 2), and nothing is written. Values go through the
same services as the board's forms (validation, audit log, the acting user from the config),
dates may be relative (``+3d``, ``tomorrow``, ``friday``: ``services.spec.relative_day``), and
a refused value is one line ``relboard: OPTION: reason`` with exit 2. On success one line says
what was stored.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation

OPTION_OF = {"follow_up_on": "--follow-up", "current_due": "--due", "contacts": "--with",
             "owner": "--owner", "occurred_at": "--when",
             "summary": "SUMMARY", "title": "TITLE", "statement": "STATEMENT"}
"""A field's name on this command line, for messages (others keep the field's name)."""
_NEGATIVE = re.compile(r"^-\d+[dw]?$|^-\d*\.\d+$")
"""What argparse must read as a value, not an option: ``-1`` and also ``-2d``, ``-1w``."""


def _log_arguments(log: argparse.ArgumentParser) -> None:
    log.add_argument("customer", metavar="CUSTOMER", help="the name, or a part of one")
    log.add_argument("summary", metavar="SUMMARY", help="what was said")
    log.add_argument("--channel", default="call",
                     help="call (default), email, meeting, video, chat, site_visit, other")
    log.add_argument("--with", dest="people", metavar="NAME", action="append", default=[],
                     help="a stakeholder who took part (repeat for more)")
    log.add_argument("--follow-up", metavar="DATE",
                     help="YYYY-MM-DD, +3d, tomorrow or a weekday (the next one)")
    log.add_argument("--sentiment", metavar="N", help="-2 .. +2")
    log.add_argument("--when", metavar="MOMENT",
                     help="when it happened (default now): YYYY-MM-DD HH:MM, "
                          "'yesterday 15:30', '-2d 14:00', 'friday 16:00'")
    log._negative_number_matcher = _NEGATIVE  # --follow-up -2d: a value, not an option


def _issue_arguments(add: argparse.ArgumentParser) -> None:
    add.add_argument("customer", metavar="CUSTOMER", help="the name, or a part of one")
    add.add_argument("title", metavar="TITLE")
    add.add_argument("--severity", required=True, help="critical, high, medium, low (or 1-4)")
    _owner_arguments(add)


def _expect_arguments(expect: argparse.ArgumentParser) -> None:
    expect.add_argument("customer", metavar="CUSTOMER", help="the name, or a part of one")
    expect.add_argument("statement", metavar="STATEMENT", help="what was promised")
    expect.add_argument("--due", required=True, metavar="DATE",
                        help="YYYY-MM-DD, +3d, tomorrow or a weekday (the next one)")
    expect.add_argument("--category",
                        help="scope, timeline, deliverable, quality, budget, communication")
    _owner_arguments(expect)
    expect._negative_number_matcher = _NEGATIVE  # --due -1d: a value, not an option


def _owner_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--owner", metavar="NAME",
                        help="someone on the team (config team:, or who has saved anything)")
    parser.add_argument("--new-owner", action="store_true",
                        help="take --owner as given though nobody on the team has that name")


def _checked_owner(ctx: Any, args: argparse.Namespace) -> None:
    """Refuse an ``--owner`` off the team (with the near names) unless ``--new-owner``."""
    from relboard.services.errors import ValidationError
    from relboard.services.team import owner_problem

    if args.owner is None or args.new_owner:
        return
    if problem := owner_problem(ctx, args.owner):
        raise ValidationError("owner", problem + " (--new-owner: take it as given)")


def _brief_arguments(brief: argparse.ArgumentParser) -> None:
    brief.add_argument("customer", metavar="CUSTOMER", help="the name, or a part of one")
    brief.add_argument("--format", choices=("text", "markdown"), default="text")


def _update(ctx: Any, args: argparse.Namespace) -> str:
    from relboard.services import lookups, status_update

    found = lookups.find_customer(args.customer)
    return status_update.render(status_update.status_update(ctx, found), args.format)


def _said(make: Callable[[Any, argparse.Namespace], str]) -> Callable[[Invocation], int]:
    """A command that prints the line ``make`` returns; a refused value is one line
    ``relboard: OPTION: reason`` with exit code 2."""

    def run(call: Invocation) -> int:
        from relboard.services.errors import ValidationError

        try:
            line = make(call.ctx, call.args)
        except ValidationError as exc:
            print("relboard: " + "; ".join(f"{OPTION_OF.get(k, k)}: {v}"
                                           for k, v in exc.errors.items()), file=sys.stderr)
            return EXIT_BAD_INPUT
        sys.stdout.write(line)
        return EXIT_OK

    run.__doc__ = make.__doc__
    return run


def _day(day: Any) -> str:
    return f"{day:%a %Y-%m-%d}"


def _log(ctx: Any, args: argparse.Namespace) -> str:
    from relboard.services import lookups, records, touchpoints

    customer = lookups.find_customer(args.customer)
    people = [lookups.find_stakeholder(customer, name) for name in args.people]
    values: dict[str, Any] = {"customer": customer, "summary": args.summary,
                              "channel": args.channel}
    if args.follow_up is not None:
        values["follow_up_on"] = args.follow_up
    if args.sentiment is not None:
        values["sentiment"] = args.sentiment
    if args.when is not None:
        values["occurred_at"] = args.when
    new_id = touchpoints.log_touchpoint(ctx, values, people)
    row = records.get("interaction", new_id)
    line = (f"Logged {row['channel'].replace('_', ' ')} with "
            f"{lookups.customer_name(customer)} (#{new_id})")
    names = [p["name"] for p in touchpoints.participants(new_id)]
    if names:
        line += " — " + ", ".join(names)
    if row["sentiment"] is not None:
        line += f"; sentiment {row['sentiment']:+d}"
    if row["follow_up_on"] is not None:
        line += f"; follow-up {_day(row['follow_up_on'])}"
    return line + "\n"


def _issue(ctx: Any, args: argparse.Namespace) -> str:
    from relboard.services import issues, lookups, records

    customer = lookups.find_customer(args.customer)
    _checked_owner(ctx, args)
    values: dict[str, Any] = {"customer": customer, "title": args.title,
                              "severity": args.severity}
    if args.owner is not None:
        values["owner"] = args.owner
    new_id = issues.raise_issue(ctx, values)
    row = records.get("issue", new_id)
    sla = issues.issue_sla(ctx, new_id)
    return (f"Raised {row['severity']} issue #{new_id} for {lookups.customer_name(customer)}"
            f" (owner {row['owner'] or 'nobody'}); {sla.response.describe()}\n")


def _expect(ctx: Any, args: argparse.Namespace) -> str:
    from relboard.services import expectations, lookups, records

    customer = lookups.find_customer(args.customer)
    _checked_owner(ctx, args)
    values: dict[str, Any] = {"customer": customer, "statement": args.statement,
                              "current_due": args.due}
    for key in ("category", "owner"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    new_id = expectations.create(ctx, values)
    row = records.get("expectation", new_id)
    extra = "".join(f", {key} {row[key]}" for key in ("category", "owner") if row[key])
    return (f"Recorded expectation #{new_id} for {lookups.customer_name(customer)}: due "
            f"{_day(row['current_due'])}, {row['status']}{extra}\n")


def _brief(ctx: Any, args: argparse.Namespace) -> str:
    from relboard.services import brief, lookups

    return brief.render(brief.brief(ctx, lookups.find_customer(args.customer)), args.format)


LOG = Command("log", "log a touchpoint with a customer", _said(_log), _log_arguments,
              writes=True)
ISSUE_ADD = Command("issue add", "raise a customer's concern", _said(_issue), _issue_arguments,
                    group_help="raise an issue (issue add)", writes=True)
EXPECT = Command("expect", "record a customer's expectation", _said(_expect),
                 _expect_arguments, writes=True)
BRIEF = Command("brief", "one page to read before a call with a customer", _said(_brief),
                _brief_arguments)
UPDATE = Command("update", "a status update for the customer (what they may read)",
                 _said(_update), _brief_arguments)
