"""Byte-level facts about signed files that pyHanko does not report as such.

- the layout of each /ByteRange (the unsigned gap must be exactly the signature value);
- bytes after the last %%EOF that no signature covers;
- what the revisions after a signature changed, by kind of object.

All functions are pure and cheap (a few regex searches over the bytes, or a walk over
the objects a revision touched).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sigaudit.model import ByteRangeFault, ByteRangeProblem

log = logging.getLogger(__name__)

_HEX_BODY = re.compile(rb"[0-9A-Fa-f\x00\t\n\x0c\r ]*")
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "
_STRUCTURE = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b|\bstartxref\b")
MAX_OBJECTS_DESCRIBED = 5000


def byte_range_problem(data: bytes, byte_range: Sequence[Any]) -> ByteRangeProblem | None:
    """What is wrong with a /ByteRange on these bytes, or None."""
    if len(byte_range) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) for v in byte_range):
        return ByteRangeProblem(ByteRangeFault.NOT_FOUR_OFFSETS)
    start1, len1, start2, len2 = byte_range
    if min(byte_range) < 0:
        return ByteRangeProblem(ByteRangeFault.NEGATIVE)
    if start1 != 0:
        return ByteRangeProblem(ByteRangeFault.NOT_FROM_START)
    if start2 < start1 + len1:
        return ByteRangeProblem(ByteRangeFault.OVERLAPPING)
    if start2 + len2 > len(data):
        return ByteRangeProblem(ByteRangeFault.PAST_END)
    gap = data[len1:start2]
    if gap and data[len1 - 1 : len1] == b"<" and data[start2 : start2 + 1] == b">" and _HEX_BODY.fullmatch(gap):
        return None  # the brackets of the hex string are signed, its digits are the gap
    if not gap:  # no room for the signature value: the ranges sign something else, or nothing
        return ByteRangeProblem(ByteRangeFault.UNSIGNED_GAP, len(data) - len1 - len2)
    if len(gap) < 2 or gap[:1] != b"<" or gap[-1:] != b">" or not _HEX_BODY.fullmatch(gap[1:-1]):
        return ByteRangeProblem(ByteRangeFault.UNSIGNED_GAP, len(gap))
    return None


def trailing_bytes(data: bytes, signed_ends: Sequence[int]) -> tuple[int, bool]:
    """(count, holds PDF structure) of non-whitespace bytes after the last %%EOF that
    no signature covers."""
    if not signed_ends or max(signed_ends) >= len(data):
        return 0, False
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        return 0, False
    start = max(eof + 5, max(signed_ends))
    tail = data[start:].strip(_PDF_WHITESPACE)
    if not tail:
        return 0, False
    return len(tail), bool(_STRUCTURE.search(tail))


def describe_changes(reader: Any, signed_revision: int | None) -> tuple[str, ...]:
    """Kinds of objects written by the revisions after ``signed_revision``.

    For people: "page content stream ×1", "form field ×2", "signature ×1"…  Housekeeping
    objects (cross-reference and object streams) are not listed.
    """
    if signed_revision is None:
        return ()
    try:
        xrefs = reader.xrefs
        total = xrefs.total_revisions
        contents = content_stream_refs(reader)
        kinds: Counter[str] = Counter()
        seen = 0
        for revision in range(signed_revision + 1, total):
            for ref in sorted(xrefs.explicit_refs_in_revision(revision), key=lambda r: (r.idnum, r.generation)):
                seen += 1
                if seen > MAX_OBJECTS_DESCRIBED:
                    kinds["further objects (not examined)"] += 1
                    continue
                kind = _kind(reader, ref, contents)
                if kind:
                    kinds[kind] += 1
    except Exception:
        log.debug("could not describe the later revisions", exc_info=True)
        return ()
    return tuple(f"{kind} ×{count}" for kind, count in sorted(kinds.items()))


def content_stream_refs(reader: Any) -> set[tuple[int, int]]:
    """(idnum, generation) of every page content stream, in the newest revision."""
    from pyhanko.pdf_utils import generic

    out: set[tuple[int, int]] = set()
    try:
        stack = [reader.root.raw_get("/Pages")]
        visited = 0
        while stack and visited < 20000:  # bounded: page trees can contain cycles
            visited += 1
            node = stack.pop().get_object()
            if "/Kids" in node:
                kids = node["/Kids"]
                stack.extend(kids.raw_get(i) for i in range(len(kids)))
                continue
            if "/Contents" not in node:
                continue
            raw = node.raw_get("/Contents")
            resolved = raw.get_object()
            items = (
                [resolved.raw_get(i) for i in range(len(resolved))]
                if isinstance(resolved, generic.ArrayObject)
                else [raw]
            )
            for item in items:
                if isinstance(item, generic.IndirectObject):
                    out.add((item.idnum, item.generation))
    except Exception:
        log.debug("could not list page content streams", exc_info=True)
    return out


def _kind(reader: Any, ref: Any, contents: set[tuple[int, int]]) -> str | None:
    from pyhanko.pdf_utils import generic

    if (ref.idnum, ref.generation) in contents:
        return "page content stream"
    try:
        obj = reader.get_object(ref)
    except Exception:
        return "unreadable object"
    if not isinstance(obj, generic.DictionaryObject):
        return "other object"
    typ = obj.get("/Type")
    sub = obj.get("/Subtype")
    if typ in ("/XRef", "/ObjStm"):
        return None
    if typ in ("/Sig", "/DocTimeStamp") or "/ByteRange" in obj:
        return "signature"
    if obj.get("/FT") == "/Sig":
        return "signature field"
    if "/FT" in obj or (sub == "/Widget" and "/Parent" in obj):
        return "form field"
    if typ == "/Annot" or sub in ("/Widget", "/Link", "/Text", "/FreeText", "/Stamp", "/Square", "/Ink", "/Popup"):
        return "annotation"
    if typ == "/Page":
        return "page"
    if typ == "/Pages":
        return "page tree"
    if typ == "/Catalog":
        return "document catalog"
    if typ in ("/Font", "/FontDescriptor") or "/FontFile2" in obj or "/FontFile" in obj:
        return "font"
    if typ == "/Metadata":
        return "metadata"
    if "/Producer" in obj or "/ModDate" in obj or "/CreationDate" in obj:
        return "document information"
    if "/Certs" in obj or "/OCSPs" in obj or "/CRLs" in obj or "/VRI" in obj or typ == "/DSS":
        return "validation data"
    if "/Fields" in obj:
        return "form"
    if sub == "/Form":
        return "form XObject"
    if sub == "/Image":
        return "image"
    if isinstance(obj, generic.StreamObject):
        return "stream"
    return "other object"
