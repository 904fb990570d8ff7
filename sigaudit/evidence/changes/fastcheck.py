"""A fast, conservative reading of the revisions after a signature.

pyHanko's difference analysis walks the whole object graph of every revision (about half
of the validation time on multi-signature documents).  Almost every later revision in an
administrative document is the next signature: a new signature value, a new signature
field and widget, the field appended to ``/AcroForm /Fields`` and the widget to the page's
``/Annots``.  ``signature_additions_only`` recognises exactly that shape by comparing the
few objects such a revision writes with their previous versions, and answers

- ``Modification.FORM_FILLING``: only signatures were added (pyHanko's FORM_FILLING);
- ``Modification.NONE``: only document timestamps were added (pyHanko's LTA_UPDATES);
- ``None``: anything else — the caller runs pyHanko's full analysis.

It never says more than that, so it cannot hide a change: every object a revision writes
must be one of the recognised kinds, and every existing object it rewrites may differ
from its previous version only by the appended entries.  Documents with DocMDP/FieldMDP
locks, freed objects or hybrid cross-references always go to pyHanko.  A test checks that
wherever it answers, pyHanko's analysis gives the same level (tests/test_fastpath.py).
"""

from __future__ import annotations

import logging
from typing import Any

from pyhanko.pdf_utils import generic

from sigaudit.evidence.structure import content_stream_refs
from sigaudit.model import Modification

log = logging.getLogger(__name__)

MAX_OBJECTS = 200  # a signature revision writes a handful; more means "not that shape"


def signature_additions_only(reader: Any, signed_revision: int | None) -> Modification | None:
    if signed_revision is None:
        return None
    try:
        xrefs = reader.xrefs
        total = xrefs.total_revisions
        if signed_revision >= total - 1:
            return Modification.NONE
        if xrefs.hybrid_xrefs_present or "/Perms" in reader.root:
            return None
        signature_added = False
        unknown = False
        for revision in range(signed_revision + 1, total):
            kind = _cached_kind(reader, revision)
            if kind == "page content":
                # Rewriting what a page draws is beyond any level pyHanko allows.
                return Modification.OTHER
            unknown |= kind is None
            signature_added |= kind == "signature"
        if unknown:
            return None
        return Modification.FORM_FILLING if signature_added else Modification.NONE
    except Exception:
        log.debug("fast revision check gave up", exc_info=True)
        return None


def _cached_content_streams(reader: Any) -> set[tuple[int, int]]:
    cached = getattr(reader, "_sigaudit_content_streams", None)
    if cached is None:
        cached = content_stream_refs(reader)
        try:
            reader._sigaudit_content_streams = cached
        except AttributeError:
            pass
    return cached


def _cached_kind(reader: Any, revision: int) -> str | None:
    """One look per revision and document, whichever signature asks (each signature's
    check covers all revisions after it)."""
    memo = getattr(reader, "_sigaudit_revision_kinds", None)
    if memo is None:
        memo = {}
        try:
            reader._sigaudit_revision_kinds = memo
        except AttributeError:
            return _revision_kind(reader, revision)
    if revision not in memo:
        memo[revision] = _revision_kind(reader, revision)
    return memo[revision]


def _revision_kind(reader: Any, revision: int) -> str | None:
    """'signature', 'timestamp', 'page content' (a page's content was rewritten), or None
    when the revision is anything else."""
    xrefs = reader.xrefs
    if xrefs.refs_freed_in_revision(revision):
        return None
    refs = xrefs.explicit_refs_in_revision(revision)
    if len(refs) > MAX_OBJECTS:
        return None
    info = reader.trailer.flatten(revision).raw_get("/Info") if "/Info" in reader.trailer.flatten(revision) else None
    info_key = (info.idnum, info.generation) if isinstance(info, generic.IndirectObject) else None
    new: dict[tuple[int, int], Any] = {}
    changed: list[tuple[Any, Any]] = []
    for ref in refs:
        key = (ref.idnum, ref.generation)
        obj = reader.get_object(ref, revision=revision)
        if xrefs.get_introducing_revision(ref) == revision:
            new[key] = obj
        elif (
            key == info_key and isinstance(obj, generic.DictionaryObject) and not isinstance(obj, generic.StreamObject)
        ):
            continue  # the document information dictionary (producer, dates): pyHanko allows it
        else:
            old = reader.get_object(ref, revision=revision - 1)
            # (the page tree is walked only when an existing stream was rewritten)
            if isinstance(old, generic.StreamObject) and key in _cached_content_streams(reader):
                return "page content"
            if _page_contents_changed(obj, old):
                return "page content"
            changed.append((obj, old))

    values = {k: o for k, o in new.items() if _is_signature_value(o)}
    if any(isinstance(o, generic.DictionaryObject) and "/Reference" in o for o in values.values()):
        return None  # DocMDP / FieldMDP transforms: pyHanko's rules apply
    fields = {k: o for k, o in new.items() if _is_signature_field(o, values)}
    for key, obj in new.items():
        if key in values or key in fields or _is_inert_new_object(obj):
            continue
        return None
    if not values:
        return None  # a revision that adds no signature is not this shape
    added = set(fields)
    for obj, old in changed:
        if not _only_appended(obj, old, added):
            return None
    timestamps = all(o.get("/Type") == "/DocTimeStamp" for o in values.values())
    return "timestamp" if timestamps else "signature"


