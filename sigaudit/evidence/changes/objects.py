"""Redefined objects compared with their signed value, shallowly: references by object
number (a referenced object that was itself redefined is judged on its own; one that was
not is the same bytes), arrays that may only be appended to with new objects."""

from __future__ import annotations

from typing import Any

from sigaudit.evidence.changes.compare import _ref
from sigaudit.evidence.pdfdict import entry


def _differing_keys(before: Any, after: Any) -> set[str] | None:
    """The entries whose values differ (references compared by number); None when the two
    cannot be compared entry by entry (a stream whose data changed, another type)."""
    from pyhanko.pdf_utils import generic

    if isinstance(before, generic.StreamObject) or isinstance(after, generic.StreamObject):
        if not (isinstance(before, generic.StreamObject) and isinstance(after, generic.StreamObject)):
            return None
        try:
            if before.data != after.data:
                return None
        except Exception:
            return None
        keys = {k for k in set(before.keys()) | set(after.keys()) if k not in ("/Length", "/Filter", "/DecodeParms")}
    elif isinstance(before, generic.DictionaryObject) and isinstance(after, generic.DictionaryObject):
        keys = set(before.keys()) | set(after.keys())
    else:
        return set() if _same(before, after) else None
    return {k for k in keys if k not in before or k not in after or not _same(before.raw_get(k), after.raw_get(k))}


def _same(a: Any, b: Any) -> bool:
    """The same value, references compared by object number (shallow)."""
    from pyhanko.pdf_utils import generic

    if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
        return isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject) and _ref(a) == _ref(b)
    if isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject):
        if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
            return False
        return set(a.keys()) == set(b.keys()) and all(_same(a.raw_get(k), b.raw_get(k)) for k in a.keys())
    if isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject):
        return len(a) == len(b) and all(_same(a.raw_get(i), b.raw_get(i)) for i in range(len(a)))
    if isinstance(a, (generic.DictionaryObject, generic.ArrayObject)) or isinstance(
        b, (generic.DictionaryObject, generic.ArrayObject)
    ):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return type(a) is type(b) and bool(a == b)


def _is_new(ref: Any, old: Any, reader: Any) -> bool:
    """Introduced after the signed revision (not an object the signed revision holds)."""
    ref = getattr(ref, "reference", ref)
    return bool(reader.xrefs.get_introducing_revision(ref) > old.revision)


def _is_new_sig_field(ref: Any, old: Any, reader: Any) -> bool:
    if not _is_new(ref, old, reader):
        return False
    node = ref.get_object()
    return bool(entry(node, "/FT") == "/Sig" and "/Kids" not in node and entry(node, "/Subtype") == "/Widget")


def _array_appended(before: Any, after: Any, old: Any, reader: Any) -> list[Any] | None:
    """The references ``after`` appends to ``before`` (all new objects); None otherwise."""
    from pyhanko.pdf_utils import generic

    if not (isinstance(before, generic.ArrayObject) and isinstance(after, generic.ArrayObject)):
        return None
    if len(after) < len(before) or not all(_same(before.raw_get(i), after.raw_get(i)) for i in range(len(before))):
        return None
    added = [after.raw_get(i) for i in range(len(before), len(after))]
    if not all(isinstance(r, generic.IndirectObject) and _is_new(r, old, reader) for r in added):
        return None
    return added


def _appended(before: Any, after: Any, key: str, old: Any, reader: Any) -> list[Any] | None:
    """What the ``key`` array of ``after`` appends to that of ``before`` (absent: empty)."""
    from pyhanko.pdf_utils import generic

    old_value = before.raw_get(key) if key in before else generic.ArrayObject()
    new_value = after.raw_get(key) if key in after else generic.ArrayObject()
    if isinstance(old_value, generic.IndirectObject) and _same(old_value, new_value):
        return []  # the same array object: judged under its own role
    if isinstance(new_value, generic.IndirectObject):
        if not _is_new(new_value, old, reader):
            return None
        new_value = new_value.get_object()
    if isinstance(old_value, generic.IndirectObject):
        old_value = old_value.get_object()
    return _array_appended(old_value, new_value, old, reader)


def _array_appends(before: Any, after: Any, old: Any, reader: Any, allowed: Any) -> bool:
    added = _array_appended(before, after, old, reader)
    return added is not None and all(allowed(r, old, reader) for r in added)


def _appends_only(before: Any, after: Any, key: str, old: Any, reader: Any, allowed: Any) -> bool:
    added = _appended(before, after, key, old, reader)
    return added is not None and all(allowed(r, old, reader) for r in added)
