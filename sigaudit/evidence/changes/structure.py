"""The text a tagged PDF gives for its content, in place of what the page draws.

A tagged PDF's logical structure (its structure elements) may say what a stretch of the
page reads as: ``/ActualText`` (the exact text of what is drawn: a screen reader speaks it,
Acrobat copies and searches it), ``/Alt`` (a description of a figure or a formula) and
``/E`` (the expansion of an abbreviation).  The real e-office exports are tagged (Word's
exports), so a later revision that gives the signed date's paragraph the text
"ngày 30 tháng 12 năm 2025" changes what the document says to anyone who reads it other
than with their eyes, and to every tool that copies its text, while no pixel changes.

The closed list (``harmless.py``) lets the structure gain entries for new widgets; here the
elements a later revision writes are judged by those texts: an element of the signed
revision whose texts changed, or a new element with a text of its own, is a change, unless
the element marks nothing but annotations added after signing (a signature field's element,
described as such).  Only objects the later revisions write are read: the tree is not
walked.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

TEXT_KEYS = ("/ActualText", "/Alt", "/E")
MAX_WRITTEN = 20_000


def texts_changed(reader: Any, signed_revision: int) -> list[str]:
    """The changes (for people) of structure elements' texts after ``signed_revision``;
    [] when there are none.  Raises where the file cannot be read."""
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    old = reader.get_historical_resolver(signed_revision)
    written: dict[tuple[int, int], Any] = {}
    for revision in range(signed_revision + 1, xrefs.total_revisions):
        for ref in xrefs.explicit_refs_in_revision(revision):
            written[(ref.idnum, ref.generation)] = ref
        if len(written) > MAX_WRITTEN:
            return ["logical structure (too many objects written to judge their texts)"]
    if not _structure_touched(reader, old, written, signed_revision):
        return []
    out: list[str] = []
    for key in sorted(written):
        ref = written[key]
        try:
            obj = reader.get_object(ref)
        except Exception:  # a free entry, an object the parser cannot find: no element
            # (a section whose entries point elsewhere than their objects is a revision
            # break of its own, revisions.py)
            continue
        if not _element(obj):
            continue
        texts = _texts(obj)
        if _introduced(reader, ref) <= signed_revision:
            try:
                before = old.get_object(ref)
            except Exception:
                before = None  # what it was cannot be read: its texts are new
            was = _texts(before) if _element(before) else {}
            if _element(before) and was == texts:
                continue
            changed = sorted({k for k in TEXT_KEYS if was.get(k) != texts.get(k)})
        elif texts:
            changed = sorted(texts)
        else:
            continue
        if not changed or _marks_only_new_annotations(obj, signed_revision, reader, generic):
            continue
        role = str(obj.get("/S", "/?"))[1:]
        out.append(f"logical structure text ({role}: {' '.join(k[1:] for k in changed)})")
    return out


def _structure_touched(reader: Any, old: Any, written: dict[tuple[int, int], Any], signed_revision: int) -> bool:
    """Whether the later revisions redefine an object of the signed structure (an element,
    the tree's root, a node of its parent tree) or give the catalog another structure tree:
    a new element is part of the structure only through one of those."""
    from sigaudit.evidence.changes.compare import _ref
    from sigaudit.evidence.changes.harmless import _structure_role

    try:
        trees = [
            _ref(root.raw_get("/StructTreeRoot")) if "/StructTreeRoot" in root else None
            for root in (old.root, reader.root)
        ]
    except Exception:
        return True  # a revision's catalog cannot be read (a trailer without /Root): judged element by element
    if trees[0] != trees[1]:
        return True
    for ref in written.values():
        if _introduced(reader, ref) > signed_revision:
            continue
        try:
            before = old.get_object(ref)
        except Exception:
            return True  # what it was cannot be read: judged element by element
        if _element(before) or _structure_role(before) is not None:
            return True
    return False


def _element(obj: Any) -> bool:
    """A structure element: typed so, or, untyped (the type is optional), shaped so — a
    structure type with a parent, kids, a page or one of the texts (an action or a
    transition has a type name /S too, and none of these)."""
    from pyhanko.pdf_utils import generic

    if not isinstance(obj, generic.DictionaryObject) or isinstance(obj, generic.StreamObject):
        return False
    if "/Type" in obj:
        return obj.get("/Type") == "/StructElem"
    return "/S" in obj and any(key in obj for key in ("/P", "/K", "/Pg", *TEXT_KEYS))


def _texts(obj: Any) -> dict[str, str]:
    out = {}
    for key in TEXT_KEYS:
        if key in obj:
            try:
                out[key] = str(obj[key])
            except Exception:  # an unreadable text is a text: compared by its failure
                out[key] = "\ufffd"
    return out


def _marks_only_new_annotations(obj: Any, signed_revision: int, reader: Any, generic: Any) -> bool:
    """Whether the element's kids are all object references (OBJR) to annotations made
    after signing: a new signature field's element describes that field, nothing signed."""
    kids = obj.get("/K")
    items = list(kids) if isinstance(kids, generic.ArrayObject) else [kids]
    if not items or any(item is None for item in items):
        return False
    for item in items:
        kid = item.get_object() if isinstance(item, generic.IndirectObject) else item
        if not isinstance(kid, generic.DictionaryObject) or kid.get("/Type") != "/OBJR":
            return False  # marked content of a page (an MCID), or another element
        target = kid.raw_get("/Obj") if "/Obj" in kid else None
        if not isinstance(target, generic.IndirectObject):
            return False
        if _introduced(reader, target.reference) <= signed_revision:
            return False
        if target.get_object().get("/Type") not in (None, "/Annot") or "/Subtype" not in target.get_object():
            return False
    return True


def _introduced(reader: Any, ref: Any) -> float:
    """The revision that introduced the object; infinitely late for an entry the parser
    does not list (a free entry's generation, 65534): no object of the signed revision."""
    try:
        return int(reader.xrefs.get_introducing_revision(ref))
    except KeyError:
        return float("inf")
