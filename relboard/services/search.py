"""Search everything: customers, stakeholders, touchpoints, expectations, issues, risks and
decisions found by their words, best first.

The index is ``relboard.services.search_index`` (worked out from the kinds' declarations):
SQLite's FTS5 table, kept by triggers, ranked by ``bm25``; PostgreSQL's GIN expression
indexes, ranked by ``ts_rank``. What the user types is never query syntax: it is cut into
words (letters and digits), each word is quoted, and every word must match — the last
letters of a word as a prefix, so ``renew`` finds "renewal". Quotes, ``*``, ``NEAR``, ``-``
or brackets typed are just text (or ignored as punctuation); a query with no word finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from relboard import models as m
from relboard.services import word_lookup
from relboard.services.context import Context
from relboard.services.search_index import KIND_BY_CODE, KINDS, TABLE, is_postgres, rebuild

MAX_WORDS = 12
"""Words beyond this many are ignored (the query stays bounded whatever is pasted)."""

_WORD = re.compile(r"[^\W_]+")

KIND_LABEL = {k.name: k.said for k in KINDS}
"""Each kind as a PM says it (``Search.said``)."""

TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
"""SQLite's bm25 weights: a word in a record's headline counts ten times one in its text."""


@dataclass(frozen=True)
class Hit:
    """One record found: what it is, whose, its headline and the words around the match."""

    kind: str  # customer, contact, interaction, expectation, issue, risk, decision
    record_id: int
    customer_id: int
    customer: str  # the customer's name
    title: str  # the record's headline (a name, a summary, a statement, a title)
    snippet: str  # the text around the first match ("…" where it is cut)
    score: float  # higher is better (-bm25 on SQLite, ts_rank on PostgreSQL)
    archived: bool = False  # the customer or stakeholder itself, or the record's customer

    @property
    def label(self) -> str:
        """The kind as a PM says it ("stakeholder", "touchpoint", ...)."""
        return KIND_LABEL[self.kind]


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, at most ``MAX_WORDS``); the rest is
    punctuation and never reaches the query."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or ""))[:MAX_WORDS]


def fts_query(text: str) -> str:
    """An FTS5 query matching every word of ``text`` (a prefix from 2 letters), or ``""``."""
    return " ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in words(text))


def ts_query(text: str) -> str:
    """A PostgreSQL ``to_tsquery`` text matching every word of ``text``, or ``""``."""
    return " & ".join(f"'{w}':*" if len(w) > 1 else f"'{w}'" for w in words(text))


def search(ctx: Context, text: str, limit: int = 50) -> list[Hit]:
    """Records matching every word of ``text``, best first (ties: by kind, then id).

    Archived customers and stakeholders are found too, marked ``archived``. On SQLite a
    query matching more than ``RANKED_WINDOW`` records ranks the newest of them.
    """
    db = m.database_proxy.obj
    if is_postgres(db):
        query = ts_query(text)
        rows = _postgres(db, query, limit) if query else []
    else:
        query = fts_query(text)
        rows = _sqlite(db, query, limit) if query else []
    return _hits(rows)


RANKED_WINDOW = 2000
"""SQLite ranks at most this many matches: the newest ones (highest ids) when a word is in
more records than that. bm25 costs ~2 us a match, so a word found in every one of 100,000
touchpoints would take ~200 ms a keystroke; with the window it takes ~20 ms, and a second
word narrows the search."""

_MATCH = f"FROM {TABLE} WHERE {TABLE} MATCH ?"
_CUTOFF = f"SELECT rowid {_MATCH} ORDER BY rowid DESC LIMIT 1 OFFSET ?"
_RANKED = (f"SELECT rowid, customer_id, title, snippet({TABLE}, -1, '', '', '…', 12), "
           f"bm25({TABLE}, 0.0, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score {_MATCH} "
           "AND rowid >= ? ORDER BY score, rowid & 7, rowid >> 3 LIMIT ?")


def _sqlite(db, query: str, limit: int) -> list[tuple]:
    cutoff = db.execute_sql(_CUTOFF, (query, RANKED_WINDOW - 1)).fetchone()
    rows = db.execute_sql(_RANKED, (query, cutoff[0] if cutoff else 0, limit)).fetchall()
    return [(rowid & 7, rowid >> 3, cid, title, " ".join((snippet or "").split()), -score)
            for rowid, cid, title, snippet, score in rows]


def _postgres_sql() -> str:
    parts = [f"SELECT {k.code} AS code, id, {k.customer} AS customer_id, "
             f"{k.text(k.title)} AS title, {k.text(k.body)} AS body, "
             f"ts_rank({k.vector()}, to_tsquery('simple', %s)) AS score FROM {k.table} "
             f"WHERE {k.vector()} @@ to_tsquery('simple', %s)" for k in KINDS]
    return ("SELECT code, id, customer_id, title, ts_headline('simple', "
            "title || ' ' || body, to_tsquery('simple', %s), "
            "'StartSel=\"\", StopSel=\"\", MaxWords=16, MinWords=6, ShortWord=1'), score "
            "FROM (" + " UNION ALL ".join(parts) + ") AS hit "
            "ORDER BY score DESC, code, id LIMIT %s")


_POSTGRES = _postgres_sql()


def _postgres(db, query: str, limit: int) -> list[tuple]:
    params = [query] + [query] * (2 * len(KINDS)) + [limit]
    rows = db.execute_sql(_POSTGRES, params).fetchall()
    return [(code, rid, cid, title, " ".join(snippet.split()), float(score))
            for code, rid, cid, title, snippet, score in rows]


def _hits(rows: list[tuple]) -> list[Hit]:
    """Hits for ``(code, id, customer_id, title, snippet, score)`` rows: with their customer's
    name, and whether they are archived."""
    if not rows:
        return []
    c, ct = m.Customer, m.Contact
    customers = {cid: (name, archived) for cid, name, archived in
                 c.select(c.id, c.name, c.archived)
                 .where(c.id.in_({row[2] for row in rows})).tuples()}
    contact_ids = {row[1] for row in rows if KIND_BY_CODE[row[0]].name == "contact"}
    archived_contacts = {cid for (cid,) in ct.select(ct.id).where(
        ct.id.in_(contact_ids), ct.archived == True).tuples()} if contact_ids else set()  # noqa: E712
    hits = []
    for code, rid, cid, title, snippet, score in rows:
        kind = KIND_BY_CODE[code].name
        name, customer_archived = customers.get(cid, ("", False))
        hits.append(Hit(kind, int(rid), int(cid), name, title or "", snippet or "",
                        float(score), bool(customer_archived)
                        or (kind == "contact" and rid in archived_contacts)))
    return hits


def index_problems() -> list[str]:
    """``relboard check``: SQLite's search index must hold one entry per searchable record,
    and the word filter's trigram tables one per row (``word_lookup``; PostgreSQL's indexes
    cannot fall behind). ``rebuild_index`` mends both."""
    db = m.database_proxy.obj
    if is_postgres(db):
        return []
    return _search_problems(db) + word_lookup.problems()


def _search_problems(db: Any) -> list[str]:
    held = dict(db.execute_sql(
        f"SELECT rowid & 7, count(*) FROM {TABLE} GROUP BY rowid & 7").fetchall())
    wrong = []
    for kind in KINDS:
        rows = db.execute_sql(f'SELECT count(*) FROM "{kind.table}"').fetchone()[0]
        if held.get(kind.code, 0) != rows:
            wrong.append(f"{kind.table} {held.get(kind.code, 0)} of {rows}")
    if not wrong:
        return []
    return [f"the search index is out of step with the records ({', '.join(wrong)} indexed; "
            "search would miss or show stale ones): run relboard check --repair"]


def rebuild_index() -> bool:
    """Index every searchable record again, and the word filter's trigram tables; False on
    PostgreSQL (nothing to do there)."""
    db = m.database_proxy.obj
    rebuild(db)
    word_lookup.rebuild()
    return not is_postgres(db)
