"""The boxes of the characters a page shows under given rectangles (``ink.py`` judges what
an appearance added after signing draws over them)."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

from sigaudit.evidence import pdfium_page

Rect = tuple[float, float, float, float]


def visible_glyph_boxes(page: Any, rects: Sequence[Rect], words: bool = False) -> dict[Rect, list[Rect]]:
    """The boxes of visible characters that meet each rectangle (invisible OCR layers left
    out).  Only PDFium's lines that come within a line's height of a rectangle's rows are
    asked character by character: a line's characters lie on one row (PDFium breaks a line
    where a text object starts on another row), so a line whose first and last characters'
    loose boxes (the font's ascent to descent; a dash's own box is a point tall) both lie
    above or below every rectangle by more than their height has none that meets one."""
    from pypdfium2 import raw

    from sigaudit.evidence.page.band import LINE
    from sigaudit.evidence.page.pagetext import page_chars

    textpage = pdfium_page.textpage(page)
    out: dict[Rect, list[Rect]] = {r: [] for r in rects}
    if not rects:
        return out
    try:
        tp = textpage.raw
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        calls = _char_box_calls()
        if calls is not None:  # the same C function, the text page and the cells as addresses
            get_box, at = calls, ctypes.cast(tp, ctypes.c_void_p).value
            where: tuple[Any, ...] = tuple(ctypes.addressof(v) for v in (left, right, bottom, top))
        else:
            get_box, at, where = raw.FPDFText_GetCharBox, tp, (left, right, bottom, top)

        def char_box(i: int) -> Rect | None:
            if not get_box(at, i, *where):
                return None
            return (left.value, bottom.value, right.value, top.value)

        loose = raw.FS_RECTF()

        def loose_box(i: int) -> Rect | None:
            if not raw.FPDFText_GetLooseCharBox(tp, i, loose):
                return None
            return (loose.left, min(loose.bottom, loose.top), loose.right, max(loose.bottom, loose.top))

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
                # the line's extent from its ends' loose boxes (the font's ascent to descent):
                # a dash's or a space's own box is a point tall, the letters beside it are not
                ends = [loose_box(m.start()), loose_box(m.start() + len(line) - 1)]
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
                if not meets or (words and text is not None and not text[i].isalnum()):
                    continue
                obj = raw.FPDFText_GetTextObject(tp, i)
                if obj and raw.FPDFTextObj_GetTextRenderMode(obj) == 3:
                    continue  # an invisible OCR layer: nobody sees it
                for r in meets:
                    out[r].append(box)
        return out
    finally:
        pdfium_page.release(textpage)


_CALLS: dict[str, Any] = {}


def _char_box_calls() -> Any:
    """``FPDFText_GetCharBox`` bound by address (``pdfium_page.plain_calls``): no ctypes
    conversion of the handle and the four answers' cells on every character.  None:
    pypdfium2's binding is used."""
    if "box" not in _CALLS:
        void = ctypes.c_void_p
        calls = pdfium_page.plain_calls(
            ("FPDFText_GetCharBox", ctypes.c_int, void, ctypes.c_int, void, void, void, void)
        )
        _CALLS["box"] = calls[0] if calls is not None else None
    return _CALLS["box"]
