"""``relboard playbook apply NAME CUSTOMER [--from DATE]``: a configured playbook applied to
a customer (``services.playbooks``): each step becomes a planned follow-up. An unknown
playbook or customer, a playbook applied to the customer already, or a bad date is one line
``relboard: WHAT: reason`` with exit 2; nothing is written then."""

from __future__ import annotations

import argparse
import re
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation

_NEGATIVE = re.compile(r"^-\d+[dw]?$")
_SAID_AS = {"playbook": "NAME", "customer": "CUSTOMER", "started_on": "--from"}


def _arguments(apply: argparse.ArgumentParser) -> None:
    apply.add_argument("playbook", metavar="NAME", help="a playbook of the config (playbooks:)")
    apply.add_argument("customer", metavar="CUSTOMER", help="the name, or a part of one")
    apply.add_argument("--from", dest="start", metavar="DATE",
                       help="the start (default today): YYYY-MM-DD, +3d, -2w, tomorrow or a "
                            "weekday")
    apply._negative_number_matcher = _NEGATIVE  # --from -2w: a value, not an option


def _apply(call: Invocation) -> int:
    """Apply the playbook; print its steps with their dates."""
    from relboard.services import lookups, playbooks
    from relboard.services.errors import ValidationError

    ctx, args = call.ctx, call.args
    try:
        playbook = playbooks.find(ctx, args.playbook)
        customer = lookups.find_customer(args.customer)
        run_id = playbooks.apply(ctx, customer, playbook.name, args.start)
    except ValidationError as exc:
        print("relboard: " + "; ".join(f"{_SAID_AS.get(k, k)}: {v}"
                                       for k, v in exc.errors.items()), file=sys.stderr)
        return EXIT_BAD_INPUT
    steps = playbooks.steps_of(run_id)
    lines = [f"Applied {playbook.name} to {lookups.customer_name(customer)} from "
             f"{steps[0]['started_on']:%a %Y-%m-%d}: {len(steps)} steps"]
    lines += [f"  {s['due_on']:%a %Y-%m-%d}  {s['do']}"
              + (f" (then every {s['every_days']} days)" if s["every_days"] else "")
              for s in steps]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


PLAYBOOK_APPLY = Command("playbook apply", "apply a playbook of the config to a customer",
                         _apply, _arguments,
                         group_help="apply a playbook to a customer (playbook apply)",
                         writes=True)
