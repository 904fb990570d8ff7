"""Page 1 as a person sees it, read with PDFium (``pypdfium2``).

Vietnamese e-office systems stamp the document number and the day of the issuance date
into blanks on page 1 through the *appearance of the issuing body's signature widget*
(the clerk's "cấp số" signature): ``Số:     /TTr-UBND`` in the page content, ``617`` in a
widget drawn on top of it.  A text extractor that reads only the page content never sees
them.  Here the page's annotations are flattened into its content (PDFium's
``FPDFPage_Flatten`` in normal-display mode: what a viewer shows, hidden annotations
left out), every character is placed by its origin, and the characters are read back in
visual order: rows top to bottom (by baseline), left to right within a row.

Each character keeps where it came from: the page content (``None``) or the annotation
that drew it (the signature field's name for a widget, ``"annotation:<Subtype>"`` for
any other annotation), so the header parser can say which signature stamped the number
and the date.  Each character also keeps its font name, which decides legacy 8-bit
encodings (TCVN3, VNI) by the fonts the text actually uses.
"""

from __future__ import annotations

import ctypes
import logging
import math
import re
import struct
from dataclasses import replace
from typing import Any

from sigaudit.evidence import pdfium_page
from sigaudit.evidence.page import stamped, visible
from sigaudit.evidence.page.band import plan
from sigaudit.evidence.page.header import band_suffices
from sigaudit.evidence.page.layout import Glyph, PageText, layout
from sigaudit.evidence.page.rotation import turn, turned_calls, upright_when_turned
from sigaudit.evidence.page.stamped import annotation_boxes, attribute, flatten, left_over, overlaps

log = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")
_FS_RECTF = struct.Struct("4f")  # PDFium's FS_RECTF: left, top, right, bottom
_MAX_CHARS = 200_000  # a page-1 text layer beyond this is not a header worth reading


