"""Text a person sees and text nobody sees (``evidence/page/visible.py``), drawn into a
committed e-office fixture: white letters count where they show (on a dark band), not on
blank paper."""

from __future__ import annotations

import io

from conftest import ROOT

from sigaudit.evidence.page.pagetext import read_page_text

FIXTURE = ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf"


def _drawn_over(content: bytes) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=str(FIXTURE))
    page = writer.pages[0]
    fonts = page["/Resources"].get_object()["/Font"].get_object()
    font = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"}
    fonts[NameObject("/FZ9")] = DictionaryObject({NameObject(k): NameObject(v) for k, v in font.items()})
    stream = DecodedStreamObject()
    stream.set_data(page.get_contents().get_data() + b"\n" + content)
    page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _top() -> float:
    from pypdf import PdfReader

    return float(PdfReader(str(FIXTURE)).pages[0].mediabox.top)


def test_white_letters_on_a_dark_band_are_read_and_on_blank_paper_are_not():
    y = _top() - 30
    band = b"q 0 g 40 %.1f 400 24 re f Q " % (y - 6)
    white = b"q 1 g BT /FZ9 12 Tf 50 %.1f Td (WHITE ON THE BAND) Tj ET Q" % y
    assert "WHITE ON THE BAND" in read_page_text(_drawn_over(band + white)).text
    assert "WHITE ON THE BAND" not in read_page_text(_drawn_over(white)).text


def test_invisible_letters_are_read_only_over_what_shows_them():
    """Render mode 3 over a drawn copy of the words (an OCR layer over a pasted picture of
    the header) is what the page shows there; over blank paper it is nothing."""
    y = _top() - 30
    picture = b"q 0 g BT /FZ9 12 Tf 50 %.1f Td (LAYER OVER INK) Tj ET Q " % y
    layer = b"q BT 3 Tr /FZ9 12 Tf 50 %.1f Td (LAYER OVER INK) Tj ET Q" % y
    assert read_page_text(_drawn_over(picture + layer)).text.count("LAYER OVER INK") >= 1
    assert "LAYER OVER INK" not in read_page_text(_drawn_over(layer)).text


def test_letters_off_the_page_are_not_read():
    y = _top() - 30
    assert (
        "FAR LEFT" not in read_page_text(_drawn_over(b"q 0 g BT /FZ9 12 Tf -300 %.1f Td (FAR LEFT) Tj ET Q" % y)).text
    )


def test_letters_that_only_clip_are_read_where_something_fills_them():
    """Render mode 7 adds the letters to the clip and paints nothing: they show only where
    what is drawn after them fills them."""
    y = _top() - 30
    clip = b"q BT 7 Tr /FZ9 12 Tf 50 %.1f Td (CLIPPED WORDS) Tj ET " % y
    assert "CLIPPED WORDS" in read_page_text(_drawn_over(clip + b"0 g 0 0 2000 2000 re f Q")).text
    assert "CLIPPED WORDS" not in read_page_text(_drawn_over(clip + b"Q")).text
