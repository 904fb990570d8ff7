"""The Excel workbook and the Word statistics report, read back with their libraries and
compared with the JSON; the HTML report printed on A4 and opened at phone width."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys

import pytest
from conftest import ROOT

from sigaudit.report.formats import FORMATS
from sigaudit.report.wordreport import DocxFormat, load_profile
from sigaudit.report.xlsx import workbook


@pytest.fixture(scope="module")
def data(corpus_report):
    return json.loads(corpus_report.to_json())


def test_workbook_sheets_types_and_numbers(corpus_report, data):
    book = workbook(corpus_report, "vi")
    assert book.sheetnames == ["Văn bản", "Cơ quan", "Thống kê", "Trừ điểm", "Phát hiện", "Sổ đăng ký văn bản đi"]
    register = book["Sổ đăng ký văn bản đi"]
    header = [c.value for c in register[1]]
    assert header[:3] == ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản"]
    numbered = [d for d in data["documents"] if d["number"]]
    assert register.max_row - 1 == len(numbered) > 0
    docs = book["Văn bản"]
    assert docs.freeze_panes == "A2" and docs.auto_filter.ref == f"A1:L{len(data['documents']) + 1}"
    assert docs.max_row == len(data["documents"]) + 1
    by_path = {row[0].value: row for row in docs.iter_rows(min_row=2)}
    for d in data["documents"]:
        row = by_path[d["path"]]
        if d["issuance_date"]:
            assert isinstance(row[4].value, dt.date) and row[4].value.isoformat()[:10] == d["issuance_date"]
            assert row[4].number_format == "DD/MM/YYYY"
    offices = book["Cơ quan"]
    rows = [[c.value for c in r] for r in offices.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == [o["documents"] for o in data["offices"]]
    assert [r[5] for r in rows] == [o["passing"] for o in data["offices"]]
    assert [r[6] for r in rows] == pytest.approx([o["points_lost"] for o in data["offices"]])
    assert all(isinstance(r[1], int) for r in rows)
    stats = book["Thống kê"]
    assert sum(r[3].value for r in stats.iter_rows(min_row=2)) == len(data["documents"])
    findings = book["Phát hiện"]
    # every document's finding, then the register's own (those about a series, not one file)
    register_level = len(data["register"]["findings"])
    assert findings.max_row - 1 == sum(len(d["findings"]) for d in data["documents"]) + register_level
    assert all(r[6].value for r in findings.iter_rows(min_row=2))  # how to fix, every row
    deductions = book["Trừ điểm"]
    lost = sum(r[3].value for r in deductions.iter_rows(min_row=2))
    assert lost == pytest.approx(sum(d["points_lost"] for d in data["deductions"]))


def test_workbook_written_by_the_formatter_opens(corpus_report, tmp_path):
    from openpyxl import load_workbook

    buf = io.BytesIO()
    FORMATS["xlsx"].write(corpus_report, buf, "en")
    book = load_workbook(io.BytesIO(buf.getvalue()))
    assert book.sheetnames[:5] == ["Documents", "Offices", "Statistics", "Deductions", "Findings"]
    assert book.sheetnames[5:] == ["Outgoing register"]


def test_word_statistics_report(corpus_report, data, tmp_path):
    from docx import Document

    profile_file = tmp_path / "profile.toml"
    profile_file.write_text(
        'parent_office = "UBND huyện Phú Bình"\noffice = "Văn phòng HĐND và UBND"\nnumber = "15/BC-VP"\n'
        'place = "Phú Bình"\nsigner_title = "Chánh Văn phòng"\nsigner_name = "Nguyễn Văn A"\n'
        'recipients = ["UBND huyện (b/c)", "Lưu: VT."]\n',
        encoding="utf-8",
    )
    buf = io.BytesIO()
    DocxFormat(load_profile(profile_file)).write(corpus_report, buf, "vi")
    doc = Document(io.BytesIO(buf.getvalue()))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    head = doc.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    assert "VĂN PHÒNG HĐND VÀ UBND" in head[0].text and "Số: 15/BC-VP" in head[0].text
    assert "Phú Bình, ngày" in head[1].text
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts and any(t.startswith("Thống kê số lượng văn bản ký số") for t in texts)
    table = doc.tables[1]
    stats = data["statistics"]
    assert len(table.rows) == len(stats) + 2  # header, one row per office × month × type, totals
    body = table.rows[1:-1]
    assert [int(r.cells[4].text) for r in body] == [s["documents"] for s in stats]
    assert [int(r.cells[5].text) for r in body] == [s["signed"] for s in stats]
    total = table.rows[-1].cells
    assert total[1].text == "Tổng cộng" and int(total[4].text) == len(data["documents"])
    assert int(total[5].text) == data["summary"]["signed"]
    sign = doc.tables[2].rows[0].cells
    assert "CHÁNH VĂN PHÒNG" in sign[1].text and "Nguyễn Văn A" in sign[1].text and "Lưu: VT." in sign[0].text


def test_profile_errors_are_plain():
    import pytest as _pytest

    from sigaudit.errors import UsageError

    with _pytest.raises(UsageError, match="unknown keys"):
        bad = ROOT / "pyproject.toml"  # valid TOML, wrong keys
        load_profile(bad)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_html_prints_on_a4_and_reads_on_a_phone(tmp_path, corpus_report):
    sys.path.insert(0, str(ROOT / "docs"))
    import pypdfium2 as pdfium
    import screenshot

    from sigaudit.report.html import render

    page = tmp_path / "report.html"
    page.write_text(render(corpus_report, lang="vi"), encoding="utf-8")
    assert screenshot.phone_overflow(page) <= 0
    pdf = screenshot.print_pdf(page, tmp_path / "print.pdf")
    doc = pdfium.PdfDocument(str(pdf))
    width, height = doc[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Tất cả" not in text  # the filter controls are not printed
    assert "Cách khắc phục" in text
