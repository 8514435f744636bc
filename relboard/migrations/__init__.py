"""Numbered schema migrations: a database made by an older relboard is upgraded in place.

A new database gets every table from ``relboard.models`` (and the search index, which is no
model) and is stamped with the latest number.
An existing one runs each missing step, in order, each in its own transaction with its stamp,
so an interrupted upgrade resumes where it stopped and no row is lost. The version is read
inside that write transaction, under a lock every other migration waits for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import lru_cache

from peewee import Database, PostgresqlDatabase

from relboard.clock import utc_now
from relboard.errors import DatabaseUnusableError
from relboard.models import ENTITY_MODELS, SchemaMigration


class SchemaTooNewError(DatabaseUnusableError, RuntimeError):
    """The database's schema is not one this relboard can use as it is (newer; or, for a
    read-only viewer, older or absent)."""


class NotRelboardDatabaseError(DatabaseUnusableError):
    """The database holds another application's tables; relboard adds none of its own."""


def refuse_foreign(tables: Iterable[str], where: str) -> None:
    """Refuse a database that has tables but no relboard ``schema_migration`` table.

    An empty database is a new one; SQLite's own ``sqlite_*`` tables do not count.
    """
    names = {t for t in tables if not t.startswith("sqlite_")}
    if names and SchemaMigration._meta.table_name not in names:
        raise NotRelboardDatabaseError(
            f"database: {where} is not a relboard database (it holds another application's "
            "tables); relboard left it untouched — point database: at a relboard database "
            "or a new file name")


Step = tuple[int, str, Callable[[Database], None]]

STEP_MODULES = ((2, "m0002_issue_sla_pause"), (3, "m0003_snooze"), (4, "m0004_utc"),
                (5, "m0005_activity_version"), (6, "m0006_clocks"), (7, "m0007_insight"),
                (8, "m0008_search"), (9, "m0009_contact_sort"), (10, "m0010_renewals"),
                (11, "m0011_joint_risks"), (12, "m0012_tags"), (13, "m0013_playbooks"),
                (14, "m0014_settings"), (15, "m0015_risk_keys"), (16, "m0016_never_shared"),
                (17, "m0017_account_owner"), (18, "m0018_trigrams"),
                (19, "m0019_lowest_and_odd"), (20, "m0020_from_customers"),
                (21, "m0021_new_issues"), (22, "m0022_issue_account_owner"),
                (23, "m0023_more_account_owners"))
"""Each step's number and module (``NAME``, ``apply``): imported only when a database needs
them (a new or an older one), not on every start."""
LATEST = STEP_MODULES[-1][0]


def _step(name: str):
    return importlib.import_module(f"relboard.migrations.{name}")


@lru_cache(maxsize=1)
def steps() -> tuple[Step, ...]:
    """Every step in order: number, name, the function that applies it."""
    out: list[Step] = [(1, "initial schema", lambda db: None)]  # created whole when new
    for number, module in STEP_MODULES:
        step = _step(module)
        out.append((number, step.NAME, step.apply))
    return tuple(out)


def schema_version(db: Database, tables: Iterable[str] | None = None) -> int:
    """The highest applied migration number; 0 for an empty database.

    ``tables``: the database's table names when the caller has them (one query fewer).
    """
    tables = db.get_tables() if tables is None else tables
    if SchemaMigration._meta.table_name not in tables:
        return 0
    row = SchemaMigration.select(SchemaMigration.number).order_by(
        SchemaMigration.number.desc()
    ).first()
    return row.number if row else 0


def _tables(db: Database) -> list[str]:
    """The table names: the ones the first connection already read (``dbfile``), taken once
    (they may change after), else asked."""
    tables = getattr(db, "opened_tables", None)
    if tables is not None:
        db.opened_tables = None
        return tables
    return db.get_tables()


MIGRATION_LOCK = 0x72656C62  # "relb": PostgreSQL's advisory lock of relboard's migrations


def _locked(db: Database) -> None:
    """Inside a write transaction: wait for every other relboard migrating this database.
    SQLite's ``BEGIN IMMEDIATE`` (the database's ``lock_type``) already holds the write lock;
    PostgreSQL takes a transaction-scoped advisory lock."""
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))


def _too_new(current: int) -> SchemaTooNewError:
    return SchemaTooNewError(f"the database has schema version {current}; this relboard knows "
                             f"up to {LATEST} — upgrade relboard")


def migrate(db: Database, where: str | None = None) -> list[int]:
    """Bring ``db`` to the latest schema; return the numbers applied (empty if up to date).

    ``where`` names the database in refusals (a path, or a URL with its password masked).
    The version is read again and each step applied inside one write transaction that
    excludes every other migration (``_locked``), so two PMs opening a new or an older board
    at the same moment make it once: the second finds it done.
    """
    with db.bind_ctx([SchemaMigration]):
        tables = _tables(db)
        current = schema_version(db, tables)
        if current == 0:
            refuse_foreign(tables, where or str(db.database))
        if current > LATEST:
            raise _too_new(current)
        if current == LATEST:
            return []
        if current == 0:
            with db.atomic():
                _locked(db)
                current = schema_version(db)
                if current == 0:
                    refuse_foreign(db.get_tables(), where or str(db.database))
                    _create(db)
                    return [n for n, _, _ in steps()]
        applied = []
        for number, name, step in steps():
            with db.atomic():
                _locked(db)
                current = schema_version(db)
                if current > LATEST:
                    raise _too_new(current)
                if number <= current:
                    continue
                step(db)
                SchemaMigration.create(number=number, name=name, applied_at=utc_now())
            applied.append(number)
        return applied


def _create(db: Database) -> None:
    """A new database: every table, the search index and the stamps of every step."""
    db.create_tables([*ENTITY_MODELS, SchemaMigration])
    _step("m0008_search").apply(db)  # the search index is no model: made here too
    _step("m0009_contact_sort").apply_frozen_index(db)  # nor is a DESC column
    _step("m0023_more_account_owners").apply_joint_indexes(db)  # nor a partial index
    _step("m0020_from_customers").apply_owner_joint_indexes(db)
    _step("m0014_settings").apply(db)  # the board's own settings: no entity
    _step("m0018_trigrams").apply_trigrams(db)  # the word filter's: no model index either
    _step("m0019_lowest_and_odd").apply_odd_index(db)
    _step("m0021_new_issues").apply_new_indexes(db)
    _step("m0022_issue_account_owner").apply_new_index(db)
    now = utc_now()
    SchemaMigration.insert_many(
        [(n, name, now) for n, name, _ in steps()],
        fields=[SchemaMigration.number, SchemaMigration.name, SchemaMigration.applied_at],
    ).execute()


def require_current(db: Database, where: str | None = None) -> None:
    """For a read-only viewer: the schema must be this relboard's, as nothing can be changed."""
    with db.bind_ctx([SchemaMigration]):
        tables = _tables(db)
        current = schema_version(db, tables)
    if current == LATEST:
        return
    if current == 0:
        refuse_foreign(tables, where or str(db.database))
        raise SchemaTooNewError(f"database: {where or db.database} holds no relboard board yet; "
                                "a read-only viewer opens an existing one")
    if current > LATEST:
        raise _too_new(current)
    raise SchemaTooNewError(f"the database has schema version {current} and needs the upgrade "
                            f"to {LATEST}: open it once without --read-only (or ask a PM to)")
