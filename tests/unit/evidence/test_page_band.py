"""The header band (``page/band.py``) is a shortcut, never another answer: on every page 1
the project has, the header read from the band is the header read from the top 60 % of the
page; and the ink check's line skipping and the shared PDFium page change nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import PDF_FOLDERS, ROOT

from sigaudit import Settings
from sigaudit.evidence import pdfium_page
from sigaudit.evidence.changes import glyphboxes, ink
from sigaudit.evidence.document import inspect_bytes
from sigaudit.evidence.page import header, pagetext, stamped
from sigaudit.evidence.page.header import band_suffices, parse_header

FOLDERS = PDF_FOLDERS


def _pdfs() -> list[Path]:
    return [p for folder in FOLDERS if folder.is_dir() for p in sorted(folder.rglob("*.pdf"))]


def _parse(page: pagetext.PageText | None) -> object:
    return None if page is None else parse_header(page.text, page.sources, scanned=page.scanned)


def test_band_reads_the_header_the_whole_reading_reads(monkeypatch):
    used = []
    read = pagetext._read

    def spy(pdf, index, band, **kw):
        out = read(pdf, index, band, **kw)
        used.append(band and out is not None)
        return out

    monkeypatch.setattr(pagetext, "_read", spy)
    pages = 0
    for path in _pdfs():
        data = path.read_bytes()
        used.clear()
        banded = pagetext.read_page_text(data)
        took_band = any(used)
        whole = pagetext.read_page_text(data, band=False)
        assert _parse(banded) == _parse(whole), path.name
        if took_band:
            pages += 1
            assert len(banded.text) <= len(whole.text), path.name
    # the shortcut is taken on most pages (else this test proves nothing)
    assert pages >= 100, pages


def test_annotations_below_the_header_are_not_flattened_for_nothing(monkeypatch):
    """Where no annotation reaches the rows read (``pagetext.reaches``), the page is read
    without flattening: the same text, sources and header as with the flattening forced."""
    skipped = 0
    for path in _pdfs():
        data = path.read_bytes()
        seen = []
        monkeypatch.setattr(pagetext, "reaches", lambda boxes, floor: seen.append(pagetext.OVERFLOW) or True)
        forced = pagetext.read_page_text(data)
        monkeypatch.undo()
        if not seen:
            continue  # no annotation: nothing to flatten either way
        default = pagetext.read_page_text(data)
        if default is None or forced is None:
            assert default == forced, path.name
            continue
        assert (default.text, default.sources) == (forced.text, forced.sources), path.name
        assert _parse(default) == _parse(forced), path.name
        pdf = pdfium.PdfDocument(data)
        try:
            pdf.init_forms()
            page = pdf[0]
            floor = page.get_height() * (1 - pagetext.HEADER_FRACTION)
            skipped += not pagetext.reaches(stamped.annotation_boxes(pdf, page), floor)
            page.close()
        finally:
            pdf.close()
    # the shortcut is taken on many pages (else this test proves nothing)
    assert skipped >= 50, skipped


def test_lines_passed_over_hold_no_glyph_above_the_band():
    """The band's floor, then every character asked (no line passed over): the same glyphs
    above it as the band kept."""
    compared = 0
    for path in _pdfs():
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except Exception:
            continue
        try:
            if not len(pdf):
                continue
            page = pdf[0]
            floor = page.get_height() * (1 - pagetext.HEADER_FRACTION)
            kept, _, high = pagetext._glyphs(page, floor, band=True)
            if high is not None:
                assert kept == pagetext._glyphs(page, high)[0], path.name
                compared += 1
            page.close()
        finally:
            pdf.close()
    assert compared >= (60 if (ROOT.parent / "shared" / "realworld").is_dir() else 40), compared


def test_a_band_too_short_is_not_enough():
    head = "UBND HUYỆN PHÚ BÌNH\nPHÒNG NỘI VỤ\nSố: 45/KH-PNV Phú Bình, ngày 19 tháng 8 năm 2021\n"
    assert band_suffices(head + "KẾ HOẠCH\nCải cách hành chính\nnăm 2021\nCăn cứ Luật\n1. Mục đích")
    # the subject may run to a third line, and the last row read may be cut
    assert not band_suffices(head + "KẾ HOẠCH\nCải cách hành chính\nnăm 2021\nCăn cứ Luật")
    # no title: a công văn needs its number line, its V/v and 200 characters past it
    letter = head.replace("KH-PNV", "PNV") + "V/v góp ý dự thảo\nKính gửi: Sở Nội vụ\n"
    assert not band_suffices(letter + "Phòng Nội vụ nhận được.\n")
    assert band_suffices(letter + "Phòng Nội vụ nhận được công văn số 12 của Sở về việc góp ý.\n" * 9 + "cut")
    assert not band_suffices(letter.replace("Số: 45/PNV", "") + "Phòng Nội vụ nhận được.\n" * 30)


def test_the_band_is_used_by_the_header_reader():
    # the title and its three lines, not the whole body, are laid out on a dense page
    data = (ROOT / "fixtures" / "eoffice").glob("*.pdf")
    path = next(iter(sorted(data)))
    whole = pagetext.read_page_text(path.read_bytes(), band=False)
    banded = pagetext.read_page_text(path.read_bytes())
    assert header.band_suffices(banded.text)
    assert len(banded.text) < len(whole.text)


def test_ink_line_skipping_finds_the_boxes_a_full_scan_finds(monkeypatch):
    """With PDFium's text in one call, lines far from every rectangle are skipped; without
    it (``page_chars`` None) every character is asked: the same boxes."""
    rnd = random.Random(7)
    pages = 0
    for path in _pdfs():
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except Exception:
            continue
        try:
            if not len(pdf):
                continue
            pdf.init_forms()
            page = pdf[0]
            rects = [box for box, _ in stamped.annotation_boxes(pdf, page)]
            width, height = page.get_width(), page.get_height()
            for _ in range(12):
                x, y = rnd.uniform(0, width), rnd.uniform(0, height)
                rects.append((x, y, x + rnd.uniform(5, 200), y + rnd.uniform(5, 80)))
            fast = glyphboxes.visible_glyph_boxes(page, rects)
            with monkeypatch.context() as m:
                m.setattr(pagetext, "page_chars", lambda *a: None)
                slow = glyphboxes.visible_glyph_boxes(page, rects)
            with monkeypatch.context() as m:  # pypdfium2's own binding of the box call
                m.setitem(glyphboxes._CALLS, "box", None)
                bound = glyphboxes.visible_glyph_boxes(page, rects)
            assert fast == slow == bound, path.name
            pages += sum(map(len, fast.values())) > 0
            page.close()
        finally:
            pdf.close()
    assert pages >= 50, pages


@pytest.mark.parametrize("folder", ["eoffice", "realworld"])
def test_sharing_the_page_changes_no_evidence(monkeypatch, folder):
    root = ROOT / "fixtures" / "eoffice" if folder == "eoffice" else ROOT.parent / "shared" / "realworld" / "vn"
    files = sorted(root.glob("*.pdf"))[:20]
    if not files:
        pytest.skip(f"{root} is absent")
    settings = Settings(trust=(str(ROOT / "fixtures" / "pki" / "test-root.pem"),) if folder == "eoffice" else ("vn",))
    settings = Settings(trust=settings.trust, ocr="off")
    loads = []
    original = pdfium_page._Document.page

    def counted(self, index):
        loads.append(index)
        return original(self, index)

    monkeypatch.setattr(pdfium_page._Document, "page", counted)
    shared = [inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in files]
    assert loads  # the page was shared at least once
    monkeypatch.setattr(pdfium_page, "page", lambda data, index: None)
    monkeypatch.setattr(pdfium_page, "take", lambda data, index: None)
    alone = [inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in files]
    assert shared == alone


def test_ink_counted_around_the_glyphs_as_over_the_whole_rectangle():
    """The ink check renders only the pixels around the glyphs a stamp meets: the same
    counts of ink and of ink turned light as rendering the stamp's whole rectangle."""
    rnd = random.Random(3)
    compared = 0
    for path in _pdfs():
        try:
            pdf = pdfium.PdfDocument(path.read_bytes())
        except Exception:
            continue
        try:
            if not len(pdf):
                continue
            pdf.init_forms()
            page = pdf[0]
            if page.get_rotation():
                continue
            rects = [box for box, _ in stamped.annotation_boxes(pdf, page)]
            width, height = page.get_width(), page.get_height()
            for _ in range(2):
                x, y = rnd.uniform(0, width), rnd.uniform(0, height)
                rects.append((x, y, x + rnd.uniform(5, 200), y + rnd.uniform(5, 80)))
            boxes = glyphboxes.visible_glyph_boxes(page, rects)
            for rect in rects:
                if boxes[rect]:
                    tight = ink._counts(page, rect, boxes[rect])
                    assert tight == ink._counts(page, rect, boxes[rect], tight=False), (path.name, rect)
                    compared += 1
            page.close()
        finally:
            pdf.close()
    assert compared >= 100, compared