def read_page_text(data: bytes, *, page_index: int = 0, band: bool = True, reader: Any = None) -> PageText | None:
    """Page ``page_index`` in visual order, annotations included; None when PDFium cannot
    open the file or the page (the caller falls back to pypdf).

    ``band``: lay out only the page content down to a few lines under the title (or a công
    văn's addressee) when that is all the header reader reads (``band.py``); otherwise, and
    where that cannot be shown on the rows read, the top ``HEADER_FRACTION`` of the page.
    Within ``pdfium_page.scope(data)`` the page already loaded for the ink check is used.
    ``reader``: the file's pyHanko reader, to read page 1's annotations apart from its
    content (``stamped.annotation_only``)."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    taken = pdfium_page.take(data, page_index)
    if taken is not None:
        try:
            page = _read(taken[0], page_index, band, loaded=taken[1], data=data, reader=reader)
            if page is not None:
                return page
            band = False  # the band did not hold what the header reader reads
        except Exception as exc:
            log.info("PDFium text extraction failed: %s", exc, exc_info=True)
            return None
    return _open_and_read(data, page_index, band, reader)


def _open_and_read(data: bytes, page_index: int, band: bool, reader: Any = None) -> PageText | None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:
        log.info("PDFium cannot open the file: %s", exc)
        return None
    try:
        if len(pdf) <= page_index:
            return PageText("", (), ())
        try:
            pdf.init_forms()
        except Exception:
            log.debug("PDFium form environment not available", exc_info=True)
        page = _read(pdf, page_index, band, data=data, reader=reader)
        if page is None:  # the band did not hold what the header reader reads
            pdf.close()
            pdf = pdfium.PdfDocument(data)
            try:
                pdf.init_forms()
            except Exception:
                log.debug("PDFium form environment not available", exc_info=True)
            page = _read(pdf, page_index, False, data=data, reader=reader)
        return page
    except Exception as exc:
        log.info("PDFium text extraction failed: %s", exc, exc_info=True)
        return None
    finally:
        pdf.close()


def _read(
    pdf: Any, page_index: int, band: bool, *, loaded: Any = None, data: bytes | None = None, reader: Any = None
) -> PageText | None:
    """The page's text; None where ``band`` was asked and the rows read do not show that
    they hold everything the header reader reads (the caller reads the page again).
    ``loaded``: the page, already loaded (with the form environment) from ``pdf``;
    ``data`` and ``reader``: the file and its pyHanko reader, to read page 1's annotations
    apart (``_annotations_apart``)."""
    page = loaded if loaded is not None else pdf[page_index]
    floor = page.get_height() * (1 - HEADER_FRACTION)
    scanned = _covered_by_image(page)
    band = band and not scanned
    content_glyphs, content_count, high = _glyphs(page, floor, band=band, scanned=scanned)
    banded = high is not None
    widgets = annotation_boxes(pdf, page)
    drawn = False
    glyphs = content_glyphs
    stamped_here = bool(widgets) and reaches(widgets, floor)
    apart = None
    if stamped_here and page_index == 0 and not scanned and data is not None:
        apart = _annotations_apart(data, reader, page, floor, len(pdf))
        if apart is not None:
            glyphs, drawn = content_glyphs + [attribute(g, widgets) for g in apart], True
    if apart is None and stamped_here:
        try:
            flatten(pdf, page)
            page.close()
            page = pdf[page_index]
            # FPDFPage_Flatten appends the annotations' appearances after the page's
            # own content, and PDFium's text page usually keeps that order: the
            # characters past the content's count are theirs.  Not always (a header
            # drawn after the body): where a tail character sits where a
            # content character already was, the whole page is read again and the
            # annotations' characters are those left over when the content's are taken
            # away, matched by character and position.
            extra, total, _ = _glyphs(page, floor, start=content_count, scanned=scanned)
            if total >= content_count:
                if overlaps(extra, content_glyphs):
                    if banded:
                        page.close()
                        return None
                    extra = left_over(_glyphs(page, floor, scanned=scanned)[0], content_glyphs)
                glyphs = content_glyphs + [attribute(g, widgets) for g in extra]
                drawn = True
        except Exception:
            log.info("flattening the annotations of page 1 failed; page content only", exc_info=True)
    page.close()
    ignored = scanned and is_ocr_layer(glyphs)
    if ignored:
        glyphs = [g for g in glyphs if not (g.hidden and g.source is None)]
    out = replace(layout(glyphs, drawn), scanned=scanned, ocr_layer_ignored=ignored)
    if banded and not band_suffices(out.text):
        return None
    return out


def _annotations_apart(data: bytes, reader: Any, page: Any, floor: float, pages: int) -> list[Glyph] | None:
    """The glyphs page 1's annotations draw, read from the page without its content
    (``stamped.annotation_only``); None where that page cannot be shown to be this one
    (the caller flattens the page itself)."""
    import pypdfium2 as pdfium

    if getattr(page, "sigaudit_turned", None) is not None or page.get_rotation():
        return None
    blank_data = stamped.annotation_only(data, reader) if reader is not None else None
    if blank_data is None:
        return None
    try:
        pdf = pdfium.PdfDocument(blank_data)
    except Exception:
        log.debug("PDFium cannot open page 1 without its content", exc_info=True)
        return None
    try:
        pdf.init_forms()
        blank = pdf[0]
        try:
            if not stamped.same_page(page, blank, (pages, len(pdf))):
                return None
            flatten(pdf, blank)
        finally:
            blank.close()
        blank = pdf[0]
        try:
            if not stamped.all_shown(blank):
                return None
            return _glyphs(blank, floor)[0]
        finally:
            blank.close()
    except Exception:
        log.debug("reading page 1's annotations apart failed", exc_info=True)
        return None
    finally:
        pdf.close()


def reaches(boxes: list[tuple[tuple[float, float, float, float], str]], floor: float) -> bool:
    """Whether an annotation may draw a glyph read (baseline at or above ``floor``).  An
    appearance is drawn inside its rectangle (ISO 32000-1 §12.5.5: its BBox is mapped onto
    /Rect and a form XObject is clipped to its BBox); ``OVERFLOW`` more is allowed for one
    PDFium would still list.  Where none reaches, the page is not flattened and loaded
    again: whatever the annotations draw lies below everything read (the signature blocks
    at the foot of most pages)."""
    return any(top + OVERFLOW >= floor for (_, _, _, top), _ in boxes)


OVERFLOW = 36.0
"""Points above its rectangle an annotation's text is still looked for (half an inch: a
line of the largest type of a header)."""


HEADER_FRACTION = 0.6
"""The part of page 1, from the top, that is read: the header, the title and the opening
of the body (the number and date of a Vietnamese document never sit lower)."""


def is_ocr_layer(glyphs: list[Glyph]) -> bool:
    """Whether most of the page content's text is invisible (render mode 3): on a scanned
    page, the text layer an OCR program laid under the image.  Nothing says it reads as the
    image does (seen: "UY BAN NHAN DAN CONG HOA xA HO! …" over a printed header, another number and
    day), so it never stands for the header a person sees."""
    content = [g for g in glyphs if g.source is None]
    return bool(content) and 2 * sum(g.hidden for g in content) >= len(content)


def _covered_by_image(page: Any) -> bool:
    """Whether one image object covers most of the page (a scanned page): the page's
    objects and those of its form XObjects, one level down (pypdfium2's
    ``get_objects(max_depth=2)``), asked of PDFium directly — a text page has hundreds of
    objects, and only the images' bounds are wanted."""
    import pypdfium2.raw as raw

    try:
        area = page.get_width() * page.get_height()
        image, form = raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
        kind, bounds = raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))

        def covers(obj: Any) -> bool:
            if not bounds(obj, left, bottom, right, top):
                raise ValueError("PDFium cannot place an image of the page")
            return (right.value - left.value) * (top.value - bottom.value) >= 0.6 * area

        for i in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, i)
            found = kind(obj)
            if found == image and covers(obj):
                return True
            if found == form:
                for j in range(raw.FPDFFormObj_CountObjects(obj)):
                    inner = raw.FPDFFormObj_GetObject(obj, j)
                    if kind(inner) == image and covers(inner):
                        return True
    except Exception:
        log.debug("cannot list the images of page 1", exc_info=True)
    return False


