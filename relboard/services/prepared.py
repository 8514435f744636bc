"""Queries built once and run many times: Peewee writes the SQL, later runs only bind values.

Turning a Peewee expression into SQL costs far more than SQLite takes to run a small indexed
query (0.6 ms against 0.07 ms for one of Today's walks). A ``Prepared`` query is written by
Peewee the first time, for the database in use, with ``slot`` markers where the values of
each run go (a moment, a user, a limit); later runs reuse the text and bind new values. The
rows come back as dicts with the same Python values Peewee's ``.dicts()`` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import datetime as _dt

from peewee import (Alias, BooleanField, DateField, DateTimeField, Field, Node, TimeField,
                    Value)

from relboard import models as m


@dataclass(frozen=True)
class Slot:
    """Where a run's value named ``name`` goes (converted by ``convert`` for the database)."""

    name: str
    convert: Callable[[Any], Any] | None = None


def slot(name: str, field: Field | None = None) -> Node:
    """A placeholder for the value ``name`` (stored as ``field`` stores it)."""
    return Value(Slot(name, field.db_value if field is not None else None), converter=False)


def _moment(field: Field) -> Callable[[Any], Any]:
    """Stored text to a datetime (or date), as Peewee reads it, the common forms fast."""
    def read(value: Any) -> Any:
        if isinstance(value, str):
            try:
                moment = _dt.datetime.fromisoformat(value)
            except ValueError:
                return field.python_value(value)
            return moment.date() if isinstance(field, DateField) else moment
        return field.python_value(value)

    return read


_READERS: dict[int, tuple[Any, Callable[[Any], Any] | None]] = {}


def _reader(node: Any) -> Callable[[Any], Any] | None:
    """How a column comes back as Peewee's ``.dicts()`` gives it (None: as the driver does);
    one function per field, so that rows of the same columns share one row function."""
    while isinstance(node, Alias):
        node = node.node
    known = _READERS.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    read = None
    if isinstance(node, (DateTimeField, DateField)) and not isinstance(node, TimeField):
        read = _moment(node)
    elif isinstance(node, (BooleanField, TimeField)):
        read = node.python_value
    if isinstance(node, Field):  # the model's own fields live as long as the app
        _READERS[id(node)] = (node, read)
    return read


_ROW_FUNCTIONS: dict[tuple, Callable[[tuple], dict[str, Any]]] = {}


def _row_function(pairs: list[tuple[str, Callable[[Any], Any] | None]]
                  ) -> Callable[[tuple], dict[str, Any]]:
    """A function from a cursor row to its dict, written once per list of columns: a dict
    display with the readers inlined costs a third of a comprehension over the columns."""
    key = tuple(pairs)
    function = _ROW_FUNCTIONS.get(key)
    if function is None:
        scope: dict[str, Any] = {}
        items = []
        for n, (name, read) in enumerate(pairs):
            if read is None:
                items.append(f"{name!r}: r[{n}]")
            else:
                scope[f"read{n}"] = read
                items.append(f"{name!r}: None if r[{n}] is None else read{n}(r[{n}])")
        function = eval("lambda r: {" + ", ".join(items) + "}", scope)  # noqa: S307 - names from code
        if len(_ROW_FUNCTIONS) < 512:
            _ROW_FUNCTIONS[key] = function
    return function


@dataclass
class _Text:
    sql: str
    params: list[Any]
    names: list[str]
    readers: list[Callable[[Any], Any] | None]


_CACHE: dict[tuple, _Text] = {}


def _text(key: tuple, build: Callable[[], Any]) -> _Text:
    db = m.database_proxy.obj
    full = (type(db).__name__, *key)
    text = _CACHE.get(full)
    if text is None:
        query = build()
        sql, params = query.sql()
        nodes = getattr(query, "_returning", None) or []
        names = [getattr(n, "_alias", None) or getattr(n, "name", None) or f"c{i}"
                 for i, n in enumerate(nodes)]
        text = _CACHE[full] = _Text(sql, params, names, [_reader(n) for n in nodes])
    return text


def _bind(text: _Text, values: dict[str, Any]) -> list[Any]:
    out = []
    for param in text.params:
        if isinstance(param, Slot):
            value = values[param.name]
            out.append(param.convert(value) if param.convert and value is not None else value)
        else:
            out.append(param)
    return out


def rows(key: tuple, build: Callable[[], Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the query ``build()`` (written once per ``key``) with ``values`` bound."""
    text = _text(key, build)
    cursor = m.database_proxy.obj.execute_sql(text.sql, _bind(text, values))
    pairs = list(zip(text.names, text.readers))
    return [{name: (read(v) if read and v is not None else v)
             for (name, read), v in zip(pairs, row)} for row in cursor.fetchall()]


def dicts(query: Any) -> list[dict[str, Any]]:
    """The rows of a Peewee SELECT as its ``.dicts()`` gives them, read from the cursor
    directly: Peewee's row wrapper converts every value of every row through its field
    (four times what SQLite takes to return 200 queue rows); here only dates, times and
    booleans are converted."""
    sql, params = query.sql()
    pairs = [(getattr(n, "_alias", None) or getattr(n, "name", None) or f"c{i}", _reader(n))
             for i, n in enumerate(query._returning)]
    row = _row_function(pairs)
    return [row(r) for r in m.database_proxy.obj.execute_sql(sql, params).fetchall()]


def scalar(key: tuple, build: Callable[[], Any], values: dict[str, Any]) -> Any:
    """The single value of the query ``build()`` (written once per ``key``)."""
    text = _text(key, build)
    row = m.database_proxy.obj.execute_sql(text.sql, _bind(text, values)).fetchone()
    return row[0] if row else None
