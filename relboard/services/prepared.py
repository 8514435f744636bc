"""Queries built once and run many times: Peewee writes the SQL, later runs only bind values.

Turning a Peewee expression into SQL costs far more than SQLite takes to run a small indexed
query (0.6 ms against 0.07 ms for one of Today's walks). A ``Prepared`` query is written by
Peewee the first time, for the database in use, with ``slot`` markers where the values of
each run go (a moment, a user, a limit); later runs reuse the text and bind new values. The
rows come back as dicts with the same Python values Peewee's ``.dicts()`` gives.

A ``Shaped`` query carries its key with it, so list queries that are built in steps (a base,
then a filter, then a keyset window) are written once per shape too. ``CHECK`` (set by the
tests) makes every run also write its SQL afresh and compare: a value that varies but was
left out of the slots would otherwise stay the first run's.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from peewee import (
    OP,
    SQL,
    Alias,
    BooleanField,
    DateField,
    DateTimeField,
    Expression,
    Field,
    Node,
    NodeList,
    TimeField,
    Value,
    fn,
)

from relboard import models as m
from relboard.db import dialect
from relboard.services.prepared_pg import execute


@dataclass(frozen=True)
class Slot:
    """Where a run's value named ``name`` goes (converted by ``convert`` for the database)."""

    name: str
    convert: Callable[[Any], Any] | None = None


def slot(name: str, field: Field | None = None,
         convert: Callable[[Any], Any] | None = None) -> Node:
    """A placeholder for the value ``name`` (stored as ``field`` stores it, or passed through
    ``convert``)."""
    if field is not None:
        convert = field.db_value
    return Value(Slot(name, convert), converter=False)


def like_pattern(word: str) -> str:
    """``word`` as a LIKE pattern matching text that contains it (wildcards escaped with
    a backslash, as Peewee's ``contains`` does)."""
    word = word.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    return f"%{word}%"


def contains(node: Node, name: str) -> Expression:
    """``node`` contains the word in slot ``name``, case ignored (Peewee's ``contains`` with
    the word bound at each run)."""
    pattern = NodeList((slot(name, convert=like_pattern), SQL("ESCAPE"),
                        Value("\\", converter=False)))
    return Expression(node, OP.ILIKE, pattern)


class _InQuery(Expression):
    """``lhs IN (subquery)`` written once. Peewee writes the right side of an IN twice when
    it is a query: first to see whether it comes out as ``()`` (an empty list, which
    PostgreSQL refuses), then for real. A query never comes out empty, so the first is
    skipped: the shared filters of Today's walks (archived, snoozed, my customers) are
    subqueries, and their double writing was a third of Today's first read."""

    def _is_rhs_empty(self, rhs: Any, ctx: Any) -> bool:
        return False


def in_query(node: Any, query: Any) -> Expression:
    """``node IN (query)``, the subquery written once."""
    return _InQuery(node, OP.IN, query)


def not_in_query(node: Any, query: Any) -> Expression:
    """``node NOT IN (query)``, the subquery written once."""
    return _InQuery(node, OP.NOT_IN, query)


def among(node: Any, name: str) -> Expression:
    """``node`` is one of the values listed in slot ``name`` (one parameter whatever their
    number, so the text is written once: SQLite reads them from a JSON array, PostgreSQL
    from an array)."""
    if dialect(m.database_proxy.obj) == "postgresql":
        return Expression(node, OP.EQ, fn.ANY(slot(name, convert=list)))
    return Expression(node, OP.IN, NodeList(
        (SQL("(SELECT value FROM json_each("), slot(name, convert=json.dumps), SQL("))")),
        glue=""))


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

    read.fast = _dt.date.fromisoformat if isinstance(field, DateField) \
        else _dt.datetime.fromisoformat  # what a row function runs inline on the common form
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
    display with the readers inlined costs a third of a comprehension over the columns.
    Dates and moments stored in the common ISO form are parsed inline (``fast``); a row
    with another form is read again with every column's reader."""
    key = tuple(pairs)
    function = _ROW_FUNCTIONS.get(key)
    if function is None:
        scope: dict[str, Any] = {}
        slow, fast = [], []
        for n, (name, read) in enumerate(pairs):
            if read is None:
                slow.append(f"{name!r}: r[{n}]")
                fast.append(slow[-1])
                continue
            scope[f"read{n}"] = read
            slow.append(f"{name!r}: None if r[{n}] is None else read{n}(r[{n}])")
            if getattr(read, "fast", None) is None:
                fast.append(slow[-1])
            else:
                scope[f"fast{n}"] = read.fast
                fast.append(f"{name!r}: None if (x{n} := r[{n}]) is None else fast{n}(x{n}) "
                            f"if type(x{n}) is str else read{n}(x{n})")
        scope["slow"] = eval("lambda r: {" + ", ".join(slow) + "}", scope)  # noqa: S307 - names from code
        if fast == slow:
            function = scope["slow"]
        else:
            exec("def row(r):\n    try:\n        return {" + ", ".join(fast)  # noqa: S102
                 + "}\n    except ValueError:\n        return slow(r)\n", scope)
            function = scope["row"]
        if len(_ROW_FUNCTIONS) < 512:
            _ROW_FUNCTIONS[key] = function
    return function


