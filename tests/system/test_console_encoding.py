"""The command line on a console that is not UTF-8 (Windows writes redirected output in
its ANSI code page: cp1258 on Vietnamese Windows, cp1252 elsewhere), with workers started
by ``spawn`` as on Windows: no crash, the right exit code, and on cp1258 every Vietnamese
letter kept."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest
from conftest import CORPUS, ROOT, TEST_ROOT

from sigaudit.console import cp1258_spelling

CLEAN = CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf"
BAD = CORPUS / "ubnd-xa-tan-khanh" / "QD-06-modified-after-signing.pdf"


def run(encoding: str, *args) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "SIGAUDIT_START_METHOD": "spawn", "PYTHONUTF8": "0"}
    return subprocess.run(
        [sys.executable, "-m", "sigaudit", *map(str, args), "--trust", str(TEST_ROOT)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_check_writes_its_verdicts_in_the_consoles_code_page(encoding):
    done = run(encoding, "check", CLEAN, BAD)
    assert done.returncode == 1, done.stderr.decode(encoding, "replace")  # one document fails
    out = unicodedata.normalize("NFC", done.stdout.decode(encoding))
    assert CLEAN.name in out and BAD.name in out and "Traceback" not in done.stderr.decode(encoding, "replace")
    if encoding == "cp1258":
        assert "ĐẠT" in out and "KHÔNG ĐẠT" in out and "?" not in out


def test_the_summary_of_a_folder_in_cp1258(tmp_path):
    done = run("cp1258", CORPUS / "ubnd-phu-binh", "-q", "--format", "text", "--jobs", "2")
    assert done.returncode in (0, 1) and done.stdout
    assert "Traceback" not in done.stderr.decode("cp1258", "replace")


def test_cp1258_spelling_loses_no_vietnamese_letter():
    text = "ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH — Độc lập - Tự do - Hạnh phúc; ngày 19 tháng 8 năm 2021"
    encoded = cp1258_spelling(text).encode("cp1258")
    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == text


def test_escape_codes_only_where_the_console_reads_them(monkeypatch):
    import io

    from sigaudit.console import ansi_escapes

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert not ansi_escapes(io.StringIO())  # a file or a pipe: plain text
    monkeypatch.delenv("NO_COLOR", raising=False)
    if sys.platform != "win32":
        assert ansi_escapes(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ansi_escapes(Tty())
    # on Windows a console that cannot interpret them gets none (no handle here: refused)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "platform", "win32")
    assert not ansi_escapes(Tty())
