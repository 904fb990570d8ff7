"""Page 1's annotations read apart from its content (``stamped.annotation_only``): the same
reading as page 1 flattened itself, on every PDF the project has."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from conftest import PDF_FOLDERS, ROOT

from sigaudit.evidence.document import _open_pyhanko
from sigaudit.evidence.page import pagetext, stamped
from sigaudit.evidence.page.header import parse_header


def _pdfs() -> list[Path]:
    return [p for folder in PDF_FOLDERS if folder.is_dir() for p in sorted(folder.rglob("*.pdf"))]


def _parse(page: pagetext.PageText | None) -> object:
    return None if page is None else parse_header(page.text, page.sources, scanned=page.scanned)


def _stamped(page: pagetext.PageText) -> list[tuple[str, str | None]]:
    """The characters the annotations drew, with the annotation each is attributed to."""
    return sorted((ch, src) for ch, src in zip(page.text, page.sources, strict=True) if src is not None)


def test_annotations_read_apart_as_page_1_flattened(monkeypatch):
    apart = []
    read_apart = pagetext._annotations_apart

    def spy(*args):
        out = read_apart(*args)
        apart.append(out is not None)
        return out

    monkeypatch.setattr(pagetext, "_annotations_apart", spy)
    used = 0
    for path in _pdfs():
        data = path.read_bytes()
        try:
            reader, _ = _open_pyhanko(data)
        except Exception:
            continue
        flattened = pagetext.read_page_text(data)  # no reader: page 1 itself flattened
        apart.clear()
        read = pagetext.read_page_text(data, reader=reader)
        if not any(apart):
            continue
        used += 1
        assert flattened is not None and read is not None, path.name
        assert _stamped(read) == _stamped(flattened), path.name
        assert read.annotations_drawn and flattened.annotations_drawn, path.name
        assert _parse(read) == _parse(flattened), path.name
    # taken on the e-office fixtures and the real documents with a stamped number
    real = (ROOT.parent / "shared" / "realworld" / "vn").is_dir()
    assert used >= (50 if real else 10), used


def _first(folder: Path) -> bytes:
    return next(p for p in sorted(folder.rglob("*.pdf")) if "broken" not in p.parts).read_bytes()


def test_the_annotation_only_page_is_page_1_without_its_content():
    checked = 0
    for path in sorted((ROOT / "fixtures" / "eoffice").glob("*.pdf")):
        data = path.read_bytes()
        try:
            reader, _ = _open_pyhanko(data)
        except Exception:
            continue
        blank_data = stamped.annotation_only(data, reader)
        if blank_data is None:
            continue
        assert blank_data.startswith(data)  # an update appended in memory, the file itself unchanged
        pdf, blank_pdf = pdfium.PdfDocument(data), pdfium.PdfDocument(blank_data)
        try:
            page, blank = pdf[0], blank_pdf[0]
            assert pdfium.raw.FPDFPage_CountObjects(page.raw) > 0, path.name
            assert stamped.same_page(page, blank, (len(pdf), len(blank_pdf))), path.name
            # a page with its content is not the blank one
            assert not stamped.same_page(blank, page, (len(pdf), len(blank_pdf))), path.name
            checked += 1
        finally:
            pdf.close()
            blank_pdf.close()
    assert checked >= 5, checked


def test_not_read_apart_where_the_file_goes_on_past_what_pyhanko_read():
    data = _first(ROOT / "fixtures" / "eoffice")
    assert stamped.annotation_only(data, _open_pyhanko(data)[0]) is not None
    # bytes after the last %%EOF that pyHanko passes over: PDFium may read them otherwise
    longer = data + b"1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 3
    assert stamped.annotation_only(longer, _open_pyhanko(longer, strict=False)[0]) is None


def test_not_read_apart_from_an_encrypted_file():
    data = (ROOT / "fixtures" / "eoffice" / "encrypted-empty-password.pdf").read_bytes()
    reader, _ = _open_pyhanko(data)
    reader.decrypt("")
    assert stamped.annotation_only(data, reader) is None


def test_not_read_apart_from_a_file_too_large_to_copy(monkeypatch):
    data = _first(ROOT / "fixtures" / "eoffice")
    reader = _open_pyhanko(data)[0]
    monkeypatch.setattr(stamped, "MAX_BYTES", len(data) - 1)
    assert stamped.annotation_only(data, reader) is None
