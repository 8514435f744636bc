"""``relboard calendar``: the PM's dated work as an iCalendar file (follow-ups, expectation
due dates, risk reviews, issues' SLA due times), to import into a calendar app; imported
again, it updates the same events (stable UIDs, SEQUENCE from each record's version)."""

from __future__ import annotations

import argparse
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation, refused_user

DEFAULT_DAYS = 60
"""The horizon without ``--days``: two months ahead."""
MAX_DAYS = 3660
"""The farthest horizon ``--days`` takes (ten years)."""


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 0 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{days} is not between 0 and {MAX_DAYS}")
    return days


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?",
                        help="the .ics file to write, all or nothing (default: standard "
                             "output)")
    parser.add_argument("--user", metavar="NAME",
                        help="NAME's work (default: the configured user): their customers, "
                             "issues, expectations and risks, and unowned ones")
    parser.add_argument("--days", metavar="N", type=_days, default=DEFAULT_DAYS,
                        help=f"how far ahead (default {DEFAULT_DAYS}); what is overdue is "
                             "always in, on its own date")


def _calendar(call: Invocation) -> int:
    """Write the calendar of the user's dated work to FILE or standard output."""
    from relboard import __version__
    from relboard.safe_write import UnsafeTargetError, is_stdout, reason, write_text
    from relboard.services.dated import dated_work
    from relboard.services.ical import calendar_text

    args, ctx = call.args, call.ctx
    if refused_user(call):
        return EXIT_BAD_INPUT
    who = args.user or ctx.user
    text = calendar_text(dated_work(ctx, who, args.days), ctx.now(),
                         name=f"relboard: {who}", version=__version__)
    if args.file is None or is_stdout(args.file):
        # CRLF line ends are the format's: past the guard that would show CR as an escape
        # (the text holds no other control: ``ical`` replaced them)
        out = getattr(sys.stdout, "raw", sys.stdout)
        out.write(text)
        out.flush()
        return EXIT_OK
    try:
        write_text(args.file, text)
    except UnsafeTargetError as exc:
        print(f"relboard: calendar: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"relboard: calendar: cannot write {args.file}: {reason(exc)}; nothing was "
              "written", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


CALENDAR = Command("calendar", "write the PM's dated work as an iCalendar (.ics) file",
                   _calendar, _arguments)
"""``relboard calendar [--user NAME] [--days N] [FILE]``."""
