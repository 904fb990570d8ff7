"""Vietnamese from end to end: no English word of the codes' English messages in any
Vietnamese output (file names, certificate names and other document data left aside)."""

from __future__ import annotations

import html
import io
import re
import string

import pytest
from conftest import ROOT

from sigaudit.findings import CODES, TERMS
from sigaudit.report import csvout
from sigaudit.report.formats import FORMATS
from sigaudit.report.xlsx import workbook

# Words that are the same in both languages here: formats, standards, names of things,
# values of command-line options (--signer-kind NAME=person).
SAME = {
    "byte",
    "person",
    "organization",
    "ocr",
    "pdf",
    "acroform",
    "xobject",
    "javascript",
    "subfilter",
    "byterange",
    "cms",
    "sha",
    "utc",
    "sigaudit",
    "tesseract",  # the OCR program, its Vietnamese model file and the system it is installed on
    "traineddata",
    "windows",
}


def english_words() -> set[str]:
    words: set[str] = set()
    texts = [m.text.en for c in CODES.values() for m in c.messages.values()]
    texts += [t.en for t in TERMS.values() if t.en and t.vi]  # terms said in both languages
    for text in texts:
        plain = "".join(lit for lit, *_ in string.Formatter().parse(text.replace("[[", "").replace("]]", "")))
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", plain)}
    return words - SAME


def _data(report) -> list[str]:
    """Strings that come from the documents: left out of the scan."""
    out = []
    for d in report.documents:
        h = d.evidence.header
        out += [d.path, d.office or "", h.number or "", h.title or "", h.office or "", h.parent_office or ""]
        for s in d.evidence.signatures:
            out += [s.field, s.signer or "", s.issuer or "", s.signer_org or "", s.sub_filter or ""]
            out += list(s.changes)
    return sorted({x for x in out if x}, key=len, reverse=True)


def _leaks(text: str, data: list[str], words: set[str]) -> set[str]:
    text = re.sub(r"<script>.*?</script>|<style>.*?</style>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for value in data:
        text = text.replace(value, " ")
    text = text.replace("\\_", "_")  # Markdown's escaped underscores
    text = re.sub(r"\b[A-Z][A-Z0-9_]{3,}\b", " ", text)  # finding codes and variables stay codes
    text = re.sub(r"--[a-z][\w-]*", " ", text)  # so do command-line options
    text = re.sub(r"\b(?:pip|apt-get) install\b", " ", text)  # and the commands that install things
    return {w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in words}


@pytest.fixture(scope="module")
def words() -> set[str]:
    found = english_words()
    assert {"signature", "document", "certificate", "changed"} <= found  # the list is not empty
    return found


@pytest.mark.parametrize("fmt", ["text", "md", "html", "verdict"])
def test_no_english_in_vietnamese_text_formats(corpus_report, words, fmt):
    buf = io.StringIO()
    FORMATS[fmt].write(corpus_report, buf, "vi")
    assert _leaks(buf.getvalue(), _data(corpus_report), words) == set()


def test_no_english_in_vietnamese_spreadsheets(corpus_report, words):
    data = _data(corpus_report)
    for text in csvout.tables(corpus_report, "vi").values():
        assert _leaks(text, data, words) == set()
    book = workbook(corpus_report, "vi")
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert _leaks(cells, data, words) == set()


def test_every_vietnamese_message_is_vietnamese(corpus_report, words):
    data = _data(corpus_report)
    for d in corpus_report:
        for f in d.findings:
            assert _leaks(f.message_vi or "", data, words) == set(), (d.path, f.code, f.message_vi)


REAL_VN = ROOT.parent / "shared" / "realworld" / "vn"


@pytest.mark.skipif(not REAL_VN.is_dir(), reason="../shared/realworld/vn is absent")
def test_no_english_in_vietnamese_reports_of_real_documents(words):
    import sigaudit

    report = sigaudit.audit([REAL_VN], settings=sigaudit.Settings(trust=("vn",)), jobs=2)
    data = _data(report)
    for fmt in ("text", "html", "verdict"):
        buf = io.StringIO()
        FORMATS[fmt].write(report, buf, "vi")
        assert _leaks(buf.getvalue(), data, words) == set(), fmt


def test_an_annotations_type_is_named_in_vietnamese_before_its_pdf_name():
    """What changed after signing names annotations by their PDF type ("Text", "FreeText");
    a Vietnamese reader gets the type in Vietnamese, the PDF's name kept in brackets."""
    from sigaudit.findings import phrase

    assert phrase("annotation Text added ×1", "vi") == "thêm chú thích ghi chú (Text) ×1"
    assert phrase("page 2 FreeText annotation added over signed text", "vi") == (
        "trang 2: chú thích hộp chữ (FreeText) được thêm đè lên nội dung đã ký"
    )
    assert (
        phrase("page 1 annotation changed (Square: /CA)", "vi")
        == "trang 1: chú thích hình chữ nhật (Square) bị sửa (/CA)"
    )
    assert phrase("annotation Text added ×1", "en") == "annotation Text added ×1"
