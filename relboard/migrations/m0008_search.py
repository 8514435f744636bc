"""Schema 8: "Search everything" — one word index over the records a PM looks for.

What is indexed and how is said once, beside the search that reads it
(``relboard.services.search_index``: ``KINDS``, the SQLite FTS5 table and triggers, the
PostgreSQL GIN indexes); this step makes it. ``apply`` is safe to run again (the index is
rebuilt from the rows).
"""

from __future__ import annotations

from relboard.services.search_index import KINDS, TABLE, Kind, apply, rebuild

NAME = "search everything: full-text index of customers, stakeholders and records"

__all__ = ["KINDS", "NAME", "TABLE", "Kind", "apply", "rebuild"]
