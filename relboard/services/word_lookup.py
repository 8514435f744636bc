"""Which records a list's word filter can keep, looked up in indexes when they are few.

The issue queue keeps the issues whose title, customer's name or owner contains each word
typed, any part of a word. Checked row by row while the queue's index is walked in its
order, a common word fills a page at once, but a word few issues hold walks every issue
(2.5-3.4 s on a 1M-record board, at every key). So each word of three letters or more is
first looked up:

* the records whose own text contains it: a trigram index (SQLite: the FTS5 tables of
  schema 18, ``<table>_trigrams``, kept by triggers; PostgreSQL: ``ILIKE``, which a
  ``pg_trgm`` GIN index serves where the extension could be made);
* the records of the customers whose name contains it (the customers' names, alike);
* the records of the owners whose name contains it: the owners are read by a skip through
  the owner index (one seek per owner), then matched by the database.

When these come to at most ``CAP`` records, the list reads only those, by key, and sorts
them (``candidates``); otherwise the word is common and the walk fills a page soon. Only an
owner's share may be too many to read by key and still sparse in the list's order (an owner
with no critical issue: the walk by severity passes every critical issue first, 0.55 s at
1M records): then ``candidates`` gives a ``Split``, the few records of the word's text and
customers and the owners, and a list whose order an owner index serves reads each owner's
records along that index, merged with the few (``lists._window``). The
lookups only narrow: the filter itself still decides each row (SQLite's trigram index folds
case in every script, ``LIKE`` only in ASCII, so it may offer more rows, never fewer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from peewee import OP, SQL, Expression, Field, NodeList, Select, Value, fn

from relboard import models as m
from relboard.db import dialect
from relboard.services import prepared
from relboard.services.prepared import like_pattern

CAP = 10_000
"""At most this many records of a word are read by key and sorted; more, and the list walks
its index (a page of 200 among 1M records is then at most ~100 rows walked per row kept)."""
CUSTOMERS = 1_000
"""At most this many customers of a word are looked up by their records."""
OWNERS = 200
"""At most this many owners are read by the skip (more: the owners are not looked up)."""
SPLIT_OWNERS = 32
"""At most this many owners of a word are each read along the owner index, a window each in
one statement (more: the list walks; a word in that many names is hardly a name)."""
LETTERS = 3
"""A word shorter than this has no trigram: it is left to the walk."""

TRIGRAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("issue", ("title",)), ("customer", ("name",)), ("expectation", ("statement", "category")))
"""Each indexed table and the columns its text joins (schema 18's, which a test holds equal)."""


def table_of(table: str) -> str:
    """The FTS5 table indexing ``table`` (SQLite)."""
    return f"{table}_trigrams"


@dataclass(frozen=True)
class Lookup:
    """What a list's word filter matches: the record's own text (indexed columns, in
    ``TRIGRAMS``), its customer and its owner (a column with an index of its own)."""

    text: tuple[Field, ...]
    customer: Field
    owner: Field


ISSUES = Lookup((m.Issue.title,), m.Issue.customer, m.Issue.owner)
"""The issue queue's words: title, customer's name, owner."""
EXPECTATIONS = Lookup((m.Expectation.statement, m.Expectation.category),
                      m.Expectation.customer, m.Expectation.owner)
"""The expectation register's words: statement, category, customer's name, owner."""
LOOKUPS = {"issues": ISSUES, "expectations": EXPECTATIONS}
"""Each list's lookup, by the name ``services.lists`` gives it."""


@dataclass(frozen=True)
class Split:
    """A word held by too many records of a few owners: the records that may hold it
    otherwise (their own text, their customer's name: ``ids``, at most ``CAP``) and the
    ``owners`` whose name holds it. The records the word keeps are among ``ids`` or of one
    of ``owners``."""

    ids: list[int]
    owners: list[str]


def candidates(lookup: Lookup, words: list[str]) -> list[int] | Split | None:
    """The ids of every record that may hold all of ``words`` (as the filter matches them),
    when some word narrows them to at most ``CAP``; else the ``Split`` of the first word that
    is common only through its owners; None when none does (short or common words, or no
    index to ask: the list walks as before)."""
    found: set[int] | None = None
    split: Split | None = None
    if not _indexed():
        return None
    for word in dict.fromkeys(w.strip() for w in words):
        if len(word) < LETTERS or not word.isprintable():  # FTS5 reads a NUL as the end
            continue
        ids = _of_word(lookup, word)
        if isinstance(ids, Split):
            split = split or ids
        elif ids is not None:
            found = ids if found is None else found & ids
    return split if found is None else sorted(found)


def narrowed(query: prepared.Shaped, kind: str, words: Sequence[str],
             owner_index: bool = False) -> list[prepared.Shaped] | None:
    """``query`` (of the list ``kind``: ``LOOKUPS``) narrowed to the records a
    rare word may be in, read by key; as it is for common or short words; None when no
    record can match. A word common only through its owners (``Split``) gives, when
    ``owner_index`` (an index of the owner, then the list's order, serves the list), one
    query per owner and one of the word's other records: disjoint, paged as their union
    (``lists._window``)."""
    lookup = LOOKUPS[kind]
    ids = candidates(lookup, list(words))
    key = lookup.owner.model.id
    if isinstance(ids, Split):
        if not owner_index or len(ids.owners) > SPLIT_OWNERS:
            return [query]
        owner, count = lookup.owner, len(ids.owners)
        arms = [query.also("of owner", lambda q: q.where(owner == prepared.slot("of_owner")),
                           of_owner=name) for name in ids.owners]
        if ids.ids:
            arms.append(query.also(
                ("among, no owner of", count),
                lambda q: q.where(prepared.among(key, "among")
                                  & owner.not_in([prepared.slot(f"not_owner{n}")
                                                  for n in range(count)])),
                among=ids.ids, **{f"not_owner{n}": name for n, name in enumerate(ids.owners)}))
        return arms
    if ids is None:
        return [query]
    if not ids:
        return None
    return [query.also("among", lambda q: q.where(prepared.among(key, "among")), among=ids)]


def _of_word(lookup: Lookup, word: str) -> set[int] | Split | None:
    model = lookup.owner.model
    ids = _containing(lookup.text, word, CAP)
    customers = _containing((m.Customer.name,), word, CUSTOMERS) if ids is not None else None
    owners = _owners(lookup.owner, word) if customers is not None else None
    if ids is None or customers is None or owners is None:
        return None
    found = set(ids)
    db = m.database_proxy.obj
    for field, values in ((lookup.customer, customers), (lookup.owner, owners)):
        if values:  # read no further than the room left (more: the walk, or a Split)
            room = CAP - len(found)
            query = model.select(model.id).where(field.in_(values)).limit(room + 1)
            more = db.execute_sql(*query.sql()).fetchall()  # plain rows: 10,000 in ~2 ms
            if len(more) > room:
                return Split(sorted(found), owners) if field is lookup.owner else None
            found.update(r for r, in more)
    return found


def _containing(fields: tuple[Field, ...], word: str, cap: int) -> list[int] | None:
    """Ids of the rows of which one of ``fields`` contains ``word`` (a superset on SQLite),
    None when more than ``cap``."""
    db, model = m.database_proxy.obj, fields[0].model
    if dialect(db) == "sqlite":
        fts = table_of(model._meta.table_name)
        phrase = '"' + word.replace('"', '""') + '"'
        ids = [r for r, in db.execute_sql(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (phrase, cap + 1))]
    else:
        ids = [r for r, in model.select(model.id)
               .where(reduce(lambda a, b: a | b, (_ilike(f, word) for f in fields)))
               .limit(cap + 1).tuples()]
    return ids if len(ids) <= cap else None


def _ilike(node: Any, word: str) -> Expression:
    """``node`` contains ``word``, case ignored: the filter's own test (``prepared.contains``)."""
    return Expression(node, OP.ILIKE, NodeList((Value(like_pattern(word)), SQL("ESCAPE"),
                                                Value("\\", converter=False))))


def _owners(field: Field, word: str) -> list[str] | None:
    """The owners (of ``field``'s table) whose name contains ``word``, as the database
    matches it; None when there are more than ``OWNERS`` owners."""
    model, last = field.model, None
    names: list[str] = []
    while True:
        query = model.select(fn.MIN(field))
        if last is not None:
            query = query.where(field > last)
        last = query.scalar()
        if last is None:
            break
        if len(names) == OWNERS:
            return None
        names.append(last)
    if not names:
        return []
    union: Any = Select(columns=[Value(names[0]).alias("name")])
    for name in names[1:]:  # UNION: each name once
        union = union | Select(columns=[Value(name).alias("name")])
    union = union.alias("owners")
    return [r for r, in Select(from_list=[union], columns=[union.c.name])
            .where(_ilike(union.c.name, word)).bind(m.database_proxy.obj).tuples()]


_PRESENT: dict[tuple[int, str], bool] = {}


def _indexed() -> bool:
    """Whether this database has the trigram tables to ask (SQLite older than 3.34 has none;
    PostgreSQL always answers, with or without ``pg_trgm``)."""
    db = m.database_proxy.obj
    if dialect(db) != "sqlite":
        return True
    key = (id(db), str(db.database))
    if key not in _PRESENT:
        _PRESENT[key] = all(db.table_exists(table_of(t)) for t, _ in TRIGRAMS)
    return _PRESENT[key]


def problems() -> list[str]:
    """``relboard check``: each SQLite trigram table holds one entry per row of its table;
    tables missing where this SQLite could make them (a board made by an SQLite older than
    3.34, moved here) are a problem too. ``rebuild`` mends both."""
    from relboard.migrations import m0018_trigrams  # check and repair only: not on start

    db = m.database_proxy.obj
    if dialect(db) != "sqlite":
        return []
    if not _indexed():
        if not m0018_trigrams.sqlite_has_trigrams():
            return []
        return ["the word filter's trigram index is missing (the board was made by an SQLite "
                "without the trigram tokenizer; this one has it), so a rare word reads every "
                "row: run relboard check --repair"]
    wrong = []
    for table, _ in TRIGRAMS:
        held = db.execute_sql(f"SELECT count(*) FROM {table_of(table)}").fetchone()[0]
        rows = db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if held != rows:
            wrong.append(f"{table} {held} of {rows}")
    if not wrong:
        return []
    return [f"the word filter's trigram index is out of step with the records "
            f"({', '.join(wrong)} indexed; a filter would miss some): run relboard check "
            "--repair"]


def rebuild() -> None:
    """Index every row again; make the index where it is missing and can be made now (an
    SQLite that has the trigram tokenizer; a PostgreSQL where ``pg_trgm`` can be added)."""
    from relboard.migrations import m0018_trigrams

    db = m.database_proxy.obj
    if dialect(db) != "sqlite" or not _indexed():
        with db.atomic():
            m0018_trigrams.apply_trigrams(db)  # SQLite: tables, triggers, filled
        _PRESENT.clear()
        return
    with db.atomic():
        for table, _ in TRIGRAMS:
            db.execute_sql(f"DELETE FROM {table_of(table)}")
        for sql in m0018_trigrams.sqlite_fill():
            db.execute_sql(sql)
