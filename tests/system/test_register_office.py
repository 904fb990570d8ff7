"""The office's register on generated offices (fixtures/register.py): planted anomalies are
found, each on the right document and naming the other; a consistent series says nothing;
the register's file is read or refused row by row without stopping the audit; the register
appears in every format an assessor or an office reads."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import jsonschema
import pytest
from conftest import ROOT, SCHEMA, TEST_ROOT, assert_regenerates

import sigaudit

REGISTERS = ROOT / "fixtures" / "register"
GOOD, BAD = REGISTERS / "consistent", REGISTERS / "anomalies"
SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT),))


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("register-cache"))


@pytest.fixture(scope="module")
def with_register(cache) -> sigaudit.AuditReport:
    return sigaudit.audit(BAD, settings=SETTINGS, cache=cache, register=BAD / "so-dang-ky.xlsx")


def _codes(report) -> dict[str, dict[str, sigaudit.Finding]]:
    return {d.path: {f"{f.code}:{f.message}": f for f in d.findings if f.code.startswith("REGISTER_")} for d in report}


def _on(report, name: str, code: str) -> list[sigaudit.Finding]:
    doc = next(d for d in report if d.path == name)
    return [f for f in doc.findings if f.code == code]


def test_fixtures_regenerate(tmp_path):
    assert_regenerates(ROOT / "fixtures" / "register.py", tmp_path, {"": REGISTERS})


def test_a_consistent_series_and_its_register_say_nothing(cache):
    report = sigaudit.audit(GOOD, settings=SETTINGS, cache=cache, register=GOOD / "so-dang-ky.xlsx")
    assert [c for d in _codes(report).values() for c in d] == []
    assert list(report.register_findings) == []
    assert all(d.verdict is sigaudit.Verdict.PASS for d in report)
    assert [(r["registered"], r["signed_org"]) for r in report.register.share] == [(3, 3), (2, 2), (3, 3)]
    signed = next(d for d in report.deductions if d["criterion"] == "signed-share")
    assert signed["basis"]["population"] == "register" and signed["points_lost"] == 0


def test_every_planted_anomaly_is_found_and_names_the_other_document(with_register):
    report = with_register
    (late,) = _on(report, "07-15-KH-UBND.pdf", "REGISTER_OUT_OF_ORDER")
    assert late.severity is sigaudit.Severity.ERROR
    assert "14/KH-UBND" in late.message and "06-14-KH-UBND.pdf" in late.message
    assert "ghi lùi ngày" in late.message_vi and "backdated" in late.message
    assert report.documents[6].verdict is sigaudit.Verdict.FAIL
    first, second = (_on(report, f"0{i}-13-QĐ-UBND.pdf", "REGISTER_DUPLICATE") for i in (4, 5))
    assert "05-13-QĐ-UBND.pdf" in first[0].message and "04-13-QĐ-UBND.pdf" in second[0].message
    (unregistered,) = _on(report, "08-18-BC-UBND.pdf", "REGISTER_NOT_REGISTERED")
    assert "so-dang-ky.xlsx" in unregistered.message_vi
    (moved,) = _on(report, "06-14-KH-UBND.pdf", "REGISTER_MISMATCH")
    assert "25/03/2021" in moved.message_vi and "24/03/2021" in moved.message_vi
    disagree = {f.message for f in _on(report, "02-11-BC-UBND.pdf", "REGISTER_MISMATCH")}
    assert any("Trần Thị Bình" in m for m in disagree) and any("Quyết định" in m for m in disagree)
    # the legal normative document is numbered apart: 01/2021 is not out of order with 10–18
    assert _codes(report)["09-01-2021-QĐ-UBND.pdf"] == {}
    notes = {(n.finding.code, n.rows, n.finding.severity.value) for n in report.register_findings}
    assert notes == {("REGISTER_PDF_MISSING", (13,), "warning"), ("REGISTER_GAP", (), "info")}
    (gap,) = [n for n in report.register_findings if n.finding.code == "REGISTER_GAP"]
    assert "16–17" in gap.finding.message and "16–17" in gap.finding.message_vi


def test_the_analysis_needs_no_register(cache):
    report = sigaudit.audit(BAD, settings=SETTINGS, cache=cache)
    found = {(d.path, f.code) for d in report for f in d.findings if f.code.startswith("REGISTER_")}
    assert found == {
        ("07-15-KH-UBND.pdf", "REGISTER_OUT_OF_ORDER"),
        ("04-13-QĐ-UBND.pdf", "REGISTER_DUPLICATE"),
        ("05-13-QĐ-UBND.pdf", "REGISTER_DUPLICATE"),
    }
    assert [n.finding.code for n in report.register_findings] == ["REGISTER_GAP"]
    assert report.register.share == ()


def test_the_rule_set_decides_what_costs_points(with_register):
    by_id = {d["criterion"]: d for d in with_register.deductions}
    plans = by_id["plan-signing-date"]
    assert plans["basis"]["codes"] == {"REGISTER_OUT_OF_ORDER": 1} and "07-15-KH-UBND.pdf" in plans["documents"]
    evidence = by_id["evidence-acceptable"]
    assert evidence["basis"]["codes"] == {"REGISTER_DUPLICATE": 2}
    share = by_id["signed-share"]["basis"]
    assert share["population"] == "register" and (share["meeting"], share["documents"]) == (7, 8)


def test_a_register_that_cannot_be_read_never_stops_the_audit(cache, tmp_path):
    garbage = tmp_path / "so.xlsx"
    garbage.write_bytes(b"PK\x03\x04 garbage")
    for register, expect in (
        (garbage, {("REGISTER_UNREADABLE", ())}),
        (BAD / "so-dang-ky-loi.csv", {("REGISTER_ROW", (3,)), ("REGISTER_ROW", (4,))}),
    ):
        report = sigaudit.audit(BAD, settings=SETTINGS, cache=cache, register=register)
        assert len(report) == 9
        got = {(n.finding.code, n.rows) for n in report.register_findings}
        assert expect <= got, got
    rows = [n.finding for n in report.register_findings if n.finding.code == "REGISTER_ROW"]
    assert any("hàng 3" in f.message_vi and "ngày 30 tháng 2 năm 2021" in f.message_vi for f in rows)
    assert any("row 4" in f.message and "số mười hai" in f.message for f in rows)


def test_json_report_validates_and_carries_the_register(with_register):
    data = json.loads(with_register.to_json())
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    reg = data["register"]
    assert reg["source"].endswith("so-dang-ky.xlsx") and reg["rows"] == 8
    assert reg["columns"]["number"] == "Số, ký hiệu"
    entries = {e["path"]: e for e in reg["entries"]}
    assert entries["07-15-KH-UBND.pdf"]["codes"] == ["REGISTER_OUT_OF_ORDER"]
    assert entries["07-15-KH-UBND.pdf"]["register_row"] == 12
    assert entries["08-18-BC-UBND.pdf"]["register_row"] is None
    assert {e["signature"] for e in reg["entries"]} == {"signed_org"}


def test_the_workbook_and_the_word_report_file_the_register(with_register, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from sigaudit.report.formats import FORMATS

    for fmt in ("xlsx", "docx"):
        with open(tmp_path / f"r.{fmt}", "wb") as fh:
            FORMATS[fmt].write(with_register, fh, "vi")
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book["Sổ đăng ký văn bản đi"]
    header = [c.value for c in sheet[1]]
    assert header[:10] == [
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Người ký",
        "Nơi nhận văn bản",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ]
    assert header[10] == "Chữ ký số"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["10/KH-UBND"][4] == "Các phòng"  # taken from the office's register
    assert "Số văn bản không theo thứ tự" in rows["15/KH-UBND"][9]
    assert rows["15/KH-UBND"][10] == "Có chữ ký số hợp lệ của cơ quan"
    assert "Tỷ lệ ký số theo sổ" in book.sheetnames
    doc = Document(str(tmp_path / "r.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Sổ đăng ký văn bản đi") for t in texts)
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Số, ký hiệu văn bản")
    assert [c.text for c in table.rows[0].cells][-1] == "Chữ ký số" and len(table.rows) == 10


def test_the_command_line_with_a_register_in_both_languages(tmp_path):
    for lang, words in (
        ("vi", ("Sổ đăng ký văn bản đi", "không có tệp PDF")),
        ("en", ("Outgoing register", "has no PDF")),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "sigaudit", str(BAD), "--trust", str(TEST_ROOT), "--no-cache", "--lang", lang,
             "--register", str(BAD / "so-dang-ky.xlsx"), "--format", "text"],
            capture_output=True, text=True, encoding="utf-8", timeout=300,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert all(w in done.stdout for w in words), done.stdout[-2000:]
    bad = subprocess.run(
        [sys.executable, "-m", "sigaudit", str(BAD), "--register-column", "so=Số VB"],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "--register-column" in bad.stderr and "number" in bad.stderr


def test_the_clerks_page_takes_a_register_with_the_pdfs(tmp_path):
    pytest.importorskip("starlette")
    sys.path.insert(0, str(ROOT / "tests" / "web"))
    from webkit import client_for, make_store, new_job, run_job, upload

    store = make_store(tmp_path / "jobs")
    try:
        with client_for(store) as client:
            job = new_job(client)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                for path in sorted(BAD.glob("*.pdf")):
                    zf.write(path, path.name)
            assert upload(client, job, "ho-so.zip", buf.getvalue()).status_code == 201
            taken = upload(client, job, "so-dang-ky.xlsx", (BAD / "so-dang-ky.xlsx").read_bytes())
            assert taken.status_code == 201 and taken.json()["register"] is True
            again = upload(client, job, "so-2.csv", b"x")
            assert again.status_code == 409 and "so-dang-ky.xlsx" in again.json()["message"]["vi"]
            status = run_job(client, job, timeout=300)
            found = {(d["path"], f["code"]) for d in status["documents"] for f in d["findings"]}
            assert ("07-15-KH-UBND.pdf", "REGISTER_OUT_OF_ORDER") in found
            assert ("08-18-BC-UBND.pdf", "REGISTER_NOT_REGISTERED") in found
            assert "REGISTER_PDF_MISSING" in [f["code"] for f in status["register"]["findings"]]
            assert status["register"]["share"]["vi"] and status["register"]["share"]["en"]
    finally:
        store.close()