def test_a_line_that_starts_and_ends_with_a_dash_is_not_skipped_by_its_dashes(monkeypatch):
    """A dash's own box is a point tall, high above the baseline: the line's letters reach
    down a whole line further.  A rectangle that meets only their feet must find them."""
    import sys

    from fpdf import FPDF

    sys.path.insert(0, str(ROOT / "fixtures"))
    import generate

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.add_font("Serif", "", str(generate._font_dir() / "DejaVuSerif.ttf"))
    pdf.set_font("Serif", size=13)
    pdf.text(100, 400, "- Các lỗi chính tả đã sửa -")
    page = pdfium.PdfDocument(bytes(pdf.output()))[0]
    # the baseline is 400 pt from the top: the letters' feet lie on it, the dashes above it
    baseline = page.get_height() - 400
    rect = (90.0, baseline - 30, 300.0, baseline + 0.5)
    found = glyphboxes.visible_glyph_boxes(page, [rect])[rect]
    monkeypatch.setattr(pagetext, "page_chars", lambda *a: None)
    assert found and found == glyphboxes.visible_glyph_boxes(page, [rect])[rect]


@pytest.mark.parametrize("folder", ["eoffice", "realworld"])
def test_sharing_the_ink_checks_renders_changes_no_evidence(monkeypatch, folder):
    """A window of the final page rendered once for the glyph check and the stamp check
    (``ink._render``'s ``renders``): the same evidence as every window rendered anew, and the
    renders were in fact shared."""
    root = ROOT / "fixtures" / "eoffice" if folder == "eoffice" else ROOT.parent / "shared" / "realworld" / "vn"
    files = [p for p in sorted(root.glob("*.pdf")) if b"/ByteRange" in p.read_bytes()]
    if not files:
        pytest.skip(f"{root} is absent")
    trust = (str(ROOT / "fixtures" / "pki" / "test-root.pem"),) if folder == "eoffice" else ("vn",)
    settings = Settings(trust=trust, ocr="off")
    original = ink._render
    hits = []

    def counted(page, window, annotations, renders=None):
        if renders is not None and (window, annotations) in renders:
            hits.append(window)
        return original(page, window, annotations, renders)

    monkeypatch.setattr(ink, "_render", counted)
    shared = [inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in files]
    if folder == "realworld":  # the generated e-office files have no stamp under a later widget
        assert len(hits) >= 10, len(hits)
    monkeypatch.setattr(
        ink, "_render", lambda page, window, annotations, renders=None: original(page, window, annotations)
    )
    alone = [inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in files]
    assert shared == alone
