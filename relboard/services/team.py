"""The people of the team as the board knows them: the acting user, every owner of a record
and everyone in the audit log. Used to refuse a name nobody on the board has (``digest
--user prya``) with the near ones."""

from __future__ import annotations

import difflib

from relboard import models as m
from relboard.services.context import Context
from relboard.text import is_blank

_OWNED = (m.Customer, m.Expectation, m.Issue, m.Risk)


def known_users(ctx: Context) -> list[str]:
    """Every name the board knows, sorted: ``ctx.user``, the owners of customers,
    expectations, issues and risks, and the users of the audit log (one statement)."""
    query = m.Activity.select(m.Activity.user.alias("name"))
    for model in _OWNED:
        query = query | model.select(model.owner.alias("name"))  # UNION: distinct names
    names = {row[0] for row in query.tuples() if row[0] and not is_blank(row[0])}
    names.add(ctx.user)
    return sorted(names, key=str.lower)


def user_problem(ctx: Context, name: str) -> str | None:
    """Why ``name`` names nobody on this board (blank, or unknown: with the near names and
    the known ones), or None when someone has it."""
    if is_blank(name):
        return "must be a user's name"
    known = known_users(ctx)
    if name in known:
        return None
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    shown = ", ".join(known[:12]) + (f" and {len(known) - 12} more" if len(known) > 12 else "")
    return f"nobody named {name!r} on this board; {hint}known: {shown}"
