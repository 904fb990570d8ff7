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
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

_FPDF_ANNOT_WIDGET = 20
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_CHARS = 200_000  # a page-1 text layer beyond this is not a header worth reading


class Glyph(NamedTuple):
    """One character drawn on the page (a tuple: thousands are made per page)."""

    char: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str | None
    source: str | None
    space_before: bool = False
    """PDFium saw a word break (a space, real or generated, or a line end) right before it
    in stream order."""


@dataclass(frozen=True)
class PageText:
    """Page 1's text in visual order, with a per-character source and font."""

    text: str
    sources: tuple[str | None, ...]
    fonts: tuple[str | None, ...]
    annotations_drawn: bool = False
    """Annotation appearances were flattened into the text (False: page content only)."""
    scanned: bool = False
    """The page is covered by an image (at least 60 % of its area): a scan."""

    def runs(self) -> list[tuple[str, str | None]]:
        """(text, font) runs, for the legacy-encoding decoder."""
        out: list[tuple[str, str | None]] = []
        for ch, font in zip(self.text, self.fonts, strict=True):
            if out and (out[-1][1] == font or ch.isspace()):
                out[-1] = (out[-1][0] + ch, out[-1][1])
            else:
                out.append((ch, font))
        return out


def read_page_text(data: bytes, *, page_index: int = 0) -> PageText | None:
    """Page ``page_index`` in visual order, annotations included; None when PDFium cannot
    open the file or the page (the caller falls back to pypdf)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a declared dependency
        return None
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
        page = pdf[page_index]
        floor = page.get_height() * (1 - HEADER_FRACTION)
        scanned = _covered_by_image(page)
        content_glyphs, content_count = _glyphs(page, floor)
        widgets = _annotation_boxes(pdf, page)
        drawn = False
        glyphs = content_glyphs
        if widgets and getattr(pdf, "formenv", None) is not None:
            try:
                page.flatten()
                page.close()
                page = pdf[page_index]
                # FPDFPage_Flatten appends the annotations' appearances after the page's
                # own content: the characters past the content's count are theirs.
                extra, total = _glyphs(page, floor, start=content_count)
                if total >= content_count:
                    glyphs = content_glyphs + [_attribute(g, widgets) for g in extra]
                    drawn = True
            except Exception:
                log.info("flattening the annotations of page 1 failed; page content only", exc_info=True)
        page.close()
        return replace(_layout(glyphs, drawn), scanned=scanned)
    except Exception as exc:
        log.info("PDFium text extraction failed: %s", exc, exc_info=True)
        return None
    finally:
        pdf.close()


HEADER_FRACTION = 0.6
"""The part of page 1, from the top, that is read: the header, the title and the opening
of the body (the number and date of a Vietnamese document never sit lower)."""


def _covered_by_image(page: Any) -> bool:
    """Whether one image object covers most of the page (a scanned page)."""
    import pypdfium2.raw as raw

    try:
        area = page.get_width() * page.get_height()
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= 0.6 * area:
                return True
    except Exception:
        log.debug("cannot list the images of page 1", exc_info=True)
    return False


def _page_chars(raw: Any, textpage: Any, start: int, count: int) -> str | None:
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


def _per_char_calls(raw: Any) -> tuple[Any, Any, Any]:
    """PDFium's per-character calls, as pypdfium2 binds them but taking the text page as a
    plain address and returning the text object as one: the same C functions without a
    ctypes conversion of pypdfium2's pointer types on every character (a third of the
    time of reading page 1).  pypdfium2's bindings where the addresses cannot be taken."""
    if not _CALLS:
        try:
            void, c_int, c_double = ctypes.c_void_p, ctypes.c_int, ctypes.c_double

            def address(fn: Any) -> int:
                return ctypes.cast(fn, void).value or 0

            origin = ctypes.CFUNCTYPE(c_int, void, c_int, ctypes.POINTER(c_double), ctypes.POINTER(c_double))
            box = ctypes.CFUNCTYPE(c_int, void, c_int, void)
            text_object = ctypes.CFUNCTYPE(void, void, c_int)
            _CALLS["fast"] = (
                origin(address(raw.FPDFText_GetCharOrigin)),
                box(address(raw.FPDFText_GetLooseCharBox)),
                text_object(address(raw.FPDFText_GetTextObject)),
            )
        except Exception:  # pragma: no cover - a pypdfium2 without these symbols
            log.debug("PDFium's calls taken as pypdfium2 binds them", exc_info=True)
            _CALLS["fast"] = None
    return _CALLS["fast"]


