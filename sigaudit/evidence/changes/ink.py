"""What a signature appearance added after signing draws over the signed page.

The clerk's "cấp số" signatures stamp the number and the day into blanks of page 1; a
seal's image may lie over a handwritten signature.  What no signature appearance may do is
hide printed text that was signed: a widget whose appearance paints a white box over the
printed date and prints another one is a change of content, signed field or not.

Measured by pixels, only inside the widget's rectangle: the page is rendered without
annotations and with them; of the pixels of the page's visible glyphs (PDFium's character boxes, invisible OCR layers excluded)
that were ink, the share that turned light is the text the appearance hid.  On the real
e-office documents we measured the largest share is 3 % (a stamp's
edge); a white-out hides all of it.

Ink can also be buried rather than hidden: a black, red or grey box over the date, or other
digits drawn over it, leaves the glyphs' own pixels dark and darkens the paper around them.
So each glyph is also judged whole: a glyph at least half of whose box changed
(``COVERED_GLYPH``) no longer reads as itself.  A seal's ring crosses a letter or two of the
signer's title and name (on the real documents: at most 1 glyph so changed, 7 % of the
glyphs under one appearance); a box over the date line covers all of them.  A glyph is
covered too where it fades (``FADED``): light text on a dark band under a red box keeps
neither its own pixels light nor the band's, so it is judged by its contrast with the
paper around it, whatever the colours (a title printed white on a dark band).

What the signed page's annotations showed is signed too (the clerk's stamped number, a
republisher's stamp): an appearance added later that turns light half the ink under it,
as the page showed with only those annotations, hid it (``_hides_annotations``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sigaudit.evidence import pdfium_page
from sigaudit.evidence.changes.glyphboxes import visible_glyph_boxes

log = logging.getLogger(__name__)

SCALE = 2.0
INK = 128
"""A pixel darker than this (0-255 grey) is ink."""
LIGHT = 200
"""A pixel lighter than this is background: ink that became this was hidden."""
HIDDEN_SHARE = 0.25
HIDDEN_PIXELS = 20
CHANGED = 64
"""A pixel whose grey changed by more than this once the annotations are drawn changed."""
COVERED_GLYPH = 0.5
"""A glyph at least this share of whose box's pixels changed is covered (buried in a box,
drawn over)."""
COVERED_SHARE = 0.25
COVERED_GLYPHS = 2
"""An appearance covers the text under it where at least ``COVERED_GLYPHS`` glyphs and this
share of the glyphs it meets are covered."""

# thresholds as PIL's point tables (a function is called for each of the 256 greys on
# every call: the images are small, the tables' making was most of the work)
_BELOW_INK = [255 if v < INK else 0 for v in range(256)]
_ABOVE_LIGHT = [255 if v > LIGHT else 0 for v in range(256)]
_ABOVE_CHANGED = [255 if v > CHANGED else 0 for v in range(256)]

Rect = tuple[float, float, float, float]


def hiding_text(
    final: bytes,
    page_index: int,
    rects: Sequence[Rect],
    cache: dict[Any, Any],
    *,
    words: bool = False,
    added: frozenset[int] | None = None,
) -> list[Rect] | None:
    """The rectangles (of appearances added after signing, in page space) whose appearance
    hides printed text of the page; None when the page cannot be rendered.

    The page is rendered from the final file twice, without and with its annotations: the
    comparison by effect has already proved that the page content is the signed one (else
    it is a change of its own), so the page without annotations is the signed page.
    ``cache`` (one per document) keeps each rectangle's answer for the next signature.
    ``words``: only letters and digits count as text (a filled form field's box may lie over
    the dotted line printed for its value: "Họ và tên: ………").  ``added``: PDFium's indices of
    the page's annotations added after signing; an appearance that hides what the others (the
    signed page's own stamps) showed hides signed text too (``_hides_annotations``)."""
    renders = cache.setdefault(("renders", page_index), {})
    memo = cache.setdefault(("stamps", page_index), {})
    missing = [r for r in rects if (page_index, r, words) not in cache]
    if missing:
        found = _measure(final, page_index, missing, renders, memo, words, added)
        for r in missing:
            cache[(page_index, r, words)] = None if found is None else r in found
    if any(cache[(page_index, r, words)] is None for r in rects):
        return None
    hiding = [r for r in rects if cache[(page_index, r, words)]]
    if added is None:
        return hiding
    # what the signed page's stamps showed: asked only of the rectangles that hide no text,
    # once per set of added annotations (each signature has its own)
    rest = [r for r in rects if r not in hiding and (page_index, r, added) not in cache]
    if rest:
        found = _measure_stamps(final, page_index, rest, added, memo, renders)
        for r in rest:
            cache[(page_index, r, added)] = None if found is None else r in found
    if any(cache[(page_index, r, added)] is None for r in rects if r not in hiding):
        return None
    return [r for r in rects if r in hiding or cache[(page_index, r, added)]]


