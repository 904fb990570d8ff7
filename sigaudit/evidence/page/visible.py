"""Whether the text of a page is text a person sees.

A PDF may hold text nobody sees: drawn invisibly (render mode 3, the layer an OCR program
lays under a scanned image, or a producer's hidden labels; mode 7, a clip that shows only
what is drawn through it), filled in white or fully
transparent on white paper (a Word template's white placeholder, a forger's line), or drawn
off the page, outside the part a viewer shows.  Read as page 1's header, such text gives an
office, a number or a date the page does not show.

A glyph drawn off the page is left out by its box.  A glyph that may be invisible (render
mode 3, or painted in white or with no opacity) is judged by what the page shows under it:
the page's content is rendered once (only where such a glyph is among those read), and a
glyph over blank paper is left out; over ink — an image of the same words under an OCR
layer, white letters on a dark band — it is what the page shows there, and kept.  A scanned
page is not judged here: its invisible layer is the OCR layer ``pagetext.is_ocr_layer``
sets aside whole.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

log = logging.getLogger(__name__)

_INVISIBLE = 3  # FPDF_TEXTRENDERMODE_INVISIBLE
_FILLED = frozenset({0, 2, 4, 6})  # fill, fill and stroke, and the same adding to the clip
_STROKED = frozenset({1, 5})  # stroke only (and adding to the clip)
WHITE = 245
"""A colour whose red, green and blue are all at least this (of 255) is white on paper."""
PAPER = 200
"""A glyph's box with no pixel darker than this (0-255 grey) is blank paper."""
SCALE = 1.0


_CALLS: dict[str, Any] = {}


def _calls(raw: Any) -> tuple[Any, Any, Any, tuple[Any, ...]]:
    """PDFium's render mode, fill and stroke colour calls taking the text object as a plain
    address (no ctypes conversion per call: a page may draw each glyph as an object of its
    own), and four colour cells to reuse."""
    if not _CALLS:
        from sigaudit.evidence.pdfium_page import by_address

        void, c_int, cell = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_uint)
        mode = by_address(raw.FPDFTextObj_GetTextRenderMode, c_int, void)
        fill = by_address(raw.FPDFPageObj_GetFillColor, c_int, void, cell, cell, cell, cell)
        stroke = by_address(raw.FPDFPageObj_GetStrokeColor, c_int, void, cell, cell, cell, cell)
        cells = tuple(ctypes.c_uint() for _ in range(4))
        _CALLS["calls"] = (mode, fill, stroke, (cells, tuple(ctypes.pointer(c) for c in cells)))
    return _CALLS["calls"]


def look(raw: Any, text_object: int) -> tuple[bool, bool]:
    """(drawn invisibly, possibly unseen) for a text object: render mode 3 is both; a fill
    (or, for stroked text, a stroke) in white or with no opacity is possibly unseen, and so
    is text that only clips (mode 7: it shows where what is drawn after it fills it)."""
    if not text_object:
        return False, False
    try:
        mode_of, fill, stroke, (cells, pointers) = _calls(raw)
        mode = mode_of(text_object)
        if mode == _INVISIBLE:
            return True, True
        if mode in _FILLED:
            found = fill(text_object, *pointers)
        elif mode in _STROKED:
            found = stroke(text_object, *pointers)
        else:
            return False, True  # clipping only (mode 7): it shows only where drawing after it fills it
        if not found:
            return False, False
        return False, cells[3].value == 0 or (
            cells[0].value >= WHITE and cells[1].value >= WHITE and cells[2].value >= WHITE
        )
    except Exception:
        log.debug("cannot read how a text object is drawn", exc_info=True)
        return False, False


def shown(page: Any, glyphs: list[Any], maybe: list[int], boxes: list[tuple[float, float, float, float]]) -> list[Any]:
    """``glyphs`` without those, of the ones at the indexes ``maybe`` (with their
    ``boxes``), that lie over blank paper (the glyphs off the page's crop box are left out
    as they are read: ``pagetext._glyphs``)."""
    gone = {i for i, blank in zip(maybe, unseen(page, boxes), strict=True) if blank}
    return [g for i, g in enumerate(glyphs) if i not in gone] if gone else glyphs


def unseen(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[bool]:
    """For each glyph box (left, bottom, right, top in page space) of a possibly unseen
    glyph, whether the page shows blank paper there (the page's content rendered once, in
    grey).  Where the page cannot be rendered, every glyph counts as seen (read as before)."""
    if not boxes:
        return []
    try:
        left, _, _, top = page.get_bbox()
        bitmap = page.render(scale=SCALE, grayscale=True, draw_annots=False, may_draw_forms=False)
        try:
            image = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    except Exception:
        log.info("cannot render page 1 to see whether its text shows", exc_info=True)
        return [False] * len(boxes)
    out = []
    for x0, y0, x1, y1 in boxes:
        box = (
            max(int((x0 - left) * SCALE), 0),
            max(int((top - y1) * SCALE), 0),
            min(int((x1 - left) * SCALE) + 1, image.width),
            min(int((top - y0) * SCALE) + 1, image.height),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            out.append(True)  # off the rendered page
            continue
        out.append(image.crop(box).getextrema()[0] > PAPER)
    return out
