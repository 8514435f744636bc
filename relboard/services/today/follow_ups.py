"""Today's "Follow-ups due": open follow-ups of touchpoints due by the horizon
(``attention.follow_ups_ahead_days``), earliest first."""

from __future__ import annotations

import datetime as _dt

from peewee import ModelSelect

from relboard import models as m
from relboard.services.context import Context
from relboard.services.prepared import slot
from relboard.services.today.items import AttentionItem, first_line
from relboard.services.today.streams import Candidate, Stream, by_day, scoped, values
from relboard.services.wording import due_text


def _follow_ups(mine: bool) -> ModelSelect:
    i = m.Interaction
    query = i.select(i.id, i.summary, i.follow_up_on, i.occurred_at, i.version,
                     i.customer).where(i.follow_up_done_at.is_null()
                                       & (i.follow_up_on <= slot("horizon", i.follow_up_on)))
    return scoped(query, i, "interaction", mine)


def _follow_up_order() -> tuple:
    i = m.Interaction
    return (i.follow_up_done_at, i.follow_up_on, i.id)


_FOLLOW_UPS = {mine: (lambda mine=mine: _follow_ups(mine)) for mine in (False, True)}


def follow_up_stream(ctx: Context, who: str | None) -> Stream:
    """Open follow-ups due by the horizon, earliest first."""
    horizon = ctx.today() + _dt.timedelta(days=ctx.attention.follow_ups_ahead_days)
    return Stream("follow_up", ("follow_up", who is not None), _FOLLOW_UPS[who is not None],
                  _follow_up_order, values(ctx, who, horizon=horizon))


def candidates(ctx: Context, who: str | None, limit: int | None, totals: dict[str, int],
               want: frozenset[str]) -> list[Candidate]:
    """The first ``limit`` follow-ups due, earliest first."""
    return by_day(ctx, [follow_up_stream(ctx, who)], limit, totals, "follow_up_on")


def item(ctx: Context, candidate: Candidate, names: dict[int, str]) -> AttentionItem:
    """A follow-up: when it is due, and the touchpoint it came from."""
    key, group, row, _ = candidate
    return AttentionItem(group, "interaction", row["id"], row["customer"],
                         names.get(row["customer"], ""), first_line(row["summary"]),
                         f"follow-up {due_text(row['follow_up_on'], ctx.today())} "
                         f"(from the touchpoint of {ctx.local(row['occurred_at']):%Y-%m-%d})",
                         key[0], row["version"])
