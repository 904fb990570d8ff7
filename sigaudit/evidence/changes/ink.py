"""What a signature appearance added after signing draws over the signed page.

The clerk's "cấp số" signatures stamp the number and the day into blanks of page 1; a
seal's image may lie over a handwritten signature.  What no signature appearance may do is
hide printed text that was signed: a widget whose appearance paints a white box over the
printed date and prints another one is a change of content, signed field or not.

Measured by pixels, only inside the widget's rectangle: the page is rendered without
annotations and with them; of the pixels of the page's visible glyphs (PDFium's character boxes, invisible OCR layers excluded)
that were ink, the share that turned light is the text the appearance hid.  On the real
e-office documents of ``../shared/realworld/vn`` the largest share is 3 % (a stamp's
edge); a white-out hides all of it.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

SCALE = 2.0
INK = 128
"""A pixel darker than this (0-255 grey) is ink."""
LIGHT = 200
"""A pixel lighter than this is background: ink that became this was hidden."""
HIDDEN_SHARE = 0.25
HIDDEN_PIXELS = 20

Rect = tuple[float, float, float, float]


def hiding_text(final: bytes, page_index: int, rects: Sequence[Rect], cache: dict[Any, Any]) -> list[Rect] | None:
    """The rectangles (of appearances added after signing, in page space) whose appearance
    hides printed text of the page; None when the page cannot be rendered.

    The page is rendered from the final file twice, without and with its annotations: the
    comparison by effect has already proved that the page content is the signed one (else
    it is a change of its own), so the page without annotations is the signed page.
    ``cache`` (one per document) keeps each rectangle's answer for the next signature."""
    missing = [r for r in rects if (page_index, r) not in cache]
    if missing:
        found = _measure(final, page_index, missing)
        for r in missing:
            cache[(page_index, r)] = None if found is None else r in found
    if any(cache[(page_index, r)] is None for r in rects):
        return None
    return [r for r in rects if cache[(page_index, r)]]


def _measure(final: bytes, page_index: int, rects: Sequence[Rect]) -> list[Rect] | None:
    import pypdfium2 as pdfium

    from sigaudit.evidence import pdfium_page

    pdf = None
    try:
        page = pdfium_page.page(final, page_index)
        if page is None:
            pdf = pdfium.PdfDocument(final)
            pdf.init_forms()
            page = pdf[page_index]
        if page.get_rotation():
            return None
        glyphs = _visible_glyph_boxes(page, rects)
        return [r for r in rects if glyphs.get(r) and _hidden(page, r, glyphs[r])]
    except Exception:
        log.info("cannot render the page to compare an appearance", exc_info=True)
        return None
    finally:
        if pdf is not None:
            pdf.close()


def _visible_glyph_boxes(page: Any, rects: Sequence[Rect]) -> dict[Rect, list[Rect]]:
    """The boxes of visible characters that meet each rectangle (invisible OCR layers left
    out).  Only PDFium's lines that come within a glyph's height of a rectangle's rows are
    asked character by character: a line's characters share its baseline (PDFium breaks a
    line where a text object starts on another row), so a line whose first and last
    characters both lie above or below every rectangle by more than their height has none
    that meets one."""
    from pypdfium2 import raw

    from sigaudit.evidence.page.band import LINE
    from sigaudit.evidence.page.pagetext import page_chars

    textpage = page.get_textpage()
    out: dict[Rect, list[Rect]] = {r: [] for r in rects}
    if not rects:
        return out
    try:
        tp = textpage.raw
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))

        def char_box(i: int) -> Rect | None:
            if not raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
                return None
            return (left.value, bottom.value, right.value, top.value)

        count = raw.FPDFText_CountChars(tp)
        text = page_chars(raw, tp, 0, count)
        low, high = min(r[1] for r in rects), max(r[3] for r in rects)
        spans = [(0, count)]
        if text is not None:
            spans = []
            for m in LINE.finditer(text):
                line = m.group(1)
                if not line:
                    if m.end() > m.start():
                        spans.append((m.start(), m.end()))
                    continue
                ends = [char_box(m.start()), char_box(m.start() + len(line) - 1)]
                if all(e is not None and e[3] > e[1] for e in ends):
                    height = max(e[3] - e[1] for e in ends if e is not None)
                    if all(e is not None and (e[1] > high + height or e[3] < low - height) for e in ends):
                        continue
                spans.append((m.start(), m.end()))
        for start, end in spans:
            for i in range(start, end):
                box = char_box(i)
                if box is None or box[2] <= box[0] or box[3] <= box[1]:
                    continue
                meets = [r for r in rects if box[0] < r[2] and box[2] > r[0] and box[1] < r[3] and box[3] > r[1]]
                if not meets:
                    continue
                obj = raw.FPDFText_GetTextObject(tp, i)
                if obj and raw.FPDFTextObj_GetTextRenderMode(obj) == 3:
                    continue  # an invisible OCR layer: nobody sees it
                for r in meets:
                    out[r].append(box)
        return out
    finally:
        textpage.close()


def _render(page: Any, rect: Rect, annotations: bool) -> Any:
    left, bottom, right, top = page.get_bbox()
    crop = (
        max(rect[0] - left, 0.0),
        max(rect[1] - bottom, 0.0),
        max(right - rect[2], 0.0),
        max(top - rect[3], 0.0),
    )
    bitmap = page.render(scale=SCALE, crop=crop, draw_annots=annotations, may_draw_forms=annotations, grayscale=True)
    try:
        return bitmap.to_pil().convert("L")
    finally:
        bitmap.close()


def _hidden(page: Any, rect: Rect, boxes: list[Rect]) -> bool:
    """Whether, of the glyphs' ink inside ``rect``, enough turns light once the page's
    annotations are drawn (pixel arithmetic in PIL, in C)."""
    from PIL import Image, ImageChops, ImageDraw

    before, after = _render(page, rect, False), _render(page, rect, True)
    if before.size != after.size:
        return True
    x0, top = max(rect[0], page.get_bbox()[0]), min(rect[3], page.get_bbox()[3])
    mask = Image.new("L", before.size, 0)
    draw = ImageDraw.Draw(mask)
    for bx0, by0, bx1, by1 in boxes:
        draw.rectangle(((bx0 - x0) * SCALE, (top - by1) * SCALE, (bx1 - x0) * SCALE, (top - by0) * SCALE), fill=255)
    ink = ImageChops.multiply(before.point(lambda v: 255 if v < INK else 0), mask)
    hidden = ImageChops.multiply(ink, after.point(lambda v: 255 if v > LIGHT else 0))
    ink_count, hidden_count = ink.histogram()[255], hidden.histogram()[255]
    return hidden_count >= HIDDEN_PIXELS and hidden_count >= HIDDEN_SHARE * ink_count