def page_chars(raw: Any, textpage: Any, start: int, count: int) -> str | None:
    """Characters ``start``..``count`` of the text page in one call (``FPDFText_GetText``):
    one UTF-16 unit per character index where every character is in the BMP; None when
    one is not (the caller then asks character by character).  U+FFFE stands for a
    character GetText does not write (control codes): ask for it by index."""
    if count <= start:
        return ""
    buf = ctypes.create_string_buffer(2 * (count - start + 1))
    written = raw.FPDFText_GetText(textpage, start, count - start, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: 2 * (count - start)].decode("utf-16-le", "surrogatepass")
    if written != count - start + 1 or len(text) != count - start or _SURROGATE.search(text):
        return None
    return text


_CALLS: dict[str, Any] = {}


def _per_char_calls(raw: Any) -> tuple[Any, Any, Any] | None:
    """PDFium's per-character calls, as pypdfium2 binds them but taking the text page and
    the answers' cells as plain addresses and returning the text object as one: the same C
    functions without a ctypes conversion of pypdfium2's pointer types on every character
    (a third of the time of reading page 1).  None: pypdfium2's bindings are used."""
    if "fast" not in _CALLS:
        void, c_int = ctypes.c_void_p, ctypes.c_int
        _CALLS["fast"] = pdfium_page.plain_calls(
            ("FPDFText_GetCharOrigin", c_int, void, c_int, void, void),
            ("FPDFText_GetLooseCharBox", c_int, void, c_int, void),
            ("FPDFText_GetTextObject", void, void, c_int),
        )
    return _CALLS["fast"]


