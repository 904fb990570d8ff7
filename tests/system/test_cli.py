"""The command line as a clerk or an IT admin runs it: exit codes, files, quiet terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, ROOT, TEST_ROOT

CLEAN = CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"
UNSIGNED = CORPUS / "ubnd-xa-tan-khanh/KH-03-unsigned.pdf"
WARN_ONLY = CORPUS / "so-tnmt-bac-giang/no-number.pdf"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARN")}
    return subprocess.run(
        [sys.executable, "-m", "sigaudit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_clean_file_exits_zero():
    r = run(CLEAN, "--trust", TEST_ROOT, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "ĐẠT  KH-45-cai-cach-hanh-chinh.pdf" in r.stdout
    assert r.stderr == ""


def test_error_finding_exits_one_and_fail_on_never_exits_zero():
    assert run(UNSIGNED, "--jobs", "1").returncode == 1
    assert run(UNSIGNED, "--jobs", "1", "--fail-on", "never").returncode == 0


def test_fail_on_warning():
    assert run(WARN_ONLY, "--trust", TEST_ROOT, "--jobs", "1").returncode == 0
    assert run(WARN_ONLY, "--trust", TEST_ROOT, "--jobs", "1", "--fail-on", "warning").returncode == 1


def test_usage_errors_exit_two(tmp_path):
    assert run(tmp_path / "missing.pdf").returncode == 2
    r = run(tmp_path)  # an empty folder: nothing to scan
    assert r.returncode == 2 and "Không tìm thấy tệp PDF" in r.stderr  # Vietnamese by default
    r = run(tmp_path, "--lang", "en")
    assert r.returncode == 2 and "No PDF file found" in r.stderr
    r = run(CLEAN, "--trust", tmp_path / "nope.pem")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_json_to_file_with_library_noise_kept_off_the_terminal(tmp_path):
    out, log = tmp_path / "report.json", tmp_path / "sigaudit.log"
    r = run(CORPUS, "--trust", TEST_ROOT, "-o", out, "--log-file", log, "-v")
    assert r.returncode == 1
    assert r.stdout == ""
    # one summary line on stderr, nothing from pyHanko or pypdf
    assert r.stderr.count("\n") == 1 and "văn bản" in r.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["documents"]) == len(json.loads((CORPUS / "MANIFEST.json").read_text()))
    assert not list(tmp_path.glob(".report.json.*"))  # no temp file left behind
    assert log.stat().st_size > 0  # the libraries' chatter went to the log


def test_recursive_discovery_is_case_insensitive_and_skips_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "A.PDF").write_bytes(CLEAN.read_bytes())
    (tmp_path / "notes.txt").write_text("not scanned")
    r = run(tmp_path, "--format", "json", "--jobs", "1", "--fail-on", "never")
    docs = json.loads(r.stdout)["documents"]
    assert [d["path"] for d in docs] == ["sub/A.PDF"]


def test_progress_bar_only_on_a_terminal():
    import io

    from sigaudit.cli import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        progress = Progress(stream, enabled=True, lang="en")
        progress(None, 50, 100)
        progress.close()
    assert pipe.getvalue() == ""
    assert "50/100 documents" in tty.getvalue() and "ETA" in tty.getvalue() and "█" in tty.getvalue()
    vi = Tty()
    Progress(vi, enabled=True)(None, 50, 100)
    assert "50/100 văn bản" in vi.getvalue() and "còn" in vi.getvalue()
    quiet = Tty()
    Progress(quiet, enabled=False)(None, 1, 2)
    assert quiet.getvalue() == ""
