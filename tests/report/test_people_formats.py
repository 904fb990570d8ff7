"""People's formats: text, Markdown, CSV, HTML (also in a real headless browser), the
pre-submission check, and baselines."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT, TEST_ROOT

import sigaudit
from sigaudit.report import csvout
from sigaudit.report.html import render as render_html
from sigaudit.report.markdown import render as render_md
from sigaudit.report.text import render as render_text

HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)" onmouseover="x=1'


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf", folder / f"{HOSTILE}.pdf")
    shutil.copy(CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf", folder / "=HYPERLINK(1).pdf")
    return sigaudit.audit(folder, settings=settings)


def test_same_numbers_in_every_format(corpus_report):
    total = corpus_report.summary()["points_lost"]["total"]
    shown = f"{total:.2f}".replace(".", ",")  # Vietnamese style: 4,90
    assert shown in render_text(corpus_report, lang="vi")
    assert shown in render_md(corpus_report, lang="vi")
    assert shown in render_html(corpus_report, lang="vi")
    assert f"{total:.2f}" in render_html(corpus_report, lang="en")
    rows = list(csv.reader(io.StringIO(csvout.tables(corpus_report, "vi")[".deductions"].lstrip("\ufeff"))))
    assert sum(float(r[3].replace(",", ".")) for r in rows[1:]) == pytest.approx(total, abs=0.01)
    assert json.loads(corpus_report.to_json())["summary"]["points_lost"]["total"] == total


def test_vietnamese_and_english(corpus_report):
    vi, en = render_md(corpus_report, lang="vi"), render_md(corpus_report, lang="en")
    assert "Điểm bị trừ" in vi and "Văn bản đã" not in en and "Points lost" in en
    assert "UNSIGNED" in vi and "UNSIGNED" in en  # codes do not change


def test_csv_has_a_bom_and_one_row_per_document(corpus_report):
    text = csvout.tables(corpus_report, "vi")[""]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(corpus_report.documents) + 1
    stats = list(csv.reader(io.StringIO(csvout.tables(corpus_report, "en")[".statistics"].lstrip("\ufeff"))))
    assert sum(int(r[3]) for r in stats[1:]) == len(corpus_report.documents)


def test_html_escapes_hostile_names(hostile_report):
    page = render_html(hostile_report, lang="en")
    assert "<img src=x" not in page and "<script>alert(2)" not in page and 'onmouseover="x=1' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&quot; onmouseover=&quot;x=1" in page
    assert page.count("<script>") == 1  # ours only


def test_csv_neutralises_formulas(hostile_report):
    rows = list(csv.reader(io.StringIO(csvout.tables(hostile_report, "en")[""].lstrip("\ufeff"))))
    paths = [r[0] for r in rows[1:]]
    assert "'=HYPERLINK(1).pdf" in paths and not any(p.startswith("=") for p in paths)


def test_markdown_cells_cannot_break_the_table(hostile_report):
    md = render_md(hostile_report, lang="en")
    assert "<script>" not in md and "<img" not in md


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sigaudit", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_check_subcommand_verdicts():
    good = _cli("check", str(CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"), "--trust", str(TEST_ROOT))
    assert good.returncode == 0 and "ĐẠT" in good.stdout and "KHÔNG ĐẠT" not in good.stdout
    bad = _cli("check", str(CORPUS / "so-tnmt-bac-giang/KH-23-backdated.pdf"), "--trust", str(TEST_ROOT))
    assert bad.returncode == 1 and "KHÔNG ĐẠT" in bad.stdout
    assert "Thời gian ký số không khớp với ngày ban hành" in bad.stdout
    en = _cli("check", str(CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf"), "--lang", "en")
    assert en.returncode == 1 and "FAIL" in en.stdout and "no digital signature" in en.stdout
    # a message that only repeats its title is said once
    vi = _cli("check", str(CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf"))
    assert "✗ Văn bản không có chữ ký số\n" in vi.stdout, vi.stdout
    assert "Văn bản không có chữ ký số — Văn bản không có chữ ký số" not in vi.stdout


def test_baseline_shows_only_new_findings(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf", folder / "a.pdf")
    baseline = tmp_path / "accepted.json"
    first = _cli(str(folder), "--no-cache", "--write-baseline", str(baseline), "-o", str(tmp_path / "r1.json"))
    assert first.returncode == 1 and baseline.exists()
    again = _cli(str(folder), "--no-cache", "--baseline", str(baseline), "-o", str(tmp_path / "r2.json"))
    assert again.returncode == 0, again.stderr
    report = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    assert report["summary"]["accepted_findings"] >= 1 and all(not d["findings"] for d in report["documents"])
    # a new document brings its findings back, the accepted ones stay out (renamed file too)
    shutil.copy(CORPUS / "ubnd-xa-tan-khanh/KH-04-person-only.pdf", folder / "b.pdf")
    (folder / "a.pdf").rename(folder / "renamed.pdf")
    third = _cli(str(folder), "--no-cache", "--baseline", str(baseline), "-o", str(tmp_path / "r3.json"))
    report = json.loads((tmp_path / "r3.json").read_text(encoding="utf-8"))
    codes = {d["path"]: [f["code"] for f in d["findings"]] for d in report["documents"]}
    assert codes["renamed.pdf"] == [] and "MISSING_ORG_SIGNATURE" in codes["b.pdf"] and third.returncode == 1


def test_cli_writes_every_format(tmp_path):
    for fmt, name in (("html", "r.html"), ("md", "r.md"), ("csv", "r.csv"), ("text", "r.txt")):
        proc = _cli(
            str(CORPUS / "ubnd-phu-binh"),
            "--trust",
            str(TEST_ROOT),
            "--no-cache",
            "--format",
            fmt,
            "-o",
            str(tmp_path / name),
        )
        assert proc.returncode == 1, proc.stderr
        assert (tmp_path / name).stat().st_size > 0
    assert {p.name for p in tmp_path.glob("r*.csv")} == {
        "r.csv",
        "r.offices.csv",
        "r.deductions.csv",
        "r.statistics.csv",
        "r.findings.csv",
        "r.register.csv",  # the register rebuilt from the PDFs (Decree 30 columns)
    }


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="Debian's chromium is not installed"
)
def test_html_report_in_a_real_headless_browser(tmp_path, corpus_report):
    sys.path.insert(0, str(ROOT / "docs"))
    import screenshot

    html_file = tmp_path / "report.html"
    html_file.write_text(render_html(corpus_report, lang="vi"), encoding="utf-8")
    everything = sum(len(d.findings) for d in corpus_report)
    unsigned_errors = sum(1 for d in corpus_report for f in d.findings if f.code == "UNSIGNED")
    assert screenshot.shown_rows(html_file) == everything
    assert screenshot.shown_rows(html_file, "code=UNSIGNED&severity=error") == unsigned_errors
    assert screenshot.shown_rows(html_file, "severity=info") == 0
    png = tmp_path / "shot.png"
    assert screenshot.main([str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_every_finding_speaks_vietnamese(corpus_report):
    for doc in corpus_report:
        for f in doc.findings:
            assert f.message_vi and f.message_vi != f.message, (doc.path, f.code)
    page = render_html(corpus_report, lang="vi")
    assert "Sau khi Lê Minh Cường ký số" in page and "was applied" not in page


def test_english_messages_name_the_signer_as_the_vietnamese_do(corpus_report):
    """Where the Vietnamese message names who signed, the English one names them too (and
    the signature field, as the viewer's signature panel does)."""
    named = [
        f
        for doc in corpus_report
        for f in doc.findings
        if f.code == "MODIFIED_AFTER_SIGNING" and "Sau khi Lê Minh Cường" in f.message_vi
    ]
    assert named
    assert all("After Lê Minh Cường signed ('" in f.message for f in named), [f.message for f in named]


def test_one_office_name_everywhere_in_vietnamese_order(corpus_report):
    from sigaudit.names import collation_key

    names = [o.office for o in corpus_report.offices]
    assert names[-1] == "(unattributed)" and corpus_report.offices[-1].key == ""
    assert names[:-1] == sorted(names[:-1], key=collation_key)
    # statistics, the HTML filter and the chart use the office table's names only
    assert {s["office"] for s in corpus_report.statistics()} <= set(names)
    page = render_html(corpus_report, lang="vi")
    offices_shown = set(re.findall(r'data-office="([^"]*)"', page)) | set(
        re.findall(r'data-label="Cơ quan" class="">([^<]*)<', page)
    )
    assert "ỦY BAN NHÂN DÂN XÃ TÂN KHÁNH" in offices_shown and "UBND xã Tân Khánh" not in offices_shown
    assert "(không xác định)" in page and "(unattributed)" not in page
    # unreadable files are not attributed to the folder they lie in
    broken = [d for d in corpus_report if d.evidence.error is not None]
    assert broken and all(d.office is None for d in broken)


def test_points_per_document_are_written_as_each_language_writes_numbers():
    from sigaudit.report.i18n import basis_text

    basis = {"kind": "findings", "documents": 3, "points_per_document": 0.25}
    assert basis_text(basis, "vi") == "3 văn bản × 0,25 điểm"
    assert basis_text(basis, "en") == "3 document(s) × 0.25 point(s)"
