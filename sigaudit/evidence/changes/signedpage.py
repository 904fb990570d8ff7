"""What the signed page shows, read from the signed revision's own bytes: the boxes of its
text, whether it renders within the decoding budget and renders as the final file's page,
and whether an annotation added after signing lies over its text or ink.  Used by the
comparison by effect (``effects.py``) and by the harmless list's light path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sigaudit.evidence.changes.annotations import _printed_only, _rect, _visible


def _rect_covers_text(
    rect: tuple[float, float, float, float],
    page_index: int,
    signed_bytes: bytes,
    cache: dict[int, list[tuple[float, float, float, float]]],
) -> bool:
    x0, y0, x1, y1 = rect
    if page_index not in cache:
        cache[page_index] = _text_boxes(signed_bytes, page_index)
    return any(bx0 < x1 and bx1 > x0 and by0 < y1 and by1 > y0 for bx0, by0, bx1, by1 in cache[page_index])


def _covers(
    annot: Any,
    page_index: int,
    signed_bytes: bytes,
    cache: dict[int, list[tuple[float, float, float, float]]],
    renderable: Callable[[], bool],
) -> bool:
    """Whether the annotation lies over what was signed: text of the signed page, or, where
    no text is under it, its ink (a scan's printed date is pixels, not text: the signed
    page is rendered inside the rectangle; a page too costly to render is assumed inked)."""
    rect = _rect(annot)
    # an annotation whose place cannot be read is assumed to cover
    if rect is None or _rect_covers_text(rect, page_index, signed_bytes, cache):
        return True
    from sigaudit.evidence.changes.ink import inked

    return not renderable() or inked(signed_bytes, page_index, rect) is not False


def over_signed_on_paper(
    obj: Any,
    index: int,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    renderable: Callable[[], bool],
) -> bool:
    """Whether an annotation only printed (``_printed_only``) lies over signed text or ink:
    the printed copy then differs from the signed page where the screen does not."""
    return (
        _printed_only(obj)
        and signed_bytes is not None
        and _covers(obj, index - 1, signed_bytes, text_boxes, renderable)
    )


def covering(
    obj: Any,
    index: int,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    renderable: Callable[[], bool],
) -> str | None:
    """How an added annotation covers signed text or ink of page ``index``: "" where the
    screen shows it over them, " (printed, not shown on screen)" where only the printed
    copy does (``over_signed_on_paper``); None where it covers none."""
    if _visible(obj) and signed_bytes is not None and _covers(obj, index - 1, signed_bytes, text_boxes, renderable):
        return ""
    if over_signed_on_paper(obj, index, signed_bytes, text_boxes, renderable):
        return " (printed, not shown on screen)"
    return None


def _text_boxes(data: bytes, page_index: int) -> list[tuple[float, float, float, float]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_index]
        textpage = page.get_textpage()
        boxes = []
        for i in range(textpage.count_chars()):
            box = textpage.get_charbox(i)
            if box[2] > box[0] and box[3] > box[1]:
                boxes.append(box)
        textpage.close()
        page.close()
        return boxes
    finally:
        pdf.close()


def _renderable(page: Any, inherited: dict[str, Any]) -> bool:
    """Whether rendering the page stays within the decoding budget (PDFium has none)."""
    from pyhanko.pdf_utils import generic

    from sigaudit.evidence.budget import page_within_limits

    if "/Resources" not in page and "/Resources" in inherited:
        page = generic.DictionaryObject(
            {**{k: page.raw_get(k) for k in page.keys()}, "/Resources": inherited["/Resources"]}
        )
    return page_within_limits(page, images=True)


def _renders_equal(old_bytes: bytes, new_bytes: bytes, page_index: int, scale: float = 1.0) -> bool:
    """Page ``page_index`` of both files rendered without annotations, in colour at 72 dpi:
    the same pixels, and the same text to a reader that copies, searches or reads it aloud
    (a ToUnicode map swapped draws the same glyphs but says other words)?  Any difference
    counts: a re-encoded font or image that draws the same is equal, a changed digit,
    colour or text mapping is not."""
    import pypdfium2 as pdfium

    images = []
    texts = []
    for data in (old_bytes, new_bytes):
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[page_index]
            bitmap = page.render(scale=scale, draw_annots=False)
            images.append(bytes(bitmap.buffer))
            bitmap.close()
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        finally:
            pdf.close()
    return images[0] == images[1] and texts[0] == texts[1]


def appearances_over_text(
    effect: Any,
    signed_bytes: bytes | None,
    final_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    ink_cache: dict[Any, Any],
    reader: Any = None,
    signed_revision: int | None = None,
) -> None:
    """Signature widgets added after signing, and filled fields' widgets, whose appearance
    hides printed text of the signed page (a white box over the date, another date drawn on
    it), or what the annotations of the signed page showed (the clerk's stamped number, a
    republisher's stamp), are a change."""
    from sigaudit.evidence.changes.ink import hiding_text

    for index, rects in sorted(effect.new_widgets.items()):
        added = _added_positions(reader, signed_revision, index)
        hiding = hiding_text(final_bytes, index - 1, rects, ink_cache, added=added) if final_bytes else None
        if hiding is None:
            # not rendered: an appearance over signed text cannot be cleared
            hiding = [
                r for r in rects if signed_bytes is None or _rect_covers_text(r, index - 1, signed_bytes, text_boxes)
            ]
        if hiding:
            effect.covering.append(f"page {index} signature appearance")
    for index, filled in sorted(effect.filled_widgets.items()):
        # a white box over the printed date drawn by a field's new appearance is no filling
        rects = [rect for _, rect in filled]
        hiding = hiding_text(final_bytes, index - 1, rects, ink_cache, words=True) if final_bytes else None
        # (not rendered: the filling stays the warning that names the field and its value)
        for name in sorted({name for name, rect in filled if hiding and rect in hiding}):
            effect.changes.append(f"page {index} form field '{name}' filled over signed text")


def _added_positions(reader: Any, signed_revision: int | None, index: int) -> frozenset[int] | None:
    """Where, in page ``index``'s final /Annots (PDFium's annotation indices), the
    annotations added after the signed revision are; None when it cannot be told."""
    if reader is None or signed_revision is None:
        return None
    from sigaudit.evidence.changes.compare import _annotations, _pages, _ref

    try:
        final_pages = _pages(reader.root)
        old_pages = _pages(reader.get_historical_resolver(signed_revision).root)
        old_refs = {_ref(r) for r in _annotations(old_pages[index - 1][1])} if index <= len(old_pages) else set()
        return frozenset(i for i, r in enumerate(_annotations(final_pages[index - 1][1])) if _ref(r) not in old_refs)
    except Exception:
        return None
