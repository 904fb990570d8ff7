"""The page as a clerk uses it, in a real headless Chromium: drop two files, see two
verdicts, switch language, download the Excel report; readable on a phone."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import CORPUS
from pagekit import browser_page, chromium, drop_files, running_server, sideways_overflow
from webkit import CLEAN, make_store

pytest.importorskip("playwright")
pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(not chromium(), reason="Debian's chromium is not installed")

BAD = CORPUS / "ubnd-xa-tan-khanh" / "QD-06-modified-after-signing.pdf"


@pytest.fixture
def url(tmp_path):
    store = make_store(tmp_path / "jobs")
    with running_server(store) as address:
        yield address
    store.close()


def test_drop_two_files_see_two_verdicts_switch_language_download_excel(url, tmp_path):
    bad = BAD
    with browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        assert page.inner_text("h1") == "Kiểm tra văn bản ký số trước khi nộp"
        assert "Tối đa" in page.inner_text("#limits")
        # nothing to download before a check: the buttons are not shown
        assert not page.is_visible("#downloads")
        drop_files(page, [CLEAN, bad])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        cards = page.locator("li.doc")
        assert cards.count() == 2
        verdicts = {
            cards.nth(i).locator(".doc-name").inner_text(): cards.nth(i).locator(".verdict").inner_text()
            for i in range(2)
        }
        assert verdicts == {CLEAN.name: "ĐẠT", bad.name: "KHÔNG ĐẠT"}
        failed = page.locator("li.doc[data-verdict=fail]")
        assert "Cách khắc phục" in failed.inner_text() and "Lỗi" in failed.inner_text()
        assert "2 văn bản: 1 ĐẠT, 1 KHÔNG ĐẠT" in page.inner_text("#summary")

        page.click("#lang-en")
        assert page.inner_text("h1") == "Check signed documents before filing them"
        assert sorted(page.locator(".verdict").all_inner_texts()) == ["FAIL", "PASS"]
        assert "How to fix" in page.locator("li.doc[data-verdict=fail]").inner_text()
        assert page.evaluate("document.documentElement.lang") == "en"

        with page.expect_download() as info:
            page.click("#dl-xlsx")
        target = tmp_path / "report.xlsx"
        info.value.save_as(target)
        book = openpyxl.load_workbook(target)
        assert "Documents" in book.sheetnames  # the English workbook, as the page was switched
        sheet = book["Documents"]
        names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert {CLEAN.name, bad.name} <= names
        assert errors == []


def test_readable_on_a_phone_and_says_what_it_refused(url):
    with browser_page(width=390, height=844) as page:
        page.goto(url)
        drop_files(page, [CLEAN])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        assert sideways_overflow(page) == 0
        assert page.locator(".verdict").inner_text() == "ĐẠT"
        page.click("#again")
        assert page.locator("li.doc").count() == 0


def test_a_refused_file_is_said_and_the_others_are_checked(tmp_path):
    store = make_store(tmp_path / "small", max_file_bytes=200_000)
    big = tmp_path / "qua-lon.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 300_000)
    with running_server(store) as address, browser_page() as page:
        page.goto(address)
        drop_files(page, [big, CLEAN])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        notices = page.inner_text("#notices")
        assert "qua-lon.pdf" in notices and "không được nhận" in notices
        assert page.locator("li.doc").count() == 1 and page.locator(".verdict").inner_text() == "ĐẠT"
        page.click("#lang-en")
        assert "was not taken" in page.inner_text("#notices")
    store.close()


def test_a_file_that_is_not_a_pdf_says_so_once(url, tmp_path):
    notes = tmp_path / "ghi-chu.pdf"
    notes.write_bytes(b"Day khong phai PDF\n")
    with browser_page() as page:
        page.goto(url)
        drop_files(page, [notes])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        card = page.locator("li.doc")
        assert card.count() == 1 and card.locator(".verdict").inner_text() == "KHÔNG ĐẠT"
        lines = card.locator("ul.findings > li").all_inner_texts()
        assert len(lines) == 1, lines  # the error once, with how to fix it
        assert "Cách khắc phục" in lines[0]


def test_the_page_checks_with_workers_started_by_spawn(tmp_path, monkeypatch):
    """As on Windows: the page's audit runs its workers under ``spawn``."""
    from webkit import TEST_ROOT

    import sigaudit
    from sigaudit.web.jobs import JobStore
    from sigaudit.web.uploads import Limits

    monkeypatch.setenv("SIGAUDIT_START_METHOD", "spawn")
    (tmp_path / "jobs").mkdir()
    store = JobStore(sigaudit.Settings(trust=(str(TEST_ROOT),)), limits=Limits(), jobs=2, root=tmp_path / "jobs")
    with running_server(store) as address, browser_page() as page:
        page.goto(address)
        drop_files(page, [CLEAN, BAD])
        page.wait_for_selector("#downloads:not([hidden])", timeout=120_000)
        verdicts = sorted(page.locator(".verdict").all_inner_texts())
        assert verdicts == ["KHÔNG ĐẠT", "ĐẠT"], verdicts
    store.close()


