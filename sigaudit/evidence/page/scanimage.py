"""The image work before OCR (``ocr.py``): page 1's header region rendered with PDFium,
straightened, and cut at a blank row.  Pillow does the pixel work in C; nothing here loops
over pixels in Python."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)


def render_header(data: bytes, dpi: int, fraction: float) -> Any | None:
    """The top ``fraction`` of page 1 in grey at ``dpi``, or None when the page cannot be
    rendered (or is not a page size a document is printed on).

    Drawn with the page: the widgets the size of a clerk's stamp (``_only_stamps``) — the
    number and the day an e-office system stamps into the header's blanks are in those
    appearances and nowhere else, on a scan as on a page whose text layer cannot be
    believed.  Not drawn: the other annotations, the signatures' seals and boxes above all,
    which laid over a scan's header cost more words of the print than they give (measured
    on the real scans)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        return None
    try:
        if len(pdf) == 0:
            return None
        with contextlib.suppress(Exception):
            pdf.init_forms()  # widgets are drawn only through the form layer
        page = pdf[0]
        width, height = page.get_size()
        if not (50 < width < 5000 and 50 < height < 5000):
            return None
        shown = _only_stamps(page, fraction)
        bitmap = page.render(
            scale=dpi / 72,
            crop=(0, height * (1 - fraction), 0, 0),
            grayscale=True,
            draw_annots=shown,
            may_draw_forms=shown,
        )
        image = bitmap.to_pil()
        bitmap.close()
        page.close()
        return image
    except Exception:
        log.info("page 1 cannot be rendered for OCR", exc_info=True)
        return None
    finally:
        pdf.close()


STAMP_MAX = (220.0, 40.0)
"""Width and height (points) of the widest and tallest widget taken for a clerk's stamp: on
the real e-office pages the number's and the day's widgets are 17–198 points wide
and 14–30 tall; the signatures' boxes and seals on the real scans are 96–353 wide and
28–69 tall, in the top margin."""
STAMP_BELOW_TOP = 40.0
"""A stamp lies this far or more below the page's top edge (the real stamps: 86 points and
more; the boxes and seals on the real scans: 12 points or less)."""


def _only_stamps(page: Any, fraction: float) -> bool:
    """Hide (on the loaded page) every annotation that is not a widget the size of a clerk's
    stamp lying inside the header band below the top margin; True where such a stamp is left
    to draw (never on a page stored turned: its rectangles are not upright)."""
    from pypdfium2 import raw

    from sigaudit.evidence import pdfium_page

    if page.get_rotation():
        return False
    _, bottom, _, top = page.get_bbox()  # the page as shown: its crop box, where it has one
    floor = top - (top - bottom) * fraction
    stamps = False
    for i, subtype, (x0, y0, x1, y1), flags, _ in pdfium_page.annotations(page):
        stamp = (
            subtype == pdfium_page.WIDGET
            and x1 - x0 <= STAMP_MAX[0]
            and y1 - y0 <= STAMP_MAX[1]
            and top - y1 >= STAMP_BELOW_TOP
            and y0 >= floor
        )
        if stamp:
            stamps = stamps or not flags & 0b100010  # shown: neither Hidden nor NoView
            continue
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        try:
            raw.FPDFAnnot_SetFlags(annot, flags | 0b10)  # Hidden (a copy in memory, never saved)
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return stamps


def deskew(image: Any) -> tuple[Any, float]:
    """Straighten a slightly rotated scan: the angle (within ±4°) whose horizontal
    projection has the sharpest rows of text, searched coarse to fine (half degrees on an
    eighth of the image, then quarter and twentieth degrees on a quarter: the same angle as
    every twentieth over a quarter, within 0.05°, at half the cost)."""
    from PIL import Image, ImageOps, ImageStat

    small = ImageOps.invert(image.convert("L")).resize((max(image.width // 4, 1), max(image.height // 4, 1)))
    tiny = small.resize((max(small.width // 2, 1), max(small.height // 2, 1)), Image.BOX)

    def sharpness(picture: Any, angle: float) -> float:
        # the variance of the rows' mean ink (every angle has the same number of rows)
        rotated = picture.rotate(angle, resample=Image.BILINEAR, fillcolor=0)
        return ImageStat.Stat(rotated.resize((1, rotated.height), Image.BOX)).var[0]

    best = max((a / 2 for a in range(-8, 9)), key=lambda a: sharpness(tiny, a))
    best = max((best + d / 4 for d in range(-2, 3)), key=lambda a: sharpness(small, a))
    best = max((best + d / 20 for d in range(-5, 6)), key=lambda a: sharpness(small, a))
    if abs(best) < 0.2:
        return image, 0.0
    return image.rotate(best, resample=Image.BICUBIC, fillcolor=255, expand=False), best


def blank_row_near(image: Any, target: int) -> int | None:
    """A row between lines of text near ``target`` (from a sixth of the image above it to a
    twentieth below): the row with the least ink there, nearest the target among equals —
    or None when every row there carries ink (a seal or a picture across the page: cutting
    would split it), or the target is outside the image."""
    from PIL import Image, ImageOps

    if not 0 < target < image.height:
        return None
    rows = ImageOps.invert(image.convert("L")).resize((1, image.height), Image.BOX).tobytes()
    low, high = max(target - image.height // 6, 1), min(target + image.height // 20, image.height - 1)
    best = min(range(low, high), key=lambda y: (rows[y], abs(y - target)), default=None)
    if best is None:
        return None
    mean = sum(rows) / len(rows)
    # a blank row: well under the page's average ink (a scan's grey noise is never zero)
    return best if rows[best] <= 0.25 * mean else None