Entries = list[tuple[tuple[int, ...], list[Any] | None]]
"""What a binder reads, in order: ``(path, params)``, those parameters with their slots read
from the mapping at ``path`` in a run's values (``()``: the values themselves), or ``(path,
None)``, the value at ``path`` itself (a count's cap)."""


def _binder(entries: Entries) -> Callable[[Any], list[Any]]:
    """A function from a run's values to the parameters of a text: its constants, and each
    slot's value (converted unless None), written once per text like the row functions."""
    scope: dict[str, Any] = {}
    items = []
    for e, (path, params) in enumerate(entries):
        at = "v" + "".join(f"[{step}]" for step in path)
        if params is None:
            items.append(at)
            continue
        for n, param in enumerate(params):
            if not isinstance(param, Slot):
                scope[f"k{e}_{n}"] = param
                items.append(f"k{e}_{n}")
            elif param.convert:
                scope[f"c{e}_{n}"] = param.convert
                items.append(f"(None if (x := {at}[{param.name!r}]) is None else c{e}_{n}(x))")
            else:
                items.append(f"{at}[{param.name!r}]")
    return eval("lambda v: [" + ", ".join(items) + "]", scope)  # noqa: S307 - names from code


def _interpreted_binder(entries: Entries) -> Callable[[Any], list[Any]]:
    """What ``_binder`` writes as code, read item by item instead: no code to compile (the
    board's first read, ``LATER``), a little slower a run."""
    plan: list[tuple[Any, ...]] = []
    for path, params in entries:
        if params is None:
            plan.append((True, path, None, None))
            continue
        plan += [(False, param) if not isinstance(param, Slot)
                 else (True, path, param.name, param.convert) for param in params]

    def bind(values: Any) -> list[Any]:
        out = []
        for item in plan:
            if not item[0]:
                out.append(item[1])
                continue
            source = values
            for step in item[1]:
                source = source[step]
            if item[2] is None:
                out.append(source)
                continue
            value = source[item[2]]
            out.append(value if value is None or item[3] is None else item[3](value))
        return out

    return bind


def _interpreted_row(pairs: list[tuple[str, Callable[[Any], Any] | None]]
                     ) -> Callable[[tuple], dict[str, Any]]:
    """What ``_row_function`` writes as code, read column by column instead (``LATER``)."""
    names = [name for name, _ in pairs]
    readers = [read for _, read in pairs]

    def row(r: tuple) -> dict[str, Any]:
        return {name: value if value is None or read is None else read(value)
                for name, read, value in zip(names, readers, r, strict=False)}

    return row


LATER: list[tuple[Any, list[Any], Entries]] | None = None
"""While the board starts, the texts made so far, with their columns' readers and binders'
entries: they read and bind interpreted (``_interpreted_*``: ~5 ms of compiling the code of
Today's first texts, a sixth of its first read, is left until Today is painted), and
``write_code`` gives them their code. None (the default): code at once. Changed and read
under ``_LATER_LOCK`` (reads run in worker threads too)."""
_LATER_LOCK = threading.Lock()


def write_later() -> None:
    """From now on, texts get their code once ``write_code`` runs (the board's start)."""
    global LATER
    with _LATER_LOCK:
        LATER = []


def write_code() -> None:
    """Write the code of every text made since ``write_later`` and make new ones with it."""
    global LATER
    with _LATER_LOCK:
        texts, LATER = LATER or [], None
    for text, pairs, entries in texts:
        text.row = _row_function(pairs)
        text.bind = _binder(entries)


@dataclass
class _Text:
    sql: str
    params: list[Any]
    row: Callable[[tuple], dict[str, Any]]
    """A cursor row to its dict (``_row_function`` of the columns' names and readers)."""
    bind: Callable[[Mapping[str, Any]], list[Any]]
    """A run's values to its parameters (``_binder``)."""
    columns: list[tuple[str, Any]] = _field(default_factory=list)
    """Each column's name and the node it reads (None: read as the driver gives it)."""
    layout: Any = None
    """How ``bind`` splits a run's values (None: one query's; ``prepared_union``'s layouts)."""
    server: Any = None
    """What ``prepared_pg`` made of it (its name and texts on the server), once it ran there."""


