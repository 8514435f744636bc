"""How a table's columns share its width, by what they hold and what the terminal has.

A column is sized from the widest value it actually shows (its label included), measured on
the rows loaded, never the whole table: a fixed column (a date, a status, an owner) shrinks to
that width, up to ``cap`` (or twice its ``width``) before the flexible ones have theirs; the
flexible columns (a title, a customer) share what is left by ``weight``, each up to its own
widest value; room still left goes first to a fixed column cut at its limit, then to the
last column (the columns stay together: no run of blanks between a title and its status). A
narrow terminal takes up to ``squeeze`` characters from a column before the flexible ones
fall below their ``width``. With nothing measured (no rows yet) the
widths are the declared ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text


@dataclass(frozen=True)
class Column:
    """A column: its key, header and width; ``flex`` columns (a title, a customer) share the
    width the others leave by ``weight``, each ``width`` at least and ``cap`` at most; a
    narrow terminal takes up to ``squeeze`` characters from a column before the flexible
    ones fall below their width."""

    key: str
    label: str
    width: int
    flex: bool = False
    squeeze: int = 0
    weight: int = 1
    cap: int | None = None


def cell_width(value: object) -> int:
    """The width a cell's value takes on screen (its first line)."""
    if isinstance(value, Text):
        return max((cell_len(line) for line in value.plain.splitlines()), default=0)
    return cell_len(str(value).split("\n", 1)[0])


def _grow(flex: list[Column], least: dict[str, int], ceiling: dict[str, int | None],
          spare: int) -> tuple[dict[str, int], int]:
    """``spare`` shared among ``flex`` by weight, none past its ceiling: the extra each gets,
    and what is left over."""
    extra = {c.key: 0 for c in flex}
    growing = [c for c in flex if ceiling[c.key] is None or least[c.key] < (ceiling[c.key] or 0)]
    while spare > 0 and growing:
        total = sum(c.weight for c in growing)
        shares = {c.key: spare * c.weight // total for c in growing}
        shares[growing[-1].key] += spare - sum(shares.values())  # rounding: to the last
        spare, still = 0, []
        for c in growing:
            grown = extra[c.key] + shares[c.key]
            top = ceiling[c.key]
            if top is not None and least[c.key] + grown >= top:
                spare += least[c.key] + grown - top
                grown = max(extra[c.key], top - least[c.key])
            else:
                still.append(c)
            extra[c.key] = grown
        if len(still) == len(growing) and spare == 0:
            break
        growing = still
    return extra, spare


def column_widths(specs: list[Column], available: int,
                  natural: dict[str, int] | None = None) -> dict[str, int]:
    """Each column's width when ``available`` characters (padding already taken off) are
    shared as ``Column`` says; ``natural`` is each column's widest value shown (label
    included), when rows are loaded."""
    seen = natural or {}
    widths: dict[str, int] = {}
    least: dict[str, int] = {}
    ceiling: dict[str, int | None] = {}
    for spec in specs:
        wide = seen.get(spec.key)
        if spec.flex:
            least[spec.key] = spec.width if wide is None else min(wide, spec.width)
            ceiling[spec.key] = spec.cap if wide is None else min(wide, spec.cap or wide)
        else:
            limit = spec.cap or 2 * spec.width
            widths[spec.key] = spec.width if wide is None else min(wide, limit)
    short = sum(widths.values()) + sum(least.values()) - available
    for spec in specs:
        if short <= 0:
            break
        held = least if spec.flex else widths
        given = min(short, max(0, held[spec.key] - (spec.width - spec.squeeze)))
        held[spec.key] -= given
        short -= given
    flex = [c for c in specs if c.flex]
    extra, spare = _grow(flex, least, ceiling, max(0, -short))
    widths.update({c.key: least[c.key] + extra[c.key] for c in flex})
    if natural is None or spare <= 0:
        return widths
    for spec in specs:  # a fixed column cut at its limit, while room is left
        more = min(spare, max(0, seen.get(spec.key, 0) - widths[spec.key]))
        widths[spec.key] += more
        spare -= more
    if spare > 0 and specs:  # the rest after the last column: the columns stay together
        widths[specs[-1].key] += spare
    return widths
