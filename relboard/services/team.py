"""The people of the team: the config's ``team:`` roster, the acting user and everyone who
saved something (the audit log). Owner fields suggest them; a name outside the roster is asked
about by a form and refused by the command line with the near names (``--owner prya``: "did
you mean priya?") unless ``--new-owner`` says it is meant. Owners already stored are not the
roster: a name mistyped once would otherwise vouch for itself."""

from __future__ import annotations

import difflib

from relboard import models as m
from relboard.services.context import Context
from relboard.text import is_blank


def _named(ctx: Context, query) -> list[str]:
    """The names ``query`` reads (blank ones left out), ``ctx.team`` and ``ctx.user``, sorted."""
    names = {name for (name,) in query.tuples() if name and not is_blank(name)}
    names.update(ctx.team)
    names.add(ctx.user)
    return sorted(names, key=str.lower)


def known_users(ctx: Context) -> list[str]:
    """The roster, sorted: ``ctx.team``, ``ctx.user`` and the users of the audit log."""
    return _named(ctx, m.Activity.select(m.Activity.user).distinct())


def near_names(name: str, known: list[str]) -> list[str]:
    """Up to three names of ``known`` close to ``name`` (case aside), closest first."""
    lowered = {k.lower(): k for k in known}
    return [lowered[n] for n in difflib.get_close_matches(name.lower(), list(lowered), n=3,
                                                          cutoff=0.6)]


def _problem(name: str, known: list[str], what: str) -> str | None:
    if is_blank(name):
        return "must be a user's name"
    if name in known:
        return None
    near = near_names(name, known)
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    shown = ", ".join(known[:12]) + (f" and {len(known) - 12} more" if len(known) > 12 else "")
    return f"nobody named {name!r} {what}; {hint}known: {shown}"


_OWNED = (m.Customer, m.Expectation, m.Issue, m.Risk)


def people_on_board(ctx: Context) -> list[str]:
    """Everyone the board names, sorted: the roster (``known_users``) and the owners of
    customers, expectations, issues and risks (one statement): whose view a digest can be."""
    query = m.Activity.select(m.Activity.user.alias("name"))
    for model in _OWNED:
        query = query | model.select(model.owner.alias("name"))  # UNION: distinct names
    return _named(ctx, query)


def user_problem(ctx: Context, name: str) -> str | None:
    """Why ``name`` names nobody on this board (blank, or unknown: with the near names and
    the known ones), or None when someone has it (``digest --user``: an owner counts)."""
    return _problem(name, people_on_board(ctx), "on this board")


def owner_problem(ctx: Context, name: str) -> str | None:
    """Why ``name`` is not an owner to take without asking (not on the team), or None."""
    return _problem(name, known_users(ctx), "on the team")
