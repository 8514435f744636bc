"""``relboard digest``: today's attention list, as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import sys

from relboard.cli.command import EXIT_BAD_INPUT, EXIT_OK, Command, Invocation, refused_user


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--user", metavar="NAME",
                        help="NAME's view (their customers, issues, expectations and unowned "
                             "ones), e.g. for a cron mail per PM")
    parser.add_argument("--all", action="store_true",
                        help="every item (default: the first 50 of each group, and a count)")
    parser.add_argument("--tag", metavar="NAME",
                        help="only the items of records tagged NAME and of customers tagged "
                             "NAME (the portfolio section is left out)")


def _digest(call: Invocation) -> int:
    """Today's attention list, as text, Markdown or JSON."""
    from relboard.services.attention import PER_GROUP as PER_DIGEST
    from relboard.services.digest import render

    args, ctx = call.args, call.ctx
    if refused_user(call):
        return EXIT_BAD_INPUT
    tag = None
    if args.tag is not None:
        from relboard.services.tags import unknown_tag

        tag, problem = unknown_tag(args.tag)
        if problem:
            print(f"relboard: --tag: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
    who = args.user or (ctx.user if call.config.attention.mine else None)
    if args.user:
        import dataclasses

        ctx = dataclasses.replace(ctx, user=args.user)
    sys.stdout.write(render(ctx, args.format, who=who,
                            per_group=None if args.all else PER_DIGEST, tag=tag))
    return EXIT_OK


DIGEST = Command("digest", "print today's attention list", _digest, _arguments,
                 options=("--config", "--demo", "--read-only", "--create", "--mine"))