def _glyphs(page: Any, floor: float, *, start: int = 0) -> tuple[list[Glyph], int]:
    """The glyphs from character ``start`` on whose baseline lies above ``floor``, and the
    page's character count.

    Per character PDFium is asked only what it must be: the text comes in one call, whether
    PDFium generated a character only for white space (it generates spaces and line
    breaks, never letters: ``tests/unit/evidence/test_pagetext_fast.py`` checks both on
    every fixture and real document), the position only of characters that are drawn."""
    from pypdfium2 import raw

    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        total = raw.FPDFText_CountChars(tp)
        count = min(total, _MAX_CHARS)
        text = _page_chars(raw, tp, start, count)
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
            px, py, prect = ctypes.pointer(x), ctypes.pointer(y), ctypes.addressof(rect)
        else:
            at, px, py, prect = tp, x, y, rect
            origin, box, text_object = (
                raw.FPDFText_GetCharOrigin,
                raw.FPDFText_GetLooseCharBox,
                raw.FPDFText_GetTextObject,
            )

        fonts: dict[int, str | None] = {}
        name_buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        space = True
        for i in range(start, count):
            if text is not None and text[i - start] not in "\ufffe\uffff":
                ch = text[i - start]
                code = ord(ch)
            else:  # PDFium's GetText writes U+FFFE for characters such as control codes
                code = get_unicode(tp, i)
                ch = chr(code) if 0 < code < 0x110000 else ""
            if not ch or code in (0, 0xFFFE, 0xFFFF) or ch.isspace():
                # a space the producer wrote; PDFium's generated ones are guesses that split
                # words set with letter spacing ("H à N ội")
                space = space or (ch.isspace() and is_generated(tp, i) != 1)
                continue
            if ch in "\u200b\ufeff":
                continue
            if text is None and is_generated(tp, i) == 1:
                continue
            space_before, space = space, False
            origin(at, i, px, py)
            if y.value < floor:
                space = True
                continue
            box(at, i, prect)
            # The rendered size: FPDFText_GetFontSize gives the font's nominal size, 1 when
            # the text matrix does the scaling (gazette PDFs).
            size = max(abs(rect.top - rect.bottom), 1.0)
            key = text_object(at, i)
            if fast is None:
                key = ctypes.cast(key, ctypes.c_void_p).value
            key = key or 0
            if key not in fonts:
                n = get_font(tp, i, name_buf, 256, flags)
                fonts[key] = name_buf.value.decode("latin-1") if n > 0 else None
            out.append(
                Glyph(
                    ch,
                    min(rect.left, rect.right),
                    max(rect.left, rect.right),
                    y.value,
                    float(size),
                    fonts[key],
                    None,
                    space_before,
                )
            )
        return out, total
    finally:
        textpage.close()


def _annotation_boxes(pdf: Any, page: Any) -> list[tuple[tuple[float, float, float, float], str]]:
    """(rect, source label) of each annotation on the page."""
    from pypdfium2 import raw

    out = []
    form = getattr(getattr(pdf, "formenv", None), "raw", None)
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            rect = raw.FS_RECTF()
            if not raw.FPDFAnnot_GetRect(annot, rect):
                continue
            subtype = raw.FPDFAnnot_GetSubtype(annot)
            label = None
            if subtype == _FPDF_ANNOT_WIDGET and form is not None:
                label = _utf16(lambda buf, n: raw.FPDFAnnot_GetFormFieldName(form, annot, buf, n))
            if not label:
                label = f"annotation:{_subtype_name(subtype)}"
            box = (
                min(rect.left, rect.right),
                min(rect.bottom, rect.top),
                max(rect.left, rect.right),
                max(rect.bottom, rect.top),
            )
            out.append((box, label))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return out


