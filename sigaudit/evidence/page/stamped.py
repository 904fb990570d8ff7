"""What page 1's annotations draw: the clerk's stamped number and day, read apart.

An e-office document's signature widgets stamp the number and the day of issue into
blanks of page 1 (``pagetext``'s module doc).  PDFium gives an appearance's text only
through a text page holding it, and a page holds only its content: so the annotations
are flattened into a page (``FPDFPage_Flatten``) and that page is read.  Flattening page 1
itself costs two more parses of its content (PDFium parses it to flatten, and again when
the page is loaded back) and a second text page of the whole page, the content's
characters then told from the annotations' by their order and place (``overlaps``,
``left_over``).

``annotation_only`` reads them apart instead: the file with one incremental update
appended *in memory* (never written anywhere) that redefines page 1's dictionary without
its ``/Contents`` — the same annotations, resources, boxes and rotation on a blank page.
Flattened and read, that page holds the annotations' characters and nothing else.  It is
used only where it can be shown to be the same page: PDFium finds as many pages, page 1
the same size and turn, the same annotations (subtype, rectangle, flags) in the same
order and no content; the file is not encrypted, not larger than ``MAX_BYTES``, and ends
at the cross-reference section pyHanko read last.  Where any of that fails, or an annotation draws text that may not
show (``visible.look``: it is then judged against the page content under it), page 1
itself is flattened as before.  A test compares both readings on every PDF the project
has.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
from typing import Any

from sigaudit.evidence import pdfium_page

log = logging.getLogger(__name__)

Boxes = list[tuple[tuple[float, float, float, float], str]]


def annotation_only(data: bytes, reader: Any) -> bytes | None:
    """``data`` with page 1 redefined without its content (see the module's doc); None
    where that cannot be shown to leave the rest of the file as PDFium reads it."""
    try:
        from pyhanko.pdf_utils import generic

        if reader is None or "/Encrypt" in reader.trailer or len(data) > MAX_BYTES:
            return None
        if _last_startxref(data) != reader.last_startxref:
            return None  # bytes after the last section pyHanko read (an appended file, a repair)
        ref, _ = reader.find_page_for_modification(0)
        page = ref.get_object()
        if not isinstance(page, generic.DictionaryObject):
            return None
        blank = generic.DictionaryObject({k: page.raw_get(k) for k in page.keys() if k != "/Contents"})
        body = io.BytesIO()
        blank.write_to_stream(body, None)
        root = reader.trailer.raw_get("/Root")
        if not isinstance(root, generic.IndirectObject):
            return None
        at = len(data) + 1
        obj = b"\n%d %d obj\n%s\nendobj\n" % (ref.idnum, ref.generation, body.getvalue())
        size = max(int(reader.trailer["/Size"]), ref.idnum + 1)
        tail = (
            b"xref\n%d 1\n%010d %05d n\r\ntrailer\n<< /Size %d /Root %d %d R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (
                ref.idnum,
                at,
                ref.generation,
                size,
                root.idnum,
                root.generation,
                reader.last_startxref,
                len(data) + len(obj),
            )
        )
        return data + obj + tail
    except Exception:
        log.debug("cannot set page 1's annotations apart", exc_info=True)
        return None


MAX_BYTES = 32 * 1024 * 1024
"""Above this the file is not copied with the update (PDFium reads the copy in place: two
copies in memory); page 1 itself is flattened instead."""

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")


def _last_startxref(data: bytes) -> int | None:
    """The offset the file's last ``startxref`` gives, where nothing but white space follows
    its ``%%EOF``."""
    found = _STARTXREF.search(data[-64:])
    return int(found.group(1)) if found else None


def same_page(original: Any, blank: Any, pages: tuple[int, int]) -> bool:
    """Whether ``blank`` (page 1 of the annotation-only file) is ``original`` without its
    content: as many pages in both files (``pages``), the same boxes and turn, the same
    annotations, no page object."""
    from pypdfium2 import raw

    if pages[0] != pages[1] or original.get_rotation() != blank.get_rotation():
        return False
    if original.get_bbox() != blank.get_bbox() or original.get_size() != blank.get_size():
        return False
    if raw.FPDFPage_CountObjects(blank.raw) != 0:
        return False
    return [a[:4] for a in pdfium_page.annotations(original)] == [a[:4] for a in pdfium_page.annotations(blank)]


def all_shown(page: Any) -> bool:
    """Whether every text object of the flattened annotation-only page is drawn to show
    (``visible.look``): one that may not (invisible, white) is judged against the page
    content under it, which this page does not have."""
    from pypdfium2 import raw

    from sigaudit.evidence.page import visible

    text, form = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM

    def shown(obj: Any) -> bool:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == text:
            return not visible.look(raw, ctypes.cast(obj, ctypes.c_void_p).value or 0)[1]
        if kind == form:
            return all(shown(raw.FPDFFormObj_GetObject(obj, j)) for j in range(raw.FPDFFormObj_CountObjects(obj)))
        return True

    return all(shown(raw.FPDFPage_GetObject(page.raw, i)) for i in range(raw.FPDFPage_CountObjects(page.raw)))


def flatten(pdf: Any, page: Any) -> None:
    """The page's annotations drawn into its content.  Without a form environment (a file
    with no /AcroForm: removed, or the page cut out of a signed file) pypdfium2 refuses to
    flatten, but PDFium's flatten does not use one, and viewers (poppler, pdf.js) still
    draw such widgets: the clerk's stamped number and day are on the page as people see it."""
    if getattr(pdf, "formenv", None) is not None:
        page.flatten()
        return
    from pypdfium2 import raw

    if raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY) == raw.FLATTEN_FAIL:
        raise RuntimeError("PDFium could not flatten the annotations")


