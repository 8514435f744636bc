"""Schema 18: the texts a list's word filter matches, indexed by their three-letter pieces.

The issue queue's word filter keeps issues whose title, customer's name or owner contains
each word, any part of a word ("ogin" finds "Login"). It was checked row by row as the queue's
index was walked in its order: a word few issues hold walked every issue (2.5-3.4 s on a
1M-record board, at every key typed). A trigram index answers "which rows contain this
piece of text" from the index (``services.word_lookup`` then reads only those rows).

* **SQLite**: an FTS5 table per indexed table, ``<table>_trigrams(text)`` with the
  ``trigram`` tokenizer (SQLite 3.34 and newer; on an older SQLite nothing is made and the
  filter walks as before), its rowid the record's id, kept in step by triggers like the
  search index's; filled here from the rows.
* **PostgreSQL**: ``pg_trgm`` (a trusted extension: any user who may create in the database
  may add it) and a GIN index per indexed column, which ``ILIKE`` uses. Where the extension
  cannot be made, nothing is made: the lookups scan instead.

* ``expectation(owner, current_due, id)``: the owners of expectations are read by a skip
  through it (one seek per owner), as the issues' are through theirs.

The declarations are frozen here (a migration never reads services); ``word_lookup`` holds
the same, and a test holds the two equal.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

NAME = ("the word filter's lookups: trigram indexes of issue titles, expectations and customer "
        "names")

TRIGRAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("issue", ("title",)), ("customer", ("name",)), ("expectation", ("statement", "category")))
"""Each indexed table and the columns its text joins (by spaces)."""


def table_of(table: str) -> str:
    """The FTS5 table indexing ``table`` (SQLite)."""
    return f"{table}_trigrams"


def _text(columns: tuple[str, ...], row: str = "") -> str:
    prefix = f"{row}." if row else ""
    return " || ' ' || ".join(f"coalesce({prefix}\"{c}\", '')" for c in columns)


def sqlite_statements() -> list[str]:
    """Each FTS5 table and its triggers (after dropping old ones)."""
    out = []
    for table, columns in TRIGRAMS:
        fts = table_of(table)
        watched = ", ".join(f'"{c}"' for c in columns)
        changed = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in columns)
        add = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, {_text(columns, 'new')});"
        forget = f"DELETE FROM {fts} WHERE rowid = old.id;"
        out += [f"DROP TRIGGER IF EXISTS {fts}_{when}" for when in ("insert", "update", "delete")]
        out += [f"DROP TABLE IF EXISTS {fts}",
                f"CREATE VIRTUAL TABLE {fts} USING fts5(text, tokenize = 'trigram')",
                f"CREATE TRIGGER {fts}_insert AFTER INSERT ON \"{table}\" BEGIN {add} END",
                f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {watched} ON \"{table}\" "
                f"WHEN {changed} BEGIN {forget} {add} END",
                f"CREATE TRIGGER {fts}_delete AFTER DELETE ON \"{table}\" BEGIN {forget} END"]
    return out


def sqlite_fill() -> list[str]:
    """Statements that index every existing row."""
    return [f"INSERT INTO {table_of(table)}(rowid, text) SELECT id, {_text(columns)} "
            f"FROM \"{table}\"" for table, columns in TRIGRAMS]


def postgres_statements() -> list[str]:
    """The extension and one GIN trigram index per indexed column."""
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
        f'USING gin ("{column}" gin_trgm_ops)'
        for table, columns in TRIGRAMS for column in columns]


def sqlite_has_trigrams() -> bool:
    """Whether this SQLite has the ``trigram`` tokenizer (3.34 and newer); asked of a
    database in memory, so the board's own connection is left as it was."""
    import sqlite3

    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize = 'trigram')")
    except sqlite3.Error:  # "no such tokenizer": an older SQLite
        return False
    finally:
        probe.close()
    return True


OWNER_INDEX = ("expectation", ("owner", "current_due", "id"))


def apply(db: Database) -> None:
    """The expectations' owner index, then the trigram indexes (``apply_trigrams``)."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    table, columns = OWNER_INDEX
    if list(columns) not in [list(i.columns) for i in db.get_indexes(table)]:
        run(SchemaMigrator.from_database(db).add_index(table, columns, False))
    apply_trigrams(db)


def apply_trigrams(db: Database) -> None:
    """Make the trigram indexes (SQLite: tables, triggers, filled from the rows; PostgreSQL:
    the extension and GIN indexes, or nothing where the extension cannot be made). Run
    again, it rebuilds the SQLite tables from the rows."""
    if isinstance(db, PostgresqlDatabase):
        try:
            with db.atomic():  # a savepoint: a refused extension leaves the step's work
                for sql in postgres_statements():
                    db.execute_sql(sql)
        except Exception:  # noqa: BLE001 - no pg_trgm here: the lookups scan instead
            pass
        return
    if not sqlite_has_trigrams():
        return
    for sql in sqlite_statements() + sqlite_fill():
        db.execute_sql(sql)
