"""Frozen dataclasses to JSON and back, led by their type hints (the Portfolio's kept figures).

``encode(tp, value)`` writes a value of type ``tp`` as JSON-ready data; ``decode(tp, raw)``
reads it back and checks every part against ``tp`` on the way, so data read from a shared
database that is not what this code wrote (another version's, a damaged row, a hand-edited
one) is refused with ``ShapeError``, never half-read. Handled: dataclasses, ``int``, ``float``
(numbers within ``LIMIT``, floats finite), ``str``, ``bool``, ``None`` and unions with it,
``datetime.date``, ``list[X]``, ``tuple[X, ...]``, ``dict[str, X]``, ``dict[tuple[...], X]``
(as a list of pairs) and ``Any`` (JSON values only). ``signature(tp)`` names the shape, so a
reader can tell a payload written by code of another shape without reading it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Union


class ShapeError(ValueError):
    """Data that is not of the type it was read as."""


LIMIT = 10 ** 15
"""No number read is larger than this (either sign): a count past it is no board's, and a
larger one (or NaN, infinity) would only break the arithmetic that shows it."""


def _number(raw: Any) -> bool:
    """Whether ``raw`` is a number read may take: not a bool, finite, within LIMIT."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return False
    return -LIMIT <= raw <= LIMIT  # NaN compares false; infinity is past the limit


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    """A dataclass's fields with their resolved types (worked out once a type)."""
    hints = typing.get_type_hints(tp)
    return {f.name: hints[f.name] for f in dataclasses.fields(tp)}


def _optional(tp: Any) -> Any | None:
    """``X`` of ``X | None`` (None for any other type)."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def encode(tp: Any, value: Any) -> Any:
    """``value`` (of type ``tp``) as JSON-ready data."""
    inner = _optional(tp)
    if inner is not None:
        return None if value is None else encode(inner, value)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return {name: encode(hint, getattr(value, name)) for name, hint in _hints(tp).items()}
    if tp is _dt.date:
        return value.isoformat()
    if origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        return [encode(args[0], item) for item in value]
    if origin is tuple:
        return [encode(a, item) for a, item in zip(args, value, strict=True)]
    if origin is dict:
        if typing.get_origin(args[0]) is tuple:
            return [[encode(args[0], k), encode(args[1], v)] for k, v in value.items()]
        return {k: encode(args[1], v) for k, v in value.items()}
    return value


def _check(ok: bool, tp: Any, raw: Any) -> None:
    if not ok:
        raise ShapeError(f"{str(raw)[:40]!r} is not {getattr(tp, '__name__', tp)}")


def _any(raw: Any) -> Any:
    """A JSON value as it is (Any)."""
    if raw is None or isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, (int, float)):
        _check(_number(raw), Any, raw)
        return raw
    if isinstance(raw, list):
        return [_any(x) for x in raw]
    _check(isinstance(raw, dict) and all(isinstance(k, str) for k in raw), Any, raw)
    return {k: _any(v) for k, v in raw.items()}


def decode(tp: Any, raw: Any) -> Any:
    """The value of type ``tp`` that ``encode`` wrote as ``raw``; ``ShapeError`` when ``raw``
    is not such data."""
    return _reader(tp)(raw)


Reader = Callable[[Any], Any]


@functools.cache
def _reader(tp: Any) -> Reader:
    """The function reading ``tp``'s data (made once a type: the checks are worked out
    from the hints once, not at every value)."""
    inner = _optional(tp)
    if inner is not None:
        some = _reader(inner)
        return lambda raw: None if raw is None else some(raw)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return _any
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_reader(tp)
    if tp is _dt.date:
        return _date
    if tp is float:
        return _float
    if tp in (int, str, bool):
        return functools.partial(_scalar, tp)
    if origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        return _sequence_reader(tp, _reader(args[0]), origin is list)
    if origin is tuple:
        items = [_reader(a) for a in args]

        def fixed(raw: Any) -> Any:
            _check(isinstance(raw, list) and len(raw) == len(items), tp, raw)
            return tuple(read(item) for read, item in zip(items, raw, strict=True))
        return fixed
    if origin is dict:
        return _dict_reader(tp, _reader(args[0]), _reader(args[1]),
                            typing.get_origin(args[0]) is tuple)
    raise ShapeError(f"cannot read a {tp}")


def _dataclass_reader(tp: type) -> Reader:
    readers = {name: _reader(hint) for name, hint in _hints(tp).items()}
    names = set(readers)

    def read(raw: Any) -> Any:
        _check(isinstance(raw, dict) and raw.keys() == names, tp, raw)
        return tp(**{name: r(raw[name]) for name, r in readers.items()})
    return read


def _sequence_reader(tp: Any, item: Reader, as_list: bool) -> Reader:
    def read(raw: Any) -> Any:
        _check(isinstance(raw, list), tp, raw)
        items = [item(x) for x in raw]
        return items if as_list else tuple(items)
    return read


def _dict_reader(tp: Any, key: Reader, value: Reader, pairs: bool) -> Reader:
    def read(raw: Any) -> Any:
        if pairs:
            _check(isinstance(raw, list) and all(isinstance(p, list) and len(p) == 2
                                                 for p in raw), tp, raw)
            return {key(k): value(v) for k, v in raw}
        _check(isinstance(raw, dict), tp, raw)
        return {key(k): value(v) for k, v in raw.items()}
    return read


def _date(raw: Any) -> _dt.date:
    _check(isinstance(raw, str), _dt.date, raw)
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise ShapeError(f"{raw[:40]!r} is not a date") from None


def _float(raw: Any) -> float:
    _check(_number(raw), float, raw)
    return float(raw)


def _scalar(tp: type, raw: Any) -> Any:
    _check(isinstance(raw, tp) and (tp is bool or not isinstance(raw, bool))
           and (tp is not int or _number(raw)), tp, raw)
    return raw


def signature(tp: Any) -> str:
    """The shape of ``tp`` as text: every field's name and type, nested dataclasses spelled
    out (two codes that write the same signature write the same data)."""
    inner = _optional(tp)
    if inner is not None:
        return f"{signature(inner)}?"
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        fields = ",".join(f"{n}:{signature(h)}" for n, h in _hints(tp).items())
        return f"{tp.__name__}{{{fields}}}"
    args = typing.get_args(tp)
    if args:
        name = getattr(typing.get_origin(tp), "__name__", str(tp))
        return f"{name}[{','.join('...' if a is Ellipsis else signature(a) for a in args)}]"
    return getattr(tp, "__name__", str(tp))
