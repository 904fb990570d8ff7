"""Page 1 of a file whose widgets no form lists (its /AcroForm removed, a page cut out of a
signed file: pypdf, mutool and page splitters write such files) is read as viewers that draw
those widgets show it: the clerk's stamped number and day are read, not dropped."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from conftest import ROOT
from pypdf import PdfReader, PdfWriter

from sigaudit import Settings
from sigaudit.evidence import pdfium_page
from sigaudit.evidence.document import inspect_bytes

SETTINGS = Settings(trust=(str(ROOT / "fixtures" / "pki" / "test-root.pem"),), ocr="off")


def _without_form(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    del writer._root_object["/AcroForm"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["stamped-number-itext.pdf", "stamped-number-next-day.pdf"])
def test_stamped_number_and_day_are_read_without_a_form(name):
    data = (ROOT / "fixtures" / "eoffice" / name).read_bytes()
    orphaned = _without_form(data)
    pdf = pdfium.PdfDocument(orphaned)
    try:
        pdf.init_forms()
        assert pdf.formenv is None  # PDFium sees no form: the path under test
        assert any(subtype == pdfium_page.WIDGET for _, subtype, _, _, _ in pdfium_page.annotations(pdf[0]))
    finally:
        pdf.close()
    before = inspect_bytes(data, path=name, settings=SETTINGS).header
    after = inspect_bytes(orphaned, path=name, settings=SETTINGS).header
    assert before.number_stamped_by == ("CapSo",)  # stamped by a widget in the signed file
    assert (after.number, after.issuance_date, after.office) == (before.number, before.issuance_date, before.office)
    assert after.number is not None and after.issuance_date is not None
    # no form names the field: the widget's own /T does, as the signature reader names it
    assert after.number_stamped_by == before.number_stamped_by
    assert after.date_stamped_by == before.date_stamped_by
