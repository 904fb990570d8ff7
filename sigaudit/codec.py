"""Evidence ⇄ plain JSON data, driven by the dataclass type hints of ``model.py``.

Used by the content cache (a cache folder may be shared between users or cluster workers,
so it holds data, never pickles).  ``from_data(to_data(x)) == x`` for every evidence
object; a test checks it on the whole fixture corpus.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


_PRIMITIVES = (str, int, float, bool, type(None))


def to_data(value: Any) -> Any:
    if isinstance(value, _PRIMITIVES):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    names = _field_names(type(value))
    if names is not None:
        return {name: to_data(getattr(value, name)) for name in names}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild an instance of the dataclass ``cls``; unknown keys are an error."""
    return _decoder(cls)(data)  # type: ignore[no-any-return]


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """A decoding function for ``tp``, built once per type (the cache reads thousands of
    entries per second, so the type hints are not walked per value)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        real = [a for a in args if a is not type(None)]
        if len(real) != 1:
            raise TypeError(f"ambiguous union {tp}")
        inner = _decoder(real[0])
        if type(None) in args:
            return lambda data: None if data is None else inner(data)
        return inner
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data: tuple(item(v) for v in _list(data))
        items = [_decoder(a) for a in args]
        return lambda data: tuple(f(v) for f, v in zip(items, _list(data), strict=False))
    if tp is Any:
        return lambda data: data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass_decoder(tp)
        if issubclass(tp, enum.Enum):
            return tp
        if tp is dt.datetime:
            return dt.datetime.fromisoformat
        if tp is dt.date:
            return dt.date.fromisoformat
        if tp in (str, int, float, bool):
            return _scalar(tp)
    raise TypeError(f"unsupported type {tp!r}")


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    fields: dict[str, Decoder] = {}

    def decode(data: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"{cls.__name__}: expected an object")
        unknown = data.keys() - names
        if unknown:
            raise TypeError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
        if not fields:
            fields.update({name: _decoder(hints[name]) for name in names})
        return cls(**{k: fields[k](v) for k, v in data.items()})

    return decode


def _scalar(tp: type) -> Decoder:
    def decode(data: Any) -> Any:
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data

    return decode


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("expected an array")
    return data
