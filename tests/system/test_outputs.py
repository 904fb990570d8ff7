"""No false pass and no lost work: trust by default, verdicts that never pass what was not
checked, output names and targets checked before the audit, any file name, whole outputs."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, TEST_ROOT

import sigaudit
from sigaudit.report.output import write_all

CLEAN = CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"
UNSIGNED = CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf"
NO_DATE = CORPUS / "so-tnmt-bac-giang/BC-24-no-issuance-date.pdf"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sigaudit", *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


# -- the verdict never passes what was not checked -------------------------------------


def test_check_without_trust_options_checks_the_vietnamese_roots():
    # The sample is signed under a test PKI, which is not a Vietnamese root: by default the
    # chain is checked, found untrusted, and the document does not pass.
    r = run("check", CLEAN)
    assert r.returncode == 1 and "KHÔNG ĐẠT" in r.stdout and "Chứng thư số không thuộc chuỗi tin cậy" in r.stdout


def test_check_with_trust_none_says_the_chain_was_not_checked_and_never_passes():
    r = run("check", CLEAN, "--trust", "none")
    assert r.returncode == 1 and "CHƯA KẾT LUẬN" in r.stdout and "ĐẠT\n" not in r.stdout
    assert "Chưa kiểm tra chuỗi chứng thực" in r.stdout and "→ Cách khắc phục" in r.stdout
    en = run("check", CLEAN, "--trust", "none", "--lang", "en")
    assert "NOT CONCLUSIVE" in en.stdout and "was not checked" in en.stdout
    report = run(CLEAN.parent, "--trust", "none", "--format", "text", "--no-cache", "-q")
    assert "Chưa kiểm tra chuỗi chứng thực (--trust none)" in report.stdout
    assert not [ln for ln in report.stdout.splitlines() if ln.startswith("ĐẠT ")]  # no document passes


def test_an_unread_date_is_not_a_pass(tmp_path):
    assert NO_DATE.exists()
    r = run("check", NO_DATE, "--trust", TEST_ROOT)
    assert r.returncode == 1 and "CHƯA KẾT LUẬN" in r.stdout and "Không tìm thấy ngày ban hành" in r.stdout


def test_check_takes_files_and_folders_and_names_what_a_folder_holds(tmp_path):
    (tmp_path / "empty").mkdir()
    for name in ("a.docx", "b.docx", "c.docx", "d.jpg"):
        (tmp_path / "empty" / name).write_bytes(b"x")
    r = run("check", tmp_path / "empty")
    assert r.returncode == 2 and "3 tệp .docx, 1 tệp .jpg, không có tệp PDF" in r.stderr
    r = run("check", tmp_path / "missing.pdf")
    assert r.returncode == 2 and "Không có tệp hay thư mục nào" in r.stderr
    both = run("check", CLEAN, UNSIGNED, "--trust", TEST_ROOT)
    assert both.returncode == 1 and both.stdout.count(": ĐẠT") == 1 and both.stdout.count(": KHÔNG ĐẠT") == 1
    good = run("check", CLEAN, "--trust", TEST_ROOT)
    assert good.returncode == 0 and "Văn bản đủ điều kiện" in good.stdout


# -- the report goes where it was asked, whole, or nowhere -----------------------------


def test_the_format_comes_from_the_extension(tmp_path):
    for name, starts in (("r.html", "<!DOCTYPE html>"), ("r.md", "# "), ("r.csv", "\ufeff"), ("r.json", "{")):
        r = run(CLEAN, "--trust", TEST_ROOT, "--no-cache", "-q", "-o", tmp_path / name)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts), name
    assert (tmp_path / "r.xlsx").exists() is False
    assert run(CLEAN, "--trust", TEST_ROOT, "-q", "-o", tmp_path / "r.xlsx").returncode == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_an_unknown_extension_is_refused_before_the_audit(tmp_path):
    r = run(CORPUS, "-o", tmp_path / "report.pdf")
    assert r.returncode == 2 and "'.pdf'" in r.stderr and not (tmp_path / "report.pdf").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_before_the_audit(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        r = run(CLEAN, "-o", locked / "r.json", "--lang", "en")
        assert r.returncode == 2 and "not writable" in r.stderr
    finally:
        locked.chmod(stat.S_IRWXU)


def test_bad_targets_are_refused_before_the_audit(tmp_path):
    r = run(CLEAN, "-o", tmp_path / "missing" / "r.json")
    assert r.returncode == 2 and "không tồn tại" in r.stderr and ".tmp" not in r.stderr
    real = tmp_path / "real.json"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    r = run(CLEAN, "-o", link, "--lang", "en")
    assert r.returncode == 2 and "not a regular file" in r.stderr and real.read_text(encoding="utf-8") == "keep"
    r = run(CLEAN, "-o", "/dev/null", "--format", "json")
    assert r.returncode == 2
    read_only = tmp_path / "ro.json"
    read_only.write_text("keep", encoding="utf-8")
    read_only.chmod(stat.S_IRUSR)
    if os.geteuid() != 0:
        r = run(CLEAN, "-o", read_only, "--lang", "en")
        assert r.returncode == 2 and "read-only" in r.stderr and read_only.read_text(encoding="utf-8") == "keep"


def test_a_file_set_is_replaced_together_or_not_at_all(tmp_path):
    names = [tmp_path / f"r{suffix}.csv" for suffix in ("", ".offices", ".statistics")]
    for p in names:
        p.write_text("old", encoding="utf-8")

    def fails(fh):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_all([(str(names[0]), lambda fh: fh.write("new")), (str(names[1]), lambda fh: fh.write("new")),
                   (str(names[2]), fails)])  # fmt: skip
    assert [p.read_text(encoding="utf-8") for p in names] == ["old", "old", "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in names)  # no temporary left


def test_file_names_that_are_not_utf8(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/h\xf4s\xe1-" + b"\xff.pdf"  # Latin-1 bytes, as copied from Windows
    shutil.copy(CLEAN, os.fsdecode(raw))
    for fmt in ("json", "csv", "html", "md", "text", "xlsx"):
        out = tmp_path / f"r.{'txt' if fmt == 'text' else fmt}"
        r = run(folder, "--trust", TEST_ROOT, "--no-cache", "-q", "--format", fmt, "-o", out)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (fmt, r.stderr)
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    doc = data["documents"][0]
    assert doc["path"] == "h\ufffds\ufffd-\ufffd.pdf" and doc["raw_path"] == "h%F4s%E1-%FF.pdf"
    assert "h\ufffds\ufffd" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    terminal = run(folder, "--trust", TEST_ROOT, "--no-cache", "-q")
    assert terminal.returncode == 0 and "Traceback" not in terminal.stderr


def test_api_verdicts_and_counts_agree(corpus_report):
    s = corpus_report.summary()
    assert s["passing"] == sum(d.verdict is sigaudit.Verdict.PASS for d in corpus_report)
    assert sum(s["verdicts"].values()) == s["documents"]
    assert sum(o.passing for o in corpus_report.offices) == s["passing"]
    for d in corpus_report:
        errors = any(f.severity is sigaudit.Severity.ERROR for f in d.findings)
        assert (d.verdict is sigaudit.Verdict.FAIL) == errors
