"""Today's streams under their former name (``relboard.services.today.streams``): the tests
read its cache of prepared shapes (``_ordered``) here."""

from relboard.services.today.streams import (  # noqa: F401
    Stream, _ordered, archived_customers, customers_of_who, fetch_together, on_duty, scoped,
    snoozed)