def test_a_register_dropped_with_the_pdfs_gives_the_same_results(url):
    """The office's register (xlsx) dropped with its PDFs: the register's findings show on the
    documents and in the register box, as the command line's report says them."""
    from conftest import ROOT

    folder = ROOT / "fixtures" / "register" / "anomalies"
    files = [*sorted(folder.glob("*.pdf")), folder / "so-dang-ky.xlsx"]
    with browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        drop_files(page, files)
        page.wait_for_selector("#downloads:not([hidden])", timeout=120_000)
        assert page.locator("li.doc").count() == 9  # the register is not a document
        assert "so-dang-ky.xlsx" in page.inner_text("#notices")
        late = page.locator("li.doc", has_text="07-15-KH-UBND.pdf")
        assert late.locator(".verdict").inner_text() == "KHÔNG ĐẠT"
        assert "cấp số sau nhưng ghi ngày trước" in late.inner_text()
        box = page.inner_text("#register")
        assert "Sổ đăng ký văn bản đi" in box and "19/TB-UBND" in box and "văn bản trong sổ" in box
        page.click("#lang-en")
        assert "Outgoing register" in page.inner_text("#register") and "has no PDF" in page.inner_text("#register")
        assert errors == []


def test_a_scan_whose_day_is_handwritten_shows_the_month_it_prints(url):
    """A scan with a handwritten day, "tháng 8 năm 2021" printed, signed in September: the
    card gives the month where a date would be, and the date error that month proves."""
    from conftest import ROOT

    from sigaudit.evidence.page import ocr

    if ocr.tesseract_version() is None:
        pytest.skip("Tesseract with the Vietnamese model is not installed")
    scan = ROOT / "fixtures" / "scans" / "CT-04-scan-handwritten-signed-next-month.pdf"
    with browser_page() as page:
        page.goto(url)
        drop_files(page, [scan])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        card = page.locator("li.doc")
        assert "Ngày: tháng 08/2021 (không đọc được ngày)" in card.locator(".facts").first.inner_text()
        assert "thuộc tháng 08/2021" in card.inner_text()
        page.click("#lang-en")
        assert "Date: 2021-08, day not read" in card.locator(".facts").first.inner_text()


def test_a_handwritten_number_and_day_read_unsure_say_so(url):
    """A real scan whose number and day a clerk wrote by pen (vl_bb05_snv_scan, a copy
    certified by its office): read by the handwriting reader, stated unsure, and the card
    says so beside each value."""
    from conftest import ROOT

    from sigaudit.evidence.page import ocr

    scan = ROOT.parent / "shared" / "realworld" / "vn" / "vl_bb05_snv_scan.pdf"
    if ocr.tesseract_version() is None or not scan.is_file():
        pytest.skip("Tesseract or ../shared/realworld/vn is not there")
    with browser_page() as page:
        page.goto(url)
        drop_files(page, [scan])
        page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
        facts = page.locator("li.doc .facts").first
        assert "Số: 05/BB-SNV (chưa chắc chắn)" in facts.inner_text()
        assert "Ngày: 08/05/2026 (chưa chắc chắn)" in facts.inner_text()
        page.click("#lang-en")
        assert "Date: 08/05/2026 (unsure)" in facts.inner_text()