@contextmanager
def _final_page(final: bytes, page_index: int) -> Iterator[Any]:
    """The final file's page ``index`` with its form environment (the document's shared one
    where there is one), or None where it is turned (not measured here)."""
    import pypdfium2 as pdfium

    pdf = None
    try:
        page = pdfium_page.page(final, page_index)
        if page is None:
            pdf = pdfium.PdfDocument(final)
            pdf.init_forms()
            page = pdf[page_index]
        yield None if page.get_rotation() else page
    finally:
        if pdf is not None:
            pdf.close()


def _measure_stamps(
    final: bytes,
    page_index: int,
    rects: Sequence[Rect],
    added: frozenset[int],
    memo: dict[Any, Any],
    renders: dict[Any, Any],
) -> list[Rect] | None:
    """Of ``rects``, those whose added appearances hide what the page's other annotations
    showed (``_hides_annotations``); None when the page cannot be rendered."""
    try:
        with _final_page(final, page_index) as page:
            return None if page is None else [r for r in rects if _hides_annotations(page, r, added, memo, renders)]
    except Exception:
        log.info("cannot render the page to compare an appearance with the stamps under it", exc_info=True)
        return None


def _measure(
    final: bytes,
    page_index: int,
    rects: Sequence[Rect],
    renders: dict[Any, Any],
    memo: dict[Any, Any],
    words: bool = False,
    added: frozenset[int] | None = None,
) -> list[Rect] | None:
    """Of ``rects``, those whose appearances hide printed text of the page.  A rectangle
    that the stamp check (``_hides_annotations``) will render whole with the annotations
    too is measured on that render (``renders``, the page's windows rendered so far), not on
    one of its own around the glyphs (``_counts``); ``memo`` is the stamp check's (the
    page's annotation boxes, read once)."""
    try:
        with _final_page(final, page_index) as page:
            if page is None:
                return None
            glyphs = visible_glyph_boxes(page, rects, words)
            whole = {r for r in rects if added is not None and _signed_meeting(page, r, added, memo)[1]}
            if words:  # no word under it: a dotted line, a blank (what the page shows there is not judged here)
                return [r for r in rects if glyphs.get(r) and _hidden(page, r, glyphs[r], renders, r in whole)]
            return [
                r
                for r in rects
                if (
                    _hidden(page, r, glyphs[r], renders, r in whole) if glyphs.get(r) else _covers_ink(page, r, renders)
                )
            ]
    except Exception:
        log.info("cannot render the page to compare an appearance", exc_info=True)
        return None


INKED_SHARE = 0.005
"""An added annotation lies over signed ink where at least this share of the pixels under
it (and ``HIDDEN_PIXELS``) are ink on the signed page: a scan's speckles in a margin are not."""


def inked(signed: bytes, page_index: int, rect: Rect) -> bool | None:
    """Whether the signed page (rendered from the signed revision's own bytes, as it showed,
    annotations included) has ink inside ``rect``: what an annotation added there lies over
    where no text of the page is (a scan's printed date, the number a clerk's signature
    stamped, a handwritten number).  None when the page
    cannot be rendered (a rotated page, a broken file)."""
    import pypdfium2 as pdfium

    pdf = None
    try:
        pdf = pdfium.PdfDocument(signed)
        pdf.init_forms()
        page = pdf[page_index]
        if page.get_rotation():
            return None
        window = _window(page, rect)
        if window[2] <= window[0] or window[3] <= window[1]:
            return False  # off the page
        # as the signed revision showed it: the clerk's stamps (signature appearances) too
        histogram = _render(page, window, True).histogram()
        ink, total = sum(histogram[:INK]), sum(histogram)
        return ink >= HIDDEN_PIXELS and ink >= INKED_SHARE * total
    except Exception:
        log.info("cannot render the signed page under an annotation", exc_info=True)
        return None
    finally:
        if pdf is not None:
            pdf.close()


