"""Schema 10 (renewals) on both databases: a schema-9 board gets ``customer.renews_on`` and
the two indexes of Today's "Renewals ahead", every customer kept; running it again changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from relboard import models as m
from relboard.migrations import LATEST, m0010_renewals, migrate, schema_version
from relboard.services import records
from tests import factories as f

pytestmark = pytest.mark.both_databases

INDEXES = {("customer", "customer_archived_renews_on_id"),
           ("project", "project_archived_end_date_id")}


def _indexes(db) -> set[tuple[str, str]]:
    return {(t, i.name) for t in ("customer", "project") for i in db.get_indexes(t)}


def test_schema_9_gets_the_renewal_date_and_its_indexes(db, ctx):
    cid = f.customer(ctx, "Northwind")
    k = f.contact(ctx, cid)
    with db.atomic():  # back to schema 9
        for name in [name for _, name in INDEXES] + ["customer_archived_owner_renews_on_id"]:
            db.execute_sql(f'DROP INDEX "{name}"')  # the last one: schema 17's
        db.execute_sql('ALTER TABLE "customer" DROP COLUMN "renews_on"')  # SQLite >= 3.35
        m.SchemaMigration.delete().where(m.SchemaMigration.number >= 10).execute()
    assert schema_version(db) == 9
    assert "renews_on" not in {c.name for c in db.get_columns("customer")}
    assert migrate(db) == list(range(10, LATEST + 1))
    assert INDEXES <= _indexes(db)
    got = records.get("customer", cid)
    assert (got["name"], got["renews_on"]) == ("Northwind", None)
    assert m.Contact.get_by_id(k).customer_id == cid  # no stakeholder lost on the way
    version = records.update(ctx, "customer", cid, got["version"],
                             {"renews_on": dt.date(2027, 1, 31)})
    with db.atomic():
        m0010_renewals.apply(db)  # again: nothing to do, nothing breaks
    got = records.get("customer", cid)
    assert (got["renews_on"], got["version"]) == (dt.date(2027, 1, 31), version)
