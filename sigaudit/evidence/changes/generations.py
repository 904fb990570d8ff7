"""Objects of the signed revision replaced under another generation number.

A reference names an object by number and generation (``4 0 R``).  A later revision that
writes ``4 1 obj`` and lists it in its cross-reference section has, to the letter of ISO
32000-1 §7.3.10, made a new object: ``4 0 R`` now points at nothing.  Viewers do not read
it so: PDFium (Chrome, Edge, Foxit) and others resolve a reference by its number, and show
``4 1 obj`` wherever the signed page drew ``4 0 obj``.  A parser that keeps the letter
(pyHanko) still hands out the signed object for ``4 0 R``, so neither the closed list nor
the comparison by effect would see the page change.

Here each such object is judged as viewers see it: where something the final document
reaches still refers to the number under its signed generation, and the new object's value
differs from the signed one, it is a change that names the object.  An honest tool that
frees a signed object and reuses its number (Acrobat does, for a replaced appearance stream)
also rewrites whatever referred to it, so nothing refers to the old generation any more.
"""

from __future__ import annotations

import logging
from typing import Any

from sigaudit.evidence.changes.objects import _differing_keys

log = logging.getLogger(__name__)

MAX_WALKED = 200_000


def regenerated(reader: Any, signed_revision: int) -> list[str]:
    """The changes (for people) of objects replaced under another generation after
    ``signed_revision``; [] when there are none.  Raises where the file cannot be read."""
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    signed: dict[int, int] = {}
    for revision in range(signed_revision + 1):
        data = xrefs.get_xref_data(revision)
        for idnum, generation in _explicit(data):
            signed[idnum] = generation
        for idnum in data.freed:  # (pyHanko lists a freed entry among the explicit ones too)
            signed.pop(idnum, None)
    later: dict[int, int] = {}
    for revision in range(signed_revision + 1, xrefs.total_revisions):
        data = xrefs.get_xref_data(revision)
        for idnum, generation in _explicit(data):
            if idnum in signed and generation != signed[idnum] and idnum not in data.freed:
                later[idnum] = generation
    if not later:
        return []
    referred = _referred_under(reader, {(idnum, signed[idnum]) for idnum in later})
    if not referred:
        return []
    old = reader.get_historical_resolver(signed_revision)
    out = []
    for idnum in sorted(referred):
        before = old.get_object(generic.Reference(idnum, signed[idnum]))
        after = reader.get_object(generic.Reference(idnum, later[idnum]))
        if _differing_keys(before, after) != set():
            out.append(
                f"object {idnum} replaced under generation {later[idnum]} (viewers show it for {idnum} {signed[idnum]} R)"
            )
    return out


def _explicit(data: Any) -> list[tuple[int, int]]:
    """(number, generation) of what a section lists, its hybrid stream's too — as pyHanko's
    ``explicit_refs_in_revision``, without a ``Reference`` object per entry (20 times the
    cost over the real documents, on every signature's path)."""
    pairs = list(data.explicit_refs_in_revision)
    if data.hybrid is not None:
        pairs.extend(data.hybrid.xref_data.explicit_refs_in_revision)
    return pairs


def _referred_under(reader: Any, wanted: set[tuple[int, int]]) -> set[int]:
    """The numbers of ``wanted`` (number, generation) references that the final document
    still makes, from its trailer down."""
    from pyhanko.pdf_utils import generic

    found: set[int] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer.flatten()]
    while stack and len(seen) < MAX_WALKED:
        obj = stack.pop()
        if isinstance(obj, generic.IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in wanted:
                found.add(obj.idnum)
                continue
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = obj.get_object()
            except Exception:
                continue
        if isinstance(obj, generic.DictionaryObject):
            stack.extend(obj.raw_get(k) for k in obj.keys())
        elif isinstance(obj, generic.ArrayObject):
            stack.extend(obj.raw_get(i) for i in range(len(obj)))
    return found