def _render(
    page: Any, window: tuple[int, int, int, int], annotations: bool, renders: dict[Any, Any] | None = None
) -> Any:
    """The page rendered at ``SCALE``, only the pixels ``window`` (x0, y0, x1, y1: pixels
    of the whole page so rendered, from its top left); pypdfium2 crops whole pixels, so a
    pixel sits at the same place whatever window holds it.  Its grey is nearly the same:
    PDFium resamples an image for the part the window clips, and on the project's PDFs 35
    of 980 windows inside an annotation's rectangle differ from the same pixels cut from the
    rectangle's render (29 of them by one grey level, the most by 112 at a seal's edge).  So
    a render is never cut from another: every window is rendered as itself.  ``renders``
    (one per page of the final file) keeps each window's render for the next caller that
    asks for the same window: the images are read only (``PIL.Image.crop`` copies)."""
    if renders is not None:
        key = (window, annotations)
        if key not in renders:
            renders[key] = _render(page, window, annotations)
        return renders[key]
    width, height = math.ceil(page.get_width() * SCALE), math.ceil(page.get_height() * SCALE)
    x0, y0, x1, y1 = window
    nudge = 1e-6  # pypdfium2 takes ceil(crop × scale): a whole number stays that number
    crop = ((x0 - nudge) / SCALE, (height - y1 - nudge) / SCALE, (width - x1 - nudge) / SCALE, (y0 - nudge) / SCALE)
    bitmap = page.render(scale=SCALE, crop=crop, draw_annots=annotations, may_draw_forms=annotations, grayscale=True)
    try:
        return bitmap.to_pil().convert("L")
    finally:
        bitmap.close()


def _window(page: Any, rect: Rect) -> tuple[int, int, int, int]:
    """The pixels the rectangle covers (its part on the page), as the page rendered whole."""
    left, bottom, right, top = page.get_bbox()
    width, height = math.ceil(page.get_width() * SCALE), math.ceil(page.get_height() * SCALE)
    return (
        math.ceil(max(rect[0] - left, 0.0) * SCALE),
        math.ceil(max(top - rect[3], 0.0) * SCALE),
        width - math.ceil(max(right - rect[2], 0.0) * SCALE),
        height - math.ceil(max(rect[1] - bottom, 0.0) * SCALE),
    )


def _hidden(
    page: Any, rect: Rect, boxes: list[Rect], renders: dict[Any, Any] | None = None, whole: bool = False
) -> bool:
    """Whether, of the glyphs' ink inside ``rect``, enough turns light once the page's
    annotations are drawn, or enough of the glyphs are covered (see the module's doc)."""
    ink_count, hidden_count, covered = _counts(page, rect, boxes, tight=not whole, renders=renders)
    if hidden_count >= HIDDEN_PIXELS and hidden_count >= HIDDEN_SHARE * ink_count:
        return True
    return covered >= COVERED_GLYPHS and covered >= COVERED_SHARE * len(boxes)


HIDDEN_INK_SHARE = 0.5
BURIED_SHARE = 0.6
PAPER_PIXELS = 100
"""Where no text of the page lies under an appearance (a scan's printed header, an image),
its ink is judged without glyphs: hidden where at least ``HIDDEN_INK_SHARE`` of the ink
turns light, buried where at least ``BURIED_SHARE`` of the paper around the ink (light
pixels within the ink's bounding box, at least ``PAPER_PIXELS`` of them: not a ruled
line's) changed.  On the real scans a copy stamp laid over the scanned
signature hides 20 % of the ink there and changes 21 % of the pixels; the real stamps lie
in the blank top margin, over no ink at all."""


def _covers_ink(page: Any, rect: Rect, renders: dict[Any, Any] | None = None) -> bool:
    """Whether the appearances over ``rect`` hide or bury ink of the page there where the
    page shows no text (see ``HIDDEN_INK_SHARE``).  A page is rendered without annotations
    first, and with them only where it has ink under the rectangle."""
    window = _window(page, rect)
    if window[2] <= window[0] or window[3] <= window[1]:
        return False
    before = _render(page, window, False, renders)
    ink = before.point(_BELOW_INK)
    count = ink.histogram()[255]
    if count < HIDDEN_PIXELS or count < INKED_SHARE * before.width * before.height:
        return False
    hidden, buried = _ink_shares(before, _render(page, window, True, renders), ink, count)
    return hidden >= HIDDEN_INK_SHARE or buried >= BURIED_SHARE


