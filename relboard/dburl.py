"""Database locations: a ``database`` setting split into an SQLite path or a server URL, and
URLs made safe to show (passwords masked). No database is opened here (``relboard.db``)."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from relboard.errors import DatabaseSpecError

SERVER_SCHEMES = ("postgres", "postgresql", "postgres+pool", "postgresql+pool", "postgresext",
                  "postgresqlext", "psycopg3", "psycopg3+pool")
"""URL schemes of the database servers relboard supports (PostgreSQL, via playhouse.db_url)."""

_URL_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*):[^/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)



def mask_url(spec: str) -> str:
    """``spec`` safe to show: a URL's password (``user:***@``, ``password=***``) masked."""
    return _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", spec))


def _scrub(text: str, spec: str) -> str:
    """A driver's message about ``spec`` with the password of ``spec`` masked wherever it is."""
    text = mask_url(text)
    try:
        password = urlsplit(spec).password
    except ValueError:
        password = None
    for secret in {password, unquote(password or "")} - {None, ""}:
        text = text.replace(secret, "***")
    return text


def parse_database_spec(spec: str) -> tuple[str, str]:
    """Split a ``database`` setting into ``("sqlite", path)`` or ``("url", url)``.

    Accepts a plain path (``~`` expanded), ``sqlite:///relative`` and ``sqlite:////absolute``;
    refuses ``sqlite://name`` (peewee would silently open an in-memory database) and
    ``:memory:`` (every thread would see its own empty database).
    """
    spec = (spec or "").strip()
    if not spec:
        raise DatabaseSpecError("database: empty location")
    if spec == ":memory:" or spec in ("sqlite://", "sqlite:///:memory:"):
        raise DatabaseSpecError(
            f"database: {spec!r} is in memory; relboard needs a file (sqlite:///path)"
        )
    if spec.startswith(("sqlite://", "sqlite+pool://")):
        scheme, rest = spec.split("://", 1)
        if not rest.startswith("/"):
            raise DatabaseSpecError(
                f"database: {spec} opens an in-memory database; use sqlite:///relative/path "
                "or sqlite:////absolute/path"
            )
        path = rest[1:].split("?", 1)[0]
        if not path or path == ":memory:":
            raise DatabaseSpecError(f"database: {spec} names no file")
        return "sqlite", os.path.expanduser(path)
    if "://" in spec:
        scheme = spec.split("://", 1)[0].lower()
        if scheme not in SERVER_SCHEMES:
            raise DatabaseSpecError(
                f"database: {mask_url(spec)}: relboard works with SQLite files and PostgreSQL, "
                f"not {scheme}; point database: at a file path or a "
                "postgresql://user@host/db URL")
        return "url", spec
    return "sqlite", os.path.expanduser(spec)
