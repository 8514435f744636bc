"""Schema 17: one PM's view of the contact and renewal walks reads only that PM's share.

Today's "Overdue for contact" in one PM's view lists the customers they own or nobody owns,
and the stakeholders of those customers; "Renewals ahead" those customers likewise. The
walks went through every customer (every stakeholder) of a cadence, or every renewal, and
kept the PM's: a PM with few or none of them walked all the others' (at 1M records, 66,666
stakeholders of one cadence for none: 45 ms of a board; the renewals 14 ms). With the owner
in the index key, each walk is a range of the PM's own (and one of nobody's).

* ``contact.account_owner``: the owner of the stakeholder's customer ("" for nobody), kept by
  the saves (``services.clocks``, as the last contacts are); filled here from the customers.
* ``contact(archived, cadence_days, account_owner, last_contact_at, id, customer_id)``,
  ``customer(archived, cadence_days, owner, last_contact_at, id)`` and ``customer(archived,
  owner, renews_on, id)``: the walks of one owner's share, in the order of everyone's.
"""

from __future__ import annotations

from peewee import Database

from relboard.migrations.index_steps import add_account_owner, add_missing

NAME = "my view's contact walks by owner: the stakeholder's account owner, owner-keyed indexes"

INDEXES = (("contact", ("archived", "cadence_days", "account_owner", "last_contact_at", "id",
                        "customer_id")),
           ("customer", ("archived", "cadence_days", "owner", "last_contact_at", "id")),
           ("customer", ("archived", "owner", "renews_on", "id")))


def apply(db: Database) -> None:
    """Add and fill the column, then the indexes (each only if a half-run did not leave it)."""
    add_account_owner(db, "contact")
    add_missing(db, INDEXES)