def _page_contents_changed(new: Any, old: Any) -> bool:
    if not (isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)):
        return False
    if old.get("/Type") != "/Page" or "/Contents" not in old or "/Contents" not in new:
        return False
    return bool(new.raw_get("/Contents") != old.raw_get("/Contents"))


def _is_signature_value(obj: Any) -> bool:
    return (
        isinstance(obj, generic.DictionaryObject)
        and obj.get("/Type") in ("/Sig", "/DocTimeStamp")
        and "/ByteRange" in obj
        and "/Contents" in obj
    )


def _is_signature_field(obj: Any, values: dict[tuple[int, int], Any]) -> bool:
    """A new signature field (merged with its widget) whose value is a new signature."""
    if not isinstance(obj, generic.DictionaryObject) or obj.get("/FT") != "/Sig" or "/Kids" in obj:
        return False
    if "/Parent" in obj:
        return False
    raw = obj.raw_get("/V") if "/V" in obj else None
    return isinstance(raw, generic.IndirectObject) and (raw.idnum, raw.generation) in values


def _is_inert_new_object(obj: Any) -> bool:
    """New objects that change nothing unless an existing object points at them: the
    appearance streams of a new widget, cross-reference and object streams."""
    if isinstance(obj, generic.StreamObject):
        return obj.get("/Type") in ("/XRef", "/ObjStm") or obj.get("/Subtype") == "/Form"
    return False


def _only_appended(new: Any, old: Any, added: set[tuple[int, int]]) -> bool:
    """``new`` equals ``old`` except for new signature fields appended to arrays
    (``/Fields``, ``/Annots``), directly or in a dictionary's entry of that name."""
    if isinstance(new, generic.ArrayObject) and isinstance(old, generic.ArrayObject):
        return _appended_array(new, old, added)
    if not (isinstance(new, generic.DictionaryObject) and isinstance(old, generic.DictionaryObject)):
        return False
    if isinstance(new, generic.StreamObject) or isinstance(old, generic.StreamObject):
        return False
    if set(new.keys()) - {"/Fields", "/Annots", "/AcroForm", "/SigFlags"} != set(old.keys()) - {
        "/Fields",
        "/Annots",
        "/AcroForm",
        "/SigFlags",
    }:
        return False
    for key in new.keys():
        if key in ("/Fields", "/Annots"):
            continue
        if key in ("/AcroForm", "/SigFlags") and key not in old:
            # The first signature of a file creates the form: only from an existing object.
            return False
        if new.raw_get(key) != old.raw_get(key):
            return False
    for key in ("/Fields", "/Annots"):
        if key not in new:
            if key in old:
                return False
            continue
        raw_new, raw_old = new.raw_get(key), old.raw_get(key) if key in old else None
        if isinstance(raw_new, generic.IndirectObject):
            if raw_new != raw_old:
                return False  # the array object itself is checked where it was rewritten
            continue
        if raw_old is None:
            raw_old = generic.ArrayObject()
        if isinstance(raw_old, generic.IndirectObject) or not _appended_array(raw_new, raw_old, added):
            return False
    return True


def _appended_array(new: Any, old: Any, added: set[tuple[int, int]]) -> bool:
    if len(new) < len(old):
        return False
    for i in range(len(old)):
        if new.raw_get(i) != old.raw_get(i):
            return False
    for i in range(len(old), len(new)):
        item = new.raw_get(i)
        if not isinstance(item, generic.IndirectObject) or (item.idnum, item.generation) not in added:
            return False
    return len(new) > len(old)
