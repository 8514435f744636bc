"""Today's streams under their former name (now ``relboard.services.today.streams``): the
tests read its cache of prepared shapes (``_ordered``) here."""

from relboard.services.today.streams import _ordered  # noqa: F401
