"""Today's "Follow-ups due": open follow-ups of touchpoints and open playbook steps due by
the horizon (``attention.follow_ups_ahead_days``), earliest first."""

from __future__ import annotations

import datetime as _dt

from peewee import ModelSelect

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import slot
from relboard.services.today.items import KIND_WORDS, AttentionItem, first_line
from relboard.services.today.streams import (
    Candidate,
    Stream,
    by_day,
    duties,
    scoped,
    top,
    values,
)
from relboard.services.wording import due_text, touchpoint_kind


def _follow_ups(mine: bool) -> ModelSelect:
    i = m.Interaction
    query = i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version,
                     i.customer, i.channel, i.internal).where(i.follow_up_done_at.is_null()
                                       & (i.follow_up_on <= slot("horizon", i.follow_up_on)))
    return scoped(query, i, "interaction", mine)  # one PM's: per owner (slot "duty")


def _follow_up_order() -> tuple:
    i = m.Interaction
    return (i.follow_up_done_at, i.follow_up_on, i.id)


def _my_follow_up_order() -> tuple:  # the owner in the order too: PostgreSQL walks the range
    i = m.Interaction                # in index order (to it IS NULL is no equality)
    return (i.follow_up_done_at, i.account_owner, i.follow_up_on, i.id)


_FOLLOW_UPS = {mine: ((lambda mine=mine: _follow_ups(mine)),
                      _my_follow_up_order if mine else _follow_up_order)
               for mine in (False, True)}
"""The query and order of each view, made once."""


def _steps(mine: bool) -> ModelSelect:
    s = m.PlaybookStep
    query = s.select(s.id, s.do, s.due_on, s.version, s.customer, s.run).where(
        s.done_at.is_null() & (s.due_on <= slot("horizon", s.due_on)))
    return scoped(query, s, "step", mine)


def _step_order() -> tuple:
    s = m.PlaybookStep
    return (s.done_at, s.due_on, s.id)


_STEPS = {mine: (lambda mine=mine: _steps(mine)) for mine in (False, True)}


def step_stream(ctx: Context, who: str | None) -> Stream:
    """Open playbook steps due by the horizon, earliest first (counted with the
    follow-ups: one group, one cap)."""
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    return Stream("follow_up", ("step", who is not None), _STEPS[who is not None],
                  _step_order, values(ctx, who, horizon=horizon))


class StepOf(str):
    """A candidate's extra for a playbook step: the name of its playbook."""


def follow_up_streams(ctx: Context, who: str | None) -> list[Stream]:
    """Open follow-ups due by the horizon, earliest first (in one PM's view, one range per
    owner of theirs: ``streams.duties``, schema 23)."""
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    mine = who is not None
    build, order = _FOLLOW_UPS[mine]
    return [Stream("follow_up", ("follow_up", mine), build, order,
                   values(ctx, who, horizon=horizon, duty=duty), in_order=True)
            for duty in duties(who)]


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` follow-ups due, earliest first, each with who it is with (the
    stakeholders of its touchpoint, read for the ones shown only)."""
    found = by_day(ctx, follow_up_streams(ctx, who), limit, totals, "follow_up_on")
    steps = by_day(ctx, [step_stream(ctx, who)], limit, totals, "due_on")
    people = _people([row["id"] for _, _, row, _ in found])
    runs = _runs({row["run"] for _, _, row, _ in steps})
    return top([(key, group, row, people.get(row["id"], "")) for key, group, row, _ in found]
               + [(key, group, row, StepOf(runs.get(row["run"], "")))
                  for key, group, row, _ in steps], limit)


def _runs(ids: set[int]) -> dict[int, str]:
    """The playbook name of each run of ``ids``."""
    r, wanted = m.PlaybookRun, sorted(ids)
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 500):  # the digest reads every step due
        out.update(r.select(r.id, r.name).where(r.id.in_(wanted[start:start + 500])).tuples())
    return out


def _people(ids: list[int]) -> dict[int, str]:
    """"Raj Patel, Dana Ruiz" of each touchpoint of ``ids`` that had stakeholders."""
    if not ids:
        return {}
    c, ic = m.Contact, m.InteractionContact
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        for interaction, name in (ic.select(ic.interaction, c.name)
                                  .join(c, on=(ic.contact == c.id))
                                  .where(ic.interaction.in_(ids[start:start + 500]))
                                  .order_by(ic.interaction, c.name).tuples()):
            out.setdefault(interaction, []).append(name)
    return {i: ", ".join(names) for i, names in out.items()}


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A follow-up: when it is due, who with, and the touchpoint it came from."""
    key, group, row, people = candidate
    if isinstance(people, StepOf):
        return _step_item(ctx, candidate, names)
    day = row["follow_up_on"]
    logged = ctx.local(row["occurred_at"])
    how = touchpoint_kind(row["channel"], row["internal"])
    return AttentionItem(group, "interaction", row["id"], row["customer"],
                         names.get(row["customer"], ""), first_line(row["summary"]),
                         f"follow-up {due_text(day, ctx.today())} "
                         f"(from the touchpoint of {logged:%Y-%m-%d})",
                         key[0], row["version"], due=day,
                         when=f"{due_text(day, ctx.today())} ({day:%a %d %b})", people=people,
                         note=f"from the {how} of {logged:%a %d %b}")


def _step_item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A playbook step: what to do, when it is due, and its playbook."""
    key, group, row, playbook = candidate
    day = row["due_on"]
    return AttentionItem(group, "step", row["id"], row["customer"],
                         names.get(row["customer"], ""), first_line(row["do"]),
                         f"{KIND_WORDS['step']} {due_text(day, ctx.today())} ({playbook})",
                         key[0], row["version"], due=day,
                         when=f"{due_text(day, ctx.today())} ({day:%a %d %b})",
                         note=f"step of the {playbook} playbook")