def _glyphs(
    page: Any, floor: float, *, start: int = 0, band: bool = False, scanned: bool = False
) -> tuple[list[Glyph], int, float | None]:
    """The glyphs from character ``start`` on whose baseline lies above ``floor``, the
    page's character count, and the higher floor taken where one was (``band``: the header
    band found from the page's text, ``band.py``; the glyphs are then those above it).

    Per character PDFium is asked only what it must be: the text comes in one call, whether
    PDFium generated a character only for white space (it generates spaces and line
    breaks, never letters: ``tests/unit/evidence/test_pagetext_fast.py`` checks both on
    every fixture and real document), the position only of characters that are drawn.
    Glyphs nobody sees are left out (``visible.py``): off the page, or, unless the page is a
    scan (``scanned``), drawn invisibly or in white over blank paper."""
    from pypdfium2 import raw

    textpage = pdfium_page.textpage(page)
    try:
        tp = textpage.raw
        total = raw.FPDFText_CountChars(tp)
        count = min(total, _MAX_CHARS)
        text = page_chars(raw, tp, start, count)
        get_unicode, is_generated, get_font = (
            raw.FPDFText_GetUnicode,
            raw.FPDFText_IsGenerated,
            raw.FPDFText_GetFontInfo,
        )
        out: list[Glyph] = []
        x = ctypes.c_double()
        y = ctypes.c_double()
        rect = raw.FS_RECTF()
        fast = _per_char_calls(raw)
        if fast is not None:
            at: Any = ctypes.cast(tp, ctypes.c_void_p).value
            origin, box, text_object = fast
            px, py, prect = ctypes.addressof(x), ctypes.addressof(y), ctypes.addressof(rect)
        else:
            at, px, py, prect = tp, x, y, rect
            origin, box, text_object = (
                raw.FPDFText_GetCharOrigin,
                raw.FPDFText_GetLooseCharBox,
                raw.FPDFText_GetTextObject,
            )

        turned = turn(page)
        if turned is not None and not upright_when_turned(page, tp, count):
            turned = None
        page.sigaudit_turned = turned  # the annotations' rectangles follow (stamped.annotation_boxes)
        if turned is not None:
            # a page stored turned and displayed upright: positions as displayed (rotation.py)
            origin, box = turned_calls(origin, box, turned, x, y, rect)

        def baseline(i: int) -> float:
            origin(at, i, px, py)
            return float(y.value)

        def height(i: int) -> float:
            box(at, i, prect)
            return float(abs(rect.top - rect.bottom))

        # the part of the page a viewer shows (its crop box): glyphs off it are left out, as
        # are those over blank paper (``visible.shown``); not measured on a turned page
        clip = page.get_bbox() if turned is None and not page.get_rotation() else None
        clip_left, clip_bottom, clip_right, clip_top = clip or (-math.inf, -math.inf, math.inf, math.inf)
        unpack_box = _FS_RECTF.unpack_from  # left, top, right, bottom
        banded = None
        spans = [(start, count, False)]
        if band and text is not None and start == 0:
            found = plan(text, baseline, height, floor)
            if found is not None and found[0] > floor:
                floor, spans = found
                banded = floor
        fonts: dict[int, tuple[str | None, bool, bool]] = {}  # text object: (font, invisible, maybe unseen)
        maybe: list[int] = []  # the glyphs that may not show (invisible, white), and their boxes
        maybe_boxes: list[tuple[float, float, float, float]] = []
        name_buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        make = tuple.__new__  # Glyph(...) without its Python-level __new__: thousands a page
        append = out.append
        space = True
        for a, b, passed in spans:
            space = space or passed
            for i in range(a, b):
                ch = text[i - start] if text is not None else "\ufffe"
                if ch in "\ufffe\uffff":  # PDFium's GetText writes U+FFFE for control codes
                    code = get_unicode(tp, i)
                    ch = chr(code) if 0 < code < 0x110000 else ""
                    if not ch or code in (0, 0xFFFE, 0xFFFF):
                        space = space or (ch.isspace() and is_generated(tp, i) != 1)
                        continue
                    if text is None and not ch.isspace() and is_generated(tp, i) == 1:
                        continue
                if ch.isspace() and ch != "\xa0":
                    # (a no-break space is kept as drawn: in Windows-1258 text read as Mac
                    # Roman it is the letter Ê; the header reader reads it as a space)
                    # a space the producer wrote; PDFium's generated ones are guesses that split
                    # words set with letter spacing ("H à N ội")
                    space = space or is_generated(tp, i) != 1
                    continue
                if ch in "\u200b\ufeff\x00":
                    continue
                space_before, space = space, False
                origin(at, i, px, py)
                baseline_y = y.value
                if baseline_y < floor:
                    space = True
                    continue
                box(at, i, prect)
                left, top, right, bottom = unpack_box(rect)
                if left > right:
                    left, right = right, left
                size = top - bottom if top > bottom else bottom - top
                if size < 1.0:
                    size = 1.0
                if not (
                    right > clip_left
                    and left < clip_right
                    and baseline_y < clip_top
                    and baseline_y + size > clip_bottom
                ):
                    continue  # off the page a viewer shows
                key = text_object(at, i)
                if fast is None:
                    key = ctypes.cast(key, ctypes.c_void_p).value
                key = key or 0
                font = fonts.get(key)
                if font is None:
                    n = get_font(tp, i, name_buf, 256, flags)
                    font = fonts[key] = (name_buf.value.decode("latin-1") if n > 0 else None, *visible.look(raw, key))
                if font[2]:
                    maybe.append(len(out))
                    maybe_boxes.append((left, min(top, bottom), right, max(top, bottom)))
                # The rendered size: FPDFText_GetFontSize gives the font's nominal size, 1 when
                # the text matrix does the scaling (gazette PDFs).
                append(
                    make(
                        Glyph,
                        (
                            ch,
                            left,
                            right,
                            baseline_y,
                            size,
                            font[0],
                            None,
                            space_before,
                            font[1],
                        ),
                    )
                )
        if out and clip is not None and maybe and not scanned:
            out = visible.shown(page, out, maybe, maybe_boxes)
        return out, total, banded
    finally:
        pdfium_page.release(textpage)


__all__ = ["Glyph", "PageText", "read_page_text"]
