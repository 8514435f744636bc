"""Noticing other people's saves: a cheap counter screens poll to refresh themselves."""

from __future__ import annotations

from relboard.db import data_version


def version() -> int:
    """Changes whenever another connection (another PM, or a worker) commits (~3 µs)."""
    return data_version()