def annotation_boxes(pdf: Any, page: Any) -> Boxes:
    """(rect, source label) of each annotation on the page: a widget's field name, else
    ``annotation:<Subtype>``."""
    from sigaudit.evidence.page.rotation import turned_box

    turned = getattr(page, "sigaudit_turned", None)
    form = getattr(getattr(pdf, "formenv", None), "raw", None)
    return [
        (turned_box(turned, box) if turned else box, name or f"annotation:{_subtype_name(subtype)}")
        for _, subtype, box, _, name in pdfium_page.annotations(page, form, own_names=form is None)
    ]


_SUBTYPES = {
    1: "Text",
    2: "Link",
    3: "FreeText",
    4: "Line",
    5: "Square",
    6: "Circle",
    7: "Polygon",
    8: "PolyLine",
    9: "Highlight",
    10: "Underline",
    11: "Squiggly",
    12: "StrikeOut",
    13: "Stamp",
    14: "Caret",
    15: "Ink",
    16: "Popup",
    17: "FileAttachment",
    20: "Widget",
    22: "Watermark",
}


def _subtype_name(code: int) -> str:
    return _SUBTYPES.get(code, str(code))


def attribute(glyph: Any, boxes: Boxes) -> Any:
    """The annotation whose rectangle holds the glyph (the smallest, when they nest)."""
    cx = (glyph.x0 + glyph.x1) / 2
    cy = glyph.baseline + glyph.size * 0.3
    best: tuple[float, float, str] | None = None
    for (x0, y0, x1, y1), label in boxes:
        # distance from the glyph's centre to the rectangle (0 inside); an appearance may
        # overflow its rectangle (clipped or not), so the nearest one within a glyph's
        # size draws it
        dx = max(x0 - cx, 0.0, cx - x1)
        dy = max(y0 - cy, 0.0, cy - y1)
        distance = (dx * dx + dy * dy) ** 0.5
        if distance > glyph.size:
            continue
        key = (distance, (x1 - x0) * (y1 - y0), label)
        if best is None or key[:2] < best[:2]:
            best = key
    label = best[2] if best else "annotation"
    return glyph._replace(source=label)


def _place(g: Any) -> tuple[str, int, int]:
    return (g.char, round(g.x0 * 4), round(g.baseline * 4))


def overlaps(extra: list[Any], content: list[Any]) -> bool:
    """Whether a glyph read after flattening is one the page content already drew there."""
    if not extra:
        return False
    places = {_place(g) for g in content}
    return any(_place(g) in places for g in extra)


def left_over(flattened: list[Any], content: list[Any]) -> list[Any]:
    """The glyphs of the flattened page less those of the content (a multiset difference by
    character and position, in the flattened page's order)."""
    from collections import Counter

    remaining = Counter(_place(g) for g in content)
    out = []
    for g in flattened:
        key = _place(g)
        if remaining[key]:
            remaining[key] -= 1
        else:
            out.append(g)
    return out
