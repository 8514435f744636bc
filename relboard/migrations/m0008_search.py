"""Schema 8: "Search everything" — one word index over the records a PM looks for.

Customers, stakeholders, touchpoint summaries, expectations, issues, risks and decisions are
searchable by their words (``relboard.services.search``). What is indexed of each is said once
here (``KINDS``): a *title* (the record's headline, ranked higher) and a *body* (its other
text).

* **SQLite**: one FTS5 table, ``search_index(customer_id UNINDEXED, title, body)`` with the
  ``unicode61 remove_diacritics 2`` tokenizer and prefix indexes for 2 and 3 characters. Its
  rowid is ``record id * 8 + kind code``, so a record's entry is found by rowid, never by a
  scan. Triggers on each source table keep it in step with every write (services, imports,
  restores, the sample, cascading deletes), with no Python on the write path; an update
  touches the index only when an indexed column's value changes.
* **PostgreSQL**: a GIN index per table on ``setweight(to_tsvector('simple', title), 'A') ||
  setweight(to_tsvector('simple', body), 'B')``; the search repeats the same expression, so
  nothing has to be kept in step.

``apply`` is safe to run again (the index is rebuilt from the rows); ``rebuild`` does the same
for ``relboard check --repair``.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import Database, PostgresqlDatabase

NAME = "search everything: full-text index of customers, stakeholders and records"

TABLE = "search_index"
"""The SQLite FTS5 table (its shadow tables are ``search_index_data``, ``_idx``, ...)."""


@dataclass(frozen=True)
class Kind:
    """What of one table is searchable."""

    code: int  # 1..7: rowid = id * 8 + code; also the order of kinds among equal ranks
    name: str  # the kind's name in hits (and the records service's entity name)
    table: str
    title: tuple[str, ...]  # columns joined by spaces
    body: tuple[str, ...] = ()
    customer: str = "customer_id"  # the column naming the record's customer

    def text(self, columns: tuple[str, ...], row: str = "") -> str:
        """SQL for ``columns`` of ``row`` (``new``, ``old``, a table name or none) joined by
        spaces; ``''`` for none."""
        if not columns:
            return "''"
        prefix = f"{row}." if row else ""
        return " || ' ' || ".join(f"coalesce({prefix}\"{c}\", '')" for c in columns)

    def vector(self, row: str = "") -> str:
        """PostgreSQL: the weighted tsvector the GIN index holds (the search repeats it)."""
        vec = f"setweight({_words(self.text(self.title, row))}, 'A')"
        if self.body:
            vec += f" || setweight({_words(self.text(self.body, row))}, 'B')"
        return f"({vec})"


PUNCTUATION = r"[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x9f]+"
"""PostgreSQL: ASCII punctuation and control characters, made spaces before the text is cut
into words, so its words are SQLite's (letters and digits; the parser would otherwise keep
``/path``, ``a@b.example`` or ``x-ray`` whole). Locale-independent, unlike ``[:alnum:]``."""


def _words(text: str) -> str:
    return (f"to_tsvector('simple'::regconfig, regexp_replace({text}, '{PUNCTUATION}', ' ', "
            "'g'))")


KINDS: tuple[Kind, ...] = (
    Kind(1, "customer", "customer", ("name",), ("industry", "goals", "needs", "notes"), "id"),
    Kind(2, "contact", "contact", ("name",), ("role", "email")),
    Kind(3, "interaction", "interaction", ("summary",)),
    Kind(4, "expectation", "expectation", ("statement",)),
    Kind(5, "issue", "issue", ("title",), ("description", "resolution")),
    Kind(6, "risk", "risk", ("title",), ("description", "trigger", "mitigation", "contingency")),
    Kind(7, "decision", "decision", ("title",), ("options", "rationale", "participants")),
)
KIND_BY_CODE = {k.code: k for k in KINDS}
KIND_BY_NAME = {k.name: k for k in KINDS}


def is_postgres(db: Database) -> bool:
    """True on PostgreSQL (GIN expression indexes) rather than SQLite (FTS5 and triggers)."""
    return isinstance(db, PostgresqlDatabase)


def _entry(kind: Kind, row: str) -> str:
    return (f"INSERT INTO {TABLE}(rowid, customer_id, title, body) VALUES ({row}.id * 8 + "
            f"{kind.code}, {row}.{kind.customer}, {kind.text(kind.title, row)}, "
            f"{kind.text(kind.body, row)});")


def _forget(kind: Kind) -> str:
    return f"DELETE FROM {TABLE} WHERE rowid = old.id * 8 + {kind.code};"


def sqlite_statements() -> list[str]:
    """The FTS5 table and the triggers on every source table (after dropping old ones)."""
    out = [f"DROP TABLE IF EXISTS {TABLE}",
           f"CREATE VIRTUAL TABLE {TABLE} USING fts5(customer_id UNINDEXED, title, body, "
           "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"]
    for kind in KINDS:
        columns = [f'"{c}"' for c in dict.fromkeys(("id", kind.customer, *kind.title,
                                                     *kind.body))]
        watched = ", ".join(columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        out += [f"DROP TRIGGER IF EXISTS {TABLE}_{kind.table}_{when}"
                for when in ("insert", "update", "delete")]
        out += [
            f"CREATE TRIGGER {TABLE}_{kind.table}_insert AFTER INSERT ON {kind.table} "
            f"BEGIN {_entry(kind, 'new')} END",
            f"CREATE TRIGGER {TABLE}_{kind.table}_update AFTER UPDATE OF {watched} "
            f"ON {kind.table} WHEN {changed} BEGIN {_forget(kind)} {_entry(kind, 'new')} END",
            f"CREATE TRIGGER {TABLE}_{kind.table}_delete AFTER DELETE ON {kind.table} "
            f"BEGIN {_forget(kind)} END",
        ]
    return out


def sqlite_fill() -> list[str]:
    """Statements that index every existing row."""
    return [f"INSERT INTO {TABLE}(rowid, customer_id, title, body) SELECT id * 8 + {k.code}, "
            f"{k.customer}, {k.text(k.title)}, {k.text(k.body)} FROM {k.table}" for k in KINDS]


def postgres_statements() -> list[str]:
    """One GIN expression index per source table."""
    return [f"CREATE INDEX IF NOT EXISTS {TABLE}_{k.table} ON {k.table} USING gin "
            f"({k.vector()})" for k in KINDS]


def apply(db: Database) -> None:
    """Make the index (SQLite: table, triggers, filled from the rows; PostgreSQL: GIN
    indexes). Run again, it rebuilds the SQLite index from the rows."""
    statements = (postgres_statements() if is_postgres(db)
                  else sqlite_statements() + sqlite_fill())
    for sql in statements:
        db.execute_sql(sql)


def rebuild(db: Database) -> None:
    """Index every row again (SQLite; PostgreSQL's indexes need nothing): the repair."""
    if is_postgres(db):
        return
    with db.atomic():
        db.execute_sql(f"DELETE FROM {TABLE}")
        for sql in sqlite_fill():
            db.execute_sql(sql)