_CACHE: dict[tuple, _Text] = {}
CHECK = False
"""When true, every run also writes its SQL afresh and checks it against the cached text with
this run's values bound (the tests run with it)."""
KEPT: Callable[[tuple], _Text | None] | None = None
"""Where a text not written yet in this process may be found written by an earlier one
(``prepared_kept``, set by the board; None: nowhere)."""


def made(sql: str, params: list[Any], columns: list[tuple[str, Any]], layout: Any = None,
         entries: Entries | None = None) -> _Text:
    """A text from its SQL, parameters, columns (name, node read) and, for a union or a count
    (``prepared_union``), its layout and binder's ``entries`` (default: a single query's,
    its parameters read from the run's values)."""
    pairs = [(name, _reader(node)) for name, node in columns]
    entries = [((), params)] if entries is None else entries
    with _LATER_LOCK:
        if LATER is not None:
            text = _Text(sql, params, _interpreted_row(pairs), _interpreted_binder(entries),
                         columns, layout)
            LATER.append((text, pairs, entries))
            return text
    return _Text(sql, params, _row_function(pairs), _binder(entries), columns, layout)


def _text(key: tuple, build: Callable[[], Any]) -> _Text:
    db = m.database_proxy.obj
    full = (type(db).__name__, *key)
    text = _CACHE.get(full)
    if text is None:
        text = (KEPT and KEPT(full)) or _write(build())
        if len(_CACHE) >= 2048:  # shapes are few; a runaway key must not grow it for ever
            _CACHE.clear()
        _CACHE[full] = text
    return text


def _name(node: Any, index: int) -> str:
    """A column's key in the row dicts: its alias, its field name, else ``c<index>``."""
    for name in (getattr(node, "_alias", None), getattr(node, "name", None)):
        if isinstance(name, str) and name:
            return name
    return f"c{index}"


def _write(query: Any) -> _Text:
    sql, params = query.sql()
    nodes = getattr(query, "_returning", None) or []
    return made(sql, params, [(_name(n, i), n) for i, n in enumerate(nodes)])


def _bind(text: _Text, values: Mapping[str, Any]) -> list[Any]:
    return text.bind(values)


def _bound(key: tuple, build: Callable[[], Any], values: Mapping[str, Any]
           ) -> tuple[_Text, list[Any]]:
    text = _text(key, build)
    params = _bind(text, values)
    if CHECK:
        fresh = _write(build())
        if (fresh.sql, _bind(fresh, values)) != (text.sql, params):
            raise AssertionError(f"prepared query {key!r}: its SQL or values differ from the "
                                 f"first run's; a value is missing from the key or the slots:"
                                 f"\n{fresh.sql} {_bind(fresh, values)!r}\n{text.sql} "
                                 f"{params!r}")
    return text, params


def rows(key: tuple, build: Callable[[], Any], values: Mapping[str, Any]
         ) -> list[dict[str, Any]]:
    """The rows of the query ``build()`` (written once per ``key``) with ``values`` bound."""
    text, params = _bound(key, build, values)
    row = text.row
    return [row(r) for r in execute(m.database_proxy.obj, text, params).fetchall()]


@dataclass(frozen=True)
class Shaped:
    """A query named by its shape: ``build()`` makes it, with slots for the values that vary
    from run to run; ``key`` holds everything else that changes its SQL; ``values`` fill the
    slots. Built up in steps (``also``), it is written by Peewee once per shape."""

    key: tuple
    build: Callable[[], Any]
    values: Mapping[str, Any] = _field(default_factory=dict)

    def also(self, key: Any, change: Callable[[Any], Any], **values: Any) -> Shaped:
        """This query changed by ``change(query)``; ``key`` names the change (all that
        alters the SQL), ``values`` fill the slots it adds (names not used before)."""
        build = self.build
        return Shaped((*self.key, key), lambda: change(build()), {**self.values, **values})

    def rows(self) -> list[dict[str, Any]]:
        """Its rows, as ``rows`` gives them."""
        return rows(self.key, self.build, self.values)


def scalar(key: tuple, build: Callable[[], Any], values: Mapping[str, Any]) -> Any:
    """The single value of the query ``build()`` (written once per ``key``)."""
    text, params = _bound(key, build, values)
    row = execute(m.database_proxy.obj, text, params).fetchone()
    return row[0] if row else None
