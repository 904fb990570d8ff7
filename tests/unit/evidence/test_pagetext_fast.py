"""What ``pagetext._glyphs`` relies on to ask PDFium less, checked on every page 1 the
project has (fixtures, e-office documents, scans, real Vietnamese and DSS files), before and
after the annotations are flattened:

- ``FPDFText_GetText`` gives, index for index, the character ``FPDFText_GetUnicode`` gives,
  or U+FFFE where it does not write it (then ``_glyphs`` asks for that one);
- a character PDFium generated is white space (a letter is never a guess).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from conftest import PDF_FOLDERS
from pypdfium2 import raw

from sigaudit.evidence.page.pagetext import page_chars

FOLDERS = PDF_FOLDERS


def _check(page) -> int:
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = raw.FPDFText_CountChars(tp)
        text = page_chars(raw, tp, 0, count)
        for i in range(count):
            code = raw.FPDFText_GetUnicode(tp, i)
            if text is not None and text[i] not in "\ufffe\uffff":
                assert ord(text[i]) == code, (i, text[i], code)
            if raw.FPDFText_IsGenerated(tp, i) == 1:
                assert chr(code).isspace(), (i, code)
        return count
    finally:
        textpage.close()


def _first_pages():
    """(file name, its PDFium document) for every PDF the project has that PDFium opens
    and that has a page; the document is closed after the caller's turn."""
    for folder in FOLDERS:
        for path in sorted(Path(folder).rglob("*.pdf")) if folder.is_dir() else ():
            try:
                pdf = pdfium.PdfDocument(path.read_bytes())
            except Exception:
                continue
            try:
                if len(pdf):
                    yield path.name, pdf
            finally:
                pdf.close()


def test_one_call_text_and_generated_characters():
    pages = chars = 0
    for _name, pdf in _first_pages():
        pdf.init_forms()
        page = pdf[0]
        chars += _check(page)
        pages += 1
        if pdf.formenv is not None:
            page.flatten()
            page.close()
            page = pdf[0]
            chars += _check(page)
        page.close()
    assert pages >= 50 and chars > 20_000, (pages, chars)


def test_plain_address_calls_read_what_pypdfium2s_bindings_read(monkeypatch):
    """``_per_char_calls`` (the same C functions, addresses instead of pypdfium2's pointer
    types) and pypdfium2's own bindings give the same page text on every page 1."""
    from sigaudit.evidence.page import pagetext

    compared = 0
    for folder in FOLDERS:
        for path in sorted(Path(folder).rglob("*.pdf")) if folder.is_dir() else ():
            data = path.read_bytes()
            fast = pagetext.read_page_text(data)
            monkeypatch.setitem(pagetext._CALLS, "fast", None)
            slow = pagetext.read_page_text(data)
            monkeypatch.undo()
            assert fast == slow, path.name
            compared += fast is not None and bool(fast.text)
    assert compared >= 50


def _covered_as_pypdfium2_lists(page) -> bool:
    area = page.get_width() * page.get_height()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= 0.6 * area:
            return True
    return False


def test_scanned_page_found_as_pypdfium2s_object_listing_finds_it():
    """``_covered_by_image`` asks PDFium for the page's objects directly; pypdfium2's
    ``get_objects`` (one Python object per page object) gives the same answer on every
    page 1, and the scans are found."""
    from sigaudit.evidence.page.pagetext import _covered_by_image

    pages = scans = 0
    for name, pdf in _first_pages():
        page = pdf[0]
        expected = _covered_as_pypdfium2_lists(page)
        assert _covered_by_image(page) is expected, name
        pages += 1
        scans += expected
        page.close()
    assert pages >= 50 and scans >= 10, (pages, scans)
