"""A decoding budget for one page: how many bytes its streams would inflate to, counted
before PDFium decodes them (PDFium has no limit of its own and aborts on OOM)."""

from __future__ import annotations

import logging
from typing import Any

from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)


MAX_DECODED_BYTES = 64 * 1024 * 1024
"""Most bytes the streams PDFium decodes for one page's text may inflate to.  PDFium has
no such limit of its own and aborts the process when memory runs out, so a decompression
bomb is refused before it reaches PDFium (pypdf, with its own limits, reads it instead)."""


def page_within_limits(page: Any, limit: int = MAX_DECODED_BYTES, *, images: bool = False) -> bool:
    """Whether the content streams, form XObjects and annotation appearances of a page
    (a pyHanko page dictionary) decode to at most ``limit`` bytes in all.  Images are not
    counted: text extraction and flattening do not decode them."""
    from pyhanko.pdf_utils import generic

    budget = [limit]
    seen: set[Any] = set()

    def stream(obj: Any) -> bool:
        if not isinstance(obj, generic.StreamObject):
            return True
        raw = obj.encoded_data
        filters = entry(obj, "/Filter")
        names = (
            [str(f) for f in filters]
            if isinstance(filters, generic.ArrayObject)
            else ([str(filters)] if filters else [])
        )
        if not names:
            size = len(raw)
        elif names == ["/FlateDecode"]:
            size = _inflated_size(raw, budget[0] + 1)
        else:
            size = len(raw) * 20  # other filters: a generous bound on what they can produce
        budget[0] -= size
        return budget[0] >= 0

    def walk(ref: Any, depth: int) -> bool:
        key = (ref.idnum, ref.generation) if isinstance(ref, generic.IndirectObject) else id(ref)
        if key in seen or depth > 8:
            return True
        seen.add(key)
        obj = ref.get_object()
        if not stream(obj):
            return False
        if isinstance(obj, generic.StreamObject) and entry(obj, "/Subtype") == "/Image":
            if images:  # rendering decodes them: count their pixels
                budget[0] -= int(entry(obj, "/Width") or 0) * int(entry(obj, "/Height") or 0) * 4
                return budget[0] >= 0
            return True
        resources = entry(obj, "/Resources") if isinstance(obj, generic.DictionaryObject) else None
        xobjects = entry(resources, "/XObject") if isinstance(resources, generic.DictionaryObject) else None
        if isinstance(xobjects, generic.DictionaryObject):
            for name in list(xobjects.keys()):
                target = xobjects.raw_get(name)
                if isinstance(target, generic.IndirectObject) and (
                    entry(target.get_object(), "/Subtype") == "/Form" or images
                ):
                    if not walk(target, depth + 1):
                        return False
        return True

    try:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        items = []
        if contents is not None:
            resolved = contents.get_object()
            items = (
                [resolved.raw_get(i) for i in range(len(resolved))]
                if isinstance(resolved, generic.ArrayObject)
                else [contents]
            )
        for item in items:
            if not walk(item, 0):
                return False
        if not walk(page, 0):
            return False
        annots = entry(page, "/Annots")
        for i in range(len(annots) if annots is not None else 0):
            annot = annots[i]
            ap = entry(annot, "/AP") if isinstance(annot, generic.DictionaryObject) else None
            normal = ap.raw_get("/N") if isinstance(ap, generic.DictionaryObject) and "/N" in ap else None
            if normal is None:
                continue
            resolved = normal.get_object()
            if isinstance(resolved, generic.StreamObject):
                if not walk(normal, 0):
                    return False
            elif isinstance(resolved, generic.DictionaryObject):
                for state in list(resolved.keys()):
                    if not walk(resolved.raw_get(state), 0):
                        return False
        return True
    except Exception:
        log.debug("cannot bound the decoded size of a page", exc_info=True)
        return False


def _inflated_size(raw: bytes, cap: int) -> int:
    """Bytes ``raw`` inflates to, counting at most ``cap`` (never holding more than 1 MB)."""
    import zlib

    inflater = zlib.decompressobj()
    total = 0
    data = raw
    try:
        while data and total < cap:
            out = inflater.decompress(data, 1 << 20)
            total += len(out)
            data = inflater.unconsumed_tail
            if inflater.eof or not (out or data):
                break  # the stream's end (bytes after it are not its data), or no progress
        total += len(inflater.flush()) if total < cap else 0
    except zlib.error:
        return total
    return total


def file_within_limits(data: bytes, limit: int = MAX_DECODED_BYTES) -> bool:
    """For a file no parser can walk (only a repairing reader opens it): whether its
    Flate streams, found in the bytes, inflate to at most ``limit`` bytes in all — the
    whole file's budget standing in for page 1's, which cannot be found."""
    import re

    budget = limit
    for m in re.finditer(rb"stream(?:\r\n|\n|\r)", data):
        if data[max(0, m.start() - 3) : m.start()] == b"end":
            continue
        end = data.find(b"endstream", m.end())
        budget -= _inflated_size(data[m.end() : end if end >= 0 else len(data)], budget + 1)
        if budget < 0:
            return False
    return True