def _utf16(call: Any) -> str | None:
    size = call(None, 0)
    if size <= 2:
        return None
    buf = ctypes.create_string_buffer(size)
    call(ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace") or None


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


def _attribute(glyph: Glyph, boxes: list[tuple[tuple[float, float, float, float], str]]) -> Glyph:
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
    return Glyph(glyph.char, glyph.x0, glyph.x1, glyph.baseline, glyph.size, glyph.font, label, glyph.space_before)


def _merge_stamped_rows(rows: list[list[tuple[int, Glyph]]]) -> list[list[tuple[int, Glyph]]]:
    """A row drawn only by annotations (a number stamped a little above or below the line's
    baseline) joins the nearest row of page content when it fits in a blank of that row:
    no content glyph under it, and within 0.8 of a line's height."""
    out: list[list[tuple[int, Glyph]]] = []
    for row in rows:
        if any(g.source is None for _, g in row):
            out.append(list(row))
            continue
        # one row per stamp: two widgets on one line (number and day) are placed apart
        by_source: dict[str | None, list[tuple[int, Glyph]]] = {}
        for item in row:
            by_source.setdefault(item[1].source, []).append(item)
        out.extend(by_source.values())
    for r, row in enumerate(out):
        if not row or any(g.source is None for _, g in row):
            continue
        x0, x1 = min(g.x0 for _, g in row), max(g.x1 for _, g in row)
        base = row[0][1].baseline
        size = max(g.size for _, g in row)
        best: tuple[float, int] | None = None
        for c, other in enumerate(out):
            if c == r or not other or all(g.source is not None for _, g in other):
                continue
            distance = abs(other[0][1].baseline - base)
            if distance > 0.8 * max(size, max(g.size for _, g in other)):
                continue
            if any(g.x0 < x1 and g.x1 > x0 for _, g in other):
                continue  # content under the stamp: not a blank of that row
            if best is None or distance < best[0]:
                best = (distance, c)
        if best is not None:
            out[best[1]].extend(row)
            row.clear()
    # rows that stayed apart keep their place, top to bottom
    kept = [r for r in out if r]
    kept.sort(
        key=lambda r: (
            -max(g.baseline for _, g in r if g.source is None)
            if any(g.source is None for _, g in r)
            else -r[0][1].baseline
        )
    )
    return kept


def _layout(glyphs: list[Glyph], drawn: bool) -> PageText:
    """Rows by baseline (top to bottom); within a row, runs of glyphs that follow each
    other in the content stream (a word, a line of one column) ordered left to right.
    Words are separated where the stream has a space or the gap is as wide as one, runs
    by one space.

    A run breaks where the next glyph jumps back, or forward by more than a blank: the
    blanks of "Số:      /TTr-UBND" are where a signature stamps the number, and the stamp's
    glyphs (drawn later) must be read between the two halves.  Within a run stream order
    is kept, so marks that legacy fonts draw over the previous letter stay after it.
    """
    merged: list[Glyph] = []
    for g in glyphs:
        if merged and unicodedata.combining(g.char) and not merged[-1].char.isspace():
            last = merged[-1]
            merged[-1] = Glyph(
                last.char + g.char,
                last.x0,
                max(last.x1, g.x1),
                last.baseline,
                last.size,
                last.font,
                last.source,
                last.space_before,
            )
        else:
            merged.append(g)
    visible = list(enumerate(merged))
    rows: list[list[tuple[int, Glyph]]] = []
    for i, g in sorted(visible, key=lambda item: -item[1].baseline):
        row = rows[-1] if rows else None
        if row is not None and abs(row[0][1].baseline - g.baseline) <= 0.35 * max(row[0][1].size, g.size):
            row.append((i, g))
        else:
            rows.append([(i, g)])
    rows = _merge_stamped_rows(rows)
    chars: list[str] = []
    sources: list[str | None] = []
    fonts: list[str | None] = []

    def put(text: str, source: str | None, font: str | None) -> None:
        chars.extend(text)
        sources.extend([source] * len(text))
        fonts.extend([font] * len(text))

    for r, row in enumerate(rows):
        if r:
            put("\n", None, None)
        row.sort(key=lambda item: item[0])
        runs: list[list[Glyph]] = []
        previous: Glyph | None = None
        for _, g in row:
            size = max(min(g.size, previous.size), 1.0) if previous else 1.0
            if previous is None or g.x0 < previous.x1 - 0.9 * size or g.x0 - previous.x1 > 0.8 * size:
                runs.append([g])
            else:
                runs[-1].append(g)
            previous = g
        runs.sort(key=lambda run: run[0].x0)
        for k, run in enumerate(runs):
            if k:
                put(" ", None, None)  # between runs: another column, or a stamp in a blank
            for j, g in enumerate(run):
                if j and (g.space_before or g.x0 - run[j - 1].x1 > 0.25 * max(min(g.size, run[j - 1].size), 1.0)):
                    put(" ", None, None)  # a space in the stream, or a gap as wide as one
                put(unicodedata.normalize("NFC", g.char), g.source, g.font)
    text = "".join(chars)
    return PageText(text, tuple(sources), tuple(fonts), drawn)
