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
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    return value


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild an instance of the dataclass ``cls``; unknown keys are an error."""
    return _build(cls, data)  # type: ignore[no-any-return]


def _build(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        real = [a for a in args if a is not type(None)]
        if len(real) != 1:
            raise TypeError(f"ambiguous union {tp}")
        return _build(real[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in data)
        return tuple(_build(a, v) for a, v in zip(args, data))
    if tp is Any:
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            if not isinstance(data, dict):
                raise TypeError(f"{tp.__name__}: expected an object")
            hints = _hints(tp)
            names = {f.name for f in dataclasses.fields(tp) if f.init}
            unknown = set(data) - names
            if unknown:
                raise TypeError(f"{tp.__name__}: unknown fields {sorted(unknown)}")
            return tp(**{k: _build(hints[k], v) for k, v in data.items()})
        if issubclass(tp, enum.Enum):
            return tp(data)
        if tp is dt.datetime:
            return dt.datetime.fromisoformat(data)
        if tp is dt.date:
            return dt.date.fromisoformat(data)
        if tp in (str, int, float, bool):
            if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
                raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
            return data
    raise TypeError(f"unsupported type {tp!r}")