def _ink_shares(before: Any, after: Any, ink: Any, count: int) -> tuple[float, float]:
    """(the share of ``before``'s ``count`` ink pixels — the mask ``ink`` — that turn light in
    ``after``, the share of the paper around that ink that changed: buried under a box or
    drawn over; 0 where there are fewer than ``PAPER_PIXELS`` of paper).  The paper is taken
    within the ink's bounding box: a scan's text rows, a stamp's lines, not a ruled line's
    few pixels."""
    from PIL import ImageChops

    hidden = ImageChops.multiply(ink, after.point(_ABOVE_LIGHT)).histogram()[255] / count
    around = ink.getbbox() or (0, 0, before.width, before.height)
    paper = before.crop(around).point(_ABOVE_LIGHT)
    changed = ImageChops.difference(before, after).crop(around).point(_ABOVE_CHANGED)
    papers = paper.histogram()[255]
    buried = ImageChops.multiply(paper, changed).histogram()[255] / papers if papers >= PAPER_PIXELS else 0.0
    return hidden, buried


STAMP_HIDDEN_SHARE = 0.5
STAMP_GONE = 0.8
"""An appearance added after signing hides what the signed page's own annotations showed
(the clerk's stamped number and day, a republisher's stamp) where, of the ink under it as
the page showed without the added annotations (at least ``HIDDEN_PIXELS``), at least
``STAMP_HIDDEN_SHARE`` turns light, or ``BURIED_SHARE`` of the paper around it changes, or
the two shares add up to ``STAMP_GONE`` (a white box, then large digits over the stamp's
place: half its ink hidden, half the paper drawn over).  On the real e-office files a seal
laid over an earlier signature's appearance turns at most 24 % of the ink there light and
changes at most 36 % of the paper around it (44 % together); a white box over a stamp hides
all of it."""


def _annotation_boxes(page: Any) -> list[tuple[int, Rect, int]]:
    """(PDFium's index, rectangle, flags) of the page's annotations."""
    return [(i, box, flags) for i, _, box, flags, _ in pdfium_page.annotations(page)]


def _signed_meeting(
    page: Any, rect: Rect, added: frozenset[int], memo: dict[Any, Any]
) -> tuple[list[int], frozenset[int]]:
    """(PDFium's indices of the shown annotations that meet ``rect``, those of them the
    signed page had: not in ``added``); ``memo`` keeps the page's annotation boxes."""
    if "annotations" not in memo:
        memo["annotations"] = _annotation_boxes(page)
    meeting = [
        i
        for i, box, flags in memo["annotations"]
        if not flags & 0b100010  # Hidden, NoView: nothing shown
        and box[0] < rect[2]
        and box[2] > rect[0]
        and box[1] < rect[3]
        and box[3] > rect[1]
    ]
    return meeting, frozenset(i for i in meeting if i not in added)


def _hides_annotations(
    page: Any, rect: Rect, added: frozenset[int], memo: dict[Any, Any], renders: dict[Any, Any] | None = None
) -> bool:
    """Whether the annotations added after signing (PDFium's indices ``added``), drawn over
    ``rect``, hide the ink there of the page with its other annotations — those of the
    signed page.  Rendered twice: the added ones hidden (their /F flag set to Hidden on the
    loaded page, then put back), then as the file shows.  Only where an annotation of the
    signed page meets ``rect``; an appearance draws inside its rectangle, so the answer
    depends only on which of the annotations meeting ``rect`` the signed page had (``memo``,
    one per page: the signatures of a document share it)."""
    from pypdfium2 import raw

    window = _window(page, rect)
    if window[2] <= window[0] or window[3] <= window[1]:
        return False
    meeting, signed = _signed_meeting(page, rect, added, memo)
    if not signed:
        return False
    key = (rect, signed)
    if key in memo:
        return bool(memo[key])
    handles = [(i, raw.FPDFPage_GetAnnot(page.raw, i)) for i in meeting if i in added]
    try:
        for _, annot in handles:
            raw.FPDFAnnot_SetFlags(annot, raw.FPDFAnnot_GetFlags(annot) | 0b10)
        try:
            before = _render(page, window, True)
        finally:
            for _, annot in handles:
                raw.FPDFAnnot_SetFlags(annot, raw.FPDFAnnot_GetFlags(annot) & ~0b10)
    finally:
        for _, annot in handles:
            raw.FPDFPage_CloseAnnot(annot)
    memo[key] = _gone(before, _render(page, window, True, {} if renders is None else renders))
    return bool(memo[key])


def _gone(before: Any, after: Any) -> bool:
    """Whether the ink of ``before`` is hidden or drawn over in ``after`` (``STAMP_GONE``)."""
    ink = before.point(_BELOW_INK)
    count = ink.histogram()[255]
    if count < HIDDEN_PIXELS:
        return False
    hidden, buried = _ink_shares(before, after, ink, count)
    return hidden >= STAMP_HIDDEN_SHARE or buried >= BURIED_SHARE or hidden + buried >= STAMP_GONE


