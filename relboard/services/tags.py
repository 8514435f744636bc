"""Tags on customers, issues, expectations and risks: the names, their rule, and the SQL that
finds tagged records.

A tag is a short lowercase word (``renewal``, ``exec-sponsor``, ``q1_2027``): 1-40 letters
a-z, digits, ``-`` or ``_``, starting with a letter or a digit. People type them separated by
spaces or commas, with or without ``#``, in any case (``#Renewal, urgent``); they are stored
lowercase, each once (``models.Tag``), and shown as ``#renewal #urgent``. Anything else is
refused with the reason, naming the word (control characters shown as escapes).

Filters find tagged records with ``EXISTS`` over the tag table's unique ``(kind, record_id,
name)`` index, so a list keeps walking its own sort index (paging stays keyset-ordered); the
palette and "what is tagged X" read the ``(name, kind, record_id)`` index.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import SQL, Expression, fn

from relboard import models as m
from relboard.services import prepared
from relboard.services.context import Context
from relboard.text import clipped, escaped

TAGGED = ("customer", "issue", "expectation", "risk")
"""The kinds of record that carry tags."""
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
"""What a stored tag name is."""
MOST = 20
"""The most tags one record carries."""
RULE = "a tag is 1-40 letters a-z, digits, - or _, starting with a letter or digit"
_SEPARATORS = re.compile(r"[\s,]+")


def parse(value: Any) -> tuple[str, ...]:
    """The tag names in ``value`` (text separated by spaces or commas, or a list of names;
    ``#`` and case ignored), sorted, each once; ValueError says why one is not a tag."""
    if value is None:
        return ()
    if isinstance(value, str):
        words = _SEPARATORS.split(value)
    elif isinstance(value, (list, tuple)):
        if not all(isinstance(word, str) for word in value):
            raise ValueError("must be a list of tag names")
        words = [word.strip() for word in value]
    else:
        raise ValueError("must be tag names separated by spaces or commas")
    names: set[str] = set()
    for word in words:
        if not word:
            continue
        name = word.removeprefix("#").lower()
        if not NAME.fullmatch(name):
            raise ValueError(f"'{clipped(escaped(word), 42)}' is not a tag: {RULE}")
        names.add(name)
    if len(names) > MOST:
        raise ValueError(f"has {len(names)} tags; a record carries at most {MOST}")
    return tuple(sorted(names))


def problem(value: Any) -> str | None:
    """Why ``value`` is not a list of tags, or None."""
    try:
        parse(value)
    except ValueError as exc:
        return str(exc)
    return None


def shown(names: Iterable[str]) -> str:
    """Tags as people read them: ``#renewal #urgent`` (empty when none)."""
    return " ".join(f"#{name}" for name in names)


def typed(names: Iterable[str]) -> str:
    """Tags as a form's field holds them: ``renewal urgent``."""
    return " ".join(names)


def of(kind: str, record_id: int) -> tuple[str, ...]:
    """The tags of one record, by name."""
    t = m.Tag
    return tuple(name for (name,) in t.select(t.name).where(
        (t.kind == kind) & (t.record_id == record_id)).order_by(t.name).tuples())


def of_many(kind: str, record_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The tags of several records (one query); records without tags are left out."""
    if not record_ids:
        return {}
    t = m.Tag
    found: dict[int, list[str]] = {}
    query = (t.select(t.record_id, t.name)
             .where((t.kind == kind) & t.record_id.in_(sorted(set(record_ids))))
             .order_by(t.record_id, t.name).tuples())
    for record_id, name in query:
        found.setdefault(record_id, []).append(name)
    return {record_id: tuple(names) for record_id, names in found.items()}


def store(ctx: Context, kind: str, record_id: int, names: Sequence[str],
          action: str = "update") -> bool:
    """Give the record exactly the tags ``names`` (already ``parse``d) inside the caller's
    transaction, audit logged as its field ``tags``; False when they were the same."""
    before = of(kind, record_id)
    wanted = tuple(sorted(set(names)))
    if before == wanted:
        return False
    t = m.Tag
    gone = sorted(set(before) - set(wanted))
    if gone:
        t.delete().where((t.kind == kind) & (t.record_id == record_id)
                         & t.name.in_(gone)).execute()
    new = sorted(set(wanted) - set(before))
    if new:
        t.insert_many([(kind, record_id, name) for name in new],
                      fields=[t.kind, t.record_id, t.name]).execute()
    m.Activity.create(at=ctx.now(), user=ctx.user, entity=kind, entity_id=record_id,
                      action=action, field="tags", old=shown(before) or None,
                      new=shown(wanted) or None)
    return True


def merged(stored: Sequence[str], read: Any, wanted: Sequence[str]) -> tuple[str, ...]:
    """The tags to store when an editor who was shown ``read`` (text or names, as
    ``parse`` takes) asks for ``wanted`` while ``stored`` is what the record has now: the
    stored ones with the editor's removals taken out and additions put in (what others
    tagged meanwhile is kept)."""
    try:
        was = set(parse(read))
    except ValueError:  # not what a form shows: replace, as without ``read``
        return tuple(sorted(set(wanted)))
    want = set(wanted)
    return tuple(sorted((set(stored) - (was - want)) | (want - was)))


def drop(kind: str, record_id: int) -> None:
    """Remove a deleted record's tags (inside the caller's transaction)."""
    t = m.Tag
    t.delete().where((t.kind == kind) & (t.record_id == record_id)).execute()


def split_search(text: str | None) -> tuple[list[str], list[str]]:
    """A list filter's words and its tags: ``#name`` and ``tag:name`` are tags (lowercased;
    a lone ``#`` is still being typed and filters nothing; a name no tag can have is asked
    as ``""``, which no record carries), every other word is a word."""
    words: list[str] = []
    names: list[str] = []
    for word in (text or "").split():
        low = word.lower()
        if low.startswith("#") or low.startswith("tag:"):
            name = low[1:] if low.startswith("#") else low[4:]
            name = name if NAME.fullmatch(name) or not name else ""
            if (name or low not in ("#", "tag:")) and name not in names:
                names.append(name)
            continue
        words.append(word)
    return words, names


def _exists(kind: str, record: Any, slot_name: str) -> Any:
    t = m.Tag.alias(f"tag_{kind}")
    return fn.EXISTS(t.select(SQL("1")).where(
        (t.kind == kind) & (t.record_id == record) & (t.name == prepared.slot(slot_name))))


def tagged(kind: str, record: Any, count: int, customer: Any = None,
           name: str = "tag") -> Expression | None:
    """Rows carrying each of the ``count`` tags in slots ``tag0``, ``tag1``... (None when no
    tag is asked): the record itself (``record``: its id column) has the tag, or, given
    ``customer`` (the row's customer id column), its customer has it."""
    out: Expression | None = None
    for n in range(count):
        hit = _exists(kind, record, f"{name}{n}")
        if customer is not None:
            hit = hit | _exists("customer", customer, f"{name}{n}")
        out = hit if out is None else out & hit
    return out


def slots(names: Sequence[str], name: str = "tag") -> dict[str, str]:
    """The values of ``tagged``'s slots."""
    return {f"{name}{n}": value for n, value in enumerate(names)}


def ids_tagged(kind: str, names: Sequence[str]) -> set[int]:
    """The ids of the records of ``kind`` carrying every tag in ``names`` (an index read)."""
    t = m.Tag
    found: set[int] | None = None
    for name in names:
        ids = {i for (i,) in t.select(t.record_id).where((t.name == name) & (t.kind == kind))
               .tuples()}
        found = ids if found is None else found & ids
    return found or set()


def known(prefix: str = "", limit: int = 20) -> list[tuple[str, int]]:
    """Tag names starting with ``prefix`` (``#`` and case ignored), each with how many records
    carry it, by name: a walk of the ``(name, kind, record_id)`` index."""
    t = m.Tag
    prefix = prefix.strip().removeprefix("#").lower()
    query = t.select(t.name, fn.COUNT(t.id)).group_by(t.name).order_by(t.name).limit(limit)
    if prefix:
        query = query.where(t.name.startswith(prefix))
    return [(name, count) for name, count in query.tuples()]


def summary(prefix: str = "", limit: int = 40) -> list[tuple[str, str, int]]:
    """``(name, kind, how many records)`` of the tags starting with ``prefix`` (``#`` and case
    ignored), by name then kind in ``TAGGED`` order: what the palette offers."""
    t = m.Tag
    prefix = prefix.strip().removeprefix("#").lower()
    query = (t.select(t.name, t.kind, fn.COUNT(t.id)).group_by(t.name, t.kind)
             .order_by(t.name, t.kind).limit(limit))
    if prefix:
        query = query.where(t.name.startswith(prefix))
    order = {kind: n for n, kind in enumerate(TAGGED)}
    rows = [(name, kind, count) for name, kind, count in query.tuples() if kind in order]
    return sorted(rows, key=lambda row: (row[0], order[row[1]]))


def records_tagged(name: str, limit: int = 200) -> dict[str, list[int]]:
    """The ids of the records carrying tag ``name``, by kind (``TAGGED`` order)."""
    t = m.Tag
    found: dict[str, list[int]] = {}
    query = (t.select(t.kind, t.record_id).where(t.name == name.removeprefix("#").lower())
             .order_by(t.kind, t.record_id).limit(limit).tuples())
    for kind, record_id in query:
        found.setdefault(kind, []).append(record_id)
    return {kind: found[kind] for kind in TAGGED if kind in found}


def tagged_items(items: Sequence[Any], name: str) -> list[Any]:
    """Today's ``items`` (``AttentionItem``) about a record carrying tag ``name`` or of a
    customer carrying it, in their order: the tag's records read by the name index."""
    wanted = {(kind, i) for kind in TAGGED for i in ids_tagged(kind, [name])}
    customers = {i for kind, i in wanted if kind == "customer"}
    return [it for it in items
            if (it.kind, it.record_id) in wanted or it.customer_id in customers]


def unknown_tag(text: str) -> tuple[str, str | None]:
    """The one tag name ``text`` gives, and why it cannot be asked for (None: it can): not a
    tag, several, or a tag no record carries (with the near ones)."""
    try:
        names = parse(text)
    except ValueError as exc:
        return "", str(exc)
    if len(names) != 1:
        return "", "give one tag name, e.g. --tag renewal"
    name = names[0]
    t = m.Tag
    if t.select().where(t.name == name).exists():
        return name, None
    near = difflib.get_close_matches(name, [n for n, _ in known(limit=1000)], n=3)
    hint = f"; did you mean {' or '.join('#' + n for n in near)}?" if near else ""
    return name, f"no record is tagged #{name}{hint}"