def _counts(
    page: Any, rect: Rect, boxes: list[Rect], *, tight: bool = True, renders: dict[Any, Any] | None = None
) -> tuple[int, int, int]:
    """(pixels of the glyphs' ink inside ``rect``, those of them that turn light once the
    annotations are drawn, the glyphs covered), by pixel arithmetic in PIL (in C).  Only the pixels around the
    glyphs are rendered (``tight``; a seal's image inside a large stamp is otherwise
    resampled whole, twice): the same counts as rendering the whole rectangle, which
    ``tight=False`` does (the tests compare both; a pixel's grey may differ by a level or
    two where a window clips an image, see ``_render``).  The whole rectangle is rendered
    where the stamp check renders it with the annotations anyway (``renders`` keeps it):
    PDFium decodes an appearance's images again on every render (a seal of 2519 × 1105
    pixels: 8–13 ms a render, whatever the window), so one render of them is spared."""
    from PIL import Image, ImageChops, ImageDraw

    window = _window(page, rect)
    x0, top = max(rect[0], page.get_bbox()[0]), min(rect[3], page.get_bbox()[3])
    # each glyph's box in pixels of the whole page
    shapes = [
        (
            (bx0 - x0) * SCALE + window[0],
            (top - by1) * SCALE + window[1],
            (bx1 - x0) * SCALE + window[0],
            (top - by0) * SCALE + window[1],
        )
        for bx0, by0, bx1, by1 in boxes
    ]
    if tight and shapes:
        window = (
            max(window[0], math.floor(min(s[0] for s in shapes)) - 1),
            max(window[1], math.floor(min(s[1] for s in shapes)) - 1),
            min(window[2], math.ceil(max(s[2] for s in shapes)) + 2),
            min(window[3], math.ceil(max(s[3] for s in shapes)) + 2),
        )
    if window[2] <= window[0] or window[3] <= window[1]:
        return 0, 0, 0
    before, after = _render(page, window, False, renders), _render(page, window, True, renders)
    mask = Image.new("L", before.size, 0)
    draw = ImageDraw.Draw(mask)
    for sx0, sy0, sx1, sy1 in shapes:
        draw.rectangle((sx0 - window[0], sy0 - window[1], sx1 - window[0], sy1 - window[1]), fill=255)
    ink = ImageChops.multiply(before.point(_BELOW_INK), mask)
    hidden = ImageChops.multiply(ink, after.point(_ABOVE_LIGHT))
    difference = ImageChops.difference(before, after)
    changed = difference.point(_ABOVE_CHANGED)
    covered = 0
    for sx0, sy0, sx1, sy1 in shapes:
        # the glyph's box within the window, whole pixels
        box = (
            max(math.floor(sx0) - window[0], 0),
            max(math.floor(sy0) - window[1], 0),
            min(math.ceil(sx1) - window[0], changed.width),
            min(math.ceil(sy1) - window[1], changed.height),
        )
        area = (box[2] - box[0]) * (box[3] - box[1])
        if area <= 0 or difference.crop(box).getbbox() is None:
            continue  # no pixel of the glyph's box changed: most glyphs beside a seal's ring
        if changed.crop(box).histogram()[255] >= COVERED_GLYPH * area or _faded(before.crop(box), after.crop(box)):
            covered += 1
    return ink.histogram()[255], hidden.histogram()[255], covered


FADED = 0.3
"""A glyph whose contrast with the paper around it (within its box) falls below this share
of what it was no longer reads as itself, whatever its colours: light text on a dark band
under a dark box keeps neither its own pixels light nor the paper's."""


def _faded(before: Any, after: Any) -> bool:
    """Whether a glyph's box lost its contrast once the annotations are drawn: the glyph's
    pixels (those that differ from the box's median, its paper, by more than ``CHANGED``)
    against the rest, before and after."""
    from PIL import Image, ImageChops, ImageStat

    paper = ImageStat.Stat(before).median[0]
    glyph = ImageChops.difference(before, Image.new("L", before.size, paper)).point(_ABOVE_CHANGED)
    count = glyph.histogram()[255]
    if count < 4 or count == before.width * before.height:
        return False
    rest = ImageChops.invert(glyph)
    contrast = abs(ImageStat.Stat(before, glyph).mean[0] - ImageStat.Stat(before, rest).mean[0])
    return abs(ImageStat.Stat(after, glyph).mean[0] - ImageStat.Stat(after, rest).mean[0]) < FADED * contrast
